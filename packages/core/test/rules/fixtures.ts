import type { z } from 'zod';
import { type InventoryFacts, Order, type OrderInput, type RuleContext } from '../../src';
import type { DecisionFacts } from '../../src/model/facts';
import { OrderRecord } from '../../src/model/record';

/** 2026-03-04T15:00:00Z, a Wednesday (10:00 in New York). */
export const NOW = Date.parse('2026-03-04T15:00:00Z');

/** A valid order; `patch` overrides top-level fields. */
export function makeOrder(patch: Partial<OrderInput> = {}): Order {
  return Order.parse({
    id: 'o-1',
    source: { channel: 'shopify', store: 'acme.myshopify.com', externalId: '820982911946154508' },
    customer: { id: 'c-1', email: 'ada@example.com', tags: ['VIP', 'wholesale'], ordersCount: 3 },
    shippingAddress: { country: 'us', province: 'NY', postalCode: '10001' },
    lines: [
      { id: 'l-1', sku: 'MUG-RED', quantity: 2, unitPrice: 1500 },
      { id: 'l-2', sku: 'TEE-BLK-M', quantity: 1, unitPrice: 2500 },
    ],
    note: 'please ship after Dec 1',
    tags: ['web'],
    paymentStatus: 'paid',
    shipping: { method: 'Standard', expedited: false },
    currency: 'USD',
    totals: { subtotal: 5500, total: 6200, shipping: 700 },
    createdAt: '2026-03-04T14:00:00Z',
    updatedAt: '2026-03-04T14:00:00Z',
    ...patch,
  });
}

export interface ContextOptions {
  order?: Order;
  facts?: DecisionFacts;
  inventory?: InventoryFacts;
  record?: Partial<z.input<typeof OrderRecord>>;
  now?: number;
  timeZone?: string;
}

/** A rule context around `makeOrder()`. */
export function makeContext(options: ContextOptions = {}): RuleContext {
  const order = options.order ?? makeOrder();
  const ctx: RuleContext = {
    order,
    event: {
      type: 'order.received',
      idempotencyKey: `received:${order.id}`,
      occurredAt: order.createdAt,
      order,
    },
    facts: options.facts ?? {},
    now: options.now ?? NOW,
    timeZone: options.timeZone ?? 'America/New_York',
  };
  if (options.inventory !== undefined) ctx.inventory = options.inventory;
  if (options.record !== undefined) {
    ctx.record = OrderRecord.parse({
      orderId: order.id,
      version: 1,
      status: 'received',
      statusSince: order.createdAt,
      order,
      upstreamUpdatedAt: order.updatedAt,
      visited: ['received'],
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      ...options.record,
    });
  }
  return ctx;
}

/** Inventory where line `l-1` (MUG-RED) is short. */
export const SHORT: InventoryFacts = {
  canFillFromOneLocation: false,
  shortSkus: ['MUG-RED'],
  shortLineIds: ['l-1'],
  hasBackorder: true,
};

/** Inventory where everything ships from one location. */
export const IN_STOCK: InventoryFacts = {
  canFillFromOneLocation: true,
  shortSkus: [],
  shortLineIds: [],
  hasBackorder: false,
};
