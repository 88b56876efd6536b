/**
 * Rows for `pnpm bench console`, made by SQL (generate_series) in a throwaway schema
 * migrated to the latest version: orders (with the read-model columns a commit's trigger
 * would have written), history, outbox, and the read model's `insights_events`, state
 * and review counts, written directly (bulk, in time order as a live store writes them; the caller
 * drops the indexes first and builds them after). Deterministic (`setseed`).
 *
 * Orders are received uniformly over the 90 days before `now`. Journeys (by one random
 * draw per order):
 * - 1.5 % wait in review (received → needs_review 1 s later), with one or two reasons;
 * - 3 % on hold (received → on_hold), hold reason "awaiting stock" or "address check";
 * - 1 % were reviewed and resolved by a person (→ needs_review → submitted 0.5–4.5 h later
 *   by `review.resolved`), then ship like the others;
 * - 0.1 % submitted, then a command failed for good (`command.failed`, a dead outbox row);
 * - the rest: received → submitted after 2 s + up to 120 s (skewed: most within 20 s) →
 *   shipped 1–3 days later → delivered 2–5 days after that (steps after `now` not taken).
 * 5 % of submits are split over two shipments, 3 % backordered, 20 % of orders have a
 * note (classified; 15 % of those by `claude`). Outbox: a done submit for each order
 * submitted in the last 7 days (older done rows are purged in production), a dead one for
 * each failed order, and a retrying one (pending, failed once) for 0.05 % of the last day.
 */

/** What {@link generate} runs: SQL statements for a schema (`s`, quoted), in order. */
export function generateStatements(s: string, orders: number, nowIso: string): string[] {
  const now = `'${nowIso}'::timestamptz`;
  const iso = (ts: string) =>
    `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return [
    // Bulk load without WAL (a throwaway schema).
    ...['orders', 'history', 'outbox', 'insights_events'].map(
      (t) => `ALTER TABLE ${s}.${t} SET UNLOGGED`,
    ),
    `SELECT setseed(0.42)`,
    `CREATE UNLOGGED TABLE ${s}.gen AS
     WITH g AS (
       SELECT i, ${now} - random() * interval '90 days' AS r, random() AS u, random() AS u2,
         random() AS u3, random() AS u4
       FROM generate_series(1, ${orders}) AS i
     ),
     k AS (
       SELECT *, CASE WHEN u < 0.015 THEN 'review' WHEN u < 0.045 THEN 'hold'
         WHEN u < 0.055 THEN 'resolved' WHEN u < 0.056 THEN 'failed' ELSE 'normal' END AS kind
       FROM g
     ),
     t AS (
       SELECT *, CASE kind
           WHEN 'resolved' THEN r + interval '30 minutes' + u2 * interval '4 hours'
           WHEN 'failed' THEN r + interval '5 seconds'
           WHEN 'normal' THEN r + interval '2 seconds' + (u2 ^ 3) * interval '120 seconds'
         END AS sub
       FROM k
     ),
     t2 AS (
       SELECT *, CASE WHEN kind IN ('normal', 'resolved')
           AND sub + interval '1 day' + u3 * interval '2 days' <= ${now}
           THEN sub + interval '1 day' + u3 * interval '2 days' END AS shp
       FROM t
     )
     SELECT *, CASE WHEN shp + interval '2 days' + u4 * interval '3 days' <= ${now}
         THEN shp + interval '2 days' + u4 * interval '3 days' END AS dlv
     FROM t2`,
    // One row per history entry, with the states entered before it (for the read model).
    `CREATE UNLOGGED TABLE ${s}.st AS
     SELECT i, r, 1 AS v, r AS at, 'order.received' AS ev, NULL AS f, 'received' AS t,
       '{}'::text[] AS prior, NULL::json AS x FROM ${s}.gen
     UNION ALL
     SELECT i, r, 2, r + interval '1 second', 'facts.ready', 'received',
       CASE kind WHEN 'hold' THEN 'on_hold' ELSE 'needs_review' END, '{received}', NULL
     FROM ${s}.gen WHERE kind IN ('review', 'hold', 'resolved')
     UNION ALL
     SELECT i, r, CASE kind WHEN 'resolved' THEN 3 ELSE 2 END, sub,
       CASE kind WHEN 'resolved' THEN 'review.resolved' ELSE 'facts.ready' END,
       CASE kind WHEN 'resolved' THEN 'needs_review' ELSE 'received' END, 'submitted',
       CASE kind WHEN 'resolved' THEN '{received,needs_review}'::text[] ELSE '{received}' END,
       json_build_object('routing', json_build_object(
         'shipments', CASE WHEN u3 < 0.05 THEN '[{}, {}]'::json ELSE '[{}]'::json END,
         'backordered', CASE WHEN u4 < 0.03 THEN '[{}]'::json ELSE '[]'::json END))
     FROM ${s}.gen WHERE sub IS NOT NULL
     UNION ALL
     SELECT i, r, 3, sub + interval '10 minutes', 'command.failed', 'submitted', 'submitted', NULL, NULL
     FROM ${s}.gen WHERE kind = 'failed'
     UNION ALL
     SELECT i, r, CASE kind WHEN 'resolved' THEN 4 ELSE 3 END, shp, 'warehouse.shipped',
       'submitted', 'shipped',
       CASE kind WHEN 'resolved' THEN '{received,needs_review,submitted}'::text[]
         ELSE '{received,submitted}' END, NULL
     FROM ${s}.gen WHERE shp IS NOT NULL
     UNION ALL
     SELECT i, r, CASE kind WHEN 'resolved' THEN 5 ELSE 4 END, dlv, 'carrier.delivered',
       'shipped', 'delivered',
       CASE kind WHEN 'resolved' THEN '{received,needs_review,submitted,shipped}'::text[]
         ELSE '{received,submitted,shipped}' END, NULL
     FROM ${s}.gen WHERE dlv IS NOT NULL`,
    `INSERT INTO ${s}.history (order_id, version, at, event_type, from_status, to_status, entry)
     SELECT 'bench-' || i, v, at, ev, f, t, json_build_object('v', v, 'explanation', x)
     FROM ${s}.st ORDER BY at`,
    // Entries (first entries carry prior and ms), finished stays, failed commands.
    `INSERT INTO ${s}.insights_events (kind, state, from_state, at, prior, ms)
     SELECT 't', t, f, at, prior, round(extract(epoch FROM at - r) * 1000)
     FROM ${s}.st WHERE prior IS NOT NULL
     UNION ALL
     SELECT 'f', t, f, at, NULL, NULL FROM ${s}.st WHERE ev = 'command.failed'
     UNION ALL
     SELECT 's', state, NULL, began, NULL, round(extract(epoch FROM ended - began) * 1000)
     FROM (
       SELECT 'received' AS state, r AS began,
         CASE WHEN kind IN ('review', 'hold', 'resolved') THEN r + interval '1 second' ELSE sub END AS ended
       FROM ${s}.gen
       UNION ALL SELECT 'needs_review', r + interval '1 second', sub FROM ${s}.gen WHERE kind = 'resolved'
       UNION ALL SELECT 'submitted', sub, shp FROM ${s}.gen WHERE shp IS NOT NULL
       UNION ALL SELECT 'shipped', shp, dlv FROM ${s}.gen WHERE dlv IS NOT NULL
     ) AS stays
     ORDER BY 4`,
    `INSERT INTO ${s}.orders (order_id, version, status, store, external_id, created_at,
       updated_at, status_since, review_since, record, placed_at, name, received_at, entered,
       state_at, last_at, last_from, last_event, ins_flags, note_classifier, hold_reasons,
       review_reasons)
     SELECT id, ver, status, 'bench', ext, r, last, state_at, review_since,
       json_strip_nulls(json_build_object(
         'orderId', id, 'version', ver, 'status', status, 'statusSince', ${iso('state_at')},
         'order', json_build_object('id', id,
           'source', json_build_object('channel', 'shopify', 'store', 'bench', 'externalId', ext,
             'name', '#' || (1000 + i)),
           'lines', json_build_array(json_build_object('id', 'l1', 'sku', 'SKU-' || (i % 500),
             'quantity', 1 + i % 3, 'unitPrice', 2500)),
           'note', CASE WHEN u3 < 0.2 THEN 'please gift wrap, leave at the back door' END,
           'paymentStatus', 'paid', 'currency', 'USD',
           'totals', json_build_object('subtotal', 2500, 'shipping', 0, 'tax', 0, 'total', 2500),
           'createdAt', ${iso('r')}, 'updatedAt', ${iso('r')}),
         'upstreamUpdatedAt', ${iso('r')},
         'review', CASE WHEN kind = 'review' THEN json_build_object('reasons', to_json(reasons),
           'since', ${iso('review_since')}) END,
         'holds', CASE WHEN kind = 'hold' THEN json_build_array(json_build_object('id', 'h1',
           'reason', hold_reasons[1], 'since', ${iso("r + interval '1 second'")})) ELSE '[]'::json END,
         'facts', json_build_object(
           'risk', json_build_object('score', round(u4 * 100),
             'level', CASE WHEN u4 > 0.8 THEN 'high' WHEN u4 > 0.5 THEN 'medium' ELSE 'low' END,
             'reasons', json_build_array(json_build_object('signal', 'velocity', 'weight', 20,
               'reason', '3 orders from this email in 24 hours')), 'scorer', 'rules'),
           'note', CASE WHEN u3 < 0.2 THEN json_build_object('tags', json_build_array(
             json_build_object('tag', 'gift_wrap', 'confidence', 0.9)), 'uncertain', false,
             'classifier', classifier) END),
         'createdAt', ${iso('r')}, 'updatedAt', ${iso('last')})),
       r, '#' || (1000 + i), r, entered, state_at, last, last_from, last_event,
       (CASE WHEN kind = 'resolved' THEN 2 ELSE 0 END | CASE WHEN kind = 'failed' THEN 4 ELSE 0 END
        | CASE WHEN sub IS NOT NULL AND u3 < 0.05 THEN 8 ELSE 0 END
        | CASE WHEN sub IS NOT NULL AND u4 < 0.03 THEN 16 ELSE 0 END
        | CASE WHEN u3 < 0.2 THEN 96 ELSE 0 END),
       classifier, hold_reasons, CASE WHEN kind = 'review' THEN reasons END
     FROM (
       SELECT *, 'bench-' || i AS id, (4000000000 + i)::text AS ext,
         CASE kind WHEN 'review' THEN 2 WHEN 'hold' THEN 2 WHEN 'failed' THEN 3
           ELSE CASE kind WHEN 'resolved' THEN 3 ELSE 2 END
             + (shp IS NOT NULL)::int + (dlv IS NOT NULL)::int END AS ver,
         CASE kind WHEN 'review' THEN 'needs_review' WHEN 'hold' THEN 'on_hold'
           ELSE CASE WHEN dlv IS NOT NULL THEN 'delivered' WHEN shp IS NOT NULL THEN 'shipped'
             ELSE 'submitted' END END AS status,
         CASE kind WHEN 'review' THEN '{received,needs_review}'::text[]
           WHEN 'hold' THEN '{received,on_hold}'
           ELSE (CASE kind WHEN 'resolved' THEN '{received,needs_review,submitted}'::text[]
             ELSE '{received,submitted}' END)
             || CASE WHEN shp IS NOT NULL THEN '{shipped}'::text[] ELSE '{}' END
             || CASE WHEN dlv IS NOT NULL THEN '{delivered}'::text[] ELSE '{}' END END AS entered,
         coalesce(dlv, shp, sub, r + interval '1 second') AS state_at,
         coalesce(dlv, shp, CASE kind WHEN 'failed' THEN sub + interval '10 minutes' ELSE sub END,
           r + interval '1 second') AS last,
         CASE WHEN dlv IS NOT NULL THEN 'shipped' WHEN shp IS NOT NULL THEN 'submitted'
           WHEN kind = 'failed' THEN 'submitted' WHEN kind = 'resolved' THEN 'needs_review'
           ELSE 'received' END AS last_from,
         CASE WHEN dlv IS NOT NULL THEN 'carrier.delivered' WHEN shp IS NOT NULL THEN 'warehouse.shipped'
           WHEN kind = 'failed' THEN 'command.failed' WHEN kind = 'resolved' THEN 'review.resolved'
           ELSE 'facts.ready' END AS last_event,
         CASE WHEN u3 < 0.2 THEN CASE WHEN u3 < 0.03 THEN 'claude' ELSE 'keywords' END END AS classifier,
         CASE WHEN kind = 'hold' THEN ARRAY[CASE WHEN u2 < 0.7 THEN 'awaiting stock' ELSE 'address check' END]
           ELSE '{}'::text[] END AS hold_reasons,
         CASE WHEN kind = 'review' THEN r + interval '1 second' END AS review_since,
         CASE WHEN u2 < 0.45 THEN '{high risk}'::text[]
           WHEN u2 < 0.75 THEN '{VIP customer,high risk}'::text[]
           WHEN u2 < 0.93 THEN '{address changed}'::text[]
           ELSE '{note needs a person}'::text[] END AS reasons
       FROM ${s}.gen
     ) AS o
     ORDER BY r`,
    `INSERT INTO ${s}.insights_state_counts (state, n)
     SELECT status, count(*) FROM ${s}.orders GROUP BY status`,
    `INSERT INTO ${s}.insights_review_counts (kind, reason, n)
     SELECT 'q', '', count(*) FROM ${s}.orders WHERE review_since IS NOT NULL HAVING count(*) > 0
     UNION ALL
     SELECT 'r', reason, count(DISTINCT order_id) FROM ${s}.orders, unnest(review_reasons) AS reason
     WHERE review_since IS NOT NULL GROUP BY reason`,
    `INSERT INTO ${s}.outbox (id, order_id, type, command, idempotency_key, status, attempts,
       next_attempt_at, last_error, finished_at)
     SELECT 'cmd-' || i, 'bench-' || i, 'warehouse.submit',
       json_build_object('id', 'cmd-' || i, 'type', 'warehouse.submit', 'orderId', 'bench-' || i),
       'bench-' || i || ':submit',
       CASE WHEN kind = 'failed' THEN 'dead' WHEN kind = 'normal' AND u4 < 0.0005
         AND sub > ${now} - interval '1 day' THEN 'pending' ELSE 'done' END,
       CASE WHEN kind = 'failed' THEN 5 WHEN u4 < 0.0005 THEN 2 ELSE 1 END,
       CASE WHEN kind = 'normal' AND u4 < 0.0005 AND sub > ${now} - interval '1 day'
         THEN extract(epoch FROM ${now}) * 1000 + 60000 END,
       CASE WHEN kind = 'failed' OR u4 < 0.0005 THEN 'HTTP 503 from the warehouse: try again later' END,
       CASE WHEN NOT (kind = 'normal' AND u4 < 0.0005 AND sub > ${now} - interval '1 day')
         THEN extract(epoch FROM sub) * 1000 + 500 END
     FROM ${s}.gen
     WHERE kind = 'failed' OR (sub IS NOT NULL AND sub > ${now} - interval '7 days')
     ORDER BY sub`,
    `DROP TABLE ${s}.gen, ${s}.st`,
  ];
}
