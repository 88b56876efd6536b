import { type Order, type VelocityQuery, type VelocitySource, velocityValues } from '@fulfil/core';

/**
 * A velocity source for long replays: orders indexed by key and value and dropped once
 * older than the window, so a count costs the matching orders, not every order seen (the
 * core's memory source scans them all, which a 100,000-order audit cannot afford).
 */
export function createWindowedVelocity(
  windowMs: number,
): VelocitySource & { record(order: Order): void } {
  const index = new Map<string, { at: number; id: string }[]>();
  let newest = 0;
  let pruned = 0;
  const prune = () => {
    const limit = newest - windowMs;
    for (const [k, list] of index) {
      let i = 0;
      while (i < list.length && (list[i] as { at: number }).at < limit) i++;
      if (i === list.length) index.delete(k);
      else if (i > 0) list.splice(0, i);
    }
  };
  return {
    record(order) {
      const at = Date.parse(order.createdAt);
      newest = Math.max(newest, at);
      for (const [key, value] of Object.entries(velocityValues(order))) {
        const k = `${key}\u0000${value}`;
        const list = index.get(k) ?? [];
        list.push({ at, id: order.id });
        index.set(k, list);
      }
      if (newest - pruned > windowMs) {
        prune();
        pruned = newest;
      }
    },
    async countRecentOrders(q: VelocityQuery) {
      let n = 0;
      for (const o of index.get(`${q.key}\u0000${q.value}`) ?? []) {
        if (o.id !== q.excludeOrderId && o.at >= q.since && o.at <= q.until) n++;
      }
      return n;
    },
  };
}
