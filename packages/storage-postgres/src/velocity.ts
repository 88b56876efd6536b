import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit';
import type { Queryable } from './runner';

// Risk velocity: orders per email / IP / address / phone in a window. Internal.

/** What a velocity count is keyed on (as core's risk scorer names them). */
export type VelocityKey = 'email' | 'ip' | 'address' | 'phone';

/** Count orders with the same normalized key value placed in `[since, until]` (epoch ms). */
export interface VelocityQuery {
  key: VelocityKey;
  /** The normalized value (as core's `velocityValues` computes it). */
  value: string;
  since: number;
  until: number;
  /** Leave this order out of the count. */
  excludeOrderId?: string;
}

/** The order fields velocity reads (a structural subset of core's `Order`). */
interface VelocityOrder {
  clientIp?: string | null;
  customer?: { email?: string; phone?: string } | null;
  shippingAddress?: {
    line1?: string;
    line2?: string;
    postalCode?: string;
    country?: string;
    phone?: string;
  } | null;
}

/**
 * The normalized value per key, as core's `velocityValues` (packages/core/src/risk/velocity.ts)
 * computes them; kept in step with it until core exports that function.
 */
export function velocityValues(order: VelocityOrder): Partial<Record<VelocityKey, string>> {
  const out: Partial<Record<VelocityKey, string>> = {};
  const email = order.customer?.email?.trim().toLowerCase();
  if (email) out.email = email;
  if (order.clientIp) out.ip = order.clientIp.trim();
  const a = order.shippingAddress;
  if (a?.line1) {
    out.address = [a.line1, a.line2 ?? '', a.postalCode ?? '', a.country ?? '']
      .join('|')
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^a-z0-9|]+/g, '');
  }
  const phone = (order.customer?.phone ?? a?.phone)?.replace(/\D+/g, '');
  if (phone && phone.length >= 6) out.phone = phone;
  return out;
}

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
