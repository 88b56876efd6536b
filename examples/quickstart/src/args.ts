import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoWarehouseKind, WAREHOUSE_KINDS } from './vendors';

/** Options of `pnpm demo`. */
export interface DemoArgs {
  /** Orders to simulate. Default 500. */
  orders: number;
  /** PRNG seed. Default 42. */
  seed: number;
  /** Simulated days the orders are spread over. Default 3. */
  days: number;
  /** Absolute output directory. Default `<examples/quickstart>/out`. */
  outDir: string;
  /**
   * Where the engine keeps its state. Default `memory`; `pglite` is PostgreSQL embedded in
   * the process (no server); `postgres` uses the server at `DATABASE_URL`, in a fresh schema
   * dropped at the end.
   */
  storage: DemoStorageKind;
  /** Who serves the west location: `simulated` (default) or `shipstation` (a fake ShipStation API on loopback, the real adapter). */
  warehouse: DemoWarehouseKind;
  /** The engine's router: `optimal` (the built-in default) or `mip` (`@fulfil/router-mip`, HiGHS). */
  router: DemoRouterKind;
  /**
   * `--console`: after the run, serve the operations console (`@fulfil/console`) with the
   * run's data on 127.0.0.1 until stopped; the operator leaves some orders in review.
   */
  console: boolean;
  /** Port of the console (`--port`, 0 = any free port). Default 4318. */
  port: number;
  /** `--help` / `-h` was given: print {@link USAGE} and exit. */
  help: boolean;
}

/** The storages `--storage` accepts. */
export const STORAGE_KINDS = ['memory', 'pglite', 'postgres'] as const;
export type DemoStorageKind = (typeof STORAGE_KINDS)[number];

/** The routers `--router` accepts. */
export const ROUTER_KINDS = ['optimal', 'mip'] as const;
export type DemoRouterKind = (typeof ROUTER_KINDS)[number];

export const USAGE =
  'usage: pnpm demo [--orders N] [--seed S] [--days D] [--out DIR] [--storage memory|pglite|postgres] [--warehouse simulated|shipstation] [--router optimal|mip] [--console [--port P]]';

export const DEFAULTS = {
  orders: 500,
  seed: 42,
  days: 3,
  storage: 'memory',
  warehouse: 'simulated',
  router: 'optimal',
  console: false,
  port: 4318,
} as const;

/** Most orders a run accepts (the engine runs in memory). */
export const MAX_ORDERS = 200_000;
export const MAX_DAYS = 90;

/** The example package directory (`examples/quickstart`). */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  throw new Error(`${message}\n${USAGE}`);
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Parses demo flags: `--orders N`, `--seed S`, `--days D`, `--out DIR`,
 * `--storage memory|pglite|postgres`, `--warehouse simulated|shipstation`, `--router optimal|mip`,
 * `--console`, `--port P` (also `--flag=value`).
 * A relative `--out` is resolved against `cwd`. Throws an Error ending with the usage line
 * on an unknown flag, a missing value or a bad number.
 */
export function parseArgs(
  argv: readonly string[] = process.argv.slice(2),
  options: { cwd?: string; packageDir?: string } = {},
): DemoArgs {
  const cwd = options.cwd ?? process.cwd();
  const result: DemoArgs = {
    ...DEFAULTS,
    outDir: resolve(options.packageDir ?? PACKAGE_DIR, 'out'),
    help: false,
  };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // `pnpm demo -- --orders 10`
    if (arg === '--help' || arg === '-h') {
      result.help = true;
      continue;
    }
    if (arg === '--console') {
      result.console = true;
      continue;
    }
    if (!arg.startsWith('--')) fail(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    if (
      ![
        '--orders',
        '--seed',
        '--days',
        '--out',
        '--storage',
        '--warehouse',
        '--router',
        '--port',
      ].includes(flag)
    ) {
      fail(`unknown option "${flag}"`);
    }
    if (value === undefined || value === '') fail(`${flag} needs a value`);
    if (seen.has(flag)) fail(`${flag} given twice`);
    seen.add(flag);
    switch (flag) {
      case '--orders':
        result.orders = integer(flag, value, 1, MAX_ORDERS);
        break;
      case '--seed':
        result.seed = integer(flag, value, 0, 0xffff_ffff);
        break;
      case '--days':
        result.days = integer(flag, value, 1, MAX_DAYS);
        break;
      case '--port':
        result.port = integer(flag, value, 0, 65_535);
        break;
      case '--storage':
        if (!(STORAGE_KINDS as readonly string[]).includes(value))
          fail(`--storage must be one of ${STORAGE_KINDS.join(', ')}, got "${value}"`);
        result.storage = value as DemoStorageKind;
        break;
      case '--warehouse':
        if (!(WAREHOUSE_KINDS as readonly string[]).includes(value))
          fail(`--warehouse must be one of ${WAREHOUSE_KINDS.join(', ')}, got "${value}"`);
        result.warehouse = value as DemoWarehouseKind;
        break;
      case '--router':
        if (!(ROUTER_KINDS as readonly string[]).includes(value))
          fail(`--router must be one of ${ROUTER_KINDS.join(', ')}, got "${value}"`);
        result.router = value as DemoRouterKind;
        break;
      default:
        result.outDir = isAbsolute(value) ? value : resolve(cwd, value);
    }
  }
  return result;
}
