import type { EventOf, StoreFulfillmentChange } from '../model/events';
import type { DecisionFacts } from '../model/facts';
import type { Order } from '../model/order';
import type { Hold, OrderRecord, Shipment, ShipmentLine } from '../model/record';
import { type DemandItem, outstandingDemand } from '../routing/demand';
import { enterReview, releaseHolds } from './actions';
import type { Draft } from './draft';
import { proceed, routeAndSubmit, settleShipping } from './flow';

/** Prefix of the record's ids for holds placed in the store (by a merchant, not the engine). */
export const STORE_HOLD_PREFIX = 'store-hold:';
/** Prefix of the ids of shipments fulfilled in the store, outside the engine. */
const EXTERNAL = '-x:';

type Change<K extends StoreFulfillmentChange['kind']> = Extract<
  StoreFulfillmentChange,
  { kind: K }
>;

/**
 * Decides a `store.fulfillment_changed` event (see the README's "Store-side changes"):
 *
 * - `hold_placed`: the order is held (no submission while held). Already with a
 *   warehouse: the open shipments are cancelled there and the order goes on hold,
 *   to be routed again on release; if some units already shipped, it goes to
 *   review (critical) instead. Either way people are alerted and a store note says
 *   what the engine did.
 * - `hold_released`: the store's holds are removed; with no other hold left, an
 *   order on hold resumes (routing and submission).
 * - `moved`: before submission, routing is forced to that location; after it (or
 *   to a location the engine does not route to), review.
 * - `fulfilled`: the units are recorded as shipped (against the open shipment
 *   they belong to, or as a shipment made outside the engine), so the order settles
 *   to partially shipped or shipped. The engine's own fulfillments (same tracking
 *   number as a shipment it knows) are ignored.
 * - `cancelled`: a fulfillment group cancelled in the store without a replacement
 *   goes to review.
 */
export function onStoreChange(
  d: Draft,
  event: EventOf<'store.fulfillment_changed'>,
  facts: DecisionFacts,
): unknown {
  const c = event.change;
  switch (c.kind) {
    case 'hold_placed':
      return onHoldPlaced(d, c);
    case 'hold_released':
      return onHoldReleased(d, c, facts);
    case 'moved':
      return onMoved(d, c, facts);
    case 'fulfilled':
      return onFulfilled(d, c);
    case 'cancelled':
      if (c.replaced || isOver(d)) return 'ignore';
      return enterReview(
        d,
        [`fulfillment order ${c.fulfillmentOrderId} was cancelled in the store`],
        'warning',
      );
  }
}

/**
 * Adds a `store.add_note` when a decision gave the order's review new reasons, so
 * the people working the order in the store see why (with the admin link).
 */
export function noteReview(d: Draft, before: OrderRecord['review']): void {
  const after = d.record.review;
  if (after === undefined || after === before) return;
  const fresh = after.reasons.filter((r) => !(before?.reasons ?? []).includes(r));
  if (fresh.length === 0) return;
  const link = d.record.order.source.adminUrl;
  const text = `fulfil: needs review: ${fresh.join('; ')}`.slice(0, 1000);
  d.command({
    type: 'store.add_note',
    text: link ? `${text} (${link})` : text,
    reason: 'review: tell the people working the order in the store',
  });
}

function onHoldPlaced(d: Draft, c: Change<'hold_placed'>): unknown {
  const id = `${STORE_HOLD_PREFIX}${c.holdId}`;
  if (d.record.holds.some((h) => h.id === id) || isOver(d)) return 'ignore';
  const what = `held in the store (${c.storeReason ?? c.reason}${c.notes ? `: ${c.notes}` : ''})`;
  d.record.holds.push({
    id,
    reason: what,
    ruleId: groupOf(c.fulfillmentOrderId),
    since: d.nowIso,
    releaseOnStock: false,
  });
  switch (d.kind) {
    case 'hold':
      return void d.note(`${what}; the order was already on hold`);
    case 'review':
      return void d.note(`${what}; the order stays in review`);
    case 'active':
      return holdAfterSubmission(d, what);
    default:
      d.fire('HOLD', what);
  }
}

/** The safe side: stop the warehouse, hold, and tell people. */
function holdAfterSubmission(d: Draft, what: string): void {
  const open = d.record.shipments.filter((s) => s.status === 'pending' || s.status === 'accepted');
  for (const s of open) {
    s.status = 'cancelled';
    d.command(
      {
        type: 'warehouse.cancel',
        warehouse: d.config.warehouseOf.get(s.locationId) ?? s.locationId,
        shipmentId: s.id,
        locationId: s.locationId,
        reason: what,
      },
      `cancel:${s.id}`,
    );
  }
  const done =
    open.length > 0
      ? `asked the warehouse to cancel ${open.map((s) => `${s.id} at ${s.locationId}`).join(', ')}`
      : 'no open shipment to cancel';
  const shipping = d.record.shipments.some(
    (s) => s.status === 'partially_shipped' || s.status === 'shipped' || s.status === 'delivered',
  );
  const m = d.config.machine;
  const ready = m.next(d.status, 'READY');
  if (shipping || open.length === 0 || ready === undefined || !m.next(ready, 'HOLD')) {
    enterReview(d, [`${what} after submission to the warehouse; ${done}`], 'critical');
    return;
  }
  d.fire('READY', `${what}: shipments cancelled`);
  d.fire('HOLD', what);
  const o = d.record.order;
  const message = `${what} after submission: ${done}. It is routed again when the store releases the hold.`;
  d.command({
    type: 'alert',
    severity: 'warning',
    title: `Order ${o.source.name ?? o.id} held in the store after submission`,
    message,
    reason: what,
    ...(o.source.adminUrl ? { link: o.source.adminUrl } : {}),
  });
  d.command({ type: 'store.add_note', text: `fulfil: ${message}`, reason: what });
}

function onHoldReleased(d: Draft, c: Change<'hold_released'>, facts: DecisionFacts): unknown {
  const ids = c.holdIds?.map((id) => `${STORE_HOLD_PREFIX}${id}`);
  const group = c.fulfillmentOrderId === undefined ? undefined : groupOf(c.fulfillmentOrderId);
  const which = (h: Hold) =>
    h.id.startsWith(STORE_HOLD_PREFIX) &&
    (ids ? ids.includes(h.id) : group === undefined || h.ruleId === group);
  // Nothing of ours to release: the echo of the engine's own release, or a repeat.
  if (!d.record.holds.some(which)) return 'ignore';
  releaseHolds(d, 'released in the store', which);
  if (d.record.holds.length > 0) return void d.note('other holds remain');
  if (d.kind === 'hold') return proceed(d, facts, []);
  d.note(`the order stays ${d.status}`);
}

function onMoved(d: Draft, c: Change<'moved'>, facts: DecisionFacts): unknown {
  if (isOver(d)) return 'ignore';
  const target = c.locationId;
  const known = target !== undefined && d.config.locations.some((l) => l.id === target);
  const where = known ? target : `store location ${c.storeLocationId}`;
  const live = d.record.shipments.filter(
    (s) => s.status !== 'rejected' && s.status !== 'cancelled',
  );
  if (live.length > 0) {
    if (known && live.every((s) => s.locationId === target)) return 'ignore';
    const from = [...new Set(live.map((s) => s.locationId))].join(', ');
    return enterReview(
      d,
      [`moved in the store to ${where} after submission to ${from}`],
      'warning',
    );
  }
  if (!known) {
    return enterReview(
      d,
      [`moved in the store to ${where}, which the engine does not route to`],
      'warning',
    );
  }
  const p = d.record.policy;
  if (p.force === target) return 'ignore';
  p.force = target;
  p.exclude = p.exclude.filter((id) => id !== target);
  d.note(`moved in the store to ${target}: routing is forced there`);
  if (d.kind === 'ready') routeAndSubmit(d, facts);
}

function onFulfilled(d: Draft, c: Change<'fulfilled'>): unknown {
  const numbers = new Set(c.tracking.map((t) => t.number));
  // The engine's own fulfillment echoing back, or one a warehouse already reported.
  if (d.record.shipments.some((s) => s.tracking.some((t) => numbers.has(t.number))))
    return 'ignore';
  if (d.kind === 'final' && d.status !== 'delivered') {
    return enterReview(
      d,
      [`units were fulfilled in the store after the order was ${d.status}`],
      'critical',
    );
  }
  const shipmentId = `${d.record.orderId}${EXTERNAL}${c.fulfillmentId}`;
  const known = d.record.shipments.find((s) => s.id === shipmentId);
  if (known) {
    if (c.tracking.length === 0) return 'ignore';
    known.tracking.push(...c.tracking);
    return void d.note(`tracking added to ${known.id}`);
  }
  const taken = allocate(d, c);
  if (taken.external.length === 0 && taken.attributed.size === 0) return 'ignore';
  if (taken.extra > 0) d.note(`${taken.extra} unit(s) beyond what the order needs were ignored`);
  recordShipped(d, c, shipmentId, taken);
  const after = outstandingDemand(d.record.order, d.record, d.now);
  const live = d.record.shipments.filter(
    (s) => s.status !== 'rejected' && s.status !== 'cancelled',
  );
  const everything =
    after.items.length === 0 &&
    after.notYet.length === 0 &&
    d.record.backordered.length === 0 &&
    live.every((s) => s.status === 'shipped' || s.status === 'delivered');
  if (everything) {
    if (d.record.holds.length > 0) releaseHolds(d, 'every unit was fulfilled in the store');
    d.record.review = undefined;
    const m = d.config.machine;
    if (m.next(d.status, 'SHIP') === undefined && m.next(d.status, 'REVIEW') !== undefined)
      d.fire('REVIEW', 'every unit was fulfilled in the store');
    return settleShipping(d);
  }
  if (d.kind === 'active') return settleShipping(d);
  d.note(
    `units fulfilled in the store; the rest are routed when the order goes on (now ${d.status})`,
  );
}

interface Allocation {
  /** Units for a shipment made outside the engine (not routed yet, or backordered). */
  external: ShipmentLine[];
  /** Open engine shipments the units belonged to, with the units. */
  attributed: Map<Shipment, number>;
  extra: number;
}

/**
 * Whose units were fulfilled: an open shipment at the same location first (a
 * warehouse's own integration reporting in the store), then units not routed yet,
 * then open shipments elsewhere (a possible double shipment: alerted).
 */
function allocate(d: Draft, c: Change<'fulfilled'>): Allocation {
  const order = d.record.order;
  const open = d.record.shipments.filter(
    (s) => s.status === 'pending' || s.status === 'accepted' || s.status === 'partially_shipped',
  );
  const here = open.filter((s) => c.locationId !== undefined && s.locationId === c.locationId);
  const elsewhere = open.filter((s) => !here.includes(s));
  const items = outstandingDemand(order, d.record, d.now).items.map((i) => ({ ...i }));
  const out: Allocation = { external: [], attributed: new Map(), extra: 0 };
  for (const l of c.lines) {
    const line = order.lines.find((x) => x.id === l.lineId);
    if (!line) {
      d.note(`line ${l.lineId} is not on the order; ignored`);
      continue;
    }
    const whole = !line.kit?.splittable;
    let left = whole ? attribute(here, l.lineId, l.quantity, out.attributed) : l.quantity;
    left = takeUnplaced(
      line,
      items.filter((i) => i.lineId === l.lineId),
      left,
      out.external,
    );
    if (whole) left = attribute(elsewhere, l.lineId, left, out.attributed);
    out.extra += left;
  }
  return out;
}

function attribute(
  shipments: Shipment[],
  lineId: string,
  units: number,
  into: Map<Shipment, number>,
): number {
  let left = units;
  for (const s of shipments) {
    const total = s.lines.filter((x) => x.lineId === lineId).reduce((n, x) => n + x.quantity, 0);
    const take = Math.min(left, total - (s.shipped[lineId] ?? 0));
    if (take <= 0) continue;
    s.shipped[lineId] = (s.shipped[lineId] ?? 0) + take;
    into.set(s, (into.get(s) ?? 0) + take);
    left -= take;
  }
  return left;
}

/** Takes `units` of a line from its unrouted demand; returns what is left. */
function takeUnplaced(
  line: Order['lines'][number],
  items: DemandItem[],
  units: number,
  out: ShipmentLine[],
): number {
  if (units <= 0 || items.length === 0) return units;
  if (line.kit?.splittable) {
    const per = (sku: string) => line.kit?.components.find((k) => k.sku === sku)?.quantity ?? 1;
    const kits = Math.min(units, ...items.map((i) => Math.floor(i.quantity / per(i.sku))));
    if (kits <= 0) return units;
    for (const i of items) {
      out.push({ lineId: line.id, sku: i.sku, quantity: kits * per(i.sku) });
      i.quantity -= kits * per(i.sku);
    }
    return units - kits;
  }
  let left = units;
  for (const i of items) {
    const take = Math.min(left, i.quantity);
    if (take <= 0) continue;
    out.push({
      lineId: line.id,
      sku: i.sku,
      quantity: take,
      ...(i.components ? { components: i.components } : {}),
    });
    i.quantity -= take;
    left -= take;
  }
  return left;
}

function recordShipped(
  d: Draft,
  c: Change<'fulfilled'>,
  shipmentId: string,
  taken: Allocation,
): void {
  const o = d.record.order;
  for (const [s, units] of taken.attributed) {
    s.tracking.push(...c.tracking);
    const done = s.lines.every(
      (l) =>
        (s.shipped[l.lineId] ?? 0) >=
        s.lines.filter((x) => x.lineId === l.lineId).reduce((n, x) => n + x.quantity, 0),
    );
    s.status = done ? 'shipped' : 'partially_shipped';
    d.note(`${units} unit(s) of ${s.id} fulfilled in the store`);
    if (c.locationId === s.locationId) continue;
    d.command({
      type: 'alert',
      severity: 'warning',
      title: `Order ${o.source.name ?? o.id}: fulfilled in the store while ${s.locationId} has it`,
      message: `${units} unit(s) of shipment ${s.id} were fulfilled in the store (${c.storeLocationId ?? 'location unknown'}) while ${s.locationId} holds the shipment: make sure ${s.locationId} does not ship them again.`,
      reason: `store fulfillment ${c.fulfillmentId} overlaps ${s.id}`,
      ...(o.source.adminUrl ? { link: o.source.adminUrl } : {}),
    });
  }
  if (taken.external.length === 0) return;
  const shipped: Record<string, number> = {};
  for (const l of taken.external) shipped[l.lineId] = (shipped[l.lineId] ?? 0) + l.quantity;
  d.record.shipments.push({
    id: shipmentId,
    locationId: c.locationId ?? 'store',
    status: 'shipped',
    lines: taken.external,
    shipped,
    tracking: [...c.tracking],
    createdAt: d.nowIso,
  });
  // Backordered units fulfilled by hand no longer wait for stock.
  const left = taken.external.map((l) => ({ ...l }));
  d.record.backordered = d.record.backordered.flatMap((b) => {
    let q = b.quantity;
    for (const l of left) {
      if (l.lineId !== b.lineId || l.sku !== b.sku) continue;
      const take = Math.min(q, l.quantity);
      q -= take;
      l.quantity -= take;
    }
    return q > 0 ? [{ ...b, quantity: q }] : [];
  });
  const units = taken.external.reduce((n, l) => n + l.quantity, 0);
  d.note(`${units} unit(s) fulfilled in the store outside the engine (${shipmentId})`);
}

function groupOf(fulfillmentOrderId: string | undefined): string {
  return `store:${fulfillmentOrderId ?? 'order'}`;
}

function isOver(d: Draft): boolean {
  return d.kind === 'final' || d.kind === 'done';
}
