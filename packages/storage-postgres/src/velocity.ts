import { parseOrThrow, type VelocityKey, type VelocityQuery } from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import type { Queryable } from './runner';

// Risk velocity: orders per email / IP / address / phone in a window. Internal.

export type { VelocityKey, VelocityQuery } from '@fulfil/core';
export { velocityValues } from '@fulfil/core';

const COLUMN: Record<VelocityKey, string> = {
  email: 'v_email',
  ip: 'v_ip',
  address: 'v_address',
  phone: 'v_phone',
};

const Query = z.object({
  key: z.enum(['email', 'ip', 'address', 'phone']),
  value: z.string(),
  since: z.number().finite(),
  until: z.number().finite(),
  excludeOrderId: z.string().optional(),
});

/** Counts distinct stored orders with `value` for `key`, placed within `[since, until]`. */
export async function countRecentOrders(
  db: Queryable,
  t: Tables,
  query: VelocityQuery,
): Promise<number> {
  const q = parseOrThrow(Query, query, 'query');
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${t.orders}
     WHERE ${COLUMN[q.key]} = $1 AND placed_at BETWEEN $2 AND $3
       AND ($4::text IS NULL OR order_id <> $4)`,
    [
      q.value,
      new Date(q.since).toISOString(),
      new Date(q.until).toISOString(),
      q.excludeOrderId ?? null,
    ],
  );
  return Number(rows[0]?.n ?? 0);
}
