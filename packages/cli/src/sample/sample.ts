import type { InventorySnapshot, OrderInput } from '@fulfil/core';
import { createRandom } from '@fulfil/example-quickstart/src/random';
import { generateScenario } from '@fulfil/example-quickstart/src/scenario';
import { shopifyCsvHeader, shopifyCsvRows } from '../shopify/csv-writer';

/** Options of {@link writeSampleExport}. */
export interface SampleOptions {
  orders: number;
  seed: number;
  /** Days the orders are spread over. Default 30. */
  days?: number;
  /** ISO start. Default `2026-10-01T04:00:00Z`. */
  start?: string;
}

const HOUR = 3_600_000;

/**
 * Writes a realistic Shopify order export (the quickstart's seeded store: VIPs, kits, notes,
 * risky customers, late payments, cancellations) line by line through `write`, and returns
 * the stock snapshot the store had (starting units plus the period's deliveries), for
 * `fulfil audit --stock`. The store "fulfilled" each paid, uncancelled order 4-72 hours
 * after payment (`Fulfilled at`).
 */
export function writeSampleExport(
  options: SampleOptions,
  write: (line: string) => void,
): InventorySnapshot {
  const scenario = generateScenario({
    orders: options.orders,
    seed: options.seed,
    days: options.days ?? 30,
    start: options.start ?? '2026-10-01T04:00:00Z',
  });
  const paid = new Map<string, number>();
  const cancelled = new Map<string, { at: number; reason?: string }>();
  const stock = structuredClone(scenario.stock);
  for (const t of scenario.events) {
    if (t.duplicate) continue;
    const e = t.event;
    if (e.type === 'order.paid') paid.set(e.orderId, t.at);
    else if (e.type === 'order.cancelled')
      cancelled.set(e.orderId, { at: t.at, ...(e.reason ? { reason: e.reason } : {}) });
    else if (t.restock) {
      const row = stock[t.restock.locationId] ?? {};
      row[t.restock.sku] = (row[t.restock.sku] ?? 0) + t.restock.received;
      stock[t.restock.locationId] = row;
    }
  }
  const rng = createRandom(options.seed).fork('export');
  write(shopifyCsvHeader());
  for (const t of scenario.events) {
    if (t.duplicate || t.event.type !== 'order.received') continue;
    const order = t.event.order as OrderInput;
    const created = Date.parse(order.createdAt);
    const paidAt = order.paymentStatus === 'paid' ? created : paid.get(order.id);
    const cancel = cancelled.get(order.id);
    const financial =
      cancel && paidAt === undefined
        ? 'voided'
        : cancel
          ? 'refunded'
          : paidAt !== undefined
            ? 'paid'
            : order.paymentStatus;
    const fulfilledAt =
      !cancel && paidAt !== undefined
        ? paidAt + rng.int(4, 72) * HOUR + rng.int(0, 59) * 60_000
        : undefined;
    const risk = order.storeRisk?.level;
    const vip = order.customer?.tags?.includes('VIP');
    for (const line of shopifyCsvRows(
      { ...order, tags: [...(order.tags ?? []), ...(vip ? ['VIP'] : [])] },
      {
        id: order.source.externalId.replace(/\D+/g, ''),
        financialStatus: financial,
        ...(paidAt === undefined ? {} : { paidAt }),
        ...(fulfilledAt === undefined ? {} : { fulfilledAt }),
        ...(cancel ? { cancelledAt: cancel.at } : {}),
        ...(risk
          ? { riskLevel: risk === 'low' ? 'Low' : risk === 'medium' ? 'Medium' : 'High' }
          : {}),
        acceptsMarketing: order.customer?.tags?.includes('newsletter') ?? false,
      },
    ))
      write(line);
  }
  return stock;
}
