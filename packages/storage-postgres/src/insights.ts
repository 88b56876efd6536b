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
        // Hour and day buckets read the closed hours inside the range from the hourly
        // rollup (made here for the hours that lack it) and only the ends from the events.
        const [h1, h2] = q.bucket === 'minute' ? [q.since, q.since] : await rollUp(db, t, q);
        // $1 bucket, $2 since, $3 until, $4 submitted, $5 shipped, $6 review, $7..$8 rolled up.
        const states = '$4::text[] || $5::text[] || $6::text[]';
        const raw = (lo: string, hi: string) => {
          const span = `at >= ${lo}::timestamptz AND at < ${hi}::timestamptz`;
          return `SELECT 'r' AS src, at, NULL AS state, NULL AS from_state, NULL::text[] AS prior, 1::bigint AS n
               FROM ${t.events} WHERE kind = 't' AND prior = '{}' AND ${span}
             UNION ALL SELECT 'e', at, state, from_state, prior, 1 FROM ${t.events}
               WHERE kind = 't' AND state = ANY(${states}) AND ${span}
             UNION ALL SELECT 'f', at, state, from_state, NULL, 1 FROM ${t.events}
               WHERE kind = 'f' AND ${span}`;
        };
        const { rows } = await db.query<{
          b: Date;
          received: number;
          submitted: number;
          shipped: number;
          exceptions: number;
        }>(
          `WITH x AS (
             ${raw('$2', '$7')}
             UNION ALL ${raw('$8', '$3')}
             UNION ALL SELECT 'r', hour, NULL, NULL, NULL, n FROM ${t.hourly}
               WHERE kind = 't' AND prior = '{}' AND hour >= $7::timestamptz AND hour < $8::timestamptz
             UNION ALL SELECT 'e', hour, state, from_state, prior, n FROM ${t.hourly}
               WHERE kind = 't' AND state = ANY(${states}) AND hour >= $7::timestamptz AND hour < $8::timestamptz
             UNION ALL SELECT 'f', hour, state, from_state, NULL, n FROM ${t.hourly}
               WHERE kind = 'f' AND hour >= $7::timestamptz AND hour < $8::timestamptz
           )
           SELECT ${bucketOf('at')} AS b,
             coalesce(sum(n) FILTER (WHERE src = 'r'), 0)::int AS received,
             coalesce(sum(n) FILTER (WHERE src = 'e' AND ${firstInto('$4')}), 0)::int AS submitted,
             coalesce(sum(n) FILTER (WHERE src = 'e' AND ${firstInto('$5')}), 0)::int AS shipped,
             coalesce(sum(n) FILTER (WHERE (src = 'e' AND ${entersReview('$6')})
               OR (src = 'f' AND NOT ${entersReview('$6')})), 0)::int AS exceptions
           FROM x GROUP BY 1 ORDER BY 1`,
          [q.bucket, q.since, q.until, q.submitted, q.shipped, q.review, h1, h2],
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
        // percentile_disc(p) is the value at rank ceil(p * n): nearest rank. $1 bucket,
        // $2 since, $3 until, $4 submitted.
        const entries = `FROM ${t.events}
          WHERE kind = 't' AND state = ANY($4::text[]) AND ${firstInto('$4')}`;
        const figures = `count(*)::int AS n,
          percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS p`;
        const params = [q.bucket, q.since, q.until, q.submitted];
        const { rows } =
          q.bucket === 'minute'
            ? await db.query<{ b: Date; n: number; p: number[] }>(
                `SELECT ${bucketOf('at')} AS b, ${figures} ${entries}
                   AND at >= $2::timestamptz AND at < $3::timestamptz
                 GROUP BY 1 ORDER BY 1`,
                params,
              )
            : await db.query<{ b: Date; n: number; p: number[] }>(
                processingSql(t, entries, figures),
                params,
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
 * The closed hours inside `[since, until)` (those that ended more than 5 minutes ago by the
 * database's clock), after rolling up those not rolled up yet: per hour, the entries and
 * failures counted by (kind, state, from, prior). One statement: an hour's marker and its
 * rows are written together, and a marker another reader wrote first is left alone.
 * Returns the rolled-up span `[h1, h2)` (empty: `h1 = h2 = since`).
 */
async function rollUp(
  db: Parameters<Parameters<Run>[1]>[0],
  t: Tables,
  q: { since: string; until: string },
): Promise<[string, string]> {
  const { rows } = await db.query<{ h1: Date | null; h2: Date | null }>(
    `WITH b AS (
       SELECT h1, h2 FROM (
         SELECT date_trunc('hour', $1::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour' AS h1,
           least(date_trunc('hour', $2::timestamptz, 'UTC'),
                 date_trunc('hour', now() - interval '5 minutes', 'UTC')) AS h2
       ) AS x WHERE h1 < h2
     ),
     m AS (
       INSERT INTO ${t.hours} (hour)
       SELECT g FROM b, generate_series(b.h1, b.h2 - interval '1 hour', interval '1 hour') AS g
       ON CONFLICT (hour) DO NOTHING RETURNING hour
     ),
     known AS (
       -- Every state entered: a skip scan of insights_events_entries, one probe per state.
       SELECT state FROM (
         WITH RECURSIVE k AS (
           (SELECT state FROM ${t.events} WHERE kind = 't' ORDER BY state LIMIT 1)
           UNION ALL
           SELECT (SELECT e.state FROM ${t.events} AS e
                   WHERE e.kind = 't' AND e.state > k.state ORDER BY e.state LIMIT 1)
           FROM k WHERE k.state IS NOT NULL
         )
         SELECT state FROM k WHERE state IS NOT NULL
       ) AS ks
     ),
     r AS (
       INSERT INTO ${t.hourly} (hour, kind, state, from_state, prior, n)
       SELECT date_trunc('hour', e.at, 'UTC'), e.kind, e.state, e.from_state, e.prior, count(*)
       FROM (
         -- Each part on its own partial index (an OR of the two would scan the table).
         SELECT x.kind, x.state, x.from_state, x.prior, x.at FROM ${t.events} AS x, b
         WHERE x.kind = 't' AND x.state = ANY(ARRAY(SELECT state FROM known))
           AND x.at >= b.h1 AND x.at < b.h2
         UNION ALL
         SELECT x.kind, x.state, x.from_state, x.prior, x.at FROM ${t.events} AS x, b
         WHERE x.kind = 'f' AND x.at >= b.h1 AND x.at < b.h2
       ) AS e
       WHERE date_trunc('hour', e.at, 'UTC') IN (SELECT hour FROM m)
       GROUP BY 1, 2, 3, 4, 5
       RETURNING 1
     )
     SELECT b.h1, b.h2, (SELECT count(*) FROM r) AS n FROM (SELECT 1) AS one LEFT JOIN b ON true`,
    [q.since, q.until],
  );
  const r = rows[0];
  if (!r?.h1 || !r.h2) return [q.since, q.since];
  return [iso(r.h1), iso(r.h2)];
}

/**
 * Processing time per hour or day bucket. A closed bucket inside the range (one that ended
 * more than 5 minutes ago by the database's clock) is read from `insights_processing`, and
 * computed and kept there when missing (the trigger voids a kept bucket that gets a late
 * entry); only the ends of the range, and any bucket not closed yet, read the events.
 * Empty closed buckets are kept too (`n` 0) and left out of the answer.
 */
function processingSql(t: Tables, entries: string, figures: string): string {
  const step = `CASE $1 WHEN 'hour' THEN interval '1 hour' ELSE interval '24 hours' END`;
  return `WITH b AS (
       SELECT c1, c2 FROM (
         SELECT date_trunc($1, $2::timestamptz - interval '1 microsecond', 'UTC') + ${step} AS c1,
           least(date_trunc($1, $3::timestamptz, 'UTC'),
                 date_trunc($1, now() - interval '5 minutes', 'UTC')) AS c2
       ) AS x WHERE c1 < c2
     ),
     kept AS (
       SELECT k.at, k.n, k.p FROM ${t.processing} AS k, b
       WHERE k.bucket = $1 AND k.states = $4::text[] AND k.at >= b.c1 AND k.at < b.c2
     ),
     -- Materialized, so that only the buckets not kept are computed.
     todo AS MATERIALIZED (
       SELECT g.at FROM b, generate_series(b.c1, b.c2 - ${step}, ${step}) AS g(at)
       WHERE NOT EXISTS (SELECT 1 FROM kept WHERE kept.at = g.at)
     ),
     made AS (
       SELECT todo.at, x.n, x.p FROM todo
       CROSS JOIN LATERAL (
         SELECT ${figures} ${entries} AND at >= todo.at AND at < todo.at + ${step}
       ) AS x
     ),
     keep AS (
       INSERT INTO ${t.processing} (bucket, states, at, n, p)
       SELECT $1, $4::text[], at, n, p FROM made
       ON CONFLICT (bucket, states, at) DO NOTHING
     ),
     ends AS (
       SELECT at, ms ${entries}
         AND at >= $2::timestamptz AND at < coalesce((SELECT c1 FROM b), $3::timestamptz)
       UNION ALL
       SELECT at, ms ${entries}
         AND at >= coalesce((SELECT c2 FROM b), $3::timestamptz) AND at < $3::timestamptz
     )
     SELECT at AS b, n, p FROM kept WHERE n > 0
     UNION ALL SELECT at, n, p FROM made WHERE n > 0
     UNION ALL SELECT date_trunc($1, at, 'UTC'), ${figures} FROM ends GROUP BY 1
     ORDER BY 1`;
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
