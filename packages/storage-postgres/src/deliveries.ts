import { randomUUID } from 'node:crypto';
import {
  type ClaimedDelivery,
  checkDeliveryClaim,
  checkDeliveryFailure,
  checkRawDelivery,
  type DeliveryQueue,
  deliveryClaimLost,
  sanitizeText,
} from '@fulfil/core';
import { SYNC_COMMIT } from './claims';
import { quoteIdent } from './options';
import type { Queryable } from './runner';

// The webhook delivery queue on the `deliveries` table (migration 5). Internal; exposed as
// `PostgresStorage.deliveries`.
//
// `enqueue` is the whole cost of a webhook acknowledgement, so it is one autocommitted
// statement (prepared once per connection by the runner): no transaction, no read first.
// It resolves once PostgreSQL has committed the row, so the delivery is as durable as the
// server's commit (`synchronous_commit`; on a storage with `synchronousCommit: 'off'` the
// enqueue still waits for the flush). Every other call is one statement too, and none of
// them goes through the group commit of orders.
//
// `claim`, `complete` and `fail` commit asynchronously (`synchronous_commit = off` for their
// own transaction only, set inside the statement: no extra round trip). They are the drain's
// bookkeeping, and none of them is the last copy of anything:
// - a lost claim leaves the delivery pending (or with its old lease): it is claimed again;
// - a lost `complete` or `fail` leaves the delivery claimed until its lease runs out: it is
//   drained again, and the engine's inbox drops the events already committed;
// - PostgreSQL loses asynchronous commits only as a suffix of its WAL (a crash loses the
//   last ones, never one without the ones after it), so a `complete` that survives implies
//   that the ingest it follows survived too;
// - every later synchronous commit (the next enqueue, an order commit) flushes them.
// Without the flush each of these writes would wait for the disk (a few ms under load),
// and the acknowledgements, whose enqueue does wait for it, would queue behind them.

/** Runs `fn` on the database once it is migrated, wrapping driver errors (the storage's `run`). */
export type RunDeliveries = <T>(
  what: string,
  fn: (db: Queryable) => Promise<T>,
  details?: Record<string, unknown>,
) => Promise<T>;

interface ClaimedRow {
  key: string;
  seq: string | number;
  source: string;
  headers: Record<string, string>;
  body: Uint8Array;
  received_at: number;
  attempts: number;
  claim_token: string;
}

/** The `deliveries` table of `schema` (a validated identifier), quoted and qualified. */
export function deliveriesTable(schema: string): string {
  return `${quoteIdent(schema)}.deliveries`;
}

/**
 * Makes the statement's own transaction commit without waiting for the WAL flush (an
 * `InitPlan` evaluated once; `set_config(..., true)` ends with the transaction).
 */
const ASYNC_COMMIT = `(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL`;

/**
 * Creates the {@link DeliveryQueue} on `table`, running every statement through `run`.
 * `forceSyncEnqueue`: the session commits asynchronously (`synchronousCommit: 'off'`), so
 * the enqueue sets `synchronous_commit = on` for its own transaction.
 */
export function createPostgresDeliveryQueue(
  run: RunDeliveries,
  table: string,
  forceSyncEnqueue = false,
): DeliveryQueue {
  const enqueueSql = forceSyncEnqueue
    ? `INSERT INTO ${table} (key, source, headers, body, received_at)
       SELECT $1::text, $2::text, $3::json, $4::bytea, $5::float8 WHERE ${SYNC_COMMIT}
       ON CONFLICT (key) DO NOTHING RETURNING 1 AS queued`
    : `INSERT INTO ${table} (key, source, headers, body, received_at)
       VALUES ($1, $2, $3::json, $4, $5)
       ON CONFLICT (key) DO NOTHING RETURNING 1 AS queued`;
  return {
    async enqueue(input) {
      const d = checkRawDelivery(input);
      const { rows } = await run(
        'enqueue',
        (db) =>
          db.query(enqueueSql, [
            d.key,
            d.source,
            JSON.stringify(d.headers),
            asBuffer(d.body),
            d.receivedAt,
          ]),
        { deliveryKey: d.key },
      );
      return rows.length === 1 ? 'queued' : 'duplicate';
    },

    async claim(options) {
      const { now, limit, leaseMs } = checkDeliveryClaim(options);
      if (limit === 0) return [];
      const { rows } = await run('claimDeliveries', (db) =>
        db.query<ClaimedRow>(
          `UPDATE ${table} d
           SET claim_token = $3 || d.seq::text, due_at = $1::float8 + $4::float8,
               attempts = d.attempts + 1
           WHERE ${ASYNC_COMMIT} AND d.key IN (
             SELECT key FROM ${table}
             WHERE status = 'pending' AND due_at <= $1
             ORDER BY received_at, seq
             LIMIT $2
             FOR UPDATE SKIP LOCKED
           )
           RETURNING d.key, d.seq, d.source, d.headers, d.body, d.received_at,
             d.attempts - 1 AS attempts, d.claim_token`,
          [now, limit, `${randomUUID()}:`, leaseMs],
        ),
      );
      return rows
        .sort((a, b) => a.received_at - b.received_at || Number(a.seq) - Number(b.seq))
        .map(
          (row): ClaimedDelivery => ({
            delivery: {
              key: row.key,
              source: row.source,
              headers: row.headers,
              body: new Uint8Array(row.body),
              receivedAt: Number(row.received_at),
            },
            claimToken: row.claim_token,
            attempts: Number(row.attempts),
          }),
        );
    },

    async complete(key, claimToken) {
      const { rowCount } = await run(
        'completeDelivery',
        (db) =>
          db.query(
            `UPDATE ${table}
             SET status = CASE WHEN status = 'pending' THEN 'done' ELSE status END,
                 finished_at = CASE WHEN status = 'pending' THEN $3 ELSE finished_at END
             WHERE key = $1 AND claim_token = $2 AND ${ASYNC_COMMIT}`,
            [String(key), String(claimToken), Date.now()],
          ),
        { deliveryKey: key },
      );
      if (rowCount !== 1) throw deliveryClaimLost(String(key));
    },

    async fail(key, claimToken, outcome) {
      const { error, retryAt } = checkDeliveryFailure(outcome);
      // Error text often quotes the payload or a vendor: NULs and lone surrogates, which
      // PostgreSQL refuses (and a refused write would leave the delivery claimed), are repaired.
      const { rowCount } = await run(
        'failDelivery',
        (db) =>
          db.query(
            `UPDATE ${table}
             SET error = CASE WHEN status = 'pending' THEN $3 ELSE error END,
                 due_at = CASE WHEN status = 'pending' AND $4::float8 IS NOT NULL
                               THEN $4::float8 ELSE due_at END,
                 finished_at = CASE WHEN status = 'pending' AND $4::float8 IS NULL
                                    THEN $5 ELSE finished_at END,
                 status = CASE WHEN status = 'pending' AND $4::float8 IS NULL
                               THEN 'dead' ELSE status END
             WHERE key = $1 AND claim_token = $2 AND ${ASYNC_COMMIT}`,
            [
              String(key),
              String(claimToken),
              sanitizeText(error).value,
              retryAt ?? null,
              Date.now(),
            ],
          ),
        { deliveryKey: key },
      );
      if (rowCount !== 1) throw deliveryClaimLost(String(key));
    },

    async stats() {
      const { rows } = await run('deliveryStats', (db) =>
        db.query<{ pending: number; dead: number }>(
          `SELECT (SELECT count(*) FROM ${table} WHERE status = 'pending')::int AS pending,
                  (SELECT count(*) FROM ${table} WHERE status = 'dead')::int AS dead`,
        ),
      );
      return { pending: Number(rows[0]?.pending ?? 0), dead: Number(rows[0]?.dead ?? 0) };
    },
  };
}

/** Deletes deliveries done before `before` (epoch ms); dead ones are kept. Returns the count. */
export async function purgeDoneDeliveries(
  db: Queryable,
  table: string,
  before: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table} WHERE status = 'done' AND finished_at < $1`,
    [before],
  );
  return rowCount;
}

/** The bytes as a Buffer without copying (pg sends a Buffer parameter as binary). */
function asBuffer(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
