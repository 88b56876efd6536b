import { describe, expect, it } from 'vitest';
import { defaultMachine, extendMachine } from '../../src/machine';
import {
  all,
  allowSplit,
  fact,
  forbidSplit,
  hold,
  notify,
  review,
  rule,
  transition,
} from '../../src/rules';
import { createWorld, HOUR, T0 } from './world';

const lines = [
  { id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 },
  { id: 'l2', sku: 'MUG', quantity: 2, unitPrice: 1200 },
];

describe('user example 1: backordered item AND VIP customer → split and notify the warehouse', () => {
  const rules = [
    rule('no-split-by-default')
      .at('before_routing')
      .do(forbidSplit())
      .when(fact('order.lineCount').gte(1))
      .build(),
    rule('vip-backorder')
      .at('before_routing')
      .priority(10)
      .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
      .do(
        allowSplit(),
        notify('warehouse', 'VIP order with a backordered item: ship what you have'),
      )
      .build(),
  ];
  // Only 1 MUG anywhere: the order has a backordered unit.
  const stock = () => ({ east: { 'TEE-M': 5, MUG: 1 }, west: { 'TEE-M': 5, MUG: 0 } });

  it('a VIP order ships what is in stock now, backorders the rest, and the warehouse is told', async () => {
    const w = createWorld(stock(), { rules });
    const order = w.order({ lines, customer: { email: 'vip@example.com', tags: ['VIP'] } });
    const r = await w.engine.ingest(w.received(order));
    expect(r.status).toBe('submitted');
    expect(r.explanation?.routing?.shipments).toEqual([
      {
        locationId: 'east',
        lines: [
          { lineId: 'l1', sku: 'TEE-M', quantity: 1 },
          { lineId: 'l2', sku: 'MUG', quantity: 1 },
        ],
      },
    ]);
    expect(r.explanation?.routing?.backordered).toEqual([
      { lineId: 'l2', sku: 'MUG', quantity: 1 },
    ]);
    const vip = r.explanation?.stages
      .find((s) => s.stage === 'before_routing')
      ?.rules.find((t) => t.ruleId === 'vip-backorder');
    expect(vip).toMatchObject({
      matched: true,
      facts: { 'lines.hasBackordered': true, 'customer.tags': ['VIP'] },
    });
    const notice = w.alerts.alerts().find((a) => a.message.includes('VIP order'));
    expect(notice?.title).toContain('warehouse');

    // The backordered mug arrives: the rest ships as a second shipment.
    w.stock.west!.MUG = 3;
    await w.engine.ingest({
      type: 'inventory.changed',
      idempotencyKey: 'restock-1',
      occurredAt: new Date(w.clock.now()).toISOString(),
      locationId: 'west',
      sku: 'MUG',
      available: 3,
    });
    const record = await w.engine.get(order.id);
    expect(
      record?.shipments.map((s) => [
        s.locationId,
        s.lines.map((l) => `${l.sku}x${l.quantity}`).join(','),
      ]),
    ).toEqual([
      ['east', 'TEE-Mx1,MUGx1'],
      ['west', 'MUGx1'],
    ]);
    expect(record?.backordered).toEqual([]);
  });

  it('the same order without the VIP tag is not split: nothing ships and a person is asked', async () => {
    const w = createWorld(stock(), { rules });
    const order = w.order({ lines, customer: { email: 'a@example.com', tags: [] } });
    const r = await w.engine.ingest(w.received(order));
    expect(r.status).toBe('needs_review');
    expect(r.explanation?.routing?.reason).toContain('splitting is forbidden');
    expect(w.east.orders()).toHaveLength(0);
    expect(w.alerts.alerts().some((a) => a.message.includes('VIP'))).toBe(false);
  });
});

describe('user example 2: hold 24 h, re-check inventory, then route', () => {
  const rules = [
    rule('hold-short')
      .at('before_routing')
      .when(fact('inventory.hasBackorder').eq(true))
      .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
      .build(),
  ];
  const stock = () => ({ east: { 'TEE-M': 5, MUG: 0 }, west: { 'TEE-M': 0, MUG: 0 } });

  it('stock arrives at hour 10: the order is routed then, not at hour 24', async () => {
    const w = createWorld(stock(), { rules });
    const order = w.order({ lines });
    const r = await w.engine.ingest(w.received(order));
    expect(r.status).toBe('on_hold');
    const held = await w.engine.get(order.id);
    expect(held?.holds[0]).toMatchObject({
      reason: 'waiting for stock',
      until: new Date(T0 + 24 * HOUR).toISOString(),
    });

    await w.advance(10 * HOUR);
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    w.stock.east!.MUG = 4;
    await w.engine.ingest({
      type: 'inventory.changed',
      idempotencyKey: 'arrival',
      occurredAt: new Date(w.clock.now()).toISOString(),
      locationId: 'east',
      sku: 'MUG',
      available: 4,
    });
    const routed = await w.engine.explain(order.id);
    expect(routed.record.status).toBe('submitted');
    expect(routed.history.at(-2)).toMatchObject({
      eventType: 'inventory.changed',
      from: 'on_hold',
      to: 'submitted',
      at: new Date(T0 + 10 * HOUR).toISOString(),
    });
    expect(routed.record.shipments).toHaveLength(1);

    // The expiry timer was cancelled: no timer fires at hour 24.
    await w.advance(14 * HOUR);
    const later = await w.engine.explain(order.id);
    expect(later.history.some((h) => h.eventType === 'timer.fired')).toBe(false);
    expect(later.record.status).toBe('shipped');
  });

  it('no stock arrives: at hour 24 the hold expires, inventory is re-checked and the order routed with what there is', async () => {
    const w = createWorld(stock(), { rules });
    const order = w.order({ lines });
    await w.engine.ingest(w.received(order));
    await w.advance(23 * HOUR);
    expect((await w.engine.get(order.id))?.status).toBe('on_hold');
    await w.advance(1 * HOUR);
    const { record, history } = await w.engine.explain(order.id);
    const expired = history.find((h) => h.eventType === 'timer.fired');
    expect(expired).toMatchObject({
      from: 'on_hold',
      to: 'submitted',
      at: new Date(T0 + 24 * HOUR).toISOString(),
    });
    expect(expired?.explanation.notes.join(' ')).toContain('already applied once');
    expect(record.backordered).toEqual([{ lineId: 'l2', sku: 'MUG', quantity: 2 }]);
    expect(record.shipments.map((s) => s.locationId)).toEqual(['east']);
  });
});

describe('a custom state: awaiting_engraving', () => {
  const machine = extendMachine(defaultMachine, {
    states: {
      awaiting_engraving: { kind: 'hold', on: { ENGRAVED: 'ready', CANCEL: 'cancelled' } },
    },
    transitions: [{ from: 'ready', event: 'ENGRAVE', to: 'awaiting_engraving' }],
  });
  const rules = [
    rule('engrave-first')
      .at('before_routing')
      .when(
        all(
          fact('order.tags').contains('engraving'),
          fact('record.visited').neq('awaiting_engraving'),
        ),
      )
      .do(transition('ENGRAVE'))
      .build(),
  ];

  it('enters the custom state from a rule, waits there, and routes when the host signals', async () => {
    const w = createWorld(undefined, { machine, rules });
    const order = w.order({ tags: ['engraving'] });
    expect((await w.engine.ingest(w.received(order))).status).toBe('awaiting_engraving');
    expect(w.east.orders()).toHaveLength(0);
    await w.advance(5 * HOUR); // nothing happens by itself
    expect((await w.engine.get(order.id))?.status).toBe('awaiting_engraving');
    const done = await w.engine.ingest(w.event('order.signal', order.id, { signal: 'ENGRAVED' }));
    expect(done.status).toBe('submitted');
    expect(done.explanation?.transitions.map((t) => t.to)).toEqual(['ready', 'submitted']);
    const m = w.engine.metrics();
    expect(
      m.histograms.find(
        (h) => h.name === 'time_in_state_ms' && h.labels.state === 'awaiting_engraving',
      )?.max,
    ).toBe(5 * HOUR);
  });

  it('a signal the custom state does not accept is an invalid transition, not a crash', async () => {
    const w = createWorld(undefined, { machine, rules });
    const order = w.order({ tags: ['engraving'] });
    await w.engine.ingest(w.received(order));
    const r = await w.engine.ingest(w.event('order.signal', order.id, { signal: 'GIFT_WRAPPED' }));
    expect(r.outcome).toBe('invalid_transition');
    expect((await w.engine.get(order.id))?.status).toBe('awaiting_engraving');
  });
});

describe('review and a store hold from the same stage', () => {
  it('the order goes to review, is held in the store meanwhile, and the store hold is released on approval', async () => {
    const rules = [
      rule('fraud')
        .at('paid')
        .when(fact('order.total').gte(0))
        .do(
          hold({ for: { hours: 72 }, reason: 'fraud check', storeHold: 'fraud' }),
          review('fraud check'),
        )
        .build(),
    ];
    const w = createWorld(undefined, { rules });
    const order = w.order();
    expect((await w.engine.ingest(w.received(order))).status).toBe('needs_review');
    expect(w.store.order(order.id)?.onHold).toBe(true);
    expect(w.store.order(order.id)?.holds[0]?.reason).toBe('fraud');
    const approved = await w.engine.ingest(
      w.event('review.resolved', order.id, { resolution: 'approve', by: 'ops' }),
    );
    expect(approved.status).toBe('submitted');
    expect(w.store.order(order.id)?.onHold).toBe(false);
  });
});
