import {
  type Commit,
  type DeliveryQueue,
  type FulfilError,
  type HistoryEntry,
  type Insights,
  type LoadedWithReserved,
  OrderRecord,
  parseOrThrow,
  type ReservedStock,
  type Storage,
  type StorageCapabilities,
} from '@fulfil/core';
import { z } from 'zod';
import * as claims from './claims';
import { writeCommit } from './commit';
import { checkCommit } from './commit-check';
import { pickBatch, type Tables, tablesIn, writeBatch } from './commit-sql';
import { corruptRecord, wrapDbError } from './db-errors';
import { createPostgresDeliveryQueue, deliveriesTable, purgeDoneDeliveries } from './deliveries';
import { createGroupQueue } from './group-queue';
import { createPostgresInsights } from './insights';
import { type MigrateResult, migrateWith } from './migrations';
import { createOperations, type Operations, type PurgeResult } from './operations';
import { type PostgresStorageOptions, parseStorageOptions } from './options';
import { type ReadRequest, type ReadResult, readMany, readOne } from './reads';
import { purgeReleased, RELEASED_RETENTION_MS, reservedUnits } from './reservations';
import { createRunner, type Queryable } from './runner';
import { countRecentOrders, type VelocityQuery } from './velocity';

/** The PostgreSQL {@link Storage}, plus migrations, the insights read model, demand statistics and retention. */
export interface PostgresStorage extends Storage, Operations {
  /** The schema the tables live in (unquoted). */
  readonly schema: string;
  /**
   * Risk velocity: distinct stored orders whose normalized `key` value (email, IP, address,
   * phone) equals `value` and whose order `createdAt` is within `[since, until]` (epoch ms),
   * leaving out `excludeOrderId`. Use it as core's velocity source for the risk scorer.
   */
  countRecentOrders(query: VelocityQuery): Promise<number>;
  /**
   * Stock held by active reservations of `skus`, per location, and the release watermark
   * (capability `reservations`). Takes are checked and written inside `commit`.
   */
  reserved(skus: string[]): Promise<ReservedStock>;
  /** `load(orderId)` and `reserved(skus)` in one statement (one round trip). */
  loadWithReserved(orderId: string, skus: string[]): Promise<LoadedWithReserved>;
  /**
   * The webhook delivery queue on this pool and schema (table `deliveries`): `enqueue` is
   * one autocommitted `INSERT ... ON CONFLICT (key) DO NOTHING`, claims use
   * `FOR UPDATE SKIP LOCKED`, `complete` / `fail` are one token-checked `UPDATE` each.
   */
  readonly deliveries: DeliveryQueue;
  /**
   * The read model for dashboards and the operations console (capability `insights`):
   * throughput, processing and state times, orders by state, the review queue, failed
   * commands, search. Kept by every commit in the same statement (a trigger on `orders`
   * writes per-order columns and insert-only `insights_events` rows), so no figure scans
   * history; see the package README, "Insights".
   */
  readonly insights: Insights;
  /**
   * {@link Operations.purge}, and also deletes stock reservations released more than an
   * hour before `now` (they only matter to decisions that read stock before the release),
   * and webhook deliveries done more than `deliveriesDoneOlderThanDays` ago (default: the
   * `inboxOlderThanDays` given; dead deliveries are kept). A purged delivery key no longer
   * drops a repeat of that delivery, so keep it longer than the vendor retries.
   */
  purge(
    options: Parameters<Operations['purge']>[0] & { deliveriesDoneOlderThanDays?: number },
  ): Promise<PurgeResult & { reservations: number; deliveries: number }>;
  /** Applies missing migrations now, up to `to` (default: the latest); see {@link migrate}. */
  migrate(options?: { to?: number }): Promise<MigrateResult>;
  /** Ends the pool when the storage opened it (`connectionString`); a given pool or PGlite stays open. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const Days = z.number().finite().nonnegative().optional();

const ListQuery = z.object({
  statuses: z.array(z.string()).optional(),
  limit: z.number().int().nonnegative().optional(),
});

/**
 * Creates the PostgreSQL {@link Storage}: orders as `json` (kept as written, key order included) plus indexed columns, an
 * append-only history, the inbox, the outbox and timers, all in one schema.
 *
 * - `commit` runs in one transaction; the version check is the `UPDATE ... WHERE version`
 *   (or `INSERT ... ON CONFLICT DO NOTHING` for a new order) and the inbox insert, so a
 *   losing writer gets `VERSION_CONFLICT` and its transaction rolls back.
 * - Batching (option `batching`, on by default): commits that arrive while earlier ones
 *   are running are written together in one statement (group commit), each with its own
 *   version and stock check; order reads are grouped the same way. Each caller still gets
 *   its own result or error.
 * - Claims use `FOR UPDATE SKIP LOCKED` and a lease; a claim token fences late workers
 *   (`CLAIM_LOST`). Several processes MAY share one database (`multiProcess: true`).
 * - Every value is a query parameter; the schema name is the only identifier and is
 *   validated and quoted.
 * - A stored record that no longer parses makes `load` fail with `ADAPTER_FAILED`
 *   (`details.orderId`, `details.reason: 'corrupt_record'`); `listOrders` skips it and
 *   reports it to `onCorrupt`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createEngine } from '@fulfil/core';
 * import { createPostgresStorage } from '@fulfil/storage-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const storage = createPostgresStorage({ pool, schema: 'fulfil' });
 * const engine = createEngine({ storage, warehouses, locations });
 * ```
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const parsed = parseStorageOptions(options);
  const runner = createRunner(parsed);
  const schema = parsed.schema;
  /** Commits do not wait for the flush; the enqueue and the outbox claim still do. */
  const relaxed = parsed.synchronousCommit === 'off';
  const t: Tables = tablesIn(schema);
  const onCorrupt =
    parsed.onCorrupt ??
    ((error: FulfilError) => console.warn(`[@fulfil/storage-postgres] ${error.message}`));
  let ready: Promise<unknown> | undefined = parsed.autoMigrate ? undefined : Promise.resolve();
  const capabilities: StorageCapabilities = {
    multiProcess: true,
    velocity: true,
    reservations: true,
    completesInCommit: true,
    insights: true,
  };

  /** Runs `fn` once the schema is migrated; wraps driver errors as `ADAPTER_FAILED`. */
  async function run<T>(what: string, fn: (db: Queryable) => Promise<T>, details = {}): Promise<T> {
    try {
      if (ready === undefined) {
        ready = migrateWith(runner, schema);
        ready.catch(() => {
          ready = undefined;
        });
      }
      await ready;
      return await fn(runner);
    } catch (err) {
      throw wrapDbError(err, what, details);
    }
  }

  const operations = createOperations((what, fn) => run(what, fn), t);
  const writeOne = (commit: Commit) =>
    run('commit', (db) => writeCommit(db, t, commit), { orderId: commit.orderId });
  const readAlone = (r: ReadRequest) =>
    run('load', (db) => readOne(db, t, r), { orderId: r.orderId });
  const batching = parsed.batching;
  const write = batching
    ? createGroupQueue<Commit, void>(
        {
          one: writeOne,
          many: async (commits) => {
            const { written } = await run('commit', (db) => writeBatch(db, t, commits));
            return written.map((ok) => (ok ? { value: undefined } : undefined));
          },
          pick: pickBatch,
        },
        batching,
      )
    : writeOne;
  const read = batching
    ? createGroupQueue<ReadRequest, ReadResult>(
        { one: readAlone, many: (requests) => run('load', (db) => readMany(db, t, requests)) },
        batching,
      )
    : readAlone;
  const storage: PostgresStorage = {
    capabilities,
    schema,

    async load(orderId) {
      const id = String(orderId);
      const { record } = await read({ orderId: id });
      return record == null ? undefined : checkRecord(id, record);
    },

    async commit(commit) {
      checkCommit(commit);
      await write(commit);
    },

    isProcessed(key) {
      return run('isProcessed', async (db) => {
        const { rows } = await db.query(`SELECT 1 FROM ${t.inbox} WHERE key = $1`, [String(key)]);
        return rows.length > 0;
      });
    },

    async markProcessed(keys, at) {
      const checked = parseOrThrow(
        z.object({ keys: z.array(z.string()), at: z.number().finite() }),
        { keys, at },
        'markProcessed',
      );
      if (checked.keys.length === 0) return;
      await run('markProcessed', (db) =>
        db.query(
          `INSERT INTO ${t.inbox} (key, processed_at)
           SELECT k, $2 FROM jsonb_array_elements_text($1::jsonb) AS k
           ON CONFLICT (key) DO NOTHING`,
          [JSON.stringify(checked.keys), checked.at],
        ),
      );
    },

    history(orderId) {
      return run(
        'history',
        async (db) => {
          const { rows } = await db.query<{ entry: HistoryEntry }>(
            `SELECT entry FROM ${t.history} WHERE order_id = $1 ORDER BY version`,
            [String(orderId)],
          );
          return rows.map((r) => r.entry);
        },
        { orderId },
      );
    },

    async listOrders(query) {
      const q = parseOrThrow(ListQuery, query ?? {}, 'query');
      const rows = await run('listOrders', async (db) => {
        const result = await db.query<{ order_id: string; record: unknown }>(
          `SELECT order_id, record FROM ${t.orders}
           WHERE $1::jsonb IS NULL OR status IN (SELECT jsonb_array_elements_text($1::jsonb))
           ORDER BY created_at, order_id COLLATE "C"
           LIMIT $2`,
          [q.statuses === undefined ? null : JSON.stringify(q.statuses), q.limit ?? null],
        );
        return result.rows;
      });
      const records: OrderRecord[] = [];
      for (const row of rows) {
        try {
          records.push(checkRecord(row.order_id, row.record));
        } catch (err) {
          onCorrupt(err as FulfilError);
        }
      }
      return records;
    },

    claimCommands: (o) => run('claimCommands', (db) => claims.claimCommands(db, t, o, relaxed)),
    completeCommand: (id, token) =>
      run('completeCommand', (db) => claims.completeCommand(db, t, id, token), { commandId: id }),
    failCommand: (id, token, failure) =>
      run('failCommand', (db) => claims.failCommand(db, t, id, token, failure), { commandId: id }),
    claimDueTimers: (o) => run('claimDueTimers', (db) => claims.claimDueTimers(db, t, o)),
    completeTimer: (id, token) =>
      run('completeTimer', (db) => claims.completeTimer(db, t, id, token), { timerId: id }),

    countRecentOrders: (q) => run('countRecentOrders', (db) => countRecentOrders(db, t, q)),

    async reserved(skus) {
      const list = parseOrThrow(z.array(z.string()), skus, 'skus');
      return run('reserved', (db) => reservedUnits(db, t, [...new Set(list)]));
    },

    async loadWithReserved(orderId, skus) {
      const list = parseOrThrow(z.array(z.string()), skus, 'skus');
      const id = String(orderId);
      const { record, reserved } = await read({ orderId: id, skus: [...new Set(list)] });
      return {
        record: record == null ? undefined : checkRecord(id, record),
        reserved: reserved ?? { units: {}, basis: 0 },
      };
    },

    ...operations,
    deliveries: createPostgresDeliveryQueue(run, deliveriesTable(schema), relaxed),
    insights: createPostgresInsights((what, fn) => run(what, fn), t),

    async purge(options) {
      const { deliveriesDoneOlderThanDays: days, ...rest } = options ?? {};
      // An explicit retention is checked before anything is deleted; the inbox one is
      // checked by operations.purge, which runs first.
      const deliveryDays =
        days === undefined
          ? rest.inboxOlderThanDays
          : parseOrThrow(Days, days, 'options.deliveriesDoneOlderThanDays');
      const result = await operations.purge(rest);
      const now = options?.now ?? Date.now();
      const reservations = await run('purge', (db) =>
        purgeReleased(db, t, now - RELEASED_RETENTION_MS),
      );
      const deliveries =
        deliveryDays === undefined
          ? 0
          : await run('purge', (db) =>
              purgeDoneDeliveries(db, deliveriesTable(schema), now - deliveryDays * DAY_MS),
            );
      return { ...result, reservations, deliveries };
    },

    migrate: (o = {}) => {
      const to = parseOrThrow(z.object({ to: z.number().int().optional() }), o, 'options').to;
      // Straight to the runner: `run` would first migrate to the latest on its own.
      return migrateWith(runner, schema, to).catch((err) => {
        throw wrapDbError(err, 'migrate');
      });
    },
    close: () => runner.close(),
  };
  return storage;
}

/** Parses a stored record; a row that no longer parses is reported with its order id. */
function checkRecord(orderId: string, raw: unknown): OrderRecord {
  const parsed = OrderRecord.safeParse(raw);
  if (!parsed.success) throw corruptRecord(orderId, parsed.error);
  // The stored JSON, not the parse output: strings and fields come back exactly as committed.
  return raw as OrderRecord;
}
