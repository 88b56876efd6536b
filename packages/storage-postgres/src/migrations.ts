import { FulfilError, isFulfilError } from '@fulfil/core';
import { insightsMigration } from './insights-schema';
import { type ConnectionOptions, parseConnectionOptions, quoteIdent } from './options';
import { createRunner, type Queryable, type Runner } from './runner';

/** One schema change. `statements` run in order, in one transaction, each a single statement. */
export interface Migration {
  version: number;
  name: string;
  statements: (schema: string) => string[];
}

/**
 * Every migration, oldest first. Versions only grow; a released migration never changes.
 * Records, history entries, commands and timers are `json` (not `jsonb`): `json` keeps the
 * text as written, so values come back exactly as committed, key order included.
 * Times used by claims (`*_at` / `claimed_until` as `float8`) are epoch ms from the caller's
 * clock; `created_at`/`updated_at`/`at` are timestamps from the records.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders, history, inbox, outbox, timers',
    statements: (s) => [
      `CREATE TABLE ${s}.orders (
        order_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL,
        store text NOT NULL,
        external_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        status_since timestamptz NOT NULL,
        review_since timestamptz,
        record json NOT NULL
      )`,
      `CREATE INDEX orders_status_created ON ${s}.orders (status, created_at)`,
      `CREATE INDEX orders_created ON ${s}.orders (created_at)`,
      `CREATE INDEX orders_store_external ON ${s}.orders (store, external_id)`,
      `CREATE INDEX orders_updated ON ${s}.orders (updated_at)`,
      `CREATE INDEX orders_review ON ${s}.orders (review_since) WHERE review_since IS NOT NULL`,
      `CREATE TABLE ${s}.history (
        order_id text NOT NULL,
        version integer NOT NULL,
        at timestamptz NOT NULL,
        event_type text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        entry json NOT NULL,
        PRIMARY KEY (order_id, version)
      )`,
      `CREATE INDEX history_at ON ${s}.history (at)`,
      `CREATE TABLE ${s}.inbox (
        key text PRIMARY KEY,
        processed_at float8 NOT NULL
      )`,
      `CREATE INDEX inbox_processed_at ON ${s}.inbox (processed_at)`,
      `CREATE TABLE ${s}.outbox (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        order_id text NOT NULL,
        type text NOT NULL,
        command json NOT NULL,
        idempotency_key text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at float8,
        claim_token text,
        claimed_until float8,
        last_error text,
        finished_at float8
      )`,
      `CREATE INDEX outbox_pending ON ${s}.outbox (seq) WHERE status = 'pending'`,
      `CREATE INDEX outbox_finished ON ${s}.outbox (finished_at) WHERE status = 'done'`,
      `CREATE INDEX outbox_order ON ${s}.outbox (order_id)`,
      `CREATE TABLE ${s}.timers (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        order_id text NOT NULL,
        due_at float8 NOT NULL,
        purpose text NOT NULL,
        timer json NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
        claim_token text,
        claimed_until float8,
        finished_at float8
      )`,
      `CREATE INDEX timers_due ON ${s}.timers (due_at, seq) WHERE status = 'pending'`,
    ],
  },
  {
    version: 2,
    name: 'risk velocity columns on orders',
    statements: (s) => [
      `ALTER TABLE ${s}.orders ADD COLUMN placed_at timestamptz,
         ADD COLUMN v_email text, ADD COLUMN v_ip text,
         ADD COLUMN v_address text, ADD COLUMN v_phone text`,
      // Backfill from the stored records. The address is approximated (accented letters
      // dropped rather than decomposed); new commits store the exact normalized value.
      `UPDATE ${s}.orders SET
         placed_at = (record->'order'->>'createdAt')::timestamptz,
         v_email = nullif(lower(btrim(record->'order'->'customer'->>'email')), ''),
         v_ip = nullif(btrim(record->'order'->>'clientIp'), ''),
         v_address = CASE WHEN coalesce(record->'order'->'shippingAddress'->>'line1', '') <> ''
           THEN regexp_replace(lower(concat_ws('|',
             record->'order'->'shippingAddress'->>'line1',
             coalesce(record->'order'->'shippingAddress'->>'line2', ''),
             coalesce(record->'order'->'shippingAddress'->>'postalCode', ''),
             coalesce(record->'order'->'shippingAddress'->>'country', ''))), '[^a-z0-9|]+', '', 'g')
           END,
         v_phone = nullif(regexp_replace(coalesce(record->'order'->'customer'->>'phone',
           record->'order'->'shippingAddress'->>'phone', ''), '[^0-9]+', '', 'g'), '')`,
      `UPDATE ${s}.orders SET v_phone = NULL WHERE length(v_phone) < 6`,
      `CREATE INDEX orders_v_email ON ${s}.orders (v_email, placed_at) WHERE v_email IS NOT NULL`,
      `CREATE INDEX orders_v_ip ON ${s}.orders (v_ip, placed_at) WHERE v_ip IS NOT NULL`,
      `CREATE INDEX orders_v_address ON ${s}.orders (v_address, placed_at) WHERE v_address IS NOT NULL`,
      `CREATE INDEX orders_v_phone ON ${s}.orders (v_phone, placed_at) WHERE v_phone IS NOT NULL`,
    ],
  },
  {
    version: 3,
    name: 'stock reservations',
    // A row is active while released_seq is NULL; releasing stamps it from the sequence, whose
    // last value is the watermark reserved() hands out (see reservations.ts).
    statements: (s) => [
      `CREATE SEQUENCE ${s}.reservation_release_seq AS bigint`,
      `CREATE TABLE ${s}.reservations (
        key text PRIMARY KEY,
        order_id text NOT NULL,
        location_id text NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        taken_at float8 NOT NULL,
        released_seq bigint,
        released_at float8
      )`,
      // Takes count the active rows of a pair and those released after a watermark: both
      // ranges of this index (released_seq IS NULL sorts last), whatever the retention holds.
      `CREATE INDEX reservations_stock ON ${s}.reservations (location_id, sku, released_seq)`,
      `CREATE INDEX reservations_active_sku ON ${s}.reservations (sku) WHERE released_seq IS NULL`,
      `CREATE INDEX reservations_released ON ${s}.reservations (released_at) WHERE released_seq IS NOT NULL`,
      `CREATE INDEX reservations_order ON ${s}.reservations (order_id)`,
      // Called by the commit statement: locks each (location, SKU) taken from (transaction-
      // scoped advisory locks, in hash order), then, with the fresh snapshot a VOLATILE
      // function's query gets, returns the pairs whose takes do not fit. Every take committed
      // before the lock is seen, so concurrent takes on one pair are serialised.
      `CREATE FUNCTION ${s}.reservation_shortfall(p_take jsonb, p_release jsonb, p_basis bigint)
       RETURNS TABLE (location_id text, sku text, take integer, available integer, reserved integer)
       LANGUAGE plpgsql VOLATILE AS $fn$
       DECLARE h integer;
       BEGIN
         FOR h IN SELECT DISTINCT hashtext((e->>'location_id') || chr(31) || (e->>'sku'))
                  FROM jsonb_array_elements(p_take) AS e ORDER BY 1 LOOP
           PERFORM pg_advisory_xact_lock(hashtext(${quoteLiteral('fulfil:stock:')} || ${quoteLiteral(s)}), h);
         END LOOP;
         RETURN QUERY
         WITH tk AS (
           SELECT e->>'key' AS key, e->>'location_id' AS location_id, e->>'sku' AS sku,
             (e->>'quantity')::integer AS quantity, (e->>'available')::integer AS available
           FROM jsonb_array_elements(p_take) AS e
         ),
         need AS (
           SELECT tk.location_id, tk.sku, sum(tk.quantity)::integer AS take,
             min(tk.available)::integer AS available
           FROM tk GROUP BY tk.location_id, tk.sku
         )
         SELECT n.location_id, n.sku, n.take, n.available, r.reserved FROM need AS n,
           LATERAL (
             SELECT coalesce(sum(x.quantity), 0)::integer AS reserved FROM ${s}.reservations AS x
             WHERE x.location_id = n.location_id AND x.sku = n.sku
               AND (x.released_seq IS NULL OR x.released_seq > p_basis)
               AND x.key NOT IN (SELECT tk.key FROM tk)
               AND x.key NOT IN (SELECT jsonb_array_elements_text(p_release))
           ) AS r
         WHERE r.reserved + n.take > n.available;
       END
       $fn$`,
    ],
  },
  {
    version: 4,
    name: 'drop unused reservation indexes',
    // Every order takes and releases a reservation, and each index costs an entry per take
    // and per release. Nothing looks reservations up by order, and `purge` (rare) can scan
    // the table, which holds about an hour of released rows.
    statements: (s) => [
      `DROP INDEX ${s}.reservations_order`,
      `DROP INDEX ${s}.reservations_released`,
    ],
  },
  {
    version: 5,
    name: 'webhook delivery queue',
    // Raw webhook deliveries as received (see deliveries.ts). `due_at` is when a pending row
    // may next be claimed: 0 when queued, the lease end when claimed, `retryAt` after a
    // failure. Headers are `json` (kept as written: any string survives); the error text is
    // repaired before it is written. Claims walk the partial index in claim order.
    statements: (s) => [
      `CREATE TABLE ${s}.deliveries (
        key text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        source text NOT NULL,
        headers json NOT NULL,
        body bytea NOT NULL,
        received_at float8 NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        claim_token text,
        due_at float8 NOT NULL DEFAULT 0,
        error text,
        finished_at float8
      )`,
      `CREATE INDEX deliveries_due ON ${s}.deliveries (received_at, seq) WHERE status = 'pending'`,
      `CREATE INDEX deliveries_finished ON ${s}.deliveries (finished_at) WHERE status = 'done'`,
      `CREATE INDEX deliveries_dead ON ${s}.deliveries (finished_at) WHERE status = 'dead'`,
    ],
  },
  {
    version: 6,
    name: 'insights read model',
    statements: (s) => insightsMigration(s),
  },
  {
    version: 7,
    name: 'outbox retries (a person re-ran a dead command)',
    statements: (s) => [`ALTER TABLE ${s}.outbox ADD COLUMN retries integer NOT NULL DEFAULT 0`],
  },
];

/** A SQL string literal. */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The version {@link migrate} brings a schema to. */
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** What {@link migrate} did. */
export interface MigrateResult {
  schema: string;
  /** Versions applied by this call (empty when the schema was up to date). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * Creates the schema and applies every missing migration, in one transaction under a
 * per-schema `pg_advisory_xact_lock`. It is idempotent and MUST be safe to call from
 * several processes at once: the others wait for the lock, then find nothing to do.
 *
 * @example
 * ```ts
 * import { migrate } from '@fulfil/storage-postgres';
 * await migrate({ connectionString: process.env.DATABASE_URL, schema: 'fulfil' });
 * ```
 */
export async function migrate(
  options: ConnectionOptions & {
    /** Stop after this version (default: the latest). */ to?: number;
  },
): Promise<MigrateResult> {
  const { to, ...connection } = options;
  const parsed = parseConnectionOptions(connection);
  const runner = createRunner(parsed);
  try {
    return await migrateWith(runner, parsed.schema, to);
  } finally {
    await runner.close();
  }
}

/** {@link migrate} on an open runner. Internal. */
export async function migrateWith(
  runner: Runner,
  schema: string,
  to = Number.POSITIVE_INFINITY,
): Promise<MigrateResult> {
  try {
    return await runner.transaction((tx) => applyMissing(tx, schema, to));
  } catch (cause) {
    throw new FulfilError(
      'ADAPTER_FAILED',
      `migrating schema "${schema}" failed: ${message(cause)}`,
      // A connection loss keeps its `reason: 'connection_lost'` and `retryable`.
      { cause, details: { ...(isFulfilError(cause) ? cause.details : {}), schema } },
    );
  }
}

async function applyMissing(tx: Queryable, schema: string, to: number): Promise<MigrateResult> {
  const s = quoteIdent(schema);
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fulfil:migrate:${schema}`]);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await tx.query(
    `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  const { rows } = await tx.query<{ version: number }>(
    `SELECT version FROM ${s}.schema_migrations`,
  );
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version) || migration.version > to) continue;
    for (const statement of migration.statements(s)) await tx.query(statement);
    await tx.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    applied.push(migration.version);
  }
  const version = Math.max(0, ...done, ...applied);
  return { schema, applied, version };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
