import type { Commit } from '@fulfil/core';
import { FLAG } from './insights-schema';
import { quoteIdent } from './options';
import type { ReservationTables } from './reservations';
import type { Queryable } from './runner';
import { velocityValues } from './velocity';

// The commit statements: one commit (`writeOne`) or several orders' commits at once
// (`writeBatch`). Internal.
//
// The server's cost of a commit statement is mostly per statement (executor set-up of its
// parts: every CTE, table and index it touches), not per row, so writing the commits that
// arrive together as one statement costs it little more than writing one. Each part takes
// the rows of every commit, tagged with the commit's position `n`; the order rows are
// written first (per-row version check), and every other part keeps only the rows of the
// commits whose order row was written (`o`). A commit not written here (stale version,
// stock that does not fit) is retried alone by the caller, which then reports its error
// exactly as a single commit does; so is every commit of a batch whose statement fails
// (a unique violation, a deadlock), since a failed statement writes nothing.

/** Quoted, schema-qualified table names. */
export interface Tables extends ReservationTables {
  orders: string;
  history: string;
  inbox: string;
  outbox: string;
  timers: string;
  /** Read model (migration 6, see insights-schema.ts). */
  events: string;
  stateCounts: string;
  stateMoves: string;
  reviewCounts: string;
  reviewMoves: string;
  hours: string;
  hourly: string;
  processing: string;
}

/** The tables of `schema` (a validated identifier), quoted and qualified. */
export function tablesIn(schema: string): Tables {
  const s = quoteIdent(schema);
  return {
    orders: `${s}.orders`,
    history: `${s}.history`,
    inbox: `${s}.inbox`,
    outbox: `${s}.outbox`,
    timers: `${s}.timers`,
    events: `${s}.insights_events`,
    stateCounts: `${s}.insights_state_counts`,
    stateMoves: `${s}.insights_state_moves`,
    reviewCounts: `${s}.insights_review_counts`,
    reviewMoves: `${s}.insights_review_moves`,
    hours: `${s}.insights_hours`,
    hourly: `${s}.insights_hourly`,
    processing: `${s}.insights_processing`,
    reservations: `${s}.reservations`,
    releaseSeq: `${s}.reservation_release_seq`,
    shortfall: `${s}.reservation_shortfall`,
  };
}

/** The `orders` columns of a commit's record, other than the record itself and versions. */
export function orderRow(commit: Commit) {
  const { record } = commit;
  const v = velocityValues(record.order);
  return {
    status: record.status,
    store: record.order.source.store,
    external_id: record.order.source.externalId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    status_since: record.statusSince,
    review_since: record.review?.since ?? null,
    placed_at: record.order.createdAt,
    v_email: v.email ?? null,
    v_ip: v.ip ?? null,
    v_address: v.address ?? null,
    v_phone: v.phone ?? null,
    ...insightColumns(commit),
  };
}

/**
 * The read-model columns a commit writes: the record's present values (the `orders`
 * trigger adds what earlier versions had, see insights-schema.ts) and the history entry's
 * time and event type.
 */
function insightColumns(commit: Commit) {
  const { record, history } = commit;
  const routing = history.explanation?.routing;
  const flags =
    ((routing?.shipments.length ?? 0) > 1 ? FLAG.split : 0) |
    ((routing?.backordered.length ?? 0) > 0 ? FLAG.backordered : 0) |
    (record.order.note ? FLAG.note : 0) |
    (record.facts.note ? FLAG.classified : 0);
  return {
    name: record.order.source.name ?? null,
    last_at: history.at,
    last_from: history.from,
    last_event: history.eventType,
    ins_flags: flags,
    note_classifier: record.facts.note?.classifier ?? null,
    hold_reasons: record.holds.map((h) => h.reason),
    review_reasons: record.review ? record.review.reasons : null,
  };
}

/** The inbox `processed_at` of a commit's keys: its history entry's time (epoch ms). */
export function inboxTime(commit: Commit): number {
  const at = Date.parse(commit.history.at);
  return Number.isNaN(at) ? 0 : at;
}

/**
 * The timers a commit writes (last of each id) and the ids it cancels. A timer both
 * cancelled and committed again is rescheduled: one write per row.
 */
export function timerChanges(commit: Commit): { timers: Commit['timers']; cancelled: string[] } {
  const timers = [...new Map(commit.timers.map((timer) => [timer.id, timer])).values()];
  const rescheduled = new Set(timers.map((timer) => timer.id));
  const cancelled = [...new Set(commit.cancelTimerIds)].filter((id) => !rescheduled.has(id));
  return { timers, cancelled };
}

/** Outbox rows of a commit's commands, in order. */
export function commandRows(commit: Commit) {
  return commit.commands.map((command) => ({
    id: command.id,
    order_id: command.orderId,
    type: command.type,
    command,
    idempotency_key: command.idempotencyKey,
  }));
}

/** Timer rows (due time as epoch ms). */
export function timerRows(timers: Commit['timers']) {
  return timers.map((timer) => ({
    id: timer.id,
    order_id: timer.orderId,
    due_at: Date.parse(timer.dueAt),
    purpose: timer.purpose,
    timer,
  }));
}

/** Where a commit's takes come from: `location_id` and `sku` joined by a separator. */
function pairsOf(commit: Commit): string[] {
  return (commit.reservations?.take ?? []).map((t) => `${t.locationId}\u001f${t.sku}`);
}

/**
 * Whether `commit` can share a statement with others. A commit that both releases and takes
 * stock (an order re-routed) is written alone: its stock check must not count its own
 * releases, which the batch check does not tell apart.
 */
export function batchable(commit: Commit): boolean {
  const r = commit.reservations;
  return !(r && r.take.length > 0 && r.release.length > 0);
}

/**
 * Picks the commits of one batch from `queue` (in order, at most `max`): no two for one
 * order, and no two taking stock of the same (location, SKU), so each commit's stock check
 * is its own. Returns the picked positions.
 */
export function pickBatch(queue: readonly Commit[], max: number): number[] {
  const picked: number[] = [];
  const orders = new Set<string>();
  const pairs = new Set<string>();
  for (const [k, commit] of queue.entries()) {
    if (picked.length >= max) break;
    if (orders.has(commit.orderId)) continue;
    if (picked.length > 0 && !batchable(commit)) continue;
    const own = pairsOf(commit);
    if (own.some((p) => pairs.has(p))) continue;
    picked.push(k);
    orders.add(commit.orderId);
    for (const p of own) pairs.add(p);
    // A lone unbatchable commit goes alone.
    if (!batchable(commit)) break;
  }
  return picked;
}

/** A (location, SKU) whose takes did not fit, as the statement reports it. */
export interface ShortRow {
  location_id: string;
  sku: string;
  take: number;
  available: number;
  reserved: number;
}

/** What {@link writeBatch} wrote. */
export interface BatchResult {
  /** Per commit (in the order given), whether it was written. */
  written: boolean[];
  /** The (location, SKU) pairs whose takes did not fit. */
  short: ShortRow[];
}

/**
 * Writes ONE commit in one statement, with each value its own parameter and each part a
 * one-time test of the order write (`EXISTS (SELECT 1 FROM o)`). Rows it updates are named
 * by key arrays (`key = ANY($keys)`, see `releaseSet`). A group of one could go
 * through {@link writeBatch}, but under concurrency that form measured about 0.7 ms more
 * server CPU and 0.5 ms more client CPU per order (`pnpm bench postgres` with
 * `FULFIL_BENCH_BATCHING=off`: 0.10–0.11 orders per pgbench tx against 0.15–0.16 with this
 * statement), and a lone commit is the common case of a quiet store. Parts a commit does not
 * need are left out (each part costs the server executor set-up on every run).
 */
export async function writeOne(db: Queryable, t: Tables, commit: Commit): Promise<BatchResult> {
  const { orderId, expectedVersion, record, history } = commit;
  const { timers, cancelled } = timerChanges(commit);
  const row = orderRow(commit);
  // Placeholders are numbered as values are added: parts a commit does not need are left
  // out of the statement altogether (each part costs the server executor set-up per run).
  const params: unknown[] = [];
  const $ = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const id = $(orderId);
  const version = $(record.version);
  let nowParam: string | undefined;
  /** The time finished/released rows are stamped with (a placeholder only once used). */
  const now = () => {
    nowParam ??= $(Date.now());
    return nowParam;
  };
  const order = {
    status: $(row.status),
    store: $(row.store),
    externalId: $(row.external_id),
    createdAt: $(row.created_at),
    updatedAt: $(row.updated_at),
    statusSince: $(row.status_since),
    reviewSince: $(row.review_since),
    record: $(JSON.stringify(record)),
    placedAt: $(row.placed_at),
    email: $(row.v_email),
    ip: $(row.v_ip),
    address: $(row.v_address),
    phone: $(row.v_phone),
    name: $(row.name),
    lastAt: $(row.last_at),
    lastEvent: $(row.last_event),
    flags: $(row.ins_flags),
    classifier: $(row.note_classifier),
    from: $(row.last_from),
    holds: $(row.hold_reasons),
    reasons: $(row.review_reasons),
  };
  const expected = $(expectedVersion);
  const r = commit.reservations;
  // Takes are checked (`short`) and written (`tkw`); releases are applied (`rel`). Each part
  // is in the statement only when the commit has rows for it.
  const releases = [...new Set(r?.release ?? [])];
  const stock = r !== undefined && r.take.length > 0;
  const reservation = stock && {
    take: $(JSON.stringify(r.take.map(takeRow))),
    release: $(JSON.stringify(releases)),
    basis: $(r.basis ?? null),
  };
  const fits = stock ? ' AND NOT EXISTS (SELECT 1 FROM short)' : '';
  const writeOrder =
    expectedVersion === 0
      ? `INSERT INTO ${t.orders} (order_id, version, status, store, external_id, created_at,
           updated_at, status_since, review_since, record, placed_at, v_email, v_ip, v_address, v_phone,
           name, last_at, last_from, last_event, ins_flags, note_classifier, hold_reasons, review_reasons)
         SELECT ${id}, ${version}, ${order.status}, ${order.store}, ${order.externalId},
           ${order.createdAt}, ${order.updatedAt}, ${order.statusSince}, ${order.reviewSince},
           ${order.record}::json, ${order.placedAt}, ${order.email}, ${order.ip}, ${order.address},
           ${order.phone}, ${order.name}, ${order.lastAt}::timestamptz, ${order.from}, ${order.lastEvent},
           ${order.flags}::int, ${order.classifier}, ${order.holds}::text[], ${order.reasons}::text[]
         WHERE ${expected}::int = 0${fits}
         ON CONFLICT (order_id) DO NOTHING RETURNING 1`
      : `UPDATE ${t.orders} SET version = ${version}, status = ${order.status},
           store = ${order.store}, external_id = ${order.externalId},
           created_at = ${order.createdAt}, updated_at = ${order.updatedAt},
           status_since = ${order.statusSince}, review_since = ${order.reviewSince},
           record = ${order.record}::json, placed_at = ${order.placedAt}, v_email = ${order.email},
           v_ip = ${order.ip}, v_address = ${order.address}, v_phone = ${order.phone},
           name = ${order.name}, last_at = ${order.lastAt}::timestamptz, last_from = ${order.from},
           last_event = ${order.lastEvent}, ins_flags = ${order.flags}::int,
           note_classifier = ${order.classifier}, hold_reasons = ${order.holds}::text[],
           review_reasons = ${order.reasons}::text[]
         WHERE order_id = ${id} AND version = ${expected}${fits} RETURNING 1`;
  const ok = 'EXISTS (SELECT 1 FROM o)';
  const ctes: string[] = [];
  if (reservation) {
    // `short`: the pairs whose takes do not fit (the function locks each pair taken from,
    // then counts with a fresh snapshot); the order write is conditioned on it.
    ctes.push(`tk AS (
         SELECT e->>'key' AS key, e->>'location_id' AS location_id, e->>'sku' AS sku,
           (e->>'quantity')::int AS quantity
         FROM jsonb_array_elements(${reservation.take}::jsonb) AS e
       ),
       short AS (
         SELECT * FROM ${t.shortfall}(${reservation.take}::jsonb, ${reservation.release}::jsonb, ${reservation.basis}::bigint)
       )`);
  }
  ctes.push(`o AS (${writeOrder})`);
  const inboxKeys = [...new Set(commit.inboxKeys)];
  if (inboxKeys.length > 0) {
    ctes.push(`i AS (
         INSERT INTO ${t.inbox} (key, processed_at)
         SELECT k, ${$(inboxTime(commit))} FROM jsonb_array_elements_text(${$(JSON.stringify(inboxKeys))}::jsonb) AS k
         WHERE ${ok}
         RETURNING 1
       )`);
  }
  ctes.push(`h AS (
         INSERT INTO ${t.history} (order_id, version, at, event_type, from_status, to_status, entry)
         SELECT ${id}, ${version}, ${$(history.at)}, ${$(history.eventType)}, ${$(history.from)},
           ${$(history.to)}, ${$(JSON.stringify(history))}::json
         WHERE ${ok}
         RETURNING 1
       )`);
  if (commit.commands.length > 0) {
    const rows = commandRows(commit);
    ctes.push(`c AS (
         INSERT INTO ${t.outbox} (id, order_id, type, command, idempotency_key)
         SELECT e.v->>'id', e.v->>'order_id', e.v->>'type', e.v->'command', e.v->>'idempotency_key'
         FROM json_array_elements(${$(JSON.stringify(rows))}::json) WITH ORDINALITY AS e(v, n)
         WHERE ${ok}
         ORDER BY e.n
         RETURNING 1
       )`);
  }
  if (cancelled.length > 0) {
    ctes.push(`x AS (
         UPDATE ${t.timers} SET ${cancelSet(now())}
         WHERE ${ok} AND id = ANY(${$(cancelled)}::text[])
         RETURNING 1
       )`);
  }
  if (timers.length > 0) {
    const rows = timerRows(timers);
    ctes.push(`tm AS (
         INSERT INTO ${t.timers} (id, order_id, due_at, purpose, timer)
         SELECT e.v->>'id', e.v->>'order_id', (e.v->>'due_at')::float8, e.v->>'purpose', e.v->'timer'
         FROM json_array_elements(${$(JSON.stringify(rows))}::json) WITH ORDINALITY AS e(v, n)
         WHERE ${ok}
         ORDER BY e.n
         ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, due_at = excluded.due_at,
           purpose = excluded.purpose, timer = excluded.timer, status = 'pending',
           claim_token = NULL, claimed_until = NULL, finished_at = NULL
         RETURNING 1
       )`);
  }
  if (releases.length > 0) {
    ctes.push(`rel AS (
         UPDATE ${t.reservations} SET ${releaseSet(t, now())}
         WHERE ${ok} AND key = ANY(${$(releases)}::text[])${stock ? ' AND key NOT IN (SELECT key FROM tk)' : ''}
         RETURNING 1
       )`);
  }
  if (stock) {
    ctes.push(`tkw AS (
         INSERT INTO ${t.reservations} (key, order_id, location_id, sku, quantity, taken_at)
         SELECT key, ${id}, location_id, sku, quantity, ${now()} FROM tk WHERE ${ok}
         ON CONFLICT (key) DO UPDATE SET order_id = excluded.order_id,
           location_id = excluded.location_id, sku = excluded.sku, quantity = excluded.quantity,
           taken_at = excluded.taken_at, released_seq = NULL, released_at = NULL
         RETURNING 1
       )`);
  }
  const completes = commit.completes ?? [];
  if (completes.length > 0) {
    const ids = `${$(completes.map((c) => c.commandId))}::text[]`;
    const tokens = `${$(completes.map((c) => c.claimToken))}::text[]`;
    // Completes each command whose claim token is current (a lost claim does not match),
    // as `completeCommand` would, only when the order row was written. `id = ANY(array)`
    // keeps the prepared (generic) plan on the primary key.
    ctes.push(`dn AS (
         UPDATE ${t.outbox}
         SET status = CASE WHEN status = 'pending' THEN 'done' ELSE status END,
             finished_at = CASE WHEN status = 'pending' THEN ${now()} ELSE finished_at END,
             claimed_until = NULL
         WHERE ${ok} AND id = ANY(${ids})
           AND claim_token = (${tokens})[array_position(${ids}, id)]
         RETURNING 1
       )`);
  }
  const { rows } = await db.query<{ written: number; short: ShortRow[] | null }>(
    `WITH ${ctes.join(',\n       ')}
     SELECT (SELECT count(*) FROM o)::int AS written${stock ? ', (SELECT json_agg(short) FROM short) AS short' : ''}`,
    params,
  );
  return { written: [Number(rows[0]?.written ?? 0) === 1], short: rows[0]?.short ?? [] };
}

// Releasing reservations and cancelling timers: the rows are named by key only, and the
// "still active" test is in SET (a released row or a finished timer keeps its values). A
// \`released_seq IS NULL\` (or \`status = 'pending'\`) in WHERE lets the planner pick the
// partial index of all active rows (or pending timers) and read every entry of it on every
// commit: measured on a server without statistics (autovacuum off), a 100,000-order backlog
// read over a billion index entries while draining.

/** SET clause of a release (`now`: placeholder of the time). */
function releaseSet(t: ReservationTables, now: string): string {
  const seq = `nextval('${t.releaseSeq.replaceAll("'", "''")}')`;
  return `released_seq = CASE WHEN released_seq IS NULL THEN ${seq} ELSE released_seq END,
           released_at = CASE WHEN released_seq IS NULL THEN ${now} ELSE released_at END`;
}

/** SET clause of a timer cancel (`now`: placeholder of the time). */
function cancelSet(now: string): string {
  const pending = `status = 'pending'`;
  return `status = CASE WHEN ${pending} THEN 'cancelled' ELSE status END,
           claimed_until = CASE WHEN ${pending} THEN NULL ELSE claimed_until END,
           finished_at = CASE WHEN ${pending} THEN ${now} ELSE finished_at END`;
}

/** A take as the statements and the shortfall function read it. */
function takeRow(take: NonNullable<Commit['reservations']>['take'][number]) {
  return {
    key: take.key,
    location_id: take.locationId,
    sku: take.sku,
    quantity: take.quantity,
    available: take.available,
  };
}

/**
 * Writes `commits` (several that {@link pickBatch} put together: distinct orders, disjoint
 * take pairs, no commit that both releases and takes; one works too, though
 * {@link writeOne} is cheaper for it) in one statement. Throws when the statement fails;
 * then nothing was written.
 */
export async function writeBatch(
  db: Queryable,
  t: Tables,
  commits: readonly Commit[],
): Promise<BatchResult> {
  const params: unknown[] = [];
  const $ = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  let nowParam: string | undefined;
  const now = () => {
    nowParam ??= $(Date.now());
    return nowParam;
  };
  // Rows in order-id order: concurrent batches then lock the order rows they share in the
  // same order.
  const entries = commits
    .map((commit, n) => ({ commit, n }))
    .sort((a, b) =>
      a.commit.orderId < b.commit.orderId ? -1 : a.commit.orderId > b.commit.orderId ? 1 : 0,
    );
  const orders = entries.map(({ commit, n }) => ({
    n,
    order_id: commit.orderId,
    expected: commit.expectedVersion,
    version: commit.record.version,
    ...orderRow(commit),
    record: commit.record,
  }));
  const inbox: { n: number; key: string; processed_at: number }[] = [];
  const history: Record<string, unknown>[] = [];
  const commands: Record<string, unknown>[] = [];
  const timers: Record<string, unknown>[] = [];
  const cancels: { n: number; id: string }[] = [];
  const takes: {
    n: number;
    key: string;
    location_id: string;
    sku: string;
    quantity: number;
    available: number;
  }[] = [];
  const releases: { n: number; key: string }[] = [];
  const completes: { n: number; id: string; token: string }[] = [];
  let basis: number | null = null;
  const ownReleases: string[] = [];
  for (const { commit, n } of entries) {
    const at = inboxTime(commit);
    for (const key of new Set(commit.inboxKeys)) inbox.push({ n, key, processed_at: at });
    const h = commit.history;
    history.push({
      n,
      order_id: commit.orderId,
      version: commit.record.version,
      at: h.at,
      event_type: h.eventType,
      from_status: h.from,
      to_status: h.to,
      entry: h,
    });
    for (const row of commandRows(commit)) commands.push({ n, seq: commands.length, ...row });
    const changes = timerChanges(commit);
    for (const row of timerRows(changes.timers)) timers.push({ n, seq: timers.length, ...row });
    for (const id of changes.cancelled) cancels.push({ n, id });
    const r = commit.reservations;
    for (const take of r?.take ?? []) {
      takes.push({ n, ...takeRow(take) });
    }
    if (r?.take.length && r.basis !== undefined) basis = Math.min(basis ?? r.basis, r.basis);
    for (const key of new Set(r?.release ?? [])) {
      releases.push({ n, key });
      // Only a commit that takes may release too, and then it is alone (`pickBatch`).
      if (r?.take.length) ownReleases.push(key);
    }
    for (const c of commit.completes ?? [])
      completes.push({ n, id: c.commandId, token: c.claimToken });
  }
  const json = (rows: unknown[]) => `${$(JSON.stringify(rows))}::json`;
  // Rows an UPDATE changes are also named by a key array: \`key = ANY(...)\` keeps the
  // prepared (generic) plan on the primary key. Joined to a json_to_recordset alone (which
  // the planner guesses at 100 rows), a plan made while a table was small scans it whole,
  // and the plan is kept as the table grows.
  const keys = (values: string[]) => `${$(values)}::text[]`;
  /** A part keeps the rows of the commits whose order row was written. */
  const written = 'x.n IN (SELECT n FROM o)';
  const ctes: string[] = [
    `b AS (SELECT * FROM json_to_recordset(${json(orders)}) AS b(n int, order_id text,
       expected int, version int, status text, store text, external_id text,
       created_at timestamptz, updated_at timestamptz, status_since timestamptz,
       review_since timestamptz, record json, placed_at timestamptz, v_email text, v_ip text,
       v_address text, v_phone text, name text, last_at timestamptz, last_from text,
       last_event text, ins_flags int, note_classifier text, hold_reasons text[],
       review_reasons text[]))`,
  ];
  let fits = '';
  if (takes.length > 0) {
    // One check for every take of the batch: the pairs are disjoint, so a short pair is
    // one commit's. A commit's own releases are not counted (only a commit alone has
    // them), and the oldest basis counts the most released rows (conservative).
    ctes.push(`tk AS (SELECT * FROM json_to_recordset(${json(takes)}) AS x(n int, key text,
         location_id text, sku text, quantity int)),
       short AS (SELECT * FROM ${t.shortfall}(${$(JSON.stringify(takes))}::jsonb,
         ${$(JSON.stringify(ownReleases))}::jsonb, ${$(basis)}::bigint)),
       sn AS (SELECT DISTINCT tk.n FROM tk JOIN short
         ON short.location_id = tk.location_id AND short.sku = tk.sku)`);
    fits = ' AND b.n NOT IN (SELECT n FROM sn)';
  }
  const parts: string[] = [];
  if (orders.some((o) => o.expected === 0)) {
    ctes.push(`oi AS (
         INSERT INTO ${t.orders} (order_id, version, status, store, external_id, created_at,
           updated_at, status_since, review_since, record, placed_at, v_email, v_ip, v_address, v_phone,
           name, last_at, last_from, last_event, ins_flags, note_classifier, hold_reasons, review_reasons)
         SELECT order_id, version, status, store, external_id, created_at, updated_at,
           status_since, review_since, record, placed_at, v_email, v_ip, v_address, v_phone,
           name, last_at, last_from, last_event, ins_flags, note_classifier, hold_reasons, review_reasons
         FROM b WHERE b.expected = 0${fits}
         ON CONFLICT (order_id) DO NOTHING RETURNING order_id
       )`);
    parts.push('SELECT b.n FROM b JOIN oi ON oi.order_id = b.order_id');
  }
  if (orders.some((o) => o.expected > 0)) {
    ctes.push(`ou AS (
         UPDATE ${t.orders} AS t SET version = b.version, status = b.status, store = b.store,
           external_id = b.external_id, created_at = b.created_at, updated_at = b.updated_at,
           status_since = b.status_since, review_since = b.review_since, record = b.record,
           placed_at = b.placed_at, v_email = b.v_email, v_ip = b.v_ip,
           v_address = b.v_address, v_phone = b.v_phone, name = b.name, last_at = b.last_at,
           last_from = b.last_from, last_event = b.last_event, ins_flags = b.ins_flags,
           note_classifier = b.note_classifier, hold_reasons = b.hold_reasons,
           review_reasons = b.review_reasons
         FROM b WHERE t.order_id = ANY(${keys(orders.filter((o) => o.expected > 0).map((o) => o.order_id))})
           AND t.order_id = b.order_id AND t.version = b.expected AND b.expected > 0${fits}
         RETURNING b.n
       )`);
    parts.push('SELECT n FROM ou');
  }
  ctes.push(`o AS (${parts.join(' UNION ALL ')})`);
  /**
   * A CTE inserting the rows of written commits from a JSON array, in array order (`seq`).
   * `columns` maps each column to its SQL type; `tail` goes after the ORDER BY.
   */
  const insert = (
    name: string,
    table: string,
    columns: Record<string, string>,
    rows: unknown[],
    tail = '',
  ) => {
    const names = Object.keys(columns);
    const types = names.map((c) => `${c} ${columns[c]}`).join(', ');
    return `${name} AS (
         INSERT INTO ${table} (${names.join(', ')})
         SELECT ${names.map((c) => `x.${c}`).join(', ')}
         FROM json_to_recordset(${json(rows)}) AS x(n int, seq int, ${types})
         WHERE ${written}
         ORDER BY x.seq${tail}
         RETURNING 1
       )`;
  };
  if (inbox.length > 0) {
    ctes.push(insert('i', t.inbox, { key: 'text', processed_at: 'float8' }, inbox));
  }
  ctes.push(
    insert(
      'h',
      t.history,
      {
        order_id: 'text',
        version: 'int',
        at: 'timestamptz',
        event_type: 'text',
        from_status: 'text',
        to_status: 'text',
        entry: 'json',
      },
      history,
    ),
  );
  if (commands.length > 0) {
    const columns = {
      id: 'text',
      order_id: 'text',
      type: 'text',
      command: 'json',
      idempotency_key: 'text',
    };
    ctes.push(insert('c', t.outbox, columns, commands));
  }
  if (cancels.length > 0) {
    ctes.push(`cx AS (
         UPDATE ${t.timers} SET ${cancelSet(now())}
         WHERE id = ANY(${keys(cancels.map((c) => c.id))}) AND id IN (
           SELECT x.id FROM json_to_recordset(${json(cancels)}) AS x(n int, id text) WHERE ${written})
         RETURNING 1
       )`);
  }
  if (timers.length > 0) {
    const columns = {
      id: 'text',
      order_id: 'text',
      due_at: 'float8',
      purpose: 'text',
      timer: 'json',
    };
    ctes.push(
      insert(
        'tm',
        t.timers,
        columns,
        timers,
        `
         ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, due_at = excluded.due_at,
           purpose = excluded.purpose, timer = excluded.timer, status = 'pending',
           claim_token = NULL, claimed_until = NULL, finished_at = NULL`,
      ),
    );
  }
  if (releases.length > 0) {
    ctes.push(`rel AS (
         UPDATE ${t.reservations} SET ${releaseSet(t, now())}
         WHERE key = ANY(${keys(releases.map((r) => r.key))}) AND key IN (
           SELECT x.key FROM json_to_recordset(${json(releases)}) AS x(n int, key text) WHERE ${written})${takes.length > 0 ? '\n           AND key NOT IN (SELECT key FROM tk)' : ''}
         RETURNING 1
       )`);
  }
  if (takes.length > 0) {
    ctes.push(`tkw AS (
         INSERT INTO ${t.reservations} (key, order_id, location_id, sku, quantity, taken_at)
         SELECT x.key, b.order_id, x.location_id, x.sku, x.quantity, ${now()}
         FROM tk AS x JOIN b ON b.n = x.n
         WHERE ${written}
         ON CONFLICT (key) DO UPDATE SET order_id = excluded.order_id,
           location_id = excluded.location_id, sku = excluded.sku, quantity = excluded.quantity,
           taken_at = excluded.taken_at, released_seq = NULL, released_at = NULL
         RETURNING 1
       )`);
  }
  if (completes.length > 0) {
    ctes.push(`dn AS (
         UPDATE ${t.outbox} AS ob
         SET status = CASE WHEN ob.status = 'pending' THEN 'done' ELSE ob.status END,
             finished_at = CASE WHEN ob.status = 'pending' THEN ${now()} ELSE ob.finished_at END,
             claimed_until = NULL
         FROM json_to_recordset(${json(completes)}) AS x(n int, id text, token text)
         WHERE ob.id = ANY(${keys(completes.map((c) => c.id))})
           AND ${written} AND ob.id = x.id AND ob.claim_token = x.token
         RETURNING 1
       )`);
  }
  const { rows } = await db.query<{ written: number[] | null; short?: ShortRow[] | null }>(
    `WITH ${ctes.join(',\n       ')}
     SELECT (SELECT json_agg(n) FROM o) AS written${takes.length > 0 ? ', (SELECT json_agg(short) FROM short) AS short' : ''}`,
    params,
  );
  const done = new Set(rows[0]?.written ?? []);
  return { written: commits.map((_, n) => done.has(n)), short: rows[0]?.short ?? [] };
}
