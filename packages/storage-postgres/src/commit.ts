import { type Commit, FulfilError } from '@fulfil/core';
import { invalid } from './commit-check';
import { sqlState } from './db-errors';
import { quoteIdent } from './options';
import {
  applyCtes,
  type ReservationTables,
  reservationParams,
  stockCheckCtes,
  stockConflict,
} from './reservations';
import type { Queryable } from './runner';
import { velocityValues } from './velocity';

// The commit: one SQL statement, hence one atomic transaction and one round trip. Internal.

/** Quoted, schema-qualified table names. */
export interface Tables extends ReservationTables {
  orders: string;
  history: string;
  inbox: string;
  outbox: string;
  timers: string;
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
    reservations: `${s}.reservations`,
    releaseSeq: `${s}.reservation_release_seq`,
    shortfall: `${s}.reservation_shortfall`,
  };
}

/** A (location, SKU) whose takes did not fit, as the statement reports it. */
interface ShortRow {
  location_id: string;
  sku: string;
  take: number;
  available: number;
  reserved: number;
}

/** A unique violation's constraint, if that is what `err` is. */
function violated(err: unknown): string | undefined {
  if (sqlState(err) !== '23505') return undefined;
  const constraint = (err as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}

/**
 * Writes a checked commit in one statement of data-modifying CTEs. The order row is written
 * first (`UPDATE ... WHERE version = $expected`, or `INSERT ... ON CONFLICT DO NOTHING` for
 * a new order); every other part runs only when that row was written, so a stale version
 * writes nothing and reports `VERSION_CONFLICT` before any id collision can happen. An inbox
 * key already processed fails the whole statement with a unique violation, reported as
 * `VERSION_CONFLICT`; a command id that already exists fails it as `INVALID_INPUT`.
 *
 * Reservations: the statement also checks the takes (`short`, which locks each (location,
 * SKU) taken from and counts with a fresh snapshot: see `stockCheckCtes`) and writes the
 * order row only when every take fits, then releases and takes in the same statement.
 */
export async function writeCommit(db: Queryable, t: Tables, commit: Commit): Promise<void> {
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
  };
  const expected = $(expectedVersion);
  const r = commit.reservations;
  const stock = r !== undefined && (r.take.length > 0 || r.release.length > 0);
  const rp = stock ? reservationParams(r) : undefined;
  const reservation = rp && { take: $(rp.takes), release: $(rp.release), basis: $(rp.basis) };
  const fits = stock ? ' AND NOT EXISTS (SELECT 1 FROM short)' : '';
  const writeOrder =
    expectedVersion === 0
      ? `INSERT INTO ${t.orders} (order_id, version, status, store, external_id, created_at,
           updated_at, status_since, review_since, record, placed_at, v_email, v_ip, v_address, v_phone)
         SELECT ${id}, ${version}, ${order.status}, ${order.store}, ${order.externalId},
           ${order.createdAt}, ${order.updatedAt}, ${order.statusSince}, ${order.reviewSince},
           ${order.record}::json, ${order.placedAt}, ${order.email}, ${order.ip}, ${order.address},
           ${order.phone}
         WHERE ${expected}::int = 0${fits}
         ON CONFLICT (order_id) DO NOTHING RETURNING 1`
      : `UPDATE ${t.orders} SET version = ${version}, status = ${order.status},
           store = ${order.store}, external_id = ${order.externalId},
           created_at = ${order.createdAt}, updated_at = ${order.updatedAt},
           status_since = ${order.statusSince}, review_since = ${order.reviewSince},
           record = ${order.record}::json, placed_at = ${order.placedAt}, v_email = ${order.email},
           v_ip = ${order.ip}, v_address = ${order.address}, v_phone = ${order.phone}
         WHERE order_id = ${id} AND version = ${expected}${fits} RETURNING 1`;
  const ok = 'EXISTS (SELECT 1 FROM o)';
  const ctes: string[] = [];
  if (reservation) ctes.push(stockCheckCtes(t, reservation));
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
         UPDATE ${t.timers} SET status = 'cancelled', claimed_until = NULL, finished_at = ${now()}
         WHERE ${ok} AND status = 'pending'
           AND id IN (SELECT jsonb_array_elements_text(${$(JSON.stringify(cancelled))}::jsonb))
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
  if (stock) ctes.push(applyCtes(t, { orderId: id, now: now(), ok }));
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
  let written: number;
  let short: ShortRow[] | null = null;
  try {
    const { rows } = await db.query<{ written: number; short: ShortRow[] | null }>(
      `WITH ${ctes.join(',\n       ')}
       SELECT (SELECT count(*) FROM o)::int AS written${stock ? ', (SELECT json_agg(short) FROM short) AS short' : ''}`,
      params,
    );
    written = Number(rows[0]?.written ?? 0);
    short = rows[0]?.short ?? null;
  } catch (err) {
    const constraint = violated(err);
    if (constraint === undefined) throw err;
    if (constraint.startsWith('outbox')) {
      throw invalid(
        orderId,
        'commit.commands',
        `a command id already exists (${detail(err)})`,
        err,
      );
    }
    // The inbox (or, for a damaged database, history) already has this event.
    throw new FulfilError(
      'VERSION_CONFLICT',
      `order "${orderId}": an event of this commit was already processed; reload and skip it (${detail(err)})`,
      { cause: err, details: { orderId, constraint } },
    );
  }
  if (written === 1) return;
  const { rows } = await db.query<{ version: number | null; seen: boolean }>(
    `SELECT (SELECT version FROM ${t.orders} WHERE order_id = $1) AS version,
       EXISTS (SELECT 1 FROM ${t.inbox} WHERE key IN (SELECT jsonb_array_elements_text($2::jsonb))) AS seen`,
    [orderId, JSON.stringify(commit.inboxKeys)],
  );
  const stored = rows[0]?.version == null ? null : Number(rows[0].version);
  if (rows[0]?.seen) {
    throw new FulfilError(
      'VERSION_CONFLICT',
      `order "${orderId}": an event of this commit was already processed; reload and skip it`,
      { details: { orderId } },
    );
  }
  const first = short?.[0];
  if (first !== undefined && (stored ?? 0) === expectedVersion) throw stockConflict(orderId, first);
  throw new FulfilError(
    'VERSION_CONFLICT',
    `order "${orderId}" is at version ${stored ?? 'none'}, commit expected ${expectedVersion}`,
    { details: { orderId, expectedVersion, storedVersion: stored } },
  );
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

function detail(err: unknown): string {
  const d = (err as { detail?: unknown }).detail;
  return typeof d === 'string' ? d : err instanceof Error ? err.message : String(err);
}
