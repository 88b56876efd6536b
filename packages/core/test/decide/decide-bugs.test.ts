/**
 * Bugs found in decide and routing, each as the behaviour it should have. Each test
 * failed on its last assertion (the bug) before its fix; they stay as regression tests.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide';
import type { Decision } from '../../src/decide/types';
import { OrderEvent } from '../../src/model/events';
import type { OrderRecord } from '../../src/model/record';
import { DAY, ev, HOUR, iso, makeConfig, order, PLENTY, RULES, received, T0 } from './helpers';

const plain = makeConfig([]);
const tracking = { carrier: 'SimPost', number: '1Z' };
const submits = (d: Decision) => d.commands.filter((c) => c.type === 'warehouse.submit');
const updated = (o: ReturnType<typeof order>, at: number): OrderEvent => ({
  type: 'order.updated',
  idempotencyKey: `upd-${at}`,
  occurredAt: iso(at),
  upstreamUpdatedAt: iso(at),
  order: { ...o, updatedAt: iso(at) },
});

describe('decide: bugs found by the property tests, now fixed', () => {
  // BUG 1 — src/routing/router.ts:64-66 (greedyRouter.route, `single`): "one location can fill
  // every unit" checks each demand item against the location's whole stock, never subtracting
  // what earlier items took. Two lines of one SKU (or a line plus a kit component, or two
  // components of a splittable kit) each get the full stock. Same flaw in
  // src/routing/demand.ts:118-120 (inventoryFacts().canFillFromOneLocation).
  // Input: l1 TEE×3 + l2 TEE×3, stock east TEE 5, west TEE 5.
  // Expected: at most 5 TEE at any location (e.g. split east 5 + west 1, or one location with 6).
  // Actual: one shipment at east for 6 TEE, reason "east can fill every unit".
  it('never allocates more of a shared SKU at a location than its stock', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 3, unitPrice: 100 },
        { id: 'l2', sku: 'TEE', quantity: 3, unitPrice: 100 },
      ],
    });
    const d = decide(
      undefined,
      received(o),
      { inventory: { east: { TEE: 5 }, west: { TEE: 5 } } },
      plain,
      T0,
    );
    for (const s of d.record?.shipments ?? []) {
      const units = s.lines.reduce((n, l) => n + l.quantity, 0);
      expect(units, `${units} TEE at ${s.locationId}`).toBeLessThanOrEqual(5);
    }
  });

  // BUG 2 — src/decide/flow.ts:63-70 (routeAndSubmit): a `shipAfter` line is only scheduled
  // (hold + timer via holdUntilShipAfter) when *nothing* else is routable. An order with one
  // line to ship now and one preorder line routes the first and sets no timer for the second;
  // after the first ships the order sits in partially_shipped and nothing ever routes the
  // preorder line (timer.fired / inventory.changed are ignored: no hold, no backorder).
  // Expected: once its date passes, firing the timers decide created routes the preorder line.
  // Actual: decision.timers is [] and the preorder line is never submitted.
  it('eventually routes a preorder line that shares an order with a line shipping now', () => {
    const later = T0 + 7 * DAY;
    const o = order({
      lines: [
        { id: 'now', sku: 'TEE', quantity: 1, unitPrice: 100 },
        { id: 'pre', sku: 'MUG', quantity: 1, unitPrice: 100, shipAfter: iso(later) },
      ],
    });
    const d1 = decide(undefined, received(o), { inventory: PLENTY }, plain, T0);
    const sid = d1.record?.shipments[0]?.id as string;
    const ship = ev('warehouse.shipped', { shipmentId: sid, tracking });
    let record = decide(d1.record, ship, {}, plain, T0 + HOUR).record as OrderRecord;
    expect(record.status).toBe('partially_shipped');
    const routed: string[] = [];
    for (const t of d1.timers) {
      const fired = ev('timer.fired', { timerId: t.id, purpose: t.purpose });
      const d = decide(
        record,
        fired,
        { inventory: PLENTY },
        plain,
        Math.max(later, Date.parse(t.dueAt)),
      );
      for (const c of submits(d))
        if (c.type === 'warehouse.submit') routed.push(...c.request.lines.map((l) => l.lineId));
      if (d.record) record = d.record;
    }
    expect(routed).toContain('pre');
  });

  // BUG 3 — src/decide/decide.ts:211-227 (onRejected): `warehouse.rejected` overwrites the
  // status of a shipment whatever it was, so a late/out-of-order rejection of a shipment that
  // already shipped marks it `rejected`, its units count as unplaced again, and the order
  // re-routes them: the customer gets the goods twice.
  // Input: split order (east TEE, west MUG), east ships, then east's rejection arrives.
  // Expected: ignored (or noted) — no new warehouse.submit, s1 stays shipped.
  // Actual: s1 becomes 'rejected' and a new shipment o-1-s3 for l1 (TEE) is submitted.
  it('does not re-ship units of a shipment that already shipped when a rejection arrives late', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 1, unitPrice: 100 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 100 },
      ],
    });
    const d1 = decide(
      undefined,
      received(o),
      { inventory: { east: { TEE: 5 }, west: { MUG: 5 } } },
      plain,
      T0,
    );
    const s1 = d1.record?.shipments[0]?.id as string;
    const d2 = decide(
      d1.record,
      ev('warehouse.shipped', { shipmentId: s1, tracking }),
      {},
      plain,
      T0 + HOUR,
    );
    expect(d2.record?.status).toBe('partially_shipped');
    const late = ev('warehouse.rejected', { shipmentId: s1, reason: 'late duplicate' });
    const d3 = decide(
      d2.record,
      late,
      { inventory: { east: { TEE: 5 }, west: { TEE: 5, MUG: 5 } } },
      plain,
      T0 + 2 * HOUR,
    );
    expect(d3.record?.shipments.find((s) => s.id === s1)?.status ?? 'shipped').toBe('shipped');
    expect(submits(d3)).toEqual([]);
  });

  // BUG 4 — src/decide/decide.ts:155 (onUpdated): for an order past the pending states the
  // `updated` stage runs through runStage() only; its result is dropped, so `review`, `hold`
  // and `transition` actions of `updated` rules never take effect (only tags, notify,
  // instructions and routing policy do). The trace says the rule matched; nothing happens.
  // Input: rule {stage: updated, order.tags contains 'fraud' → review}, submitted order, update
  // adding tag 'fraud'. Expected: needs_review with an alert. Actual: stays submitted, no command.
  it('applies review actions of `updated` rules to an order already submitted', () => {
    const config = makeConfig([
      {
        id: 'fraud-tag',
        stage: 'updated',
        when: { fact: 'order.tags', op: 'contains', value: 'fraud' },
        actions: [{ type: 'review', reason: 'tagged fraud in the store' }],
      },
    ]);
    const o = order();
    const d1 = decide(undefined, received(o), { inventory: PLENTY }, config, T0);
    expect(d1.record?.status).toBe('submitted');
    const d2 = decide(
      d1.record,
      updated({ ...o, tags: ['fraud'] }, T0 + HOUR),
      { inventory: PLENTY },
      config,
      T0 + HOUR,
    );
    expect(d2.explanation.stages[0]?.rules[0]?.matched).toBe(true);
    expect(d2.record?.status).toBe('needs_review');
  });

  // BUG 5 — src/decide/decide.ts:222-227 (onRejected): when the order is in needs_review
  // (e.g. "shipping address changed after submission") and one shipment is rejected while
  // another is live, routeAndSubmit fires READY out of needs_review and submits a new shipment
  // — nobody resolved the review, and record.review still lists its reasons while the status
  // is `submitted`. Expected: stays needs_review, nothing submitted until a person decides.
  it('does not leave review by itself when a shipment is rejected', () => {
    const o = order({
      lines: [
        { id: 'l1', sku: 'TEE', quantity: 1, unitPrice: 100 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 100 },
      ],
    });
    const split = { east: { TEE: 5 }, west: { MUG: 5 } };
    const d1 = decide(undefined, received(o), { inventory: split }, plain, T0);
    const moved = { ...o, shippingAddress: { country: 'US', city: 'Elsewhere' } };
    const d2 = decide(d1.record, updated(moved, T0 + HOUR), { inventory: split }, plain, T0 + HOUR);
    expect(d2.record?.status).toBe('needs_review');
    const s1 = d1.record?.shipments[0]?.id as string;
    const rej = ev('warehouse.rejected', { shipmentId: s1, reason: 'no capacity' });
    const d3 = decide(d2.record, rej, { inventory: { north: { TEE: 5 } } }, plain, T0 + 2 * HOUR);
    expect(d3.record?.status).toBe('needs_review');
    expect(submits(d3)).toEqual([]);
  });

  // BUG 6 — src/decide/flow.ts:164-180 (settleShipping) with src/decide/flow.ts:63-68: a
  // shipment that ships while the order is in needs_review fires SHIP/SHIP_PARTIAL, which
  // needs_review refuses (invalid_transition); approving the review then fires READY and stops
  // at "nothing left to route": the order stays `ready` for ever although every unit shipped
  // (a later warehouse.delivered is refused too). Expected after approval: shipped.
  it('reaches shipped when everything shipped while the order was in review', () => {
    const d1 = decide(undefined, received(order()), { inventory: PLENTY }, plain, T0);
    const failed = ev('command.failed', {
      commandId: 'c',
      commandType: 'store.add_tags',
      error: '503',
    });
    const d2 = decide(d1.record, failed, {}, plain, T0 + 1);
    expect(d2.record?.status).toBe('needs_review');
    const sid = d1.record?.shipments[0]?.id as string;
    const d3 = decide(
      d2.record,
      ev('warehouse.shipped', { shipmentId: sid, tracking }),
      {},
      plain,
      T0 + 2,
    );
    // Goods that left the warehouse are shipped, review or not.
    expect(d3.outcome).toBe('applied');
    expect(d3.record?.status).toBe('shipped');
  });

  // BUG 7 — src/decide/decide.ts:187-198 (onInventory): releasing a releaseOnStock hold calls
  // routeAndSubmit directly, skipping proceed()'s payment check. A held order that the store
  // has since marked `pending` (order.updated) is submitted to the warehouse unpaid when stock
  // arrives — while the same hold expiring by timer correctly goes to awaiting_payment.
  it('does not ship an unpaid order when stock releases its hold', () => {
    const config = makeConfig(RULES);
    const o = order();
    const d1 = decide(undefined, received(o), { inventory: { east: { TEE: 0 } } }, config, T0);
    expect(d1.record?.status).toBe('on_hold');
    const unpaid = updated({ ...o, paymentStatus: 'pending' }, T0 + HOUR);
    const d2 = decide(d1.record, unpaid, { inventory: { east: { TEE: 0 } } }, config, T0 + HOUR);
    const stock = ev('inventory.changed', { locationId: 'east', sku: 'TEE', available: 5 });
    const d3 = decide(d2.record, stock, { inventory: PLENTY }, config, T0 + 2 * HOUR);
    expect(submits(d3)).toEqual([]);
    expect(d3.record?.status).toBe('awaiting_payment');
  });

  // BUG 8 — src/decide/decide.ts:262 (onReview): `record.review = undefined` runs before the
  // resolution is checked, so `review.resolved` `route` without a locationId ("nothing to do")
  // still commits a new version that erases the review reasons while the status stays
  // needs_review. Expected: the reasons survive (or the event is ignored).
  it('keeps the review reasons when a route resolution has no location', () => {
    const config = makeConfig([
      {
        id: 'big',
        stage: 'paid',
        when: { fact: 'order.total', op: 'gt', value: 0 },
        actions: [{ type: 'review', reason: 'check' }],
      },
    ]);
    const d1 = decide(undefined, received(order()), { inventory: PLENTY }, config, T0);
    expect(d1.record?.status).toBe('needs_review');
    const d2 = decide(
      d1.record,
      ev('review.resolved', { resolution: 'route' }),
      {},
      config,
      T0 + 1,
    );
    // Nothing is committed (the stored record keeps its reasons), and ingest rejects it earlier.
    expect(d2.outcome).toBe('ignored');
    expect(d2.record).toBeUndefined();
    const parsed = OrderEvent.safeParse(ev('review.resolved', { resolution: 'route' }));
    expect(parsed.success).toBe(false);
  });

  // BUG 9 — src/decide/decide.ts:98-102 (order.signal): a host signal may fire any machine
  // event, including the built-in CANCEL/SHIP/DELIVER, without their bookkeeping. Signal CANCEL
  // moves a submitted order to `cancelled` but leaves its shipment `pending` at the warehouse
  // (no warehouse.cancel), its holds and backorders in place. Expected: built-in events are
  // refused as signals, or CANCEL cancels like order.cancelled.
  it('does not cancel through a signal without cancelling the shipments', () => {
    const d1 = decide(undefined, received(order()), { inventory: PLENTY }, plain, T0);
    const d2 = decide(d1.record, ev('order.signal', { signal: 'CANCEL' }), {}, plain, T0 + 1);
    const cancelledProperly =
      d2.commands.some((c) => c.type === 'warehouse.cancel') &&
      d2.record?.shipments.every((s) => s.status === 'cancelled');
    expect(d2.outcome === 'invalid_transition' || cancelledProperly).toBe(true);
    expect(d2.record?.status).toBe('submitted');
    expect(OrderEvent.safeParse(ev('order.signal', { signal: 'CANCEL' })).success).toBe(false);
  });
});
