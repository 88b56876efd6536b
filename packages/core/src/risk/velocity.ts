import type { Order } from '../model/order';

/** What a velocity count is keyed on. */
export type VelocityKey = 'email' | 'ip' | 'address' | 'phone';

/** Count orders with the same key value placed in `[since, until]` (epoch ms). */
export interface VelocityQuery {
  key: VelocityKey;
  /** The normalized value (see {@link velocityValues}). */
  value: string;
  since: number;
  until: number;
  /** Leave this order out of the count. */
  excludeOrderId?: string;
}

/**
 * Counts recent orders per email, IP, address or phone, for the risk scorer's
 * velocity signal.
 *
 * Contract:
 * - `countRecentOrders` MUST count distinct orders whose normalized value for
 *   `key` equals `value` and whose `createdAt` is within `[since, until]`,
 *   leaving out `excludeOrderId`.
 * - `record`, when present, MUST make the order count from then on (sources
 *   that cannot see stored orders learn them here); recording the same order
 *   id again MUST NOT count it twice.
 */
export interface VelocitySource {
  countRecentOrders(query: VelocityQuery): Promise<number>;
  record?(order: Order): Promise<void> | void;
}

/** The normalized values of an order per key (missing keys are left out). */
export function velocityValues(order: Order): Partial<Record<VelocityKey, string>> {
  const out: Partial<Record<VelocityKey, string>> = {};
  const email = order.customer?.email?.trim().toLowerCase();
  if (email) out.email = email;
  if (order.clientIp) out.ip = order.clientIp.trim();
  const a = order.shippingAddress;
  if (a?.line1) {
    out.address = [a.line1, a.line2 ?? '', a.postalCode ?? '', a.country]
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

/** The in-memory {@link VelocitySource}: it counts the orders it was given with `record`. */
export interface MemoryVelocitySource extends VelocitySource {
  record(order: Order): void;
}

/**
 * Creates an in-memory velocity source (tests, the quickstart, one process).
 *
 * @example
 * ```ts
 * const velocity = createMemoryVelocitySource();
 * const risk = new RuleBasedRiskScorer({ velocity, recordOrders: true });
 * ```
 */
export function createMemoryVelocitySource(): MemoryVelocitySource {
  const orders = new Map<string, { at: number; values: Partial<Record<VelocityKey, string>> }>();
  return {
    record(order) {
      if (orders.size >= 100_000) orders.delete(orders.keys().next().value as string);
      orders.set(order.id, { at: Date.parse(order.createdAt), values: velocityValues(order) });
    },
    async countRecentOrders(q) {
      let n = 0;
      for (const [id, o] of orders) {
        if (id === q.excludeOrderId || o.at < q.since || o.at > q.until) continue;
        if (o.values[q.key] === q.value) n++;
      }
      return n;
    },
  };
}

/**
 * A velocity source backed by a Storage that can count (the proposed optional
 * `Storage.countRecentOrders`); undefined when the storage cannot.
 */
export function storageVelocitySource(storage: {
  countRecentOrders?(query: VelocityQuery): Promise<number>;
}): VelocitySource | undefined {
  const count = storage.countRecentOrders;
  return count === undefined ? undefined : { countRecentOrders: (q) => count.call(storage, q) };
}
