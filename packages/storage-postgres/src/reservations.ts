import { FulfilError, type InventorySnapshot, type ReservedStock } from '@fulfil/core';
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

/**
 * Active reserved units of `skus` per location, and the release watermark (read first), as
 * one row: `basis` and `units` (a JSON array of `[location_id, sku, units]`). `skus` is the
 * placeholder of a text array of SKUs, read one SKU at a time (an equality per SKU keeps
 * the plan on the index of active rows; `sku = ANY(...)` over many SKUs, on a table without
 * statistics, was planned as a scan of the whole table).
 * Other columns can be selected alongside.
 */
export function reservedSelect(t: ReservationTables, skus: string): string {
  return `(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${t.releaseSeq}) AS basis,
     (SELECT json_agg(json_build_array(r.location_id, s.sku, r.units))
       FROM (SELECT DISTINCT unnest(${skus}::text[]) AS sku) AS s,
       LATERAL (
         SELECT x.location_id, sum(x.quantity)::int AS units FROM ${t.reservations} AS x
         WHERE x.sku = s.sku AND x.released_seq IS NULL
         GROUP BY x.location_id
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
