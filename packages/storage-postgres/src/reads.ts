import type { ReservedStock } from '@fulfil/core';
import type { Tables } from './commit-sql';
import type { GroupOutcome } from './group-queue';
import { type ReservedColumns, reservedFrom, reservedSelect } from './reservations';
import type { Queryable } from './runner';

// Reads of one order's record (and, with `skus`, the reserved stock of its SKUs), alone or
// grouped: several callers' reads in one statement. Internal.

/** One `load` (no `skus`) or `loadWithReserved`. */
export interface ReadRequest {
  orderId: string;
  skus?: string[];
}

/** The stored record as the database returned it (unchecked), and the reserved stock. */
export interface ReadResult {
  record: unknown;
  reserved?: ReservedStock;
}

/**
 * Reads one request: the record, then (with `skus`) the watermark and reserved units. (Its
 * own statement rather than a group of one: a plain primary-key read costs the server less.)
 */
export async function readOne(db: Queryable, t: Tables, r: ReadRequest): Promise<ReadResult> {
  if (r.skus === undefined) {
    const { rows } = await db.query<{ record: unknown }>(
      `SELECT record FROM ${t.orders} WHERE order_id = $1`,
      [r.orderId],
    );
    return { record: rows[0]?.record ?? null };
  }
  const { rows } = await db.query<ReservedColumns & { record: unknown }>(
    `SELECT (SELECT record FROM ${t.orders} WHERE order_id = $1) AS record,
       ${reservedSelect(t, '$2')}`,
    [r.orderId, r.skus],
  );
  return { record: rows[0]?.record ?? null, reserved: reservedFrom(rows[0]) };
}

/**
 * Reads several requests in one statement: the records first, then (when any request has
 * SKUs) the watermark and the reserved units of all their SKUs, each request getting its
 * own SKUs' units: the same as reading it alone.
 */
export async function readMany(
  db: Queryable,
  t: Tables,
  requests: readonly ReadRequest[],
): Promise<GroupOutcome<ReadResult>[]> {
  const ids = [...new Set(requests.map((r) => r.orderId))];
  const skus = [...new Set(requests.flatMap((r) => r.skus ?? []))];
  const stock = requests.some((r) => r.skus !== undefined);
  const { rows } = await db.query<
    Partial<ReservedColumns> & { records: Record<string, unknown> | null }
  >(
    `SELECT (SELECT json_object_agg(order_id, record) FROM ${t.orders}
       WHERE order_id = ANY($1::text[])) AS records${stock ? `, ${reservedSelect(t, '$2')}` : ''}`,
    stock ? [ids, skus] : [ids],
  );
  const row = rows[0];
  const records = row?.records ?? {};
  return requests.map((r) => ({
    value: {
      record: Object.hasOwn(records, r.orderId) ? records[r.orderId] : null,
      ...(r.skus === undefined
        ? {}
        : { reserved: reservedFrom(row as ReservedColumns, new Set(r.skus)) }),
    },
  }));
}
