import { type FulfilError, parseOrThrow } from '@fulfil/core';
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
}

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
  })
  .refine(oneSource, oneSourceMessage);

export type ParsedStorageOptions = z.output<typeof PostgresStorageOptionsSchema>;

/** Validates options; throws `CONFIG_INVALID` naming the bad option. */
export function parseStorageOptions(options: PostgresStorageOptions): ParsedStorageOptions {
  return parseOrThrow(PostgresStorageOptionsSchema, options, 'options', 'CONFIG_INVALID');
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
