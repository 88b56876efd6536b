import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide';
import type { Decision } from '../../src/decide/types';
import type { Command } from '../../src/model/commands';
import type { OrderEvent } from '../../src/model/events';
import type { InventorySnapshot } from '../../src/model/facts';
import type { Order } from '../../src/model/order';
import type { OrderRecord } from '../../src/model/record';
import { DAY, ev, HOUR, iso, makeConfig, order, PLENTY, RULES, received, T0 } from './helpers';

const plain = makeConfig([]);
const ruled = makeConfig(RULES);
const tracking = (n: string) => ({ carrier: 'SimPost', number: n });

function only<T extends Command['type']>(cs: Command[], type: T) {
  const found = cs.filter((c): c is Extract<Command, { type: T }> => c.type === type);
  expect(found, `${type} commands`).toHaveLength(1);
  return found[0] as Extract<Command, { type: T }>;
}

const first = (o: Order, inventory: InventorySnapshot = PLENTY, config = plain) =>
  decide(undefined, received(o), { inventory }, config, T0);

/** Applies events one after another; returns the last decision and the record. */
function chain(record: OrderRecord | undefined, steps: [OrderEvent, InventorySnapshot, number][]) {
  let r = record;
  let last: Decision | undefined;
  for (const [event, inventory, at] of steps) {
    last = decide(r, event, { inventory }, plain, at);
    if (last.record) r = last.record;
  }
  return { last: last as Decision, record: r as OrderRecord };
}

describe('decide: a new order', () => {
  it('routes a paid order to one location with one warehouse.submit carrying everything', () => {
    const o = order({
      customer: { id: 'c-1', tags: ['VIP'] },
      note: 'leave at the door',
      lines: [
        { id: 'l1', sku: 'TEE', title: 'T-shirt', quantity: 2, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: 1200 },
      ],
    });
    const d = first(o, PLENTY, ruled);
    expect(d.outcome).toBe('applied');
    expect(d.record).toMatchObject({ status: 'submitted', version: 1, tags: ['vip'] });
    const submit = only(d.commands, 'warehouse.submit');
    expect(submit).toMatchObject({
      warehouse: 'east-wh',
      orderId: 'o-1',
      idempotencyKey: 'submit:o-1-s1',
      reason: 'routed to east',
    });
    expect(submit.request).toMatchObject({
      orderId: 'o-1',
      orderName: '#1001',
      locationId: 'east',
      currency: 'USD',
      note: 'leave at the door',
      instructions: ['VIP: gift wrap'],
      shipTo: o.shippingAddress,
      lines: [
        { lineId: 'l1', sku: 'TEE', title: 'T-shirt', quantity: 2, unitPrice: 2500 },
        { lineId: 'l2', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: 1200 },
      ],
    });
    expect(submit.request.shipment).toEqual(d.record?.shipments[0]);
    expect(d.history).toMatchObject({ version: 1, from: null, to: 'submitted' });
  });

  it('waits for payment when pending, then routes on order.paid', () => {
    const d = first(order({ paymentStatus: 'pending' }));
    expect(d.record?.status).toBe('awaiting_payment');
    expect(d.commands).toEqual([]);
    const paid = decide(d.record, ev('order.paid', {}), { inventory: PLENTY }, plain, T0 + HOUR);
    expect(paid.record).toMatchObject({ status: 'submitted', version: 2 });
    expect(paid.record?.order.paymentStatus).toBe('paid');
    only(paid.commands, 'warehouse.submit');
  });

  it('ships a whole kit from one location that has every component', () => {
    const kit = {
      components: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
    };
    const o = order({ lines: [{ id: 'k', sku: 'KIT', quantity: 2, unitPrice: 9000, kit }] });
    const stock = { east: { TEE: 9 }, west: { MUG: 9 }, north: { TEE: 2, MUG: 4 } };
    const d = first(o, stock);
    expect(d.record?.status).toBe('submitted');
    expect(d.record?.shipments).toHaveLength(1);
    expect(d.record?.shipments[0]).toMatchObject({
      locationId: 'north',
      lines: [{ lineId: 'k', sku: 'KIT', quantity: 2, components: kit.components }],
    });
  });

  it('never splits a non-splittable kit: with components at different places it backorders', () => {
    const kit = {
      components: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
      ],
    };
    const o = order({ lines: [{ id: 'k', sku: 'KIT', quantity: 1, unitPrice: 9000, kit }] });
    const d = first(o, { east: { TEE: 9 }, west: { MUG: 9 } });
    expect(d.commands.filter((c) => c.type === 'warehouse.submit')).toEqual([]);
    expect(d.record?.status).toBe('needs_review');
    expect(d.record?.backordered).toMatchObject([{ lineId: 'k', sku: 'KIT', quantity: 1 }]);
  });

  it('splits the components of a splittable kit across locations', () => {
    const kit = {
      splittable: true,
      components: [
        { sku: 'TEE', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
      ],
    };
    const o = order({ lines: [{ id: 'k', sku: 'KIT', quantity: 2, unitPrice: 9000, kit }] });
    const d = first(o, { east: { TEE: 9 }, west: { MUG: 9 } });
    expect(d.record?.status).toBe('submitted');
    expect(d.record?.shipments.map((s) => [s.locationId, s.lines])).toEqual([
      ['east', [{ lineId: 'k', sku: 'TEE', quantity: 2 }]],
      ['west', [{ lineId: 'k', sku: 'MUG', quantity: 2 }]],
    ]);
  });

  it('skips lines that do not require shipping', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 1, unitPrice: 2500 },
        { id: 'gift', sku: 'GIFTCARD', quantity: 1, unitPrice: 5000, requiresShipping: false },
      ],
    });
    const d = first(o);
    const submit = only(d.commands, 'warehouse.submit');
    expect(submit.request.lines.map((l) => l.lineId)).toEqual(['l1']);
    expect(d.record?.backordered).toEqual([]);
  });

  it('sends a line without a SKU to review, with the reason and an alert linking the order', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 1, unitPrice: 2500 },
        { id: 'custom', sku: null, title: 'Custom engraving', quantity: 1, unitPrice: 900 },
      ],
    });
    const d = first(o);
    expect(d.record?.status).toBe('needs_review');
    expect(d.record?.review?.reasons).toEqual(['line(s) custom need shipping but have no SKU']);
    const alert = only(d.commands, 'alert');
    expect(alert).toMatchObject({ severity: 'warning', title: 'Order #1001 needs review' });
    expect(alert.link).toBe(o.source.adminUrl);
    expect(d.commands.some((c) => c.type === 'warehouse.submit')).toBe(false);
  });

  it('holds an order whose lines ship later, with a timer at that time, then routes it', () => {
    const at = T0 + 3 * DAY;
    const o = order({
      lines: [{ id: 'pre', sku: 'TEE', quantity: 1, unitPrice: 2500, shipAfter: iso(at) }],
    });
    const d = first(o);
    expect(d.record?.status).toBe('on_hold');
    const hold = d.record?.holds[0];
    expect(hold).toMatchObject({ ruleId: 'system:ship-after', until: iso(at) });
    expect(d.timers).toEqual([
      {
        id: `o-1:${hold?.id}`,
        orderId: 'o-1',
        dueAt: iso(at),
        purpose: 'hold_expiry',
        holdId: hold?.id,
      },
    ]);
    expect(d.commands.some((c) => c.type === 'warehouse.submit')).toBe(false);

    const fired = ev('timer.fired', { timerId: `o-1:${hold?.id}`, purpose: 'hold_expiry' });
    const released = decide(d.record, fired, { inventory: PLENTY }, plain, at);
    expect(released.record?.status).toBe('submitted');
    expect(released.record?.holds).toEqual([]);
    only(released.commands, 'warehouse.submit');
  });
});

describe('decide: shipments come back', () => {
  it('moves to partially_shipped on partial lines, then to shipped', () => {
    const o = order({ lines: [{ id: 'l1', sku: 'TEE', quantity: 3, unitPrice: 2500 }] });
    const d = first(o);
    const sid = d.record?.shipments[0]?.id as string;
    const part = ev('warehouse.shipped', {
      shipmentId: sid,
      tracking: tracking('1Z1'),
      lines: [{ lineId: 'l1', quantity: 1 }],
    });
    const p = decide(d.record, part, {}, plain, T0 + HOUR);
    expect(p.record?.status).toBe('partially_shipped');
    expect(p.record?.shipments[0]).toMatchObject({
      status: 'partially_shipped',
      shipped: { l1: 1 },
    });
    const f1 = only(p.commands, 'store.fulfill');
    expect(f1).toMatchObject({ lines: [{ lineId: 'l1', quantity: 1 }], notifyCustomer: true });

    const rest = ev('warehouse.shipped', { shipmentId: sid, tracking: tracking('1Z2') });
    const s = decide(p.record, rest, {}, plain, T0 + 2 * HOUR);
    expect(s.record?.status).toBe('shipped');
    expect(s.record?.shipments[0]).toMatchObject({ status: 'shipped', shipped: { l1: 3 } });
    expect(s.record?.shipments[0]?.tracking).toHaveLength(2);
    const f2 = only(s.commands, 'store.fulfill');
    expect(f2.lines).toEqual([{ lineId: 'l1', quantity: 2 }]);
    expect(f2.idempotencyKey).not.toBe(f1.idempotencyKey);
  });

  it('is delivered only once every shipment is delivered', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 1, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 },
      ],
    });
    const d = first(o, { east: { TEE: 5 }, west: { MUG: 5 } });
    const [a, b] = (d.record?.shipments ?? []).map((s) => s.id) as [string, string];
    const { last, record } = chain(d.record, [
      [ev('warehouse.shipped', { shipmentId: a, tracking: tracking('A') }), {}, T0 + HOUR],
      [ev('warehouse.shipped', { shipmentId: b, tracking: tracking('B') }), {}, T0 + HOUR],
      [ev('warehouse.delivered', { shipmentId: a }), {}, T0 + DAY],
    ]);
    expect(last.outcome).toBe('applied');
    expect(record.status).toBe('shipped');
    const done = decide(record, ev('warehouse.delivered', { shipmentId: b }), {}, plain, T0 + DAY);
    expect(done.record?.status).toBe('delivered');
    expect(done.explanation.transitions).toEqual([
      { from: 'shipped', event: 'DELIVER', to: 'delivered' },
    ]);
  });

  it('ignores events about shipments it does not know', () => {
    const d = first(order());
    const e = ev('warehouse.accepted', { shipmentId: 'o-1-s9' });
    const r = decide(d.record, e, {}, plain, T0);
    expect(r.outcome).toBe('ignored');
    expect(r.record).toBeUndefined();
  });

  it('cancels live shipments with one warehouse.cancel each, keyed by shipment', () => {
    const d = first(order());
    const c = decide(d.record, ev('order.cancelled', { reason: 'fraud' }), {}, plain, T0 + HOUR);
    expect(c.record?.status).toBe('cancelled');
    expect(only(c.commands, 'warehouse.cancel')).toMatchObject({
      warehouse: 'east-wh',
      shipmentId: 'o-1-s1',
      idempotencyKey: 'cancel:o-1-s1',
    });
  });
});

describe('decide: holds and reviews', () => {
  const big = order({ totals: { subtotal: 60_000, total: 60_000 } });

  it('holds a short order 24 h, in the store too, and releases it when stock arrives', () => {
    const d = first(order(), { east: { TEE: 0 } }, ruled);
    expect(d.record?.status).toBe('on_hold');
    expect(d.record?.holds[0]).toMatchObject({ ruleId: 'hold-short', releaseOnStock: true });
    expect(only(d.commands, 'store.hold')).toMatchObject({ holdReason: 'out_of_stock' });
    expect(d.timers[0]?.dueAt).toBe(iso(T0 + DAY));

    const stock = ev('inventory.changed', { locationId: 'west', sku: 'TEE', available: 4 });
    const r = decide(d.record, stock, { inventory: { west: { TEE: 4 } } }, ruled, T0 + HOUR);
    expect(r.record?.status).toBe('submitted');
    expect(r.cancelTimerIds).toEqual([d.timers[0]?.id]);
    only(r.commands, 'store.release_hold');
    expect(only(r.commands, 'warehouse.submit').request.locationId).toBe('west');

    // the hold's timer fires anyway (it raced its cancellation): nothing to do
    const late = ev('timer.fired', { timerId: d.timers[0]?.id as string, purpose: 'hold_expiry' });
    const t = decide(r.record, late, { inventory: PLENTY }, ruled, T0 + DAY);
    expect(t.outcome).toBe('ignored');
    expect(t.commands).toEqual([]);
  });

  it('review.resolved route ships from the chosen location, not the preferred one', () => {
    const d = first(big, PLENTY, ruled);
    expect(d.record?.status).toBe('needs_review');
    expect(d.record?.review?.reasons).toEqual(['review-high-total: order total above $500']);
    const route = ev('review.resolved', { resolution: 'route', locationId: 'north', by: 'kim' });
    const r = decide(d.record, route, { inventory: PLENTY }, ruled, T0 + HOUR);
    expect(r.record).toMatchObject({ status: 'submitted', approved: true });
    expect(r.record?.policy.force).toBe('north');
    expect(r.record?.review).toBeUndefined();
    expect(only(r.commands, 'warehouse.submit')).toMatchObject({ warehouse: 'north-wh' });
  });

  it('after approval, review actions from rules are ignored, with a note saying so', () => {
    const config = makeConfig([
      {
        id: 'big-review',
        stage: 'before_routing',
        when: { fact: 'order.total', op: 'gt', value: 50_000 },
        actions: [{ type: 'review', reason: 'big order' }],
      },
    ]);
    const d = decide(undefined, received(big), { inventory: PLENTY }, config, T0);
    expect(d.record?.status).toBe('needs_review');
    const ok = ev('review.resolved', { resolution: 'approve', by: 'kim', comment: 'known buyer' });
    const a = decide(d.record, ok, { inventory: PLENTY }, config, T0 + HOUR);
    expect(a.record).toMatchObject({ status: 'submitted', approved: true });
    expect(a.explanation.notes).toContain('approved by kim: known buyer');
    expect(a.explanation.notes).toContain(
      'review ignored (a person approved the order): big-review: big order',
    );
    // a rejection re-routes through the same rules: still no review
    const sid = a.record?.shipments[0]?.id as string;
    const rej = ev('warehouse.rejected', { shipmentId: sid, reason: 'no capacity' });
    const r = decide(a.record, rej, { inventory: PLENTY }, config, T0 + 2 * HOUR);
    expect(r.record?.status).toBe('submitted');
    expect(r.explanation.notes.some((n) => n.startsWith('review ignored'))).toBe(true);
    expect(only(r.commands, 'warehouse.submit').warehouse).toBe('west-wh');
  });
});

describe('decide: the explanation', () => {
  it('lists rule traces with the facts read, the routing reason and a reason per command', () => {
    const d = first(order({ customer: { id: 'c', tags: ['VIP'] } }), PLENTY, ruled);
    const e = d.explanation;
    const before = e.stages.find((s) => s.stage === 'before_routing');
    const hold = before?.rules.find((r) => r.ruleId === 'hold-short');
    expect(hold).toEqual({
      ruleId: 'hold-short',
      matched: false,
      facts: { 'inventory.hasBackorder': false },
      actions: [],
    });
    const vip = e.stages.find((s) => s.stage === 'received')?.rules[0];
    expect(vip).toMatchObject({ ruleId: 'tag-vip', matched: true, actions: ['add_tag'] });
    expect(vip?.facts).toEqual({ 'customer.tags': ['VIP'] });
    expect(e.routing?.reason).toMatch(/^optimal: 1 shipment\(s\) from east .*proven optimal/);
    expect(e.routing?.alternatives?.[0]).toMatchObject({ locations: ['west'] });
    expect(e.commands.map((c) => c.type)).toEqual(['store.add_tags', 'warehouse.submit']);
    for (const c of e.commands) expect(c.reason.length).toBeGreaterThan(0);
    expect(e.commands.map((c) => c.id)).toEqual(d.commands.map((c) => c.id));
    expect(e.transitions.map((t) => t.event)).toEqual(['READY', 'SUBMIT']);
    expect(d.history?.summary).toContain('optimal: 1 shipment(s) from east');
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
