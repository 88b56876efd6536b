import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { slackFromEnv } from '@fulfil/alerts-slack';
import { basicAuth, type ConsoleHandler, createConsole, parseConsoleUsers } from '@fulfil/console';
import {
  createConsoleAlerts,
  createEngine,
  type Engine,
  FulfilError,
  isFulfilError,
  parseOrThrow,
  type WarehouseAdapter,
} from '@fulfil/core';
import { createPrometheusMetrics, httpMetricsHooks } from '@fulfil/metrics-prometheus';
import { createPostgresStorage } from '@fulfil/storage-postgres';
import pg from 'pg';
import { z } from 'zod';
import { bundledConfig } from './bundled-config';
import { type BundledConfig, lambdaConfigOptions } from './config-file';
import type { LambdaHostOptions } from './host';

/** The environment a deployed host reads. Validated; a bad value names the variable. */
const Env = z.object({
  DATABASE_URL: z.string().min(1),
  /** The Shopify app's client secrets, comma-separated (new and old during a rotation). */
  SHOPIFY_SECRETS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  SHIPSTATION_API_KEY: z.string().min(1),
  SHIPSTATION_API_SECRET: z.string().min(1),
  /** Secret in the SHIP_NOTIFY webhook URL: `.../webhooks/warehouses/shipstation?token=...`. */
  SHIPSTATION_WEBHOOK_TOKEN: z.string().min(16),
  SHIPSTATION_BASE_URL: z.url().optional(),
  /** Where stock ships from: `[{"id":"reno","shipstationWarehouseId":401,"priority":1}]`. */
  FULFIL_LOCATIONS: z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }),
  FULFIL_SCHEMA: z.string().default('fulfil'),
  /** Bearer token for `GET /orders/{id}` (16+ characters); unset: the route answers 404. */
  OPS_TOKEN: z.string().min(16).optional(),
  /**
   * Operations console accounts at `/ops`: `alice:password,bob:password2` (passwords of 12+
   * characters, HTTP Basic checked in constant time). Unset (and no `CONSOLE_PASSWORD`): no console.
   */
  CONSOLE_USERS: z.string().optional(),
  /** One console account, `ops`, with this password (when `CONSOLE_USERS` is unset). */
  CONSOLE_PASSWORD: z.string().optional(),
  TZ_STORE: z.string().default('UTC'),
});

/**
 * Every environment variable the Lambda host reads: {@link Env}'s, plus Slack's
 * (`slackFromEnv` of @fulfil/alerts-slack). `.env.example` and `template.yaml` list the same
 * (checked by `test/deploy.test.ts`).
 */
export const LAMBDA_ENV_VARS: readonly string[] = [
  ...Object.keys(Env.shape),
  'SLACK_BOT_TOKEN',
  'SLACK_CHANNEL_ID',
  'SLACK_WEBHOOK_URL',
  'SLACK_SIGNING_SECRET',
  'SLACK_ALLOWED_USERS',
  'CONSOLE_URL',
];

/** The variables without which the host cannot start. */
export const REQUIRED_ENV_VARS: readonly string[] = Object.entries(Env.shape)
  .filter(([, schema]) => !schema.safeParse(undefined).success)
  .map(([name]) => name);

const Locations = z
  .array(
    z.object({
      id: z.string().min(1),
      shipstationWarehouseId: z.number().int().positive(),
      priority: z.number().int().optional(),
    }),
  )
  .min(1);

/** What {@link hostFromEnv} builds. */
export interface HostParts {
  engine: Engine;
  shopifySecrets: string[];
  warehouses: Record<string, WarehouseAdapter>;
  /** `OPS_TOKEN`: guards `GET /orders/{id}` and `GET /metrics`. */
  opsToken?: string;
  /** The engine's metrics (and ShipStation's HTTP use), for `GET /metrics`. */
  prometheus: ReturnType<typeof createPrometheusMetrics>;
  /** `SLACK_SIGNING_SECRET` (+ `SLACK_ALLOWED_USERS`): the `POST /slack/actions` handler. */
  slackActions?: LambdaHostOptions['slackActions'];
  /**
   * `CONSOLE_USERS` / `CONSOLE_PASSWORD`: the operations console at `/ops` (`@fulfil/console`,
   * HTTP Basic). Unset: none (`/ops` answers 404), said once in the log (`console_off`).
   */
  opsConsole?: ConsoleHandler;
  /** Resolves when the database answers `select 1` (for `GET /readyz`). */
  ready(): Promise<void>;
  /** Ends the database pool (tests; a Lambda container is frozen, never closed). */
  close(): Promise<void>;
}

/**
 * Builds the engine of a deployed host from environment variables: state in
 * PostgreSQL (`DATABASE_URL`), ShipStation as the warehouse for every
 * location, alerts to the function's log, the operations console at `/ops` with
 * `CONSOLE_USERS` / `CONSOLE_PASSWORD` (without them one `console_off` warning line); rules,
 * locations, notes and risk from the `fulfil.config.ts` built into the bundle, when there is
 * one (`bundled`, see `config-file.ts`). Throws `CONFIG_INVALID` naming the variable or the
 * config path at fault, so a misconfigured deployment fails its first invocation loudly
 * instead of losing orders.
 */
export function hostFromEnv(
  env: Record<string, string | undefined> = process.env,
  bundled: BundledConfig | undefined = bundledConfig,
): HostParts {
  const e = parseEnv(env);
  const locations = parseOrThrow(
    Locations,
    e.FULFIL_LOCATIONS,
    'FULFIL_LOCATIONS',
    'CONFIG_INVALID',
  );
  const metrics = createPrometheusMetrics();
  // Slack from SLACK_* variables (alerts, review buttons); without them, the console log.
  const slack = slackFromEnv(env);
  const shipstation = createShipStationWarehouse({
    hooks: httpMetricsHooks(metrics, 'shipstation'),
    apiKey: e.SHIPSTATION_API_KEY,
    apiSecret: e.SHIPSTATION_API_SECRET,
    webhookToken: e.SHIPSTATION_WEBHOOK_TOKEN,
    ...(e.SHIPSTATION_BASE_URL ? { baseUrl: e.SHIPSTATION_BASE_URL } : {}),
    warehouseIds: Object.fromEntries(locations.map((l) => [l.id, l.shipstationWarehouseId])),
  });
  const warehouses = { shipstation };
  // One container serves one request at a time: a small pool, quick to give up when the
  // database is unreachable (the answer is then 500 or, for /readyz, 503).
  const pool = new pg.Pool({
    connectionString: e.DATABASE_URL,
    max: 2,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 60_000,
  });
  pool.on('error', (err) => console.error('database pool:', err));
  const storage = createPostgresStorage({ pool, schema: e.FULFIL_SCHEMA });
  const engine = createEngine({
    storage,
    warehouses,
    timeZone: e.TZ_STORE,
    // The fulfil.config.ts built into the bundle (rules, locations, notes, risk, time zone), if any.
    ...lambdaConfigOptions(
      locations.map((l) => ({
        id: l.id,
        warehouse: 'shipstation',
        // ShipStation has no stock API: route without stock figures; a rejection re-routes.
        stock: 'untracked' as const,
        ...(l.priority !== undefined ? { priority: l.priority } : {}),
      })),
      { velocity: storage },
      bundled,
    ),
    alerts: slack.alerts ?? createConsoleAlerts(),
    // A Lambda is frozen once it answers: side effects run in the scheduled function.
    autoDispatch: false,
    metrics,
  });
  // The same accounts, parsed the same way, as the Express host's console.
  const consoleUsers = parseConsoleUsers(e.CONSOLE_USERS, e.CONSOLE_PASSWORD);
  const opsConsole = consoleUsers
    ? createConsole({ engine, storage, basePath: '/ops', ...basicAuth({ users: consoleUsers }) })
    : undefined;
  // Once per container (hostFromEnv runs once there), as one JSON line.
  if (!opsConsole)
    console.warn(
      JSON.stringify({
        level: 'warn',
        event: 'console_off',
        message:
          'CONSOLE_USERS and CONSOLE_PASSWORD are unset: the operations console at /ops is disabled',
      }),
    );
  return {
    engine,
    shopifySecrets: e.SHOPIFY_SECRETS,
    warehouses,
    ...(e.OPS_TOKEN ? { opsToken: e.OPS_TOKEN } : {}),
    prometheus: metrics,
    ...(slack.actions ? { slackActions: slack.actions(engine) } : {}),
    ...(opsConsole ? { opsConsole } : {}),
    ready: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/**
 * Parses the environment; a `CONFIG_INVALID` whose message starts with the variables that
 * are missing (names only, never values) and `details.missing`, then what is wrong with the
 * others.
 */
function parseEnv(env: Record<string, string | undefined>): z.output<typeof Env> {
  // An empty value is an unset one (a deployment template cannot leave a variable out).
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  try {
    return parseOrThrow(Env, given, 'env', 'CONFIG_INVALID');
  } catch (err) {
    if (!isFulfilError(err, 'CONFIG_INVALID')) throw err;
    const missing = REQUIRED_ENV_VARS.filter((name) => !env[name]?.trim());
    if (missing.length === 0) throw err;
    // parseOrThrow's issues: `{ path: 'env.NAME...', message }`.
    const issues = (err.details.issues ?? []) as { path: string; message: string }[];
    const variable = (path: string) => path.replace(/^env\./, '').split(/[.[]/)[0] ?? '';
    const others = issues
      .filter((i) => !missing.includes(variable(i.path)))
      .map((i) => `${i.path}: ${i.message}`);
    const message = [
      `missing environment variables: ${missing.join(', ')} (see .env.example)`,
      ...others,
    ].join('; ');
    throw new FulfilError('CONFIG_INVALID', message, {
      cause: err,
      details: { path: 'env', missing },
    });
  }
}
