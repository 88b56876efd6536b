import {
  createEngine,
  createMemoryInventory,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type FulfilError,
  fact,
  hold,
  type OrderEventInput,
  rule,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const HOUR = 3_600_000;

/** The quickstart's shape on this storage: two simulated warehouses, a simulated clock. */
function world(stock: Record<string, Record<string, number>>, rules: unknown[] = []) {
  const clock = createSimulatedClock(T0);
  const corrupt: FulfilError[] = [];
  const storage = db.storage({ onCorrupt: (e) => corrupt.push(e) });
  const wh = (name: string, location: string) =>
    createSimulatedWarehouse({
      name,
      clock,
      locations: [location],
      stock,
      shipAfterMs: 2 * HOUR,
      deliverAfterMs: 48 * HOUR,
    });
  const east = wh('east-wh', 'east');
  const west = wh('west-wh', 'west');
  const engine = createEngine({
    storage,
    store: createMemoryStore(),
    inventory: createMemoryInventory({ stock }),
    clock,
    warehouses: { 'east-wh': east, 'west-wh': west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    rules: rules as never,
  });
  let seq = 0;
  const at = () => new Date(clock.now()).toISOString();
  return {
    clock,
    storage,
    east,
    west,
    engine,
    corrupt,
    received: (order = makeOrder()): OrderEventInput => ({
      type: 'order.received',
      idempotencyKey: `recv-${order.id}-${++seq}`,
      occurredAt: at(),
      order,
    }),
    async advance(ms: number) {
      clock.advance(ms);
      await engine.runDue();
      await engine.pollWarehouses();
    },
  };
}

describe('an engine on postgres storage', () => {
  it('orders go received → submitted → shipped → delivered; each submit once; history length = version', async () => {
    const w = world({ east: { 'TEE-M': 3 }, west: { 'TEE-M': 10 } });
    const orders = Array.from({ length: 5 }, () => makeOrder());
    for (const order of orders) {
      const event = w.received(order);
      expect((await w.engine.ingest(event)).status).toBe('submitted');
      expect((await w.engine.ingest(event)).outcome).toBe('duplicate');
    }
    expect(w.east.orders()).toHaveLength(3);
    expect(w.west.orders()).toHaveLength(2);
    await w.advance(3 * HOUR);
    await w.advance(48 * HOUR);
    for (const order of orders) {
      const { record, history } = await w.engine.explain(order.id);
      expect(record.status).toBe('delivered');
      expect(history.map((h) => h.version)).toEqual(
        Array.from({ length: record.version }, (_, i) => i + 1),
      );
    }
    expect(w.east.duplicateSubmits + w.west.duplicateSubmits).toBe(0);
    expect(await w.storage.insights.ordersByState()).toEqual([{ state: 'delivered', count: 5 }]);
    const pending = await db.sql(`SELECT id FROM "${db.schema}".outbox WHERE status <> 'done'`);
    expect(pending).toEqual([]);
  });

  it('a hold timer stored in postgres fires at hour 24 and the order is routed', async () => {
    const rules = [
      rule('hold-short')
        .at('before_routing')
        .when(fact('inventory.hasBackorder').eq(true))
        .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
        .build(),
    ];
    const w = world({ east: { 'TEE-M': 1 }, west: { 'TEE-M': 0 } }, rules);
    const order = makeOrder({ lines: [{ id: 'l1', sku: 'TEE-M', quantity: 2, unitPrice: 2500 }] });
    expect((await w.engine.ingest(w.received(order))).status).toBe('on_hold');
    await w.advance(23 * HOUR);
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    await w.advance(1 * HOUR);
    const { history } = await w.engine.explain(order.id);
    expect(history.find((h) => h.eventType === 'timer.fired')).toMatchObject({ from: 'on_hold' });
    expect(history.filter((h) => h.eventType === 'timer.fired')).toHaveLength(1);
    // Released by its own firing: the decision cancels the claimed timer, so it ends cancelled.
    const timers = await db.sql<{ status: string }>(`SELECT status FROM "${db.schema}".timers`);
    expect(timers.map((t) => t.status)).toEqual(['cancelled']);
    expect((await w.engine.runDue()).timers).toBe(0);
  });

  it('a corrupted order is skipped by a stock fan-out; the other waiting orders are still routed', async () => {
    const rules = [
      rule('hold-short')
        .at('before_routing')
        .when(fact('inventory.hasBackorder').eq(true))
        .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
        .build(),
    ];
    const stock = { east: { MUG: 0 }, west: { MUG: 0 } };
    const w = world(stock, rules);
    const line = { id: 'l1', sku: 'MUG', quantity: 1, unitPrice: 1200 };
    const [a, b] = [makeOrder({ lines: [line] }), makeOrder({ lines: [line] })];
    await w.engine.ingest(w.received(a));
    await w.engine.ingest(w.received(b));
    await db.sql(`UPDATE "${db.schema}".orders SET record = '{"bad":1}' WHERE order_id = $1`, [
      a.id,
    ]);
    stock.east.MUG = 5;
    const result = await w.engine.ingest({
      type: 'inventory.changed',
      idempotencyKey: 'arrival',
      occurredAt: new Date(w.clock.now()).toISOString(),
      locationId: 'east',
      sku: 'MUG',
      available: 5,
    });
    expect(result.fanout).toBe(1);
    expect((await w.engine.get(b.id))?.status).toBe('submitted');
    expect(w.corrupt.map((e) => e.details.orderId)).toEqual([a.id]);
  });
});
