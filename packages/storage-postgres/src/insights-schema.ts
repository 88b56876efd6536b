// Migration 6: the read model behind `storage.insights` (see insights.ts). Internal.
//
// The figures a dashboard asks for every few seconds must not scan history. So each commit
// keeps them up to date, in the same statement, through a trigger on `orders` (the commit
// statement writes the history entry's `at`, `from` and event type on the row as
// `last_at`, `last_from`, `last_event`):
//
// - Per-order columns (BEFORE INSERT/UPDATE): `received_at` (first entry), `entered`
//   (states entered, in order of first entry), `state_at` (when the current stay began),
//   and in `ins_flags` the bits that mean "at some point" (touched by a person, a command
//   failed for good, split, backordered), kept from the old row; the others (note,
//   classified note, name, hold and review reasons) are the present record's.
// - `insights_events` (AFTER, insert only: no row is ever updated, so no commit waits for
//   another): `t` an entry into a state (`to` ≠ `from`, or a first entry): `state` = to,
//   `from_state`, `at`; for a first entry also `prior` (the states entered before) and
//   `ms` (time since received). `s` a finished stay: `state`, began `at`, lasted `ms`.
//   `f` a `command.failed` entry (`state` = to, `from_state`, `at`).
// - `insights_state_moves` (AFTER, insert only, no index): one row per change of state; the
//   counts per state are `insights_state_counts` plus the moves, folded in by readers.
// - `insights_review_moves` (AFTER, insert only, no index): when an order joins, leaves or
//   changes its place in the review queue, +1/-1 for the queue (`kind` 'q', reason '') and
//   for each of its distinct reasons (`kind` 'r'); the queue's size and counts per reason
//   are `insights_review_counts` plus the moves, folded in by readers (as for states).
//
// AFTER triggers fire only for rows actually written, so a losing `INSERT ... ON CONFLICT
// DO NOTHING` or a stale version leaves no trace. Caveat: the figures assume
// `record.status` is the history entry's `to` (the engine always writes it so).

/** `ins_flags` bits. `KEPT` are ORed with the old row's on every update. */
export const FLAG = {
  touched: 2,
  failed: 4,
  split: 8,
  backordered: 16,
  note: 32,
  classified: 64,
} as const;
const KEPT = FLAG.touched | FLAG.failed | FLAG.split | FLAG.backordered;

/** The statements of migration 6 (`s`: the quoted schema). */
export function insightsMigration(s: string): string[] {
  const recordFlags = `(CASE WHEN coalesce(o.record->'order'->>'note', '') <> '' THEN ${FLAG.note} ELSE 0 END
      | CASE WHEN json_typeof(o.record->'facts'->'note') = 'object' THEN ${FLAG.classified} ELSE 0 END)`;
  const routing = (field: string, test: string) =>
    `bool_or(json_typeof(entry->'explanation'->'routing'->'${field}') = 'array'
       AND json_array_length(entry->'explanation'->'routing'->'${field}') ${test})`;
  return [
    `ALTER TABLE ${s}.orders ADD COLUMN name text, ADD COLUMN received_at timestamptz,
       ADD COLUMN entered text[] NOT NULL DEFAULT '{}', ADD COLUMN state_at timestamptz,
       ADD COLUMN last_at timestamptz, ADD COLUMN last_from text, ADD COLUMN last_event text,
       ADD COLUMN ins_flags integer NOT NULL DEFAULT 0, ADD COLUMN note_classifier text,
       ADD COLUMN hold_reasons text[], ADD COLUMN review_reasons text[]`,
    // Backfill every order from its record and its history.
    `WITH h AS (
       SELECT order_id, version, at, event_type, from_status, to_status, entry,
         lag(to_status) OVER (PARTITION BY order_id ORDER BY version) AS prev
       FROM ${s}.history
     ),
     a AS (
       SELECT order_id, min(at) FILTER (WHERE version = 1) AS received_at,
         (array_agg(at ORDER BY version DESC) FILTER (WHERE prev IS DISTINCT FROM to_status))[1] AS state_at,
         (array_agg(at ORDER BY version DESC))[1] AS last_at,
         (array_agg(from_status ORDER BY version DESC))[1] AS last_from,
         (array_agg(event_type ORDER BY version DESC))[1] AS last_event,
         (CASE WHEN bool_or(event_type = 'review.resolved') THEN ${FLAG.touched} ELSE 0 END
          | CASE WHEN bool_or(event_type = 'command.failed') THEN ${FLAG.failed} ELSE 0 END
          | CASE WHEN ${routing('shipments', '> 1')} THEN ${FLAG.split} ELSE 0 END
          | CASE WHEN ${routing('backordered', '> 0')} THEN ${FLAG.backordered} ELSE 0 END
         ) AS flags
       FROM h GROUP BY order_id
     ),
     f AS (SELECT order_id, to_status, min(version) AS v FROM ${s}.history GROUP BY 1, 2),
     e AS (SELECT order_id, array_agg(to_status ORDER BY v) AS entered FROM f GROUP BY 1)
     UPDATE ${s}.orders AS o SET
       name = o.record->'order'->'source'->>'name',
       received_at = a.received_at, state_at = a.state_at, last_at = a.last_at,
       last_from = a.last_from, last_event = a.last_event, entered = e.entered,
       ins_flags = a.flags | ${recordFlags},
       note_classifier = o.record->'facts'->'note'->>'classifier',
       hold_reasons = ARRAY(SELECT x->>'reason' FROM json_array_elements(coalesce(o.record->'holds', '[]')) AS x),
       review_reasons = CASE WHEN o.review_since IS NOT NULL
         THEN ARRAY(SELECT json_array_elements_text(coalesce(o.record->'review'->'reasons', '[]'))) END
     FROM a JOIN e USING (order_id)
     WHERE o.order_id = a.order_id`,
    `CREATE TABLE ${s}.insights_events (
       kind "char" NOT NULL,
       state text NOT NULL,
       from_state text,
       at timestamptz NOT NULL,
       prior text[],
       ms float8
     )`,
    // Entries: every change of state, and every first entry into a state (with the states
    // entered before it and the time since the order was received).
    `WITH h AS (
       SELECT order_id, version, at, from_status, to_status,
         min(version) OVER (PARTITION BY order_id, to_status) AS first_v
       FROM ${s}.history
     ),
     p AS (
       SELECT h.*, coalesce(array_agg(to_status) FILTER (WHERE version = first_v) OVER (
         PARTITION BY order_id ORDER BY version ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
         '{}') AS prior
       FROM h
     )
     INSERT INTO ${s}.insights_events (kind, state, from_state, at, prior, ms)
     SELECT 't', p.to_status, p.from_status, p.at,
       CASE WHEN p.version = p.first_v THEN p.prior END,
       CASE WHEN p.version = p.first_v THEN round(extract(epoch FROM p.at - o.received_at) * 1000) END
     FROM p JOIN ${s}.orders AS o ON o.order_id = p.order_id
     WHERE p.version = p.first_v OR p.from_status IS DISTINCT FROM p.to_status`,
    // Finished stays: a run of entries with one \`to\`, until the next entry.
    `WITH h AS (
       SELECT order_id, version, at, to_status,
         lag(to_status) OVER (PARTITION BY order_id ORDER BY version) AS prev
       FROM ${s}.history
     ),
     stays AS (
       SELECT to_status AS state, at,
         lead(at) OVER (PARTITION BY order_id ORDER BY version) AS ended
       FROM h WHERE prev IS DISTINCT FROM to_status
     )
     INSERT INTO ${s}.insights_events (kind, state, at, ms)
     SELECT 's', state, at, round(extract(epoch FROM ended - at) * 1000)
     FROM stays WHERE ended IS NOT NULL`,
    `INSERT INTO ${s}.insights_events (kind, state, from_state, at)
     SELECT 'f', to_status, from_status, at FROM ${s}.history WHERE event_type = 'command.failed'`,
    `CREATE INDEX insights_events_entries ON ${s}.insights_events (state, at) INCLUDE (from_state, prior, ms) WHERE kind = 't'`,
    `CREATE INDEX insights_events_received ON ${s}.insights_events (at) WHERE kind = 't' AND prior = '{}'`,
    `CREATE INDEX insights_events_stays ON ${s}.insights_events (at) INCLUDE (state, ms) WHERE kind = 's'`,
    `CREATE INDEX insights_events_failed ON ${s}.insights_events (at) INCLUDE (state, from_state) WHERE kind = 'f'`,
    // Hourly rollup of entries and failures for closed hours, made by readers (see
    // insights.ts); an hour is in insights_hours once rolled up.
    `CREATE TABLE ${s}.insights_hours (hour timestamptz PRIMARY KEY)`,
    `CREATE TABLE ${s}.insights_hourly (
       hour timestamptz NOT NULL,
       kind "char" NOT NULL,
       state text NOT NULL,
       from_state text,
       prior text[],
       n integer NOT NULL
     )`,
    `CREATE INDEX insights_hourly_hour ON ${s}.insights_hourly (hour)`,
    // Processing time per closed hour or day bucket and set of submitted states (count and
    // nearest-rank p50/p95/p99), made by readers (see insights.ts) and voided like the
    // hourly rollup when an entry lands in a bucket already kept.
    `CREATE TABLE ${s}.insights_processing (
       bucket text NOT NULL,
       states text[] NOT NULL,
       at timestamptz NOT NULL,
       n integer NOT NULL,
       p float8[],
       PRIMARY KEY (bucket, states, at)
     )`,
    `CREATE TABLE ${s}.insights_state_counts (state text PRIMARY KEY, n bigint NOT NULL)`,
    `INSERT INTO ${s}.insights_state_counts (state, n)
     SELECT status, count(*) FROM ${s}.orders GROUP BY status`,
    `CREATE TABLE ${s}.insights_state_moves (from_status text, to_status text NOT NULL)`,
    `CREATE TABLE ${s}.insights_review_counts (
       kind "char" NOT NULL, reason text NOT NULL, n bigint NOT NULL, PRIMARY KEY (kind, reason))`,
    `INSERT INTO ${s}.insights_review_counts (kind, reason, n)
     SELECT 'q', '', count(*) FROM ${s}.orders WHERE review_since IS NOT NULL HAVING count(*) > 0
     UNION ALL
     SELECT 'r', reason, count(DISTINCT order_id) FROM ${s}.orders, unnest(review_reasons) AS reason
     WHERE review_since IS NOT NULL GROUP BY reason`,
    `CREATE TABLE ${s}.insights_review_moves (kind "char" NOT NULL, reason text NOT NULL, n integer NOT NULL)`,
    // The indexes the queries walk. Nothing looks orders up by (store, external id): that
    // index becomes (external id, store), which search uses.
    `DROP INDEX ${s}.orders_store_external`,
    `CREATE INDEX orders_external ON ${s}.orders (external_id, store)`,
    `CREATE INDEX orders_name ON ${s}.orders (lower(name))`,
    `CREATE INDEX orders_received ON ${s}.orders (received_at) INCLUDE (ins_flags, entered, note_classifier, hold_reasons)`,
    `DROP INDEX ${s}.orders_review`,
    `CREATE INDEX orders_review ON ${s}.orders (review_since, order_id COLLATE "C") INCLUDE (review_reasons)
       WHERE review_since IS NOT NULL`,
    `CREATE INDEX outbox_failed ON ${s}.outbox (seq)
       WHERE status = 'dead' OR (status = 'pending' AND last_error IS NOT NULL)`,
    `CREATE FUNCTION ${s}.orders_insights() RETURNS trigger LANGUAGE plpgsql AS $fn$
     BEGIN
       -- Only commits (which always write a new version) count; other updates pass as they are.
       IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
         RETURN CASE WHEN TG_WHEN = 'BEFORE' THEN NEW END;
       END IF;
       IF TG_WHEN = 'BEFORE' THEN
         NEW.ins_flags := NEW.ins_flags
           | CASE NEW.last_event WHEN 'review.resolved' THEN ${FLAG.touched}
                                 WHEN 'command.failed' THEN ${FLAG.failed} ELSE 0 END;
         IF TG_OP = 'INSERT' THEN
           NEW.received_at := NEW.last_at;
           NEW.state_at := NEW.last_at;
           NEW.entered := ARRAY[NEW.status];
         ELSE
           NEW.received_at := OLD.received_at;
           NEW.state_at := CASE WHEN NEW.status = OLD.status THEN OLD.state_at ELSE NEW.last_at END;
           NEW.entered := CASE WHEN NEW.status = ANY(OLD.entered) THEN OLD.entered
                               ELSE OLD.entered || NEW.status END;
           NEW.ins_flags := NEW.ins_flags | (OLD.ins_flags & ${KEPT});
         END IF;
         RETURN NEW;
       END IF;
       -- An entry in an hour already rolled up (a clock behind the database's, a replay)
       -- voids that hour's rollup and the processing times kept for its hour and day. Live commits (their time is now) never get here.
       IF NEW.last_at < date_trunc('hour', now(), 'UTC') THEN
         DELETE FROM ${s}.insights_hours WHERE hour = date_trunc('hour', NEW.last_at, 'UTC');
         IF FOUND THEN
           DELETE FROM ${s}.insights_hourly WHERE hour = date_trunc('hour', NEW.last_at, 'UTC');
         END IF;
         DELETE FROM ${s}.insights_processing
         WHERE (bucket = 'hour' AND at = date_trunc('hour', NEW.last_at, 'UTC'))
            OR (bucket = 'day' AND at = date_trunc('day', NEW.last_at, 'UTC'));
       END IF;
       IF TG_OP = 'INSERT' THEN
         INSERT INTO ${s}.insights_events (kind, state, from_state, at, prior, ms)
         SELECT 't', NEW.status, NEW.last_from, NEW.last_at, '{}'::text[], 0
         UNION ALL
         SELECT 'f', NEW.status, NEW.last_from, NEW.last_at, NULL, NULL
         WHERE NEW.last_event = 'command.failed';
         INSERT INTO ${s}.insights_state_moves (from_status, to_status) VALUES (NULL, NEW.status);
       ELSE
         INSERT INTO ${s}.insights_events (kind, state, from_state, at, prior, ms)
         SELECT 't', NEW.status, NEW.last_from, NEW.last_at,
           CASE WHEN NEW.status = ANY(OLD.entered) THEN NULL ELSE OLD.entered END,
           CASE WHEN NEW.status = ANY(OLD.entered) THEN NULL
                ELSE round(extract(epoch FROM NEW.last_at - NEW.received_at) * 1000) END
         WHERE NEW.last_from IS DISTINCT FROM NEW.status OR NOT NEW.status = ANY(OLD.entered)
         UNION ALL
         SELECT 's', OLD.status, NULL, OLD.state_at, NULL,
           round(extract(epoch FROM NEW.last_at - OLD.state_at) * 1000)
         WHERE NEW.status <> OLD.status
         UNION ALL
         SELECT 'f', NEW.status, NEW.last_from, NEW.last_at, NULL, NULL
         WHERE NEW.last_event = 'command.failed';
         IF NEW.status <> OLD.status THEN
           INSERT INTO ${s}.insights_state_moves (from_status, to_status) VALUES (OLD.status, NEW.status);
         END IF;
       END IF;
       -- The review queue's counts: only when the order's place in the queue changed.
       IF (TG_OP = 'INSERT' AND NEW.review_since IS NOT NULL) OR (TG_OP = 'UPDATE'
           AND ((OLD.review_since IS NULL) IS DISTINCT FROM (NEW.review_since IS NULL)
             OR OLD.review_reasons IS DISTINCT FROM NEW.review_reasons)) THEN
         INSERT INTO ${s}.insights_review_moves (kind, reason, n)
         SELECT kind::"char", reason, sum(n) FROM (
           SELECT 'q'::text AS kind, ''::text AS reason, 1 AS n WHERE NEW.review_since IS NOT NULL
           UNION ALL SELECT DISTINCT 'r', r, 1 FROM unnest(NEW.review_reasons) AS r
             WHERE NEW.review_since IS NOT NULL
           UNION ALL SELECT 'q', '', -1 WHERE TG_OP = 'UPDATE' AND OLD.review_since IS NOT NULL
           UNION ALL SELECT DISTINCT 'r', r, -1 FROM unnest(CASE WHEN TG_OP = 'UPDATE'
             AND OLD.review_since IS NOT NULL THEN OLD.review_reasons END) AS r
         ) AS d GROUP BY kind, reason HAVING sum(n) <> 0;
       END IF;
       RETURN NULL;
     END
     $fn$`,
    `CREATE TRIGGER orders_insights_before BEFORE INSERT OR UPDATE ON ${s}.orders
       FOR EACH ROW EXECUTE FUNCTION ${s}.orders_insights()`,
    `CREATE TRIGGER orders_insights_after AFTER INSERT OR UPDATE ON ${s}.orders
       FOR EACH ROW EXECUTE FUNCTION ${s}.orders_insights()`,
  ];
}
