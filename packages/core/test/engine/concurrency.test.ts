import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine';
import { createWorld } from './world';

/** Two engine processes sharing one storage (as many Lambdas share one database). */
function twoEngines(autoDispatch = true) {
  const w = createWorld({ east: { 'TEE-M': 100 }, west: { 'TEE-M': 100 } });
  const options = {
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
    autoDispatch,
  };
  return { w, a: createEngine(options), b: createEngine(options) };
}

const conflicts = (e: ReturnType<typeof createEngine>) =>
  e.metrics().counters.find((c) => c.name === 'version_conflicts')?.value ?? 0;

describe('engines sharing one storage', () => {
  it('concurrent events on one order: the loser reloads and decides again; nothing is lost', async () => {
    const { w, a, b } = twoEngines();
    const order = w.order({ paymentStatus: 'pending', tags: [] });
    await a.ingest(w.received(order));
    const update = w.event('order.updated', order.id, {
      order: { ...order, tags: ['rush'], updatedAt: '2026-11-27T09:30:00Z' },
      upstreamUpdatedAt: '2026-11-27T09:30:00Z',
    });
    const [paid, updated] = await Promise.all([
      a.ingest(w.event('order.paid', order.id)),
      b.ingest(update),
    ]);
    expect([paid.outcome, updated.outcome]).toEqual(['applied', 'applied']);
    expect(conflicts(a) + conflicts(b)).toBeGreaterThanOrEqual(1);
    const { record, history } = await a.explain(order.id);
    // received, paid, updated (either order), then the warehouse's acceptance.
    expect(history.map((h) => h.version)).toEqual([1, 2, 3, 4]);
    expect(record.version).toBe(history.length);
    expect(record.order.tags).toEqual(['rush']);
    expect(record.status).toBe('submitted');
    expect(w.east.orders()).toHaveLength(1);
  });

  it('the same delivery to both engines at once is processed once', async () => {
    const { w, a, b } = twoEngines();
    const event = w.received(w.order());
    const results = await Promise.all([a.ingest(event), b.ingest(event)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['applied', 'duplicate']);
    expect(w.east.orders()).toHaveLength(1);
    expect(w.east.calls.submit).toBe(1);
  });

  it('two dispatchers draining one outbox run each command once', async () => {
    const { w, a, b } = twoEngines(false);
    for (let i = 0; i < 20; i++) await a.ingest(w.received(w.order()));
    expect(w.east.calls.submit).toBe(0);
    const [ra, rb] = await Promise.all([a.dispatch(), b.dispatch()]);
    expect(w.east.calls.submit).toBe(20);
    expect(w.east.duplicateSubmits).toBe(0);
    expect(ra.done + rb.done).toBeGreaterThanOrEqual(20);
    const records = await w.storage.listOrders({});
    expect(records.map((r) => r.shipments.map((s) => s.status).join())).toEqual(
      Array(20).fill('accepted'),
    );
  });
});
