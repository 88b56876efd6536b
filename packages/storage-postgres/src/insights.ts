import type {
  Insights,
  InsightsSummary,
  ProcessingTimePoint,
  StateCount,
  StateTime,
  ThroughputPoint,
} from '@fulfil/core';
import type { Tables } from './commit-sql';
import { rangeQuery, sinceQuery, summaryQuery } from './insights-input';
import { createInsightLists } from './insights-lists';
import { FLAG } from './insights-schema';
import type { Run } from './operations';

// `storage.insights`: the read model (capability `insights`) on the per-order columns and
// the insert-only `insights_events` that every commit keeps (see insights-schema.ts). No
// figure scans history: each walks one index over its time range. Internal.

/** Moves folded into the counts by `ordersByState` once there are this many. */
const FOLD_MOVES_AT = 5_000;

/** "Enters review": to ∈ R and from ∉ R (null is not). `$r`: the placeholder of R. */
const entersReview = (r: string) =>
  `(state = ANY(${r}) AND (from_state IS NULL OR NOT from_state = ANY(${r})))`;
/** A first entry into set `$s` (no state of it entered before). */
const firstInto = (s: string) => `(prior IS NOT NULL AND state = ANY(${s}) AND NOT prior && ${s})`;

/** The PostgreSQL {@link Insights}. */
export function createPostgresInsights(run: Run, t: Tables): Insights {
  const bucketOf = (column: string) => `date_trunc($1, ${column}, 'UTC')`;
  return {
    async throughput(query) {
      const q = rangeQuery(query);
      return run('insights.throughput', async (db) => {
        // $1 bucket, $2 since, $3 until, $4 submitted, $5 shipped, $6 review.
        const { rows } = await db.query<{
          b: Date;
          received: number;
          submitted: number;
          shipped: number;
          exceptions: number;
        }>(
          `WITH r AS (
             SELECT ${bucketOf('at')} AS b, count(*) AS n FROM ${t.events}
             WHERE kind = 't' AND prior = '{}' AND at >= $2::timestamptz AND at < $3::timestamptz
             GROUP BY 1
           ),
           e AS (
             SELECT ${bucketOf('at')} AS b,
               count(*) FILTER (WHERE ${firstInto('$4')}) AS submitted,
               count(*) FILTER (WHERE ${firstInto('$5')}) AS shipped,
               count(*) FILTER (WHERE ${entersReview('$6')}) AS review
             FROM ${t.events}
             WHERE kind = 't' AND state = ANY($4::text[] || $5::text[] || $6::text[])
               AND at >= $2::timestamptz AND at < $3::timestamptz
             GROUP BY 1
           ),
           f AS (
             SELECT ${bucketOf('at')} AS b, count(*) AS n FROM ${t.events}
             WHERE kind = 'f' AND at >= $2::timestamptz AND at < $3::timestamptz
               AND NOT ${entersReview('$6')}
             GROUP BY 1
           )
           SELECT b, coalesce(r.n, 0)::int AS received, coalesce(e.submitted, 0)::int AS submitted,
             coalesce(e.shipped, 0)::int AS shipped,
             (coalesce(e.review, 0) + coalesce(f.n, 0))::int AS exceptions
           FROM r FULL JOIN e USING (b) FULL JOIN f USING (b)
           ORDER BY b`,
          [q.bucket, q.since, q.until, q.submitted, q.shipped, q.review],
        );
        return rows
          .map(
            (r): ThroughputPoint => ({
              at: iso(r.b),
              received: Number(r.received),
              submitted: Number(r.submitted),
              shipped: Number(r.shipped),
              exceptions: Number(r.exceptions),
            }),
          )
          .filter((p) => p.received + p.submitted + p.shipped + p.exceptions > 0);
      });
    },

    async processingTime(query) {
      const q = rangeQuery(query);
      return run('insights.processingTime', async (db) => {
        // percentile_disc(p) is the value at rank ceil(p * n): nearest rank.
        const { rows } = await db.query<{ b: Date; n: number; p: number[] }>(
          `SELECT ${bucketOf('at')} AS b, count(*)::int AS n,
             percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS p
           FROM ${t.events}
           WHERE kind = 't' AND state = ANY($4::text[]) AND ${firstInto('$4')}
             AND at >= $2::timestamptz AND at < $3::timestamptz
           GROUP BY 1 ORDER BY 1`,
          [q.bucket, q.since, q.until, q.submitted],
        );
        return rows.map(
          (r): ProcessingTimePoint => ({
            at: iso(r.b),
            count: Number(r.n),
            p50Ms: Number(r.p[0]),
            p95Ms: Number(r.p[1]),
            p99Ms: Number(r.p[2]),
          }),
        );
      });
    },

    async ordersByState() {
      return run('insights.ordersByState', async (db) => {
        const { rows } = await db.query<{ state: string; n: number; moves: number }>(
          `WITH m AS (SELECT from_status, to_status FROM ${t.stateMoves}),
           x AS (
             SELECT state, n FROM ${t.stateCounts}
             UNION ALL SELECT to_status, 1 FROM m
             UNION ALL SELECT from_status, -1 FROM m WHERE from_status IS NOT NULL
           )
           SELECT state, sum(n)::int AS n, (SELECT count(*) FROM m)::int AS moves
           FROM x GROUP BY state ORDER BY state COLLATE "C"`,
        );
        if (Number(rows[0]?.moves ?? 0) >= FOLD_MOVES_AT) await foldMoves(db, t);
        return rows
          .filter((r) => Number(r.n) > 0)
          .map((r): StateCount => ({ state: r.state, count: Number(r.n) }));
      });
    },

    async timeInState(query) {
      const q = sinceQuery(query);
      return run('insights.timeInState', async (db) => {
        const { rows } = await db.query<{ state: string; n: number; p: number[]; max: number }>(
          `SELECT state, count(*)::int AS n,
             percentile_disc(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ms) AS p, max(ms) AS max
           FROM ${t.events}
           WHERE kind = 's' AND at >= $1::timestamptz AND at < $2::timestamptz
           GROUP BY state ORDER BY state COLLATE "C"`,
          [q.since, q.until],
        );
        return rows.map(
          (r): StateTime => ({
            state: r.state,
            count: Number(r.n),
            p50Ms: Number(r.p[0]),
            p95Ms: Number(r.p[1]),
            maxMs: Number(r.max),
          }),
        );
      });
    },

    async summary(query) {
      const q = summaryQuery(query);
      return run('insights.summary', async (db) => {
        const flag = (bit: number) => `ins_flags & ${bit} <> 0`;
        // $1 since, $2 until, $3 submitted, $4 review, $5 LLM classifiers.
        const { rows } = await db.query<Record<string, number>>(
          `SELECT count(*)::int AS received,
             count(*) FILTER (WHERE entered && $3::text[] AND NOT entered && $4::text[]
               AND NOT (${flag(FLAG.touched)}))::int AS automated,
             count(*) FILTER (WHERE ${flag(FLAG.touched)})::int AS touched,
             count(*) FILTER (WHERE entered && $4::text[])::int AS reviewed,
             count(*) FILTER (WHERE ${flag(FLAG.failed)})::int AS failed,
             count(*) FILTER (WHERE ${flag(FLAG.split)})::int AS split,
             count(*) FILTER (WHERE ${flag(FLAG.backordered)})::int AS backordered,
             count(*) FILTER (WHERE ${flag(FLAG.note)})::int AS with_note,
             count(*) FILTER (WHERE ${flag(FLAG.classified)})::int AS classified,
             count(*) FILTER (WHERE ${flag(FLAG.classified)} AND note_classifier = ANY($5::text[]))::int AS llm
           FROM ${t.orders} WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz`,
          [q.since, q.until, q.submitted, q.review, q.llm],
        );
        const holds = await db.query<{ reason: string; n: number }>(
          `SELECT h.reason, count(*)::int AS n
           FROM ${t.orders}, unnest(hold_reasons) AS h(reason)
           WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz
             AND hold_reasons <> '{}'
           GROUP BY h.reason ORDER BY n DESC, h.reason COLLATE "C"`,
          [q.since, q.until],
        );
        const c = rows[0] ?? {};
        const n = (k: string) => Number(c[k] ?? 0);
        const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
        const received = n('received');
        return {
          received,
          automated: n('automated'),
          touched: n('touched'),
          reviewed: n('reviewed'),
          failed: n('failed'),
          automationRate: share(n('automated'), received),
          reviewRate: share(n('reviewed'), received),
          errorRate: share(n('failed'), received),
          splitShare: share(n('split'), received),
          backorderShare: share(n('backordered'), received),
          llmNoteShare: share(n('llm'), n('classified')),
          withNote: n('with_note'),
          holdsByReason: holds.rows.map((r) => ({ reason: r.reason, count: Number(r.n) })),
        } satisfies InsightsSummary;
      });
    },

    ...createInsightLists(run, t),
  };
}

/**
 * Folds the moves into the counts, in one statement: rows committed after its snapshot stay
 * for the next fold, and a concurrent fold skips the rows this one deleted. Counts are
 * written in state order, so two folds never wait on each other in a cycle.
 */
async function foldMoves(db: Parameters<Parameters<Run>[1]>[0], t: Tables): Promise<void> {
  await db.query(
    `WITH d AS (DELETE FROM ${t.stateMoves} RETURNING from_status, to_status),
     x AS (SELECT to_status AS state, 1 AS n FROM d
           UNION ALL SELECT from_status, -1 FROM d WHERE from_status IS NOT NULL)
     INSERT INTO ${t.stateCounts} AS c (state, n)
     SELECT state, sum(n) FROM x GROUP BY state ORDER BY state COLLATE "C"
     ON CONFLICT (state) DO UPDATE SET n = c.n + excluded.n`,
  );
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
