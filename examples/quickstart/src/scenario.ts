import type { InventorySnapshot, Location, OrderEventInput, OrderInput } from '@fulfil/core';
import type { Catalog, LocationId } from './catalog';
import { CATALOG, initialStock, LOCATIONS, RESTOCK_PLAN, restockUnits, STORE } from './catalog';
import { buildOrder, type Customer, createCustomers, riskyCustomer } from './customers';
import { CANCEL_REASONS, HOURLY_WEIGHTS } from './data';
import { createRandom, type Random } from './random';

/** One delivery to the engine: an event and the simulated time it arrives. */
export interface TimedEvent {
  /** Simulated arrival time, epoch ms. */
  at: number;
  event: OrderEventInput;
  /** A redelivery of an earlier event (same idempotencyKey): the engine should drop it. */
  duplicate?: boolean;
  /**
   * Set on restock `inventory.changed` events: units received at the location. The
   * event's `available` equals `received` (restocked SKUs are sold out when goods
   * arrive); a host tracking consumption can add `received` to its own count instead.
   */
  restock?: { locationId: LocationId; sku: string; received: number };
}

export interface ScenarioOptions {
  orders: number;
  seed: number;
  /** ISO 8601 start of the simulated period. */
  start: string;
  /** Simulated days the orders are spread over. Default 3. */
  days?: number;
}

export interface Scenario {
  seed: number;
  orders: number;
  days: number;
  /** Start and end of the simulated period, epoch ms. Follow-up events may land after `end`. */
  start: number;
  end: number;
  /** Store time zone (the daily curve and note dates use it). */
  timeZone: string;
  catalog: Catalog;
  locations: Location[];
  /** Starting units per location per SKU. */
  stock: InventorySnapshot;
  /** Every delivery, sorted by `at` (ties keep generation order). */
  events: TimedEvent[];
}

/** Rough shares the generator aims for (the test checks them). */
export const SHARES = {
  risky: 0.02,
  vip: 0.1,
  kit: 0.08,
  pending: 0.08,
  /** Of pending orders, how many get paid later. */
  pendingPaid: 0.9,
  cancelled: 0.02,
  expedited: 0.15,
  note: 0.25,
  duplicate: 0.03,
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

function validate(options: ScenarioOptions): { start: number; days: number } {
  const { orders, seed } = options;
  const days = options.days ?? 3;
  if (!Number.isInteger(orders) || orders < 1) {
    throw new Error(`orders must be a positive integer, got ${orders}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`days must be a positive integer, got ${days}`);
  }
  const start = Date.parse(options.start);
  if (Number.isNaN(start)) throw new Error(`start must be an ISO 8601 time, got ${options.start}`);
  return { start, days };
}

/** Arrival times following the daily curve (rejection sampling), sorted, whole seconds. */
function arrivalTimes(rng: Random, count: number, start: number, end: number): number[] {
  const max = Math.max(...HOURLY_WEIGHTS);
  const times: number[] = [];
  while (times.length < count) {
    const t = start + Math.floor(rng.next() * (end - start));
    const localHour = Math.floor((t / HOUR + STORE.utcOffsetHours + 48) % 24);
    if (rng.next() * max < (HOURLY_WEIGHTS[localHour] ?? 0)) {
      times.push(Math.floor(t / 1000) * 1000);
    }
  }
  return times.sort((a, b) => a - b);
}

/** Two restock deliveries a day (mid-morning east, mid-afternoon west). */
function restocks(rng: Random, options: { orders: number; start: number; end: number }) {
  const out: TimedEvent[] = [];
  const offset = STORE.utcOffsetHours * HOUR;
  const firstMidnight = Math.floor((options.start + offset) / DAY) * DAY - offset;
  const rounds: [LocationId, number][] = [
    ['east', 10],
    ['west', 15],
  ];
  let receipt = 0;
  for (let day = firstMidnight; day < options.end; day += DAY) {
    for (const [locationId, hour] of rounds) {
      const at = day + hour * HOUR + rng.int(-60, 60) * MINUTE;
      if (at < options.start || at >= options.end) continue;
      const plan = RESTOCK_PLAN[locationId];
      const items = rng.shuffle(plan).slice(0, Math.min(plan.length, rng.int(2, 3)));
      receipt++;
      for (const item of items) {
        const received = restockUnits(
          rng.int(item.units, Math.ceil(item.units * 1.5)),
          options.orders,
        );
        const warehouse = locationId === 'east' ? 'east-wh' : 'west-wh';
        out.push({
          at,
          restock: { locationId, sku: item.sku, received },
          event: {
            type: 'inventory.changed',
            idempotencyKey: `wms:${warehouse}:RCV-${String(receipt).padStart(5, '0')}:${item.sku}`,
            occurredAt: new Date(at).toISOString(),
            locationId,
            sku: item.sku,
            available: received,
          },
        });
      }
    }
  }
  return out;
}

/** Follow-up events for one order: a later payment, a cancellation. */
function followUps(rng: Random, order: OrderInput, at: number, risky: boolean): TimedEvent[] {
  const out: TimedEvent[] = [];
  const externalId = order.source.externalId.split('/').pop();
  const event = (delay: number, kind: 'paid' | 'cancelled') => ({
    at: at + delay,
    idempotencyKey: `shopify:orders/${kind}:${externalId}`,
    occurredAt: new Date(at + delay).toISOString(),
    orderId: order.id,
  });
  let paidAt: number | undefined;
  if (order.paymentStatus === 'pending') {
    if (rng.chance(SHARES.pendingPaid)) {
      const e = event(rng.int(20, 20 * 60) * MINUTE, 'paid');
      paidAt = e.at;
      out.push({ at: e.at, event: { type: 'order.paid', ...without(e, 'at') } });
    } else if (rng.chance(0.5)) {
      const e = event(rng.int(24, 48) * HOUR, 'cancelled');
      out.push({
        at: e.at,
        event: { type: 'order.cancelled', ...without(e, 'at'), reason: 'declined' },
      });
      return out;
    }
  }
  // Risky orders are cancelled often (fraud); others rarely (customer changed their mind).
  const cancelRate = risky ? 0.35 : (SHARES.cancelled - SHARES.risky * 0.35) / (1 - SHARES.risky);
  if (rng.chance(cancelRate)) {
    const e = event(
      Math.max(rng.int(15, 30 * 60) * MINUTE, (paidAt ?? at) - at + MINUTE),
      'cancelled',
    );
    const reason = risky ? 'fraud' : rng.weighted(CANCEL_REASONS);
    out.push({ at: e.at, event: { type: 'order.cancelled', ...without(e, 'at'), reason } });
  }
  return out;
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _, ...rest } = value;
  return rest;
}

/**
 * Generates a deterministic, realistic stream of store and inventory events: `orders`
 * orders spread over `days` days from `start`, follow-ups (payments, cancellations),
 * restocks and a few duplicate deliveries. Same options, same scenario.
 */
export function generateScenario(options: ScenarioOptions): Scenario {
  const { start, days } = validate(options);
  const end = start + days * DAY;
  const rng = createRandom(options.seed);
  const orderRng = rng.fork('orders');
  const customers = createCustomers(
    rng.fork('customers'),
    Math.max(20, Math.round(options.orders * 0.8)),
  );
  const regular = customers.filter((c) => !c.vip);
  const vip = customers.filter((c) => c.vip);

  const events: TimedEvent[] = [];
  let externalId = 5_812_000_000_000_000_000n + BigInt(orderRng.int(0, 999_999_999)) * 1_000n;
  const times = arrivalTimes(rng.fork('arrivals'), options.orders, start, end);
  times.forEach((at, i) => {
    const risky = orderRng.chance(SHARES.risky);
    let customer: Customer;
    if (risky) customer = riskyCustomer(orderRng, customers.length + i + 1);
    else customer = orderRng.pick(orderRng.chance(SHARES.vip) ? vip : regular);
    customer.placed++;
    externalId += BigInt(orderRng.int(1_000_000, 9_000_000_000));
    const order = buildOrder(orderRng, { seq: i + 1, at, customer, risky, externalId });
    events.push({
      at,
      event: {
        type: 'order.received',
        idempotencyKey: `shopify:orders/create:${externalId}`,
        occurredAt: order.createdAt,
        order,
      },
    });
    events.push(...followUps(orderRng, order, at, risky));
  });
  events.push(...restocks(rng.fork('restocks'), { orders: options.orders, start, end }));

  // Webhooks are at-least-once: a few arrive twice, a little later.
  const dupRng = rng.fork('duplicates');
  for (const original of events.slice()) {
    if (!dupRng.chance(SHARES.duplicate)) continue;
    const copy: TimedEvent = { ...structuredClone(original), duplicate: true };
    copy.at = original.at + dupRng.int(2, 600) * 1000;
    events.push(copy);
  }
  const order = new Map(events.map((e, i) => [e, i]));
  events.sort((a, b) => a.at - b.at || order.get(a)! - order.get(b)!);

  return {
    seed: options.seed,
    orders: options.orders,
    days,
    start,
    end,
    timeZone: STORE.timeZone,
    catalog: CATALOG,
    locations: LOCATIONS,
    stock: initialStock(options.orders),
    events,
  };
}

/**
 * Applies a restock delivery to a stock map (adds `restock.received`) and returns the
 * event with `available` set to the new level. Other events are returned unchanged.
 */
export function applyRestock(stock: InventorySnapshot, timed: TimedEvent): OrderEventInput {
  const { event, restock } = timed;
  if (restock === undefined || event.type !== 'inventory.changed') return event;
  const row = stock[restock.locationId] ?? {};
  stock[restock.locationId] = row;
  if (!timed.duplicate) row[restock.sku] = (row[restock.sku] ?? 0) + restock.received;
  return { ...event, available: row[restock.sku] ?? 0 };
}
