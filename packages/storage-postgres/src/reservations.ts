import {
  type CommitReservations,
  FulfilError,
  type InventorySnapshot,
  type ReservedStock,
} from '@fulfil/core';
import type { Queryable } from './runner';

// Stock reservations: the SQL a commit adds, `reserved()` and the purge of released rows.
// Internal.
//
// A reservation row is active while `released_seq` is NULL. Releasing sets `released_seq`
// from a sequence; `reserved()` returns the sequence's last value as the basis, and a take
// counts every row that is active or was released after its basis (see the Storage port).

/** Quoted, schema-qualified names of the reservation objects. */
export interface ReservationTables {
  reservations: string;
  /** The release sequence (quoted, qualified). */
  releaseSeq: string;
  /** The `reservation_shortfall` function (quoted, qualified). */
  shortfall: string;
}

/** Released rows are kept this long for decisions that read stock before the release. */
export const RELEASED_RETENTION_MS = 60 * 60_000;

/** The reservation parts of a commit as statement parameters. */
export interface ReservationParams {
  takes: string;
  release: string;
  basis: number | null;
}

export function reservationParams(r: CommitReservations): ReservationParams {
  return {
    takes: JSON.stringify(
      r.take.map((t) => ({
        key: t.key,
        location_id: t.locationId,
        sku: t.sku,
        quantity: t.quantity,
        available: t.available,
      })),
    ),
    release: JSON.stringify([...new Set(r.release)]),
    basis: r.basis ?? null,
  };
}

/**
 * CTEs for the commit statement, before `o` (the order write). `p` holds the parameter
 * placeholders. `short` lists the (location, SKU) pairs whose takes do not fit; the order
 * write MUST be conditioned on `NOT EXISTS (SELECT 1 FROM short)`. `short` calls the
 * schema's `reservation_shortfall` function (migration 3): it takes the advisory lock of
 * each pair taken from, then counts with a fresh snapshot, so the check sees every take
 * committed before the lock and concurrent takes on one pair are serialised, all within
 * the commit's single statement.
 */
export function stockCheckCtes(
  t: ReservationTables,
  p: { take: string; release: string; basis: string },
): string {
  return `tk AS (
         SELECT e->>'key' AS key, e->>'location_id' AS location_id, e->>'sku' AS sku,
           (e->>'quantity')::int AS quantity
         FROM jsonb_array_elements(${p.take}::jsonb) AS e
       ),
       rk AS (SELECT jsonb_array_elements_text(${p.release}::jsonb) AS key),
       short AS (
         SELECT * FROM ${t.shortfall}(${p.take}::jsonb, ${p.release}::jsonb, ${p.basis}::bigint)
       )`;
}

/** CTEs that apply the releases and takes when `ok` (the order row was written). */
export function applyCtes(
  t: ReservationTables,
  p: { orderId: string; now: string; ok: string },
): string {
  return `rel AS (
         UPDATE ${t.reservations} SET released_seq = nextval('${t.releaseSeq.replaceAll("'", "''")}'), released_at = ${p.now}
         WHERE ${p.ok} AND released_seq IS NULL
           AND key IN (SELECT key FROM rk) AND key NOT IN (SELECT key FROM tk)
         RETURNING 1
       ),
       tkw AS (
         INSERT INTO ${t.reservations} (key, order_id, location_id, sku, quantity, taken_at)
         SELECT key, ${p.orderId}, location_id, sku, quantity, ${p.now} FROM tk WHERE ${p.ok}
         ON CONFLICT (key) DO UPDATE SET order_id = excluded.order_id,
           location_id = excluded.location_id, sku = excluded.sku, quantity = excluded.quantity,
           taken_at = excluded.taken_at, released_seq = NULL, released_at = NULL
         RETURNING 1
       )`;
}

/**
 * Active reserved units of `skus` per location, and the release watermark (read first), as
 * one row: `basis` and `units` (a JSON array of `[location_id, sku, units]`). `skus` is the
 * placeholder of a text array of SKUs (`sku = ANY(...)` keeps prepared plans on the index).
 * Other columns can be selected alongside.
 */
export function reservedSelect(t: ReservationTables, skus: string): string {
  return `(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${t.releaseSeq}) AS basis,
     (SELECT json_agg(json_build_array(r.location_id, r.sku, r.units)) FROM (
       SELECT location_id, sku, sum(quantity)::int AS units FROM ${t.reservations}
       WHERE sku = ANY(${skus}::text[]) AND released_seq IS NULL
       GROUP BY location_id, sku
     ) AS r) AS units`;
}

/** The columns {@link reservedSelect} adds to a row. */
export interface ReservedColumns {
  basis: string | number | null;
  units: [string, string, number][] | null;
}

/** {@link ReservedStock} from the columns of {@link reservedSelect}, for `only` SKUs if given. */
export function reservedFrom(
  row: ReservedColumns | undefined,
  only?: ReadonlySet<string>,
): ReservedStock {
  const units: InventorySnapshot = {};
  for (const [location, sku, n] of row?.units ?? []) {
    if (!n || (only !== undefined && !only.has(sku))) continue;
    const at = units[location] ?? {};
    at[sku] = Number(n);
    units[location] = at;
  }
  return { units, basis: Number(row?.basis ?? 0) };
}

/** Active reserved units of `skus` per location, and the release watermark (read first). */
export async function reservedUnits(
  db: Queryable,
  t: ReservationTables,
  skus: string[],
): Promise<ReservedStock> {
  const { rows } = await db.query<ReservedColumns>(`SELECT ${reservedSelect(t, '$1')}`, [skus]);
  return reservedFrom(rows[0]);
}

/** The VERSION_CONFLICT of a take that does not fit (same wording and details as core's memory storage). */
export function stockConflict(
  orderId: string,
  p: { location_id: string; sku: string; take: number; available: number; reserved: number },
): FulfilError {
  return new FulfilError(
    'VERSION_CONFLICT',
    `order "${orderId}": ${p.take} unit(s) of "${p.sku}" at "${p.location_id}" do not fit: ${p.reserved} of ${p.available} already reserved; reload, read stock again and decide again`,
    {
      details: {
        orderId,
        reason: 'stock',
        locationId: p.location_id,
        sku: p.sku,
        requested: Number(p.take),
        reserved: Number(p.reserved),
        available: Number(p.available),
      },
    },
  );
}

/** Deletes reservations released before `before` (epoch ms). Returns how many. */
export async function purgeReleased(
  db: Queryable,
  t: ReservationTables,
  before: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${t.reservations} WHERE released_seq IS NOT NULL AND released_at < $1`,
    [before],
  );
  return rowCount;
}
