import type { DecideConfig } from '../../src/decide/types';
import { buildDecideConfig } from '../../src/engine/options';
import {
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import type { OrderEvent } from '../../src/model/events';
import type { InventorySnapshot, LocationInput } from '../../src/model/facts';
import { Order, type OrderInput } from '../../src/model/order';
import type { RuleInput } from '../../src/rules/schema';

export const T0 = Date.parse('2026-11-27T09:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Three locations: east preferred, then west, then north. Each has its own warehouse. */
export const LOCATIONS: LocationInput[] = [
  { id: 'east', warehouse: 'east-wh', priority: 1 },
  { id: 'west', warehouse: 'west-wh', priority: 2 },
  { id: 'north', warehouse: 'north-wh', priority: 3 },
];

/**
 * A rule set touching every flow-stopping feature: a tag, a review for big
 * orders, a 24 h hold released by stock, forbid/allow split with a priority clash.
 */
export const RULES: RuleInput[] = [
  {
    id: 'tag-vip',
    stage: 'received',
    when: { fact: 'customer.tags', op: 'contains', value: 'VIP' },
    actions: [{ type: 'add_tag', tag: 'vip' }],
  },
  {
    id: 'review-high-total',
    stage: 'paid',
    when: { fact: 'order.total', op: 'gt', value: 50_000 },
    actions: [{ type: 'review', reason: 'order total above $500' }],
  },
  {
    id: 'hold-short',
    stage: 'before_routing',
    when: { fact: 'inventory.hasBackorder', op: 'eq', value: true },
    actions: [
      {
        type: 'hold',
        reason: 'waiting for stock',
        for: { hours: 24 },
        releaseOnStock: true,
        storeHold: 'out_of_stock',
      },
    ],
  },
  {
    id: 'no-split-kits',
    stage: 'before_routing',
    when: { fact: 'lines.hasKit', op: 'eq', value: true },
    actions: [{ type: 'forbid_split' }],
  },
  {
    id: 'vip-may-split',
    stage: 'before_routing',
    priority: 10,
    when: { fact: 'customer.tags', op: 'contains', value: 'VIP' },
    actions: [{ type: 'allow_split' }, { type: 'add_instruction', text: 'VIP: gift wrap' }],
  },
];

/** A DecideConfig built the way the engine builds it (buildDecideConfig), with memory warehouses. */
export function makeConfig(
  rules: RuleInput[] = RULES,
  locations: LocationInput[] = LOCATIONS,
): DecideConfig {
  const clock = createSimulatedClock(T0);
  const wh = (name: string, loc: string) =>
    createSimulatedWarehouse({ name, clock, locations: [loc] });
  return buildDecideConfig({
    storage: createMemoryStorage(),
    warehouses: {
      'east-wh': wh('east-wh', 'east'),
      'west-wh': wh('west-wh', 'west'),
      'north-wh': wh('north-wh', 'north'),
    },
    locations,
    rules,
    timeZone: 'America/New_York',
  });
}

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Springfield',
  province: 'IL',
  postalCode: '62701',
  country: 'US',
};

/** A parsed order with stable ids: `o-1`, one T-shirt, paid, created at T0. */
export function order(patch: Partial<OrderInput> = {}): Order {
  return Order.parse({
    id: 'o-1',
    source: {
      channel: 'shopify',
      store: 'acme.myshopify.com',
      externalId: '820982911946154508',
      name: '#1001',
      adminUrl: 'https://admin.shopify.com/store/acme/orders/820982911946154508',
    },
    customer: { id: 'c-1', email: 'ada@example.com', tags: [], ordersCount: 2 },
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    lines: [{ id: 'l1', sku: 'TEE', title: 'T-shirt', quantity: 1, unitPrice: 2500 }],
    paymentStatus: 'paid',
    currency: 'USD',
    totals: { subtotal: 2500, shipping: 500, total: 3000 },
    createdAt: iso(T0),
    updatedAt: iso(T0),
    ...patch,
  } satisfies OrderInput);
}

let seq = 0;
/** A fresh idempotency key. */
export const key = (what: string) => `${what}#${++seq}`;

export function received(o: Order, at = T0): OrderEvent {
  return { type: 'order.received', idempotencyKey: key('recv'), occurredAt: iso(at), order: o };
}

type ForOrder = Exclude<OrderEvent, { type: 'order.received' | 'order.updated' }>;
type Body<T extends ForOrder['type']> = Omit<
  Extract<ForOrder, { type: T }>,
  'type' | 'idempotencyKey' | 'occurredAt' | 'orderId'
>;

/** An event about order `orderId` (default `o-1`) with a fresh key. */
export function ev<T extends ForOrder['type']>(
  type: T,
  body: Body<T>,
  orderId = 'o-1',
  at = T0,
): OrderEvent {
  return {
    type,
    idempotencyKey: key(type),
    occurredAt: iso(at),
    orderId,
    ...body,
  } as unknown as OrderEvent;
}

/** Stock everywhere for the SKUs used in these tests. */
export const PLENTY: InventorySnapshot = {
  east: { TEE: 50, MUG: 50, CAP: 50, PIN: 50 },
  west: { TEE: 50, MUG: 50, CAP: 50, PIN: 50 },
  north: { TEE: 50, MUG: 50, CAP: 50, PIN: 50 },
};

/** Freezes `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
