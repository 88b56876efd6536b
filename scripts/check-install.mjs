#!/usr/bin/env node
// `pnpm check:install`: proves the packages work for an application OUTSIDE this
// workspace, installed the way a user installs them before a registry release.
//
//   1. `pack:all` (scripts/pack-all.mjs): every package into dist-packages/*.tgz.
//   2. A throwaway app in a temp directory outside the workspace installs every tarball
//      with npm (third-party dependencies come from the registry), plus typescript and
//      @types/node.
//   3. It runs
//      (a) an ES module script and (b) a CommonJS script (require(esm)) that load every
//          package, create an engine (memory storage, a simulated warehouse, one
//          location), ingest an order and assert it was submitted and accepted;
//      (c) a CommonJS TypeScript project (a package without `"type": "module"`)
//          type-checked with tsc as `"module": "nodenext"` (declarations included; the
//          build is run with node) and as the classic `"module": "commonjs"`.
//   4. With `--pm=npm,pnpm,yarn` the install and (a)/(b) repeat with pnpm and yarn 1
//      (`npx yarn@1`); a package manager that is missing or unreachable is reported and
//      skipped, never silently passed.
//
// Run `pnpm build` first. `--pm=npm,pnpm,yarn` picks the package managers (default npm);
// `--keep` leaves the temp app for inspection.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAll, publishablePackages } from './pack-all.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const managers = (args.find((a) => a.startsWith('--pm='))?.slice('--pm='.length) ?? 'npm')
  .split(',')
  .filter(Boolean);
const unknownArgs = args.filter((a) => a !== '--keep' && !a.startsWith('--pm='));
if (unknownArgs.length > 0) {
  console.error(
    `check:install: unknown argument(s) ${unknownArgs.join(' ')}; usage: [--pm=npm,pnpm,yarn] [--keep]`,
  );
  process.exit(2);
}

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const failures = [];
const skipped = [];

/** Runs a command; returns its result; throws with its output when it fails. */
function run(cmd, cmdArgs, options) {
  const result = spawnSync(cmd, cmdArgs, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-40)
      .join('\n');
    throw new Error(
      `\`${cmd} ${cmdArgs.join(' ')}\` exited with ${result.status} in ${options?.cwd ?? process.cwd()}:\n${output}`,
    );
  }
  return result;
}

/** Runs one named step, timing it; a failure is recorded and the run goes on. */
function step(name, fn) {
  const t = Date.now();
  try {
    const detail = fn();
    console.log(`  ok   ${name} (${seconds(t)})${detail ? `\n${indent(detail)}` : ''}`);
    return true;
  } catch (error) {
    console.log(`  FAIL ${name} (${seconds(t)})\n${indent(error.message)}`);
    failures.push(name);
    return false;
  }
}
const indent = (text) =>
  text
    .trim()
    .split('\n')
    .map((l) => `         ${l}`)
    .join('\n');

// ---------------------------------------------------------------------------
// The scenario both scripts run, given the loaded @fulfil/core module.
const SCENARIO = `
async function scenario(core) {
  const { createEngine, createMemoryStorage, createMemoryInventory, createSimulatedWarehouse, createSimulatedClock } = core;
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'MUG-1': 5 } };
  const warehouse = createSimulatedWarehouse({ name: 'main-wh', clock, locations: ['main'], stock });
  const engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: { 'main-wh': warehouse },
    locations: [{ id: 'main', warehouse: 'main-wh', priority: 1 }],
    clock,
  });
  const result = await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'install-check-1',
    occurredAt: '2026-11-27T09:00:00Z',
    order: {
      id: 'ord-1001',
      source: { channel: 'shopify', store: 'acme.myshopify.com', externalId: '820982911946154508', name: '#1001' },
      customer: { email: 'ada@example.com', tags: [] },
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Springfield', province: 'IL', postalCode: '62701', country: 'US' },
      lines: [{ id: 'l1', sku: 'MUG-1', quantity: 2, unitPrice: 1800 }],
      paymentStatus: 'paid',
      currency: 'USD',
      totals: { subtotal: 3600, total: 3600 },
      createdAt: '2026-11-27T09:00:00Z',
      updatedAt: '2026-11-27T09:00:00Z',
    },
  });
  await engine.idle();
  const { record, history } = await engine.explain('ord-1001');
  const shipments = record.shipments.map((s) => s.locationId + ':' + s.status).join(',');
  console.log('order ' + record.orderId + ': ' + record.status + ' (v' + record.version + ', shipments ' + shipments + ')');
  for (const entry of history) console.log('  v' + entry.version + ' ' + entry.summary);
  if (result.status !== 'submitted' || record.status !== 'submitted') {
    throw new Error('expected the order to be submitted, got ' + result.status + ' / ' + record.status);
  }
  if (record.shipments.length !== 1 || record.shipments[0].status !== 'accepted') {
    throw new Error('expected one accepted shipment, got ' + shipments);
  }
  if (!(core.FulfilError.prototype instanceof Error)) throw new Error('FulfilError is not an Error');
}
`;

/** Entry points every script loads: each package's main entry. */
function entryPoints() {
  return publishablePackages().map(({ pkg }) => pkg.name);
}

function esmScript(names) {
  return `// (a) an ES module application
${SCENARIO}
const names = ${JSON.stringify(names)};
for (const name of names) {
  const mod = await import(name);
  if (Object.keys(mod).length === 0) throw new Error(name + ' exported nothing');
}
console.log('import: ' + names.length + ' packages loaded');
await scenario(await import('@fulfil/core'));
`;
}

function cjsScript(names) {
  return `// (b) a CommonJS application: require() of the ES module packages (require(esm))
'use strict';
${SCENARIO}
const names = ${JSON.stringify(names)};
for (const name of names) {
  const mod = require(name);
  if (Object.keys(mod).length === 0) throw new Error(name + ' exported nothing');
}
console.log('require: ' + names.length + ' packages loaded');
scenario(require('@fulfil/core')).catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}

/** (c) A CommonJS TypeScript file: its imports compile to require() calls. */
function tsSource(names) {
  const others = names.filter((n) => n !== '@fulfil/core');
  return `// (c) a CommonJS TypeScript project (package.json without "type": "module")
import { createEngine, createMemoryStorage, createSimulatedClock, createSimulatedWarehouse, FulfilError, type Engine, type OrderInput } from '@fulfil/core';
${others.map((n, i) => `import * as pkg${i} from '${n}';`).join('\n')}

const clock = createSimulatedClock('2026-11-27T09:00:00Z');
const engine: Engine = createEngine({
  storage: createMemoryStorage(),
  warehouses: { 'main-wh': createSimulatedWarehouse({ name: 'main-wh', clock, locations: ['main'], stock: { main: { 'MUG-1': 5 } } }) },
  locations: [{ id: 'main', warehouse: 'main-wh', priority: 1 }],
  clock,
});
const order: OrderInput = {
  id: 'ord-2002',
  source: { channel: 'shopify', store: 'acme.myshopify.com', externalId: '2002', name: '#2002' },
  customer: { email: 'ada@example.com', tags: [] },
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Springfield', province: 'IL', postalCode: '62701', country: 'US' },
  lines: [{ id: 'l1', sku: 'MUG-1', quantity: 1, unitPrice: 1800 }],
  paymentStatus: 'paid',
  currency: 'USD',
  totals: { subtotal: 1800, total: 1800 },
  createdAt: '2026-11-27T09:00:00Z',
  updatedAt: '2026-11-27T09:00:00Z',
};
const loaded: number = [${others.map((_, i) => `pkg${i}`).join(', ')}].filter((m) => Object.keys(m).length > 0).length;

async function main(): Promise<void> {
  const result = await engine.ingest({ type: 'order.received', idempotencyKey: 'ts-1', occurredAt: order.createdAt, order });
  const status: string = result.status ?? 'duplicate';
  const error: FulfilError | undefined = undefined;
  console.log('ts-cjs: ' + (loaded + 1) + ' packages loaded; order ' + result.orderId + ': ' + status + (error ? '' : ''));
  if (status !== 'submitted') throw new Error('expected submitted, got ' + status);
  await engine.idle();
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
`;
}

const TS_CONFIGS = {
  // TypeScript >= 5.8 models Node's require(esm) under nodenext (and node20, TS 5.9).
  // The declaration files are checked too (skipLibCheck off), then the build is run.
  nodenext: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    skipLibCheck: false,
    outDir: 'out-nodenext',
  },
  // The classic CommonJS setting (moduleResolution node10 reads "types"/"main").
  commonjs: { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true, noEmit: true },
};

function writeApp(dir, names) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'fulfil-install-check', version: '0.0.0', private: true, license: 'MIT' }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'esm.mjs'), esmScript(names));
  writeFileSync(join(dir, 'cjs.cjs'), cjsScript(names));
  writeFileSync(join(dir, 'index.ts'), tsSource(names));
  for (const [name, options] of Object.entries(TS_CONFIGS)) {
    const compilerOptions = {
      target: 'ES2022',
      strict: true,
      esModuleInterop: true,
      types: ['node'],
      ...options,
    };
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      `${JSON.stringify({ compilerOptions, files: ['index.ts'] }, null, 2)}\n`,
    );
  }
}

/** How each package manager installs the tarballs into the app. */
function installCommand(pm, tarballs, extra) {
  const specs = [...tarballs, ...extra];
  switch (pm) {
    case 'npm':
      return ['npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs]];
    case 'pnpm':
      return ['pnpm', ['add', '--config.confirmModulesPurge=false', ...specs]];
    case 'yarn':
      return ['npx', ['--yes', 'yarn@1', 'add', '--non-interactive', '--silent', ...specs]];
    default:
      throw new Error(`unknown package manager ${pm} (npm, pnpm or yarn)`);
  }
}

/**
 * pnpm and yarn resolve a tarball's own `@fulfil/core@^0.1.0` dependency from the
 * registry, not from the sibling tarball; overrides / resolutions point them at the
 * local files (npm dedupes onto the installed tarball by itself).
 */
function pinLocalTarballs(dir, pm, tarballs) {
  if (pm === 'npm') return;
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const map = {};
  for (const { pkg: p } of publishablePackages()) {
    const file = tarballs.find((t) =>
      t.endsWith(`/${p.name.slice(1).replace('/', '-')}-${p.version}.tgz`),
    );
    map[p.name] = `file:${file}`;
  }
  if (pm === 'pnpm') {
    // pnpm >= 10 reads overrides from pnpm-workspace.yaml (the "pnpm" field is ignored).
    const lines = Object.entries(map).map(([name, spec]) => `  '${name}': '${spec}'`);
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), `overrides:\n${lines.join('\n')}\n`);
    return;
  }
  pkg.resolutions = map;
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
}

function available(pm) {
  const probe =
    pm === 'yarn'
      ? spawnSync('npx', ['--yes', 'yarn@1', '--version'], { encoding: 'utf8', timeout: 60_000 })
      : spawnSync(pm, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

// ---------------------------------------------------------------------------
console.log('check:install: pack every package');
let tarballs;
const packStart = Date.now();
try {
  tarballs = packAll();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`  packed in ${seconds(packStart)}`);

const names = entryPoints();
const tsVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8'),
).version;
const base = mkdtempSync(join(tmpdir(), 'fulfil-install-'));
if (!relative(root, base).startsWith('..')) {
  console.error(`the temp app ${base} is inside the workspace ${root}; set TMPDIR elsewhere`);
  process.exit(1);
}
console.log(`check:install: app in ${base} (outside the workspace), node ${process.version}`);

for (const pm of managers) {
  const version = available(pm);
  if (!version) {
    // npm is the check itself; pnpm and yarn are extra coverage where present.
    if (pm === 'npm') failures.push('npm is not available');
    else skipped.push(pm);
    console.log(`\n[${pm}] not available or not reachable: ${pm === 'npm' ? 'FAIL' : 'skipped'}`);
    continue;
  }
  console.log(`\n[${pm} ${version}]`);
  const dir = join(base, pm);
  writeApp(dir, names);
  pinLocalTarballs(dir, pm, tarballs);
  // The app's own environment: no --conditions or loaders from this workspace's NODE_OPTIONS.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const [cmd, cmdArgs] = installCommand(
    pm,
    tarballs,
    pm === 'npm' ? [`typescript@${tsVersion}`, '@types/node@^20.19.0'] : [],
  );
  const installed = step(
    `${pm} install ${tarballs.length} tarballs${pm === 'npm' ? ' + typescript, @types/node' : ''}`,
    () => {
      run(cmd, cmdArgs, { cwd: dir, env });
      const lock = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return Object.entries(lock.dependencies ?? {})
        .filter(([n]) => n.startsWith('@fulfil/'))
        .map(([n, s]) => `${n} ${s.replace(base, '$TMP')}`)
        .join('\n');
    },
  );
  if (!installed) continue;
  step('(a) ESM script: import every package, create an engine, ingest an order', () => {
    const r = run(process.execPath, ['esm.mjs'], { cwd: dir, env });
    return `${r.stdout}${r.stderr}`;
  });
  step('(b) CommonJS script: require() every package, create an engine, ingest an order', () => {
    const r = run(process.execPath, ['cjs.cjs'], { cwd: dir, env });
    return `${r.stdout}${r.stderr}`;
  });
  if (pm !== 'npm') continue;
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const [name, options] of Object.entries(TS_CONFIGS)) {
    step(`(c) CommonJS TypeScript project, tsc ${tsVersion} --module ${options.module}`, () => {
      run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: dir, env });
      if (options.noEmit) return '';
      const out = run(process.execPath, [join(options.outDir, 'index.js')], { cwd: dir, env });
      const compiled = readFileSync(join(dir, options.outDir, 'index.js'), 'utf8');
      if (!compiled.includes('require("@fulfil/core")'))
        throw new Error('the build did not compile to require() calls');
      return `emitted CommonJS (require("@fulfil/core")), ran it: ${out.stdout.trim()}`;
    });
  }
}

if (keep) console.log(`\nkept ${base}`);
else rmSync(base, { recursive: true, force: true });
console.log(
  `\ncheck:install: ${failures.length === 0 ? 'passed' : `FAILED (${failures.join('; ')})`}` +
    `${skipped.length ? `; skipped ${skipped.join(', ')} (not available)` : ''} in ${seconds(started)}`,
);
process.exit(failures.length === 0 ? 0 : 1);
