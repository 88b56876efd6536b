import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine';
import type { InventorySource } from '../../src/ports/services';
import { fact, hold, rule } from '../../src/rules';
import { createWorld, HOUR } from './world';

const holdShort = rule('hold-short')
  .at('before_routing')
  .when(fact('inventory.hasBackorder').eq(true))
  .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
  .build();

/**
 * An InventorySource whose first `n` reads wait for each other, so `n` decisions read the
 * same stock before any of them commits (a deterministic race).
 */
function raceOnFirstReads(inner: InventorySource, n: number): InventorySource {
  const waiting: (() => void)[] = [];
  let reads = 0;
  return {
    async available(skus) {
      if (++reads <= n) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === n) for (const go of waiting) go();
        });
      }
      return inner.available(skus);
    },
  };
}

/** Several engines sharing one world's storage, warehouses and stock (as processes share a database). */
function engines(
  stock: Record<string, Record<string, number>>,
  count: number,
  extra: Partial<EngineOptions> = {},
) {
  const w = createWorld(stock, { rules: [holdShort] });
  const inventory = raceOnFirstReads(w.inventory, count);
  const options: EngineOptions = {
    storage: w.storage,
    store: w.store,
    alerts: w.alerts,
    inventory,
    clock: w.clock,
    warehouses: { 'east-wh': w.east, 'west-wh': w.west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    rules: [holdShort],
    autoDispatch: false,
    ...extra,
  };
  return { w, list: Array.from({ length: count }, () => createEngine(options)) };
}

const conflicts = (list: Engine[]) =>
  list
    .flatMap((e) => e.metrics().counters)
    .filter((c) => c.name === 'version_conflicts')
    .reduce((n, c) => n + c.value, 0);

const tee = (quantity: number) => [{ id: 'l1', sku: 'TEE-M', quantity, unitPrice: 2500 }];

describe('stock reservations in the engine (memory storage)', () => {
  it('three engines race for 3 units at east and 1 at west with 2-unit orders: each unit is promised once; the loser re-reads stock and is held', async () => {
    const { w, list } = engines({ east: { 'TEE-M': 3 }, west: { 'TEE-M': 1 } }, 3);
    const orders = list.map(() => w.order({ lines: tee(2) }));
    const results = await Promise.all(list.map((e, i) => e.ingest(w.received(orders[i]!))));
    // Each read 4 units before anyone committed; the commit-time check sent the losers back.
    expect(conflicts(list)).toBeGreaterThanOrEqual(1);
    expect(results.map((r) => r.status).sort()).toEqual(['on_hold', 'submitted', 'submitted']);
    const reserved = w.storage.reservations();
    const byLocation = (loc: string) =>
      reserved.filter((r) => r.locationId === loc).reduce((n, r) => n + r.quantity, 0);
    expect(byLocation('east')).toBeLessThanOrEqual(3);
    expect(byLocation('west')).toBeLessThanOrEqual(1);
    expect(byLocation('east') + byLocation('west')).toBe(4);
    // The held order's decision says why: it saw the others' reservations.
    const held = results.find((r) => r.status === 'on_hold');
    expect(held?.explanation?.stages.at(-1)?.rules[0]?.matched).toBe(true);

    await list[0]!.dispatch();
    const submitted = [...w.east.orders(), ...w.west.orders()];
    // Every submit was accepted: as many upstream orders as submits, no rejection.
    expect(w.east.calls.submit + w.west.calls.submit).toBe(submitted.length);
    const units = submitted.flatMap((o) => o.request.lines).reduce((n, l) => n + l.quantity, 0);
    expect(units).toBe(4);
    expect(w.stock.east?.['TEE-M']).toBe(3 - byLocation('east'));
    // Accepted shipments hand their units to the warehouse's own figure: released.
    expect(w.storage.reservations()).toEqual([]);
  });

  it('without reservations the same race over-promises: the warehouse rejects and the order is re-routed', async () => {
    const { w, list } = engines({ east: { 'TEE-M': 1 }, west: { 'TEE-M': 0 } }, 2, {
      reservations: false,
    });
    const orders = list.map(() => w.order({ lines: tee(1) }));
    const results = await Promise.all(list.map((e, i) => e.ingest(w.received(orders[i]!))));
    expect(results.map((r) => r.status)).toEqual(['submitted', 'submitted']);
    await list[0]!.dispatch();
    expect(w.east.calls.submit).toBe(2);
    const records = await Promise.all(orders.map((o) => w.engine.get(o.id)));
    expect(records.map((r) => r?.shipments.map((s) => s.status).join()).sort()).toEqual([
      'accepted',
      'rejected',
    ]);
  });

  it('with reservations the same race sends one submit; the other order holds and is routed when stock arrives', async () => {
    const { w, list } = engines({ east: { 'TEE-M': 1 }, west: { 'TEE-M': 0 } }, 2);
    const orders = list.map(() => w.order({ lines: tee(1) }));
    const results = await Promise.all(list.map((e, i) => e.ingest(w.received(orders[i]!))));
    expect(results.map((r) => r.status).sort()).toEqual(['on_hold', 'submitted']);
    await list[0]!.dispatch();
    expect(w.east.calls.submit).toBe(1);
    expect(w.east.orders().map((o) => o.status)).toEqual(['accepted']);

    const held = orders[results.findIndex((r) => r.status === 'on_hold')]!;
    w.stock.west!['TEE-M'] = 1;
    await list[1]!.ingest({
      type: 'inventory.changed',
      idempotencyKey: 'arrival',
      occurredAt: new Date(w.clock.now()).toISOString(),
      locationId: 'west',
      sku: 'TEE-M',
      available: 1,
    });
    expect((await w.engine.get(held.id))?.status).toBe('submitted');
    expect(w.storage.reservations()).toEqual([
      expect.objectContaining({ orderId: held.id, locationId: 'west', sku: 'TEE-M', quantity: 1 }),
    ]);
  });

  it('a kit reserves each component; cancelling before the warehouse accepts releases them', async () => {
    const w = createWorld({ east: { A: 4, B: 4 }, west: {} });
    const kit = w.order({
      lines: [
        {
          id: 'k1',
          sku: 'GIFT-BOX',
          quantity: 2,
          unitPrice: 9000,
          kit: {
            components: [
              { sku: 'A', quantity: 1 },
              { sku: 'B', quantity: 2 },
            ],
          },
        },
      ],
    });
    const engine = createEngine({ ...engineOptions(w), autoDispatch: false });
    await engine.ingest(w.received(kit));
    expect(w.storage.reservations().map((r) => [r.locationId, r.sku, r.quantity])).toEqual([
      ['east', 'A', 2],
      ['east', 'B', 4],
    ]);
    // B is fully reserved: a second kit cannot have it, although the warehouse still shows 4.
    const second = w.order({ lines: kit.lines });
    expect((await engine.ingest(w.received(second))).status).toBe('needs_review');
    await engine.ingest(w.event('order.cancelled', kit.id, { reason: 'customer asked' }));
    expect(w.storage.reservations()).toEqual([]);
  });

  it("releaseOn: 'shipped' keeps the units reserved until the shipment ships", async () => {
    const w = createWorld({ east: { 'TEE-M': 5 }, west: {} });
    const engine = createEngine({ ...engineOptions(w), reservations: { releaseOn: 'shipped' } });
    const order = w.order({ lines: tee(2) });
    await engine.ingest(w.received(order));
    expect((await engine.get(order.id))?.shipments.map((s) => s.status)).toEqual(['accepted']);
    expect(w.storage.reservations().map((r) => r.quantity)).toEqual([2]);
    w.clock.advance(3 * HOUR);
    await engine.pollWarehouses();
    expect((await engine.get(order.id))?.status).toBe('shipped');
    expect(w.storage.reservations()).toEqual([]);
  });

  it('a rejected shipment releases its units and is re-routed without that location, reserving there', async () => {
    const w = createWorld({ east: { 'TEE-M': 5 }, west: { 'TEE-M': 5 } });
    const engine = createEngine({ ...engineOptions(w), autoDispatch: false });
    const order = w.order({ lines: tee(1) });
    await engine.ingest(w.received(order));
    expect(w.storage.reservations().map((r) => r.locationId)).toEqual(['east']);
    w.east.rejectNext('address not serviceable');
    await engine.dispatch();
    const record = await engine.get(order.id);
    expect(record?.shipments.map((s) => [s.locationId, s.status])).toEqual([
      ['east', 'rejected'],
      ['west', 'accepted'],
    ]);
    expect(w.storage.reservations()).toEqual([]);
    const history = (await engine.explain(order.id)).history;
    const rejected = history.find((h) => h.eventType === 'warehouse.rejected');
    expect(rejected?.explanation.routing?.shipments.map((s) => s.locationId)).toEqual(['west']);
  });
});

function engineOptions(w: ReturnType<typeof createWorld>): EngineOptions {
  return {
    storage: w.storage,
    store: w.store,
    alerts: w.alerts,
    inventory: w.inventory,
    clock: w.clock,
    warehouses: { 'east-wh': w.east, 'west-wh': w.west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
  };
}
