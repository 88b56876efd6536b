import { createShopifyStore } from '@fulfil/adapter-shopify';
import { slackFromEnv } from '@fulfil/alerts-slack';
import { createClaudeNoteClassifier } from '@fulfil/classifier-anthropic';
import type { LoadedConfig } from '@fulfil/cli/config';
import { basicAuth, createConsole, parseConsoleUsers } from '@fulfil/console';
import {
  createConsoleAlerts,
  createEngine,
  createMemoryDeliveryQueue,
  createMemoryStorage,
  createMemoryVelocitySource,
  type Engine,
  FulfilError,
  NOTE_TAXONOMY,
  type NoteClassifier,
  parseOrThrow,
  type Storage,
} from '@fulfil/core';
import { createPrometheusMetrics } from '@fulfil/metrics-prometheus';
import { createPostgresStorage } from '@fulfil/storage-postgres';
import pg from 'pg';
import { z } from 'zod';
import { type AppOptions, createApp, type HostApp } from './app';
import { defaultSetup, setupFromConfig } from './config-file';
import { parseLocations } from './env';
import type { Logger } from './logging';

/** Every environment variable the Express host reads (`README.md` lists them). */
export const HostEnv = z.object({
  /** The Shopify app's client secret; comma-separated during a rotation (new, old). */
  SHOPIFY_SECRET: z
    .string({ message: 'required: your Shopify app client secret' })
    .trim()
    .min(1, 'required: your Shopify app client secret')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  SHOPIFY_SHOP: z.string().trim().optional(),
  SHOPIFY_TOKEN: z.string().trim().optional(),
  SHOPIFY_LOCATIONS: z.string().optional(),
  OPS_TOKEN: z
    .string()
    .trim()
    .transform((s) => s || undefined)
    .optional(),
  /**
   * Operations console accounts at `/ops`: `alice:password,bob:password2` (passwords of 12+
   * characters, checked in constant time by the console's `basicAuth`). Unset: no console.
   */
  CONSOLE_USERS: z
    .string()
    .trim()
    .transform((s) => s || undefined)
    .optional(),
  /** One console account, `ops`, with this password (when `CONSOLE_USERS` is unset). */
  CONSOLE_PASSWORD: z
    .string()
    .transform((s) => s || undefined)
    .optional(),
  /** `postgres://...`: state, webhook queue and velocity in PostgreSQL. Unset: in memory. */
  DATABASE_URL: z
    .string()
    .trim()
    .transform((s) => s || undefined)
    .optional(),
  FULFIL_SCHEMA: z.string().trim().default('fulfil'),
  /**
   * The store's configuration file (`fulfil.config.ts` / `.js` / `.json`, as the `fulfil` CLI
   * reads it). Unset: `fulfil.config.*` in the working directory, else the built-in demo.
   * Loaded by `loadHostConfig` before the host is built.
   */
  FULFIL_CONFIG: z.string().trim().optional(),
  /** Notes the offline classifier is unsure of go to Claude. */
  ANTHROPIC_API_KEY: z
    .string()
    .trim()
    .transform((s) => s || undefined)
    .optional(),
  WORKER_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Interface to listen on; unset: all. */
  HOST: z.string().trim().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type HostEnv = z.output<typeof HostEnv>;

/** A host built from the environment: the app, its engine, and what to close at shutdown. */
export interface Host {
  app: HostApp;
  engine: Engine;
  /** `postgres` with `DATABASE_URL`, else `memory`. */
  storageKind: 'postgres' | 'memory';
  /**
   * `keyword` (offline), `keyword+claude` (with `ANTHROPIC_API_KEY`), or `none` (the
   * configuration says `notes: false`).
   */
  classifierKind: 'keyword' | 'keyword+claude' | 'none';
  /** The configuration file the engine was built from; absent: the built-in defaults. */
  configFile?: string;
  /** `slack` with `SLACK_*`, else `log` (one JSON line per alert). */
  alertsKind: 'slack' | 'log';
  env: HostEnv;
  /** Resolves when the database answers (always, in memory). */
  ready(): Promise<void>;
  /** Flushes Slack and ends the database pool. Call after the app and engine are idle. */
  close(): Promise<void>;
}

/**
 * Builds the Express host from environment variables (see {@link HostEnv}): PostgreSQL
 * (`@fulfil/storage-postgres`, webhooks acknowledged on receipt through its delivery queue)
 * when `DATABASE_URL` is set, memory otherwise; the offline `KeywordNoteClassifier` (with
 * Claude for unsure notes when `ANTHROPIC_API_KEY` is set) and `noteRules()`; the
 * `RuleBasedRiskScorer` (velocity from the database) and `riskRules()`; alerts to Slack
 * (`SLACK_*`) or to the log. Throws `CONFIG_INVALID` naming the variable at fault.
 * `extra` is merged into the app's options (mount more routes there later). With `loaded`
 * (a `fulfil.config.ts`, see `loadHostConfig`), the engine's locations, rules, machine,
 * note classifier and risk settings come from it instead of the built-in demo.
 *
 * @example
 * ```ts
 * const host = createHostFromEnv(process.env, logger, {}, await loadHostConfig(process.env));
 * host.app.listen(3000);
 * ```
 */
export function createHostFromEnv(
  rawEnv: Record<string, string | undefined>,
  logger: Logger,
  extra: Partial<AppOptions> = {},
  loaded?: LoadedConfig,
): Host {
  const env = parseOrThrow(HostEnv, rawEnv, 'env', 'CONFIG_INVALID');
  if (env.FULFIL_CONFIG && !loaded) {
    // Never run on the built-in demo when a configuration was asked for.
    throw new FulfilError(
      'CONFIG_INVALID',
      'env.FULFIL_CONFIG is set but no configuration was given: pass await loadHostConfig(env) as the 4th argument',
      { details: { path: 'env.FULFIL_CONFIG' } },
    );
  }
  const shopifyLocations = parseLocations(env.SHOPIFY_LOCATIONS);
  const store =
    env.SHOPIFY_SHOP && env.SHOPIFY_TOKEN
      ? createShopifyStore({ shop: env.SHOPIFY_SHOP, accessToken: env.SHOPIFY_TOKEN })
      : undefined;
  const metrics = createPrometheusMetrics();
  const db = env.DATABASE_URL ? openDatabase(env.DATABASE_URL, env.FULFIL_SCHEMA, logger) : null;
  const storage: Storage = db?.storage ?? createMemoryStorage({ retainCompleted: false });
  const velocity = db
    ? { velocity: db.storage }
    : { velocity: createMemoryVelocitySource(), recordOrders: true };
  // The configuration file's locations, rules, notes and risk settings, or the built-in demo.
  const { offline, ...setup } = loaded ? setupFromConfig(loaded, velocity) : defaultSetup(velocity);
  const classifier: NoteClassifier | undefined =
    offline && env.ANTHROPIC_API_KEY
      ? createClaudeNoteClassifier({
          offline,
          taxonomy: NOTE_TAXONOMY,
          apiKey: env.ANTHROPIC_API_KEY,
          metrics,
        })
      : offline;
  const slack = slackFromEnv(rawEnv);
  const alerts =
    slack.alerts ?? createConsoleAlerts({ write: (line) => logger.warn({ event: 'alert' }, line) });
  const engine = createEngine({
    ...setup,
    metrics,
    storage,
    ...(classifier ? { classifier } : {}),
    alerts,
    ...(store ? { store } : {}),
    // The outbox runs after the answer; its failures land here (the commands stay in the
    // outbox and the worker's runDue retries them).
    onError: (err, context) => logger.error({ event: 'dispatch_failed', ...context, err }),
  });
  const consoleUsers = parseConsoleUsers(env.CONSOLE_USERS, env.CONSOLE_PASSWORD);
  const app = createApp({
    engine,
    // Webhooks are answered once stored as received; the drain parses and ingests them.
    queue: db?.storage.deliveries ?? createMemoryDeliveryQueue(),
    shopifySecrets: env.SHOPIFY_SECRET,
    storage,
    ...(env.SHOPIFY_SHOP ? { shops: [env.SHOPIFY_SHOP] } : {}),
    ...(store ? { fulfillmentOrders: store } : {}),
    ...(shopifyLocations ? { shopifyLocations } : {}),
    ...(env.OPS_TOKEN ? { opsToken: env.OPS_TOKEN } : {}),
    prometheus: metrics,
    ...(slack.actions ? { slackActions: slack.actions(engine) } : {}),
    ...(consoleUsers ? { opsConsole: opsConsole(engine, storage, consoleUsers) } : {}),
    ready: async () => {
      await db?.pool.query('select 1');
    },
    logger,
    ...extra,
  });
  return {
    app,
    engine,
    env,
    storageKind: db ? 'postgres' : 'memory',
    classifierKind: !offline ? 'none' : env.ANTHROPIC_API_KEY ? 'keyword+claude' : 'keyword',
    ...(loaded ? { configFile: loaded.path } : {}),
    alertsKind: slack.alerts ? 'slack' : 'log',
    ready: async () => {
      await db?.pool.query('select 1');
    },
    close: async () => {
      await slack.alerts?.close();
      await db?.pool.end();
    },
  };
}

/** A `pg` pool this host owns (ended at shutdown) and the storage on it. */
function openDatabase(connectionString: string, schema: string, logger: Logger) {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: 5_000, max: 10 });
  // An idle client losing its connection must not crash the process: log it, the pool
  // replaces the client on the next query.
  pool.on('error', (err) => logger.error({ event: 'db_pool_error', err }));
  return { pool, storage: createPostgresStorage({ pool, schema }) };
}

/** The console at `/ops`, signing in with HTTP Basic against `users` (constant-time compare). */
function opsConsole(engine: Engine, storage: Storage, users: Record<string, string>) {
  const { authorize, wwwAuthenticate } = basicAuth({ users });
  return createConsole({ engine, storage, basePath: '/ops', authorize, wwwAuthenticate });
}
