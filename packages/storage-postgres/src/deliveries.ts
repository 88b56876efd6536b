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
import { quoteIdent } from './options';
import type { Queryable } from './runner';

// The webhook delivery queue on the `deliveries` table (migration 5). Internal; exposed as
// `PostgresStorage.deliveries`.
//
// `enqueue` is the whole cost of a webhook acknowledgement, so it is one autocommitted
// statement (prepared once per connection by the runner): no transaction, no read first.
// It resolves once PostgreSQL has committed the row, so the delivery is as durable as the
// server's commit (`synchronous_commit`). Every other call is one statement too, and none
// of them goes through the group commit of orders.

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

/** Creates the {@link DeliveryQueue} on `table`, running every statement through `run`. */
export function createPostgresDeliveryQueue(run: RunDeliveries, table: string): DeliveryQueue {
  return {
    async enqueue(input) {
      const d = checkRawDelivery(input);
      const { rows } = await run(
        'enqueue',
        (db) =>
          db.query(
            `INSERT INTO ${table} (key, source, headers, body, received_at)
             VALUES ($1, $2, $3::json, $4, $5)
             ON CONFLICT (key) DO NOTHING RETURNING 1 AS queued`,
            [d.key, d.source, JSON.stringify(d.headers), asBuffer(d.body), d.receivedAt],
          ),
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
           WHERE d.key IN (
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
             WHERE key = $1 AND claim_token = $2`,
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
             WHERE key = $1 AND claim_token = $2`,
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
