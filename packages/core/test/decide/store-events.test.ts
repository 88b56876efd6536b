import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide';
import type { Decision } from '../../src/decide/types';
import type { Command } from '../../src/model/commands';
import { OrderEvent, type StoreFulfillmentChange } from '../../src/model/events';
import type { InventorySnapshot } from '../../src/model/facts';
import type { OrderRecord } from '../../src/model/record';
import { ev, HOUR, makeConfig, order, PLENTY, received, T0 } from './helpers';

const config = makeConfig([]);
const ADMIN = 'https://admin.shopify.com/store/acme/orders/820982911946154508';
const TWO_LINES = [
  { id: 'l1', sku: 'TEE', title: 'T-shirt', quantity: 2, unitPrice: 2500 },
  { id: 'l2', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: 1200 },
];

const change = (c: StoreFulfillmentChange, at = T0 + HOUR) =>
  ev('store.fulfillment_changed', { change: c }, 'o-1', at);
const step = (r: OrderRecord | undefined, e: OrderEvent, inv: InventorySnapshot = PLENTY) =>
  decide(r, e, { inventory: inv }, config, T0 + 2 * HOUR);
const types = (d: Decision) => d.commands.map((c) => c.type);
const of = <T extends Command['type']>(d: Decision, type: T) =>
  d.commands.filter((c): c is Extract<Command, { type: T }> => c.type === type);

function submitted(lines = TWO_LINES, inv: InventorySnapshot = PLENTY): OrderRecord {
  const d = decide(undefined, received(order({ lines })), { inventory: inv }, config, T0);
  expect(d.record?.status).toBe('submitted');
  return d.record as OrderRecord;
}

const hold = (holdId = 'gid://shopify/FulfillmentHold/7'): StoreFulfillmentChange => ({
  kind: 'hold_placed',
  holdId,
  fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1',
  reason: 'fraud',
  storeReason: 'HIGH_RISK_OF_FRAUD',
  notes: 'card looks stolen',
});
const release = (holdIds?: string[]): StoreFulfillmentChange => ({
  kind: 'hold_released',
  fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1',
  ...(holdIds ? { holdIds } : {}),
});

describe('store.fulfillment_changed: holds placed by the merchant', () => {
  it('holds an order not yet submitted; payment does not submit it; release resumes routing', () => {
    const first = decide(
      undefined,
      received(order({ paymentStatus: 'pending' })),
      { inventory: PLENTY },
      config,
      T0,
    );
    expect(first.record?.status).toBe('awaiting_payment');
    const held = step(first.record, change(hold()));
    expect(held.record?.status).toBe('on_hold');
    expect(held.record?.holds).toEqual([
      expect.objectContaining({
        id: 'store-hold:gid://shopify/FulfillmentHold/7',
        reason: 'held in the store (HIGH_RISK_OF_FRAUD: card looks stolen)',
      }),
    ]);
    expect(types(held)).toEqual([]); // the merchant's hold is not the engine's to place
    const paid = step(held.record, ev('order.paid', {}));
    expect(paid.record?.status).toBe('on_hold');
    expect(types(paid)).not.toContain('warehouse.submit');
    const released = step(paid.record, change(release()));
    expect(released.record?.status).toBe('submitted');
    expect(released.record?.holds).toEqual([]);
    // no store.release_hold: the engine never releases a merchant's hold in the store
    expect(types(released)).toEqual(['warehouse.submit']);
  });

  it('a repeated hold, and a release the record knows nothing of (the echo of its own), change nothing', () => {
    const r = submitted();
    const unknownRelease = step(r, change(release()));
    expect(unknownRelease.outcome).toBe('ignored');
    const ready = decide(
      undefined,
      received(order({ paymentStatus: 'pending' })),
      { inventory: PLENTY },
      config,
      T0,
    ).record;
    const held = step(ready, change(hold()));
    expect(step(held.record, change(hold())).outcome).toBe('ignored');
    // only the named hold is released; another merchant hold keeps the order held
    const twice = step(held.record, change(hold('gid://shopify/FulfillmentHold/8')));
    expect(twice.record?.holds).toHaveLength(2);
    const one = step(twice.record, change(release(['gid://shopify/FulfillmentHold/7'])));
    expect(one.record?.status).toBe('on_hold');
    expect(one.explanation.notes).toContain('other holds remain');
  });

  it('after submission: cancels the open shipments at the warehouse, holds, alerts and notes; release routes again', () => {
    const r = submitted();
    const held = step(r, change(hold()));
    expect(held.record?.status).toBe('on_hold');
    expect(held.record?.shipments.map((s) => s.status)).toEqual(['cancelled']);
    expect(types(held)).toEqual(['warehouse.cancel', 'alert', 'store.add_note']);
    expect(of(held, 'warehouse.cancel')[0]).toMatchObject({
      warehouse: 'east-wh',
      shipmentId: 'o-1-s1',
      idempotencyKey: 'cancel:o-1-s1',
    });
    expect(of(held, 'alert')[0]).toMatchObject({ severity: 'warning', link: ADMIN });
    expect(of(held, 'store.add_note')[0]?.text).toMatch(
      /held in the store .* asked the warehouse to cancel o-1-s1 at east/,
    );
    const released = step(held.record, change(release()));
    expect(released.record?.status).toBe('submitted');
    expect(released.record?.shipments.map((s) => [s.id, s.status])).toEqual([
      ['o-1-s1', 'cancelled'],
      ['o-1-s2', 'pending'],
    ]);
    expect(of(released, 'warehouse.submit')[0]?.request.lines).toHaveLength(2);
  });

  it('after some units shipped: cancels what is still open and asks a person (critical), with a store note', () => {
    // TEE at east only, MUG at west only: two shipments
    const inv = { east: { TEE: 5 }, west: { MUG: 5 } };
    let r = submitted(TWO_LINES, inv);
    expect(r.shipments.map((s) => s.locationId)).toEqual(['east', 'west']);
    r = step(
      r,
      ev('warehouse.shipped', {
        shipmentId: 'o-1-s1',
        tracking: { carrier: 'UPS', number: '1Z1' },
      }),
      inv,
    ).record as OrderRecord;
    expect(r.status).toBe('partially_shipped');
    const held = step(r, change(hold()), inv);
    expect(held.record?.status).toBe('needs_review');
    expect(held.record?.shipments.map((s) => s.status)).toEqual(['shipped', 'cancelled']);
    expect(types(held)).toEqual(['warehouse.cancel', 'alert', 'store.add_note']);
    expect(of(held, 'alert')[0]?.severity).toBe('critical');
    expect(of(held, 'store.add_note')[0]?.text).toBe(
      `fulfil: needs review: held in the store (HIGH_RISK_OF_FRAUD: card looks stolen) after submission to the warehouse; asked the warehouse to cancel o-1-s2 at west (${ADMIN})`,
    );
  });
});

describe('store.fulfillment_changed: review and merchant holds', () => {
  it("approving the review does not lift the merchant's hold: the order waits for the store's release", () => {
    const inv = { east: { TEE: 5 }, west: { MUG: 5 } };
    let r = submitted(TWO_LINES, inv);
    r = step(
      r,
      ev('warehouse.shipped', {
        shipmentId: 'o-1-s1',
        tracking: { carrier: 'UPS', number: '1Z1' },
      }),
      inv,
    ).record as OrderRecord;
    r = step(r, change(hold()), inv).record as OrderRecord;
    expect(r.status).toBe('needs_review');
    const approved = step(r, ev('review.resolved', { resolution: 'approve', by: 'ops' }), inv);
    expect(approved.record?.status).toBe('on_hold');
    expect(approved.record?.holds.map((h) => h.id)).toEqual([
      'store-hold:gid://shopify/FulfillmentHold/7',
    ]);
    expect(types(approved)).not.toContain('warehouse.submit');
    const released = step(approved.record, change(release()), inv);
    expect(released.record?.holds).toEqual([]);
    expect(types(released)).toContain('warehouse.submit');
  });
});

describe('store.fulfillment_changed: moves', () => {
  const moved = (locationId: string | undefined, storeLocationId = 'gid://shopify/Location/9') =>
    change({ kind: 'moved', storeLocationId, ...(locationId ? { locationId } : {}) });

  it('before submission forces routing to the location', () => {
    const pending = decide(
      undefined,
      received(order({ paymentStatus: 'pending' })),
      { inventory: PLENTY },
      config,
      T0,
    ).record;
    const m = step(pending, moved('north'));
    expect(m.record?.policy.force).toBe('north');
    expect(step(m.record, moved('north')).outcome).toBe('ignored');
    const paid = step(m.record, ev('order.paid', {}));
    expect(of(paid, 'warehouse.submit')[0]?.request.locationId).toBe('north');
  });

  it('to a location the engine does not route to, or after submission: review', () => {
    const pending = decide(
      undefined,
      received(order({ paymentStatus: 'pending' })),
      { inventory: PLENTY },
      config,
      T0,
    ).record;
    const unknown = step(pending, moved(undefined));
    expect(unknown.record?.status).toBe('needs_review');
    expect(unknown.record?.review?.reasons).toEqual([
      'moved in the store to store location gid://shopify/Location/9, which the engine does not route to',
    ]);
    const r = submitted();
    expect(step(r, moved('east')).outcome).toBe('ignored'); // already there
    const late = step(r, moved('west'));
    expect(late.record?.status).toBe('needs_review');
    expect(late.record?.review?.reasons[0]).toBe(
      'moved in the store to west after submission to east',
    );
    expect(types(late)).toEqual(['alert', 'store.add_note']);
  });
});

describe('store.fulfillment_changed: fulfilled in the store', () => {
  const fulfilled = (
    lines: { lineId: string; quantity: number }[],
    o: { id?: string; number?: string; locationId?: string } = {},
  ) =>
    change({
      kind: 'fulfilled',
      fulfillmentId: o.id ?? 'gid://shopify/Fulfillment/55',
      lines,
      tracking: o.number ? [{ carrier: 'UPS', number: o.number }] : [],
      ...(o.locationId ? { locationId: o.locationId } : {}),
      storeLocationId: 'gid://shopify/Location/1',
    });

  it("the engine's own fulfillment echoing back (a tracking number it knows) is ignored", () => {
    const shipped = step(
      submitted(),
      ev('warehouse.shipped', {
        shipmentId: 'o-1-s1',
        tracking: { carrier: 'UPS', number: '1Z9' },
      }),
    );
    expect(shipped.record?.status).toBe('shipped');
    const echo = step(
      shipped.record,
      fulfilled(
        [
          { lineId: 'l1', quantity: 2 },
          { lineId: 'l2', quantity: 1 },
        ],
        { number: '1Z9' },
      ),
    );
    expect(echo.outcome).toBe('ignored');
  });

  it("a warehouse's own integration reporting first (same location) settles the order silently", () => {
    const r = submitted();
    const part = step(
      r,
      fulfilled([{ lineId: 'l1', quantity: 2 }], { number: 'A1', locationId: 'east' }),
    );
    expect(part.record?.status).toBe('partially_shipped');
    expect(part.record?.shipments[0]).toMatchObject({
      status: 'partially_shipped',
      shipped: { l1: 2 },
      tracking: [{ carrier: 'UPS', number: 'A1' }],
    });
    expect(types(part)).toEqual([]);
    const rest = step(
      part.record,
      fulfilled([{ lineId: 'l2', quantity: 1 }], {
        id: 'gid://shopify/Fulfillment/56',
        number: 'A2',
        locationId: 'east',
      }),
    );
    expect(rest.record?.status).toBe('shipped');
    // the warehouse's later report of the same shipment changes nothing
    const late = step(
      rest.record,
      ev('warehouse.shipped', { shipmentId: 'o-1-s1', tracking: { carrier: 'UPS', number: 'A1' } }),
    );
    expect(late.outcome).toBe('ignored');
  });

  it('units fulfilled elsewhere while a warehouse holds them: recorded, with a double-shipment alert', () => {
    const d = step(submitted(), fulfilled([{ lineId: 'l2', quantity: 1 }], { number: 'B1' }));
    expect(d.record?.status).toBe('partially_shipped');
    expect(of(d, 'alert')[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('make sure east does not ship them again'),
    });
  });

  it('backordered units fulfilled by hand no longer wait; the warehouse shipment then completes the order', () => {
    const inv = { east: { TEE: 5 } }; // no MUG anywhere
    const r = submitted(TWO_LINES, inv);
    expect(r.backordered).toEqual([{ lineId: 'l2', sku: 'MUG', quantity: 1 }]);
    const byHand = step(r, fulfilled([{ lineId: 'l2', quantity: 1 }], { number: 'H1' }), inv);
    expect(byHand.record?.backordered).toEqual([]);
    expect(byHand.record?.shipments.at(-1)).toMatchObject({
      id: 'o-1-x:gid://shopify/Fulfillment/55',
      locationId: 'store',
      status: 'shipped',
      lines: [{ lineId: 'l2', sku: 'MUG', quantity: 1 }],
    });
    expect(types(byHand)).toEqual([]); // nothing open was touched: no alert
    expect(byHand.record?.status).toBe('partially_shipped');
    const done = step(
      byHand.record,
      ev('warehouse.shipped', { shipmentId: 'o-1-s1', tracking: { carrier: 'UPS', number: 'W1' } }),
      inv,
    );
    expect(done.record?.status).toBe('shipped');
    // a later update of the store fulfillment adds its new tracking, once
    const update = step(
      done.record,
      fulfilled([{ lineId: 'l2', quantity: 1 }], { number: 'H2' }),
      inv,
    );
    expect(update.record?.shipments.at(-1)?.tracking.map((t) => t.number)).toEqual(['H1', 'H2']);
  });

  it('every unit fulfilled by hand while unpaid: the order ends shipped (through review), holds released', () => {
    const r = decide(
      undefined,
      received(order({ paymentStatus: 'pending' })),
      { inventory: PLENTY },
      config,
      T0,
    ).record;
    const d = step(r, fulfilled([{ lineId: 'l1', quantity: 1 }]));
    expect(d.explanation.transitions.map((t) => t.event)).toEqual(['REVIEW', 'SHIP']);
    expect(d.record?.status).toBe('shipped');
    expect(d.record?.review).toBeUndefined();
    expect(types(d)).toEqual([]);
  });

  it('units beyond the order are ignored; a fulfillment after cancellation asks a person', () => {
    const r = submitted([{ id: 'l1', sku: 'TEE', title: 'T-shirt', quantity: 1, unitPrice: 100 }]);
    const cancelled = step(r, ev('order.cancelled', {})).record;
    const late = step(cancelled, fulfilled([{ lineId: 'l1', quantity: 1 }], { number: 'Z1' }));
    expect(of(late, 'alert')[0]?.severity).toBe('critical');
    const odd = step(r, fulfilled([{ lineId: 'nope', quantity: 3 }]));
    expect(odd.outcome).toBe('ignored');
  });
});

describe('store.fulfillment_changed: cancelled fulfillment orders, review notes, validation', () => {
  it('a cancelled group without a replacement asks a person; with one (an edit) it is bookkeeping', () => {
    const r = submitted();
    const fo = 'gid://shopify/FulfillmentOrder/1';
    expect(
      step(r, change({ kind: 'cancelled', fulfillmentOrderId: fo, replaced: true })).outcome,
    ).toBe('ignored');
    const d = step(r, change({ kind: 'cancelled', fulfillmentOrderId: fo, replaced: false }));
    expect(d.record?.status).toBe('needs_review');
  });

  it('entering review notes the reasons in the store once; the same reasons again add no note', () => {
    const r = submitted();
    const moved = change({ kind: 'moved', locationId: 'west', storeLocationId: 'x' });
    const first = step(r, moved);
    expect(of(first, 'store.add_note')).toHaveLength(1);
    const again = step(
      first.record,
      change({ kind: 'moved', locationId: 'west', storeLocationId: 'x' }),
    );
    expect(of(again, 'store.add_note')).toHaveLength(0);
    const ids = [...first.commands, ...again.commands].map((c) => c.idempotencyKey);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects malformed changes with the path', () => {
    const bad = OrderEvent.safeParse({
      type: 'store.fulfillment_changed',
      idempotencyKey: 'k',
      occurredAt: '2026-11-27T10:00:00Z',
      orderId: 'o-1',
      change: { kind: 'fulfilled', fulfillmentId: 'f', lines: [] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['change', 'lines']);
    const reason = OrderEvent.safeParse({
      type: 'store.fulfillment_changed',
      idempotencyKey: 'k',
      occurredAt: '2026-11-27T10:00:00Z',
      orderId: 'o-1',
      change: { kind: 'hold_placed', holdId: 'h', reason: 'because' },
    });
    expect(reason.error?.issues[0]?.path).toEqual(['change', 'reason']);
  });
});
