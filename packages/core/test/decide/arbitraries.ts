import fc from 'fast-check';
import type { InventorySnapshot } from '../../src/model/facts';
import { Order, type OrderInput } from '../../src/model/order';
import { HOUR, iso, T0 } from './helpers';

/** Fifteen SKUs: enough for 5 lines of 3-component kits without sharing a SKU. */
export const WIDE_SKUS = [
  'TEE',
  'MUG',
  'CAP',
  'PIN',
  'BAG',
  'HAT',
  'SOCK',
  'BELT',
  'SCARF',
  'GLOVE',
  'MASK',
  'BOOK',
  'PEN',
  'CUP',
  'BOWL',
] as const;
/** Four SKUs, so lines and kit components often share one. */
export const NARROW_SKUS = ['TEE', 'MUG', 'CAP', 'PIN'] as const;
export const LOCATION_IDS = ['east', 'west', 'north'] as const;

interface LineSpec {
  kind: 'plain' | 'kit' | 'splittable';
  quantity: number;
  components: number[];
  noSku: boolean;
  shipAfterHours: number | null;
  price: number;
}

const lineSpec: fc.Arbitrary<LineSpec> = fc.record({
  kind: fc.constantFrom<LineSpec['kind']>('plain', 'plain', 'plain', 'kit', 'splittable'),
  quantity: fc.integer({ min: 1, max: 5 }),
  components: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }),
  noSku: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  shipAfterHours: fc.option(fc.integer({ min: 1, max: 48 }), { freq: 12 }),
  price: fc.integer({ min: 0, max: 30_000 }),
});

/**
 * Random orders with 1-5 lines (plain lines, whole kits, splittable kits), paid or pending.
 * With `distinct`, no SKU appears twice across lines and kit components; otherwise
 * SKUs come from {@link NARROW_SKUS} and often repeat.
 */
export function orderArb(distinct: boolean): fc.Arbitrary<Order> {
  const pool = distinct ? WIDE_SKUS : NARROW_SKUS;
  return fc
    .record({
      lines: fc.array(lineSpec, { minLength: 1, maxLength: 5 }),
      skus: distinct
        ? fc.shuffledSubarray([...pool], { minLength: pool.length, maxLength: pool.length })
        : fc.array(fc.constantFrom(...pool), { minLength: 15, maxLength: 15 }),
      noShipping: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      paid: fc.constantFrom('paid', 'paid', 'authorized', 'pending'),
      vip: fc.boolean(),
      big: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    })
    .map(({ lines, skus, noShipping, paid, vip, big }) => {
      let next = 0;
      const sku = () => skus[next++ % skus.length] as string;
      const built: NonNullable<OrderInput['lines']> = lines.map((l, i) => {
        const base = {
          id: `l${i + 1}`,
          title: `Line ${i + 1}`,
          quantity: l.quantity,
          unitPrice: l.price,
          // rarely a digital line
          requiresShipping: !(noShipping[i] && l.kind === 'plain' && l.price % 7 === 0),
          ...(l.shipAfterHours === null ? {} : { shipAfter: iso(T0 + l.shipAfterHours * HOUR) }),
        };
        if (l.kind === 'plain') return { ...base, sku: l.noSku ? null : sku() };
        return {
          ...base,
          sku: `KIT-${i + 1}`,
          kit: {
            splittable: l.kind === 'splittable',
            components: l.components.map((quantity) => ({ sku: sku(), quantity })),
          },
        };
      });
      const subtotal = built.reduce((n, l) => n + l.unitPrice * l.quantity, 0);
      const total = big ? Math.max(subtotal, 60_000) : Math.min(subtotal, 50_000);
      return Order.parse({
        id: 'o-1',
        source: { channel: 'shopify', store: 'acme', externalId: '820982911946154508' },
        customer: { id: 'c-1', tags: vip ? ['VIP'] : [], ordersCount: 1 },
        shippingAddress: { country: 'US', city: 'Springfield', line1: '1 Main St' },
        lines: built,
        paymentStatus: paid,
        currency: 'USD',
        totals: { subtotal, total },
        createdAt: iso(T0),
        updatedAt: iso(T0),
      } satisfies OrderInput);
    });
}

/** A stock snapshot for 2-3 of the locations over every SKU of `pool` (0-8 units, sometimes absent). */
export function snapshotArb(pool: readonly string[]): fc.Arbitrary<InventorySnapshot> {
  const perLocation = fc.array(fc.option(fc.integer({ min: 0, max: 8 }), { freq: 6 }), {
    minLength: pool.length,
    maxLength: pool.length,
  });
  return fc
    .record({
      where: fc.shuffledSubarray([...LOCATION_IDS], { minLength: 2, maxLength: 3 }),
      stock: fc.array(perLocation, { minLength: 3, maxLength: 3 }),
    })
    .map(({ where, stock }) => {
      const snap: InventorySnapshot = {};
      where.forEach((loc, i) => {
        const row: Record<string, number> = {};
        (stock[i] ?? []).forEach((n, j) => {
          if (n !== null) row[pool[j] as string] = n;
        });
        snap[loc] = row;
      });
      return snap;
    });
}

/** An abstract step: what happens next, resolved against the record when applied. */
export type StepSpec =
  | { kind: 'paid' }
  | {
      kind: 'updated';
      newer: boolean;
      minutes: number;
      change: 'payment' | 'address' | 'tags' | 'quantity' | 'none';
      payment: 'paid' | 'pending' | 'refunded';
      pick: number;
    }
  | { kind: 'received_again' }
  | { kind: 'cancelled' }
  | { kind: 'inventory' }
  | { kind: 'timer'; pick: number; bogus: boolean }
  | { kind: 'accepted' | 'rejected' | 'delivered'; pick: number }
  | { kind: 'shipped'; pick: number; partial: boolean; amounts: number[] }
  | {
      kind: 'review';
      resolution: 'approve' | 'cancel' | 'route' | 'release_hold';
      location: string | null;
    }
  | { kind: 'failed'; commandType: string }
  | { kind: 'signal'; signal: string };

const pick = fc.nat({ max: 7 });

export const stepSpecArb: fc.Arbitrary<StepSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'paid' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('updated' as const),
      newer: fc.boolean(),
      minutes: fc.integer({ min: 0, max: 600 }),
      change: fc.constantFrom('payment', 'address', 'tags', 'quantity', 'none') as fc.Arbitrary<
        'payment' | 'address' | 'tags' | 'quantity' | 'none'
      >,
      payment: fc.constantFrom('paid', 'pending', 'refunded') as fc.Arbitrary<
        'paid' | 'pending' | 'refunded'
      >,
      pick,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'received_again' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancelled' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'inventory' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('timer' as const), pick, bogus: fc.boolean() }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom('accepted', 'rejected', 'delivered') as fc.Arbitrary<
        'accepted' | 'rejected' | 'delivered'
      >,
      pick,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('shipped' as const),
      pick,
      partial: fc.boolean(),
      amounts: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      resolution: fc.constantFrom('approve', 'cancel', 'route', 'release_hold') as fc.Arbitrary<
        'approve' | 'cancel' | 'route' | 'release_hold'
      >,
      location: fc.option(fc.constantFrom('east', 'west', 'north', 'mars')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('failed' as const),
      commandType: fc.constantFrom('warehouse.submit', 'store.hold', 'store.add_tags'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('signal' as const),
      // Built-in machine events are refused by the event schema; custom ones only.
      signal: fc.constantFrom('ENGRAVE', 'ENGRAVED', 'GIFT_WRAPPED'),
    }),
  },
);

/** One step: what happens, how much later, and the stock seen then (or the previous stock). */
export interface Step {
  spec: StepSpec;
  advanceMinutes: number;
  snapshot: InventorySnapshot | null;
}

export function stepsArb(pool: readonly string[]): fc.Arbitrary<Step[]> {
  return fc.array(
    fc.record({
      spec: stepSpecArb,
      advanceMinutes: fc.integer({ min: 0, max: 30 * 60 }),
      snapshot: fc.option(snapshotArb(pool), { freq: 2 }),
    }),
    { minLength: 1, maxLength: 25 },
  );
}
