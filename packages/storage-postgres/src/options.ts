import { type FulfilError, parseOptions, parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import type { PGliteLike, PoolLike } from './runner';

/** Name of this storage, used in error messages. */
export const POSTGRES_STORAGE_NAME = 'postgres';

/** The schema tables live in unless told otherwise. */
export const DEFAULT_SCHEMA = 'fulfil';

/** A plain SQL identifier: letters, digits, `_`, at most 63 bytes, not starting with a digit. */
const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, {
  message: 'must be a plain identifier: letters, digits and _ (not first), at most 63 chars',
});

const isPool = (v: unknown): v is PoolLike =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PoolLike).query === 'function' &&
  typeof (v as PoolLike).connect === 'function';

const isPGlite = (v: unknown): v is PGliteLike =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PGliteLike).query === 'function' &&
  typeof (v as PGliteLike).transaction === 'function';

/** How to reach the database: a `pg` Pool, a connection string, or a PGlite instance. */
export interface ConnectionOptions {
  /** A `pg` Pool you own: this package never ends it. */
  pool?: PoolLike;
  /** A `postgres://` URL: this package opens a Pool and ends it on `close()`. */
  connectionString?: string;
  /** An embedded PGlite instance (`new PGlite()`): no server, one process. */
  pglite?: PGliteLike;
  /** The schema all tables live in. Default `fulfil`. A plain identifier; it is always quoted. */
  schema?: string;
}

/** Options of {@link createPostgresStorage}. */
export interface PostgresStorageOptions extends ConnectionOptions {
  /**
   * Run {@link migrate} before the first query (default `true`). It is idempotent and safe
   * when several processes start at once. Set `false` when deploys run `fulfil-pg-migrate`.
   */
  autoMigrate?: boolean;
  /**
   * Called for every stored order that no longer parses and was skipped by `listOrders`
   * (the error is a `FulfilError` with code `ADAPTER_FAILED`, `details.orderId` and
   * `details.reason: 'corrupt_record'`). Default: one `console.warn` line per row.
   */
  onCorrupt?: (error: FulfilError) => void;
  /**
   * Statement batching for commits (group commit) and for `load`/`loadWithReserved`. Of
   * each kind, at most `concurrency` statements run at once (default 2); calls that arrive
   * meanwhile wait and then go together, up to `maxBatch` (default 32) in one statement.
   * Each commit keeps its own version check, stock check and error (one the group could
   * not write is retried alone); each read gets exactly what it would get alone. A call
   * arriving when nothing of its kind runs goes at once. Under load this saves most of the
   * server's per-statement work and most round trips; `false` sends every call as its own
   * statement, with no limit on how many run at once.
   */
  batching?: false | { maxBatch?: number; concurrency?: number };
  /**
   * `'off'`: this storage's commits (orders, inbox, outbox, timers, command results) return
   * without waiting for PostgreSQL to flush them to disk (`synchronous_commit = off` on the
   * connections it opens; only with `connectionString`). A crash of the server (or of its
   * machine) can then lose the last ~0.6 s of commits: never part of one, never one without
   * the ones committed after it. Two kinds of statement still wait for the flush, which
   * makes everything committed before them durable too: `deliveries.enqueue` (the delivery
   * a webhook is acknowledged for) and the outbox claim (`claimCommands`), so no command
   * reaches a warehouse, store or alert sink before the state that produced it is on disk.
   *
   * Use it ONLY for a storage whose every event comes from a durable source it can be
   * taken from again: the engine of a webhook drain (acknowledge on receipt), whose
   * deliveries stay in `deliveries` until their ingest is done. Never for an engine that
   * answers a webhook after `ingest` (acknowledge on commit, warehouse webhooks, review
   * actions): those answers would come before the flush. Default: the server's setting.
   */
  synchronousCommit?: 'off';
}

/** Batching unless told otherwise (see {@link PostgresStorageOptions.batching}). */
export const DEFAULT_BATCHING = { maxBatch: 32, concurrency: 2 } as const;

const Connection = {
  pool: z.custom<PoolLike>(isPool, { message: 'must be a pg Pool' }).optional(),
  connectionString: z.string().min(1).optional(),
  pglite: z.custom<PGliteLike>(isPGlite, { message: 'must be a PGlite instance' }).optional(),
  schema: Identifier.default(DEFAULT_SCHEMA),
};

const oneSource = (o: { pool?: unknown; connectionString?: unknown; pglite?: unknown }) =>
  [o.pool, o.connectionString, o.pglite].filter((v) => v !== undefined).length === 1;
const oneSourceMessage = {
  message: 'give exactly one of pool, connectionString or pglite',
  path: [] as string[],
};

export const ConnectionOptionsSchema = z.object(Connection).refine(oneSource, oneSourceMessage);

export const PostgresStorageOptionsSchema = z
  .object({
    ...Connection,
    autoMigrate: z.boolean().default(true),
    onCorrupt: z
      .custom<(error: FulfilError) => void>((v) => typeof v === 'function', {
        message: 'must be a function',
      })
      .optional(),
    batching: z
      .union([
        z.literal(false),
        z
          .object({
            maxBatch: z.number().int().min(1).max(1000).default(DEFAULT_BATCHING.maxBatch),
            concurrency: z.number().int().min(1).max(100).default(DEFAULT_BATCHING.concurrency),
          })
          .strict(),
      ])
      .default({ ...DEFAULT_BATCHING }),
    synchronousCommit: z.literal('off').optional(),
  })
  .refine(oneSource, oneSourceMessage)
  .refine((o) => o.synchronousCommit === undefined || o.connectionString !== undefined, {
    message:
      "synchronousCommit: 'off' needs connectionString (the storage opens the connections and sets it on each)",
    path: ['synchronousCommit'],
  });

export type ParsedStorageOptions = z.output<typeof PostgresStorageOptionsSchema>;

/** Validates options; throws `CONFIG_INVALID` naming the bad option ("did you mean ...?" for a misspelt one). */
export function parseStorageOptions(options: PostgresStorageOptions): ParsedStorageOptions {
  return parseOptions(PostgresStorageOptionsSchema, options, 'createPostgresStorage', {
    optional: true,
  });
}

export function parseConnectionOptions(
  options: ConnectionOptions,
): z.output<typeof ConnectionOptionsSchema> {
  return parseOrThrow(ConnectionOptionsSchema, options, 'options', 'CONFIG_INVALID');
}

/** Quotes a validated identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
