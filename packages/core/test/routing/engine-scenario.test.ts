import { describe, expect, it } from 'vitest';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { greedyRouter } from '../../src/routing/router';
import { fact, hold, review, rule } from '../../src/rules';
import { createWorld, HOUR, T0 } from '../engine/world';

const lines = [
  { id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
  { id: 'l2', sku: 'MUG', quantity: 2, unitPrice: 1200 },
];
const rules = [
  rule('hold-short')
    .at('before_routing')
    .when(fact('inventory.hasBackorder').eq(true))
    .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
    .build(),
  rule('still-short')
    .at('hold_expired')
    .when(fact('inventory.hasBackorder').eq(true))
    .do(review('still short of stock after 24 h'))
    .build(),
];
const shortStock = () => ({ east: { 'TEE-M': 5, MUG: 0 }, west: { 'TEE-M': 0, MUG: 0 } });

describe('engine with createOptimalRouter on the simulated clock', () => {
  it('an order short of stock is held 24 h; stock arrives at hour 10 and it is routed then, with an explanation', async () => {
    const w = createWorld(shortStock(), { rules, router: createOptimalRouter() });
    const order = w.order({ lines });
    expect((await w.engine.ingest(w.received(order))).status).toBe('on_hold');

    await w.advance(10 * HOUR);
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    w.stock.west!.MUG = 4;
    w.stock.west!['TEE-M'] = 1;
    await w.engine.ingest({
      type: 'inventory.changed',
      idempotencyKey: 'arrival',
      occurredAt: new Date(w.clock.now()).toISOString(),
      locationId: 'west',
      sku: 'MUG',
      available: 4,
    });
    const { record, history } = await w.engine.explain(order.id);
    expect(record.status).toBe('submitted');
    // west can fill everything: one shipment, and the explanation says why.
    const arrival = history.find((h) => h.eventType === 'inventory.changed');
    expect(arrival).toMatchObject({
      from: 'on_hold',
      to: 'submitted',
      at: new Date(T0 + 10 * HOUR).toISOString(),
    });
    const routing = arrival?.explanation.routing;
    expect(routing?.shipments.map((s) => s.locationId)).toEqual(['west']);
    expect(routing?.reason).toMatch(
      /^optimal: 1 shipment\(s\) from west \(cost 0, fixed costs\), proven optimal/,
    );

    await w.advance(14 * HOUR);
    const later = await w.engine.explain(order.id);
    expect(later.history.some((h) => h.eventType === 'timer.fired')).toBe(false);
  });

  it('a second order with no arrival goes to review at hour 24 with the reason', async () => {
    const w = createWorld(shortStock(), { rules, router: createOptimalRouter() });
    const order = w.order({ lines });
    await w.engine.ingest(w.received(order));
    await w.advance(23 * HOUR);
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    await w.advance(1 * HOUR);
    const { record, history } = await w.engine.explain(order.id);
    expect(record.status).toBe('needs_review');
    expect(record.review?.reasons.join(' ')).toContain('still short of stock after 24 h');
    expect(history.at(-1)).toMatchObject({
      eventType: 'timer.fired',
      at: new Date(T0 + 24 * HOUR).toISOString(),
    });
    expect(w.east.orders()).toHaveLength(0);
  });

  it('routes by cost: a cheaper location wins over a better priority, where greedy takes the priority', async () => {
    const locations = [
      { id: 'east', warehouse: 'east-wh', priority: 1, costPerShipment: 900 },
      { id: 'west', warehouse: 'west-wh', priority: 2, costPerShipment: 100 },
    ];
    const optimal = createWorld(undefined, { locations, router: createOptimalRouter() });
    const a = await optimal.engine.ingest(optimal.received(optimal.order({ lines })));
    expect(a.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['west']);
    expect(a.explanation?.routing?.reason).toContain('runner-up east: costs 800 more');

    const greedy = createWorld(undefined, { locations, router: greedyRouter });
    const b = await greedy.engine.ingest(greedy.received(greedy.order({ lines })));
    expect(b.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['east']);
  });
});
