import {
  type CommandStatus,
  checkFailedCommandsQuery,
  checkRetryCommand,
  checkReviewQueueQuery,
  checkSearchQuery,
  encodeCursor,
  FulfilError,
  type Insights,
  type OrderRecord,
  parseOrThrow,
  type ReviewQueueItem,
} from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import { cursorKey } from './insights-input';
import type { Run } from './operations';

// The pages of `storage.insights`: review queue, failed commands (keyset pagination on the
// indexes `orders_review` and `outbox_failed`), an order's commands, search, and retrying
// a command. Internal.

type Lists = Pick<
  Insights,
  'reviewQueue' | 'failedCommands' | 'orderCommands' | 'search' | 'retryCommand'
>;

/** The outbox columns a {@link CommandStatus} is made of. */
const COMMAND_COLUMNS = `id, order_id, type, status, attempts, last_error, next_attempt_at, finished_at, seq`;

interface CommandRow {
  id: string;
  order_id: string;
  type: string;
  status: CommandStatus['status'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  finished_at: number | null;
  seq: string | number;
}

export function createInsightLists(run: Run, t: Tables): Lists {
  return {
    async reviewQueue(query = {}) {
      const q = checkReviewQueueQuery(query, Date.now());
      const { limit, now } = q;
      const after =
        q.cursor === undefined
          ? undefined
          : cursorKey('review', q.cursor, z.tuple([z.string().datetime(), z.string()]));
      return run('insights.reviewQueue', async (db) => {
        const reason = q.reason ?? null;
        // $1 reason (or null): `reviewing` is the index's predicate, so the planner can use it.
        const reviewing = `review_since IS NOT NULL AND ($1::text IS NULL OR $1 = ANY(review_reasons))`;
        // The page walks orders_review from the cursor.
        const [page, whole] = await Promise.all([
          db.query<{ order_id: string; review_since: Date; record: OrderRecord }>(
            `SELECT order_id, review_since, record FROM ${t.orders}
             WHERE ${reviewing}
               AND ($2::timestamptz IS NULL OR (review_since, order_id COLLATE "C") > ($2::timestamptz, $3::text COLLATE "C"))
             ORDER BY review_since, order_id COLLATE "C" LIMIT $4`,
            [reason, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
          ),
          // The queue's size and its counts per reason: insights_review_counts plus the
          // moves not folded in yet (a few rows, never the queue itself).
          db.query<{ kind: string; reason: string; n: number; moves: number }>(
            `WITH m AS (SELECT kind, reason, n FROM ${t.reviewMoves})
             SELECT kind, reason, sum(n)::int AS n, (SELECT count(*) FROM m)::int AS moves
             FROM (SELECT kind, reason, n FROM ${t.reviewCounts} UNION ALL SELECT * FROM m) AS x
             GROUP BY kind, reason HAVING sum(n) > 0
             ORDER BY sum(n) DESC, reason COLLATE "C"`,
          ),
        ]);
        if (Number(whole.rows[0]?.moves ?? 0) >= FOLD_MOVES_AT) await foldReviewMoves(db, t);
        const counts = whole.rows.map((r) => ({ kind: r.kind, reason: r.reason, n: Number(r.n) }));
        const reasons = counts.filter((r) => r.kind === 'r');
        const total =
          (reason === null
            ? counts.find((r) => r.kind === 'q')
            : reasons.find((r) => r.reason === reason)
          )?.n ?? 0;
        const rows = page.rows.slice(0, limit);
        const last = rows.at(-1);
        return {
          items: rows.map((r) => reviewItem(r.record, now)),
          total,
          ...(page.rows.length > limit && last
            ? {
                nextCursor: encodeCursor('review', [
                  new Date(last.review_since).toISOString(),
                  last.order_id,
                ]),
              }
            : {}),
          reasons: reasons.map((r) => ({ reason: r.reason, count: r.n })),
        };
      });
    },

    async failedCommands(query = {}) {
      const q = checkFailedCommandsQuery(query);
      const { limit } = q;
      const before =
        q.cursor === undefined
          ? undefined
          : cursorKey('failed', q.cursor, z.tuple([z.number().int().positive()]))[0];
      // Written out as the partial index `outbox_failed` states it, so the planner uses it.
      const which = q.includeRetrying
        ? `(status = 'dead' OR (status = 'pending' AND last_error IS NOT NULL))`
        : `status = 'dead'`;
      return run('insights.failedCommands', async (db) => {
        const { rows } = await db.query<CommandRow>(
          `SELECT ${COMMAND_COLUMNS} FROM ${t.outbox}
           WHERE ${which} AND ($1::bigint IS NULL OR seq < $1::bigint)
           ORDER BY seq DESC LIMIT $2`,
          [before ?? null, limit + 1],
        );
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        return {
          items: items.map(commandStatus),
          ...(rows.length > limit && last
            ? { nextCursor: encodeCursor('failed', [Number(last.seq)]) }
            : {}),
        };
      });
    },

    async orderCommands(orderId) {
      const id = parseOrThrow(z.string(), orderId, 'orderId');
      return run('insights.orderCommands', async (db) => {
        const { rows } = await db.query<CommandRow>(
          `SELECT ${COMMAND_COLUMNS} FROM ${t.outbox} WHERE order_id = $1 ORDER BY seq`,
          [id],
        );
        return rows.map(commandStatus);
      });
    },

    async search(query) {
      const q = checkSearchQuery(query);
      return run('insights.search', async (db) => {
        // Three index lookups (primary key, orders_external, orders_name) OR-ed together.
        const { rows } = await db.query<{
          order_id: string;
          name: string | null;
          external_id: string;
          store: string;
          status: string;
          created: string;
        }>(
          `SELECT order_id, name, external_id, store, status, record->>'createdAt' AS created
           FROM ${t.orders}
           WHERE order_id = $1 OR external_id = $1 OR lower(name) = lower($1) OR lower(name) = lower('#' || $1)
           ORDER BY created_at DESC, order_id COLLATE "C" LIMIT $2`,
          [q.text, q.limit],
        );
        return rows.map((r) => ({
          orderId: r.order_id,
          ...(r.name === null ? {} : { name: r.name }),
          externalId: r.external_id,
          store: r.store,
          status: r.status,
          createdAt: r.created,
        }));
      });
    },

    async retryCommand(commandId, options = {}) {
      const o = checkRetryCommand(commandId, options);
      const id = commandId;
      return run('insights.retryCommand', async (db) => {
        // A dead row becomes pending with its old claim void; a pending row keeps its claim
        // (a live lease stays held) and only gets the new time. Attempts and error stay.
        const { rows } = await db.query<CommandRow>(
          `UPDATE ${t.outbox} SET
             next_attempt_at = $2::float8,
             claim_token = CASE WHEN status = 'dead' THEN NULL ELSE claim_token END,
             claimed_until = CASE WHEN status = 'dead' THEN NULL ELSE claimed_until END,
             finished_at = CASE WHEN status = 'dead' THEN NULL ELSE finished_at END,
             retries = CASE WHEN status = 'dead' THEN retries + 1 ELSE retries END,
             status = CASE WHEN status = 'dead' THEN 'pending' ELSE status END
           WHERE id = $1 AND status <> 'done'
           RETURNING ${COMMAND_COLUMNS}`,
          [id, o.at ?? null],
        );
        if (rows[0]) return commandStatus(rows[0]);
        const found = await db.query(`SELECT 1 FROM ${t.outbox} WHERE id = $1`, [id]);
        if (found.rows.length === 0) {
          throw new FulfilError('NOT_FOUND', `retryCommand: no command "${id}" in the outbox`, {
            details: { commandId: id },
          });
        }
        throw new FulfilError(
          'INVALID_INPUT',
          `commandId: command "${id}" is done; only a dead or pending command can be retried`,
          { details: { path: 'commandId', commandId: id } },
        );
      });
    },
  };
}

/** Moves folded into the review counts by `reviewQueue` once there are this many. */
const FOLD_MOVES_AT = 5_000;

/**
 * Folds the review moves into the counts, in one statement (as `foldMoves` in insights.ts:
 * rows committed after its snapshot stay for the next fold; counts written in key order).
 */
async function foldReviewMoves(db: Parameters<Parameters<Run>[1]>[0], t: Tables): Promise<void> {
  await db.query(
    `WITH d AS (DELETE FROM ${t.reviewMoves} RETURNING kind, reason, n)
     INSERT INTO ${t.reviewCounts} AS c (kind, reason, n)
     SELECT kind, reason, sum(n) FROM d GROUP BY kind, reason ORDER BY kind, reason COLLATE "C"
     ON CONFLICT (kind, reason) DO UPDATE SET n = c.n + excluded.n`,
  );
}

function reviewItem(record: OrderRecord, now: number): ReviewQueueItem {
  const { order, review, facts } = record;
  const since = review?.since ?? '';
  return {
    orderId: record.orderId,
    ...(order.source.name === undefined ? {} : { name: order.source.name }),
    externalId: order.source.externalId,
    store: order.source.store,
    status: record.status,
    reasons: review?.reasons ?? [],
    since,
    ageMs: Math.max(0, now - Date.parse(since)),
    ...(facts?.risk
      ? {
          risk: {
            score: facts.risk.score,
            level: facts.risk.level,
            reasons: facts.risk.reasons.map((r) => r.reason),
          },
        }
      : {}),
    note: order.note ?? null,
    noteTags: facts?.note?.tags.map((tag) => tag.tag) ?? [],
  };
}

function commandStatus(r: CommandRow): CommandStatus {
  return {
    commandId: r.id,
    orderId: r.order_id,
    type: r.type,
    status: r.status,
    attempts: Number(r.attempts),
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
    ...(r.status === 'pending' && r.next_attempt_at !== null
      ? { nextAttemptAt: Number(r.next_attempt_at) }
      : {}),
    ...(r.status !== 'pending' && r.finished_at !== null
      ? { finishedAt: Number(r.finished_at) }
      : {}),
  };
}
