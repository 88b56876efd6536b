import { MachineEvents } from '../machine/schema';
import type { Explanation, HistoryEntry } from '../model/commands';
import type { EventOf, OrderEvent } from '../model/events';
import type { DecisionFacts } from '../model/facts';
import type { Order } from '../model/order';
import type { Address } from '../model/primitives';
import type { OrderRecord } from '../model/record';
import { inventoryFacts, outstandingDemand } from '../routing/demand';
import { enterReview, gate, releaseHolds, runStage } from './actions';
import { Draft, draftCopy, explainRepairs } from './draft';

/** One event handler: mutates the draft, or returns `'ignore'` when the event changes nothing. */
type Step = (d: Draft) => unknown;

const BUILT_IN: ReadonlySet<string> = new Set(Object.values(MachineEvents));

import { proceed, routeAndSubmit, SHIP_AFTER_TIMER, settleShipping } from './flow';
import { reservationsOf } from './reservations';
import { noteReview, onStoreChange, STORE_HOLD_PREFIX } from './store-events';
import type { DecideConfig, Decision } from './types';

/**
 * Decides what one event does to one order. Pure and deterministic: no I/O, time
 * only from `now`, the same inputs always give the same decision.
 *
 * @param record the stored record, or undefined for an order not seen yet
 * @param event a validated event (see `OrderEvent`)
 * @param facts what the engine gathered through ports (note tags, risk, inventory)
 * @param config the compiled machine, rules, router and locations
 * @param now epoch milliseconds
 *
 * @example
 * ```ts
 * const decision = decide(undefined, receivedEvent, { inventory }, config, Date.now());
 * decision.record?.status; // 'submitted'
 * decision.commands.map((c) => c.type); // ['warehouse.submit']
 * decision.explanation.routing?.reason; // 'greedy: east can fill every unit'
 * ```
 */
export function decide(
  record: OrderRecord | undefined,
  event: OrderEvent,
  facts: DecisionFacts,
  config: DecideConfig,
  now: number,
): Decision {
  if (record === undefined) {
    if (event.type === 'order.received' || event.type === 'order.updated') {
      return finish(newDraft(event.order, event, facts, config, now), null, (d) =>
        proceed(d, facts, ['received', 'paid']),
      );
    }
    return ignored(
      event,
      `order ${'orderId' in event ? event.orderId : '?'} is unknown; event ignored`,
    );
  }
  const d = new Draft(draftCopy(record), event, config, now);
  d.record.version = record.version + 1;
  d.record.updatedAt = d.nowIso;
  const from = record.status;
  const run = (fn: Step) => finish(d, from, fn);

  switch (event.type) {
    case 'order.received':
    case 'order.updated':
      return run((d) => onUpdated(d, event, facts, record));
    case 'order.paid':
      if (isTerminal(d)) return ignored(event, `order is ${from}; payment noted`);
      d.record.order = { ...d.record.order, paymentStatus: 'paid' };
      if (d.kind !== 'pending') return run(() => d.note('payment recorded'));
      return run((d) => proceed(d, facts, ['paid']));
    case 'order.cancelled':
      return run((d) => onCancelled(d, event.reason));
    case 'inventory.changed':
      return run((d) => onInventory(d, facts));
    case 'timer.fired':
      return run((d) => onTimer(d, event, facts));
    case 'warehouse.accepted':
      return run((d) => onAccepted(d, event));
    case 'warehouse.rejected':
      return run((d) => onRejected(d, event, facts));
    case 'warehouse.shipped':
      return run((d) => onShipped(d, event));
    case 'warehouse.delivered':
      return run((d) => {
        const s = shipment(d, event.shipmentId);
        if (!s) return 'ignore';
        s.status = 'delivered';
        settleShipping(d);
      });
    case 'review.resolved':
      return run((d) => onReview(d, event, facts));
    case 'command.failed':
      return run((d) => {
        failedSubmit(d, event);
        enterReview(d, [`${event.commandType} failed for good: ${event.error}`], 'critical');
      });
    case 'store.fulfillment_changed':
      return run((d) => onStoreChange(d, event, facts));
    case 'order.signal':
      return run((d) => {
        if (BUILT_IN.has(event.signal))
          return void d.refuse(event.signal, 'built-in events cannot be signalled');
        if (!d.fire(event.signal, 'signal from host')) return;
        if (d.kind === 'ready') routeAndSubmit(d, facts);
      });
  }
}

function newDraft(
  order: Order,
  event: OrderEvent,
  facts: DecisionFacts,
  config: DecideConfig,
  now: number,
): Draft {
  const iso = new Date(now).toISOString();
  const record: OrderRecord = {
    orderId: order.id,
    version: 1,
    status: config.machine.initial,
    statusSince: iso,
    order,
    upstreamUpdatedAt: event.type === 'order.updated' ? event.upstreamUpdatedAt : order.updatedAt,
    shipments: [],
    backordered: [],
    holds: [],
    appliedRules: [],
    approved: false,
    policy: { prefer: [], exclude: [], requiredCapabilities: [] },
    tags: [],
    instructions: [],
    visited: [config.machine.initial],
    facts: {},
    createdAt: iso,
    updatedAt: iso,
  };
  if (facts.note) record.facts.note = facts.note;
  if (facts.risk) record.facts.risk = facts.risk;
  return new Draft(record, event, config, now);
}

function onUpdated(
  d: Draft,
  event: EventOf<'order.received' | 'order.updated'>,
  facts: DecisionFacts,
  prior: OrderRecord,
) {
  const upstream = event.type === 'order.updated' ? event.upstreamUpdatedAt : event.order.updatedAt;
  if (Date.parse(upstream) <= Date.parse(prior.upstreamUpdatedAt)) return 'ignore';
  const wasPaid = prior.order.paymentStatus;
  d.record.order = event.order;
  d.record.upstreamUpdatedAt = upstream;
  if (facts.note) d.record.facts.note = facts.note;
  if (facts.risk) d.record.facts.risk = facts.risk;
  if (d.kind === 'final' || d.kind === 'done')
    return void d.note(`order updated while ${d.status}`);
  if (d.kind === 'pending') return proceed(d, facts, ['updated', 'paid']);
  const actions = runStage(d, 'updated', facts);
  if (d.kind !== 'active') {
    gate(d, actions);
    return;
  }
  if (actions.holds.length > 0)
    d.note('hold from an `updated` rule ignored: the order is already with a warehouse');
  if (actions.review.length > 0 && !d.record.approved) {
    enterReview(d, actions.review, 'warning');
    return;
  }
  if (
    d.kind === 'active' &&
    !sameAddress(prior.order.shippingAddress, event.order.shippingAddress)
  ) {
    enterReview(d, ['shipping address changed after submission to the warehouse'], 'warning');
  } else if (wasPaid !== event.order.paymentStatus)
    d.note(`payment is now ${event.order.paymentStatus}`);
}

function onCancelled(d: Draft, reason: string | undefined) {
  if (!d.fire('CANCEL', reason ?? 'cancelled in the store')) return;
  releaseHolds(d, 'order cancelled');
  d.record.backordered = [];
  for (const s of d.record.shipments) {
    if (s.status !== 'pending' && s.status !== 'accepted' && s.status !== 'partially_shipped')
      continue;
    s.status = 'cancelled';
    const warehouse = d.config.warehouseOf.get(s.locationId) ?? s.locationId;
    d.command(
      {
        type: 'warehouse.cancel',
        warehouse,
        shipmentId: s.id,
        locationId: s.locationId,
        reason: 'order cancelled',
      },
      `cancel:${s.id}`,
    );
  }
}

function onInventory(d: Draft, facts: DecisionFacts) {
  const waiting = d.record.holds.filter((h) => h.releaseOnStock);
  const backordered = d.record.backordered.length > 0;
  if (waiting.length === 0 && !(backordered && d.kind === 'active')) return 'ignore';
  const demand = outstandingDemand(d.record.order, d.record, d.now);
  const inv = inventoryFacts(demand.items, facts.inventory ?? {}, d.config.locations);
  if (inv.hasBackorder) return 'ignore';
  if (waiting.length > 0) {
    releaseHolds(d, 'stock arrived for every line', (h) => h.releaseOnStock);
    if (d.record.holds.length > 0) return void d.note('other holds remain');
    proceed(d, facts, []);
    return;
  }
  routeAndSubmit(d, facts);
}

function onTimer(d: Draft, event: EventOf<'timer.fired'>, facts: DecisionFacts) {
  if (event.purpose === SHIP_AFTER_TIMER) {
    if (d.kind !== 'active' && d.kind !== 'ready') return 'ignore';
    routeAndSubmit(d, facts);
    return;
  }
  const hold = d.record.holds.find(
    (h) => h.id === event.purpose || h.id === holdIdOf(event.timerId),
  );
  if (!hold) return 'ignore';
  releaseHolds(d, `hold "${hold.reason}" expired`, (h) => h.id === hold.id);
  if (d.record.holds.length > 0) return void d.note('other holds remain');
  proceed(d, facts, ['hold_expired']);
}

/**
 * A submit that failed for good leaves its shipment unplaced: marked rejected (its location
 * is not excluded: the fault may pass), so approving the review routes its units again.
 */
const SUBMIT_FAILED = 'submit failed for good';

function failedSubmit(d: Draft, event: EventOf<'command.failed'>): void {
  if (event.commandType !== 'warehouse.submit' || !event.shipmentId) return;
  const s = shipment(d, event.shipmentId);
  if (s?.status !== 'pending') return;
  s.status = 'rejected';
  s.rejectReason = `${SUBMIT_FAILED}: ${event.error}`;
  d.note(`${s.id} was not placed at ${s.locationId}; its units are routed again on approval`);
}

/**
 * A warehouse took a shipment. A submit that had failed for good and was re-run by hand
 * (`insights.retryCommand`) is placed after all: when the order is still in review only for
 * failed submits and no other submit is still failed, the review is lifted and the order
 * follows its shipments (`ready` → `submitted`). When its units were routed again meanwhile
 * (a person approved the review first), the late shipment is cancelled at the warehouse so
 * nothing ships twice.
 */
function onAccepted(d: Draft, event: EventOf<'warehouse.accepted'>) {
  const s = shipment(d, event.shipmentId);
  if (!s) return 'ignore';
  if (event.warehouseOrderId) s.warehouseOrderId = event.warehouseOrderId;
  const failedBefore = s.status === 'rejected' && s.rejectReason?.startsWith(SUBMIT_FAILED);
  if (!failedBefore) {
    if (s.status === 'pending') s.status = 'accepted';
    d.note(`${s.locationId} accepted shipment ${s.id}`);
    return;
  }
  const needed = new Set(
    outstandingDemand(d.record.order, d.record, d.now).items.map((i) => i.lineId),
  );
  if (d.kind !== 'review' && !s.lines.some((l) => needed.has(l.lineId))) {
    s.status = 'cancelled';
    d.note(
      `${s.locationId} accepted ${s.id} after its units were routed again; cancelling it there`,
    );
    d.command(
      {
        type: 'warehouse.cancel',
        warehouse: d.config.warehouseOf.get(s.locationId) ?? s.locationId,
        shipmentId: s.id,
        locationId: s.locationId,
        reason: 'accepted after its units were routed again',
      },
      `cancel:${s.id}`,
    );
    return;
  }
  s.status = 'accepted';
  s.rejectReason = undefined;
  d.note(`${s.locationId} accepted shipment ${s.id} on a retry of its failed submit`);
  const review = d.record.review;
  if (d.kind !== 'review' || !review) return;
  const stillFailed = d.record.shipments.some(
    (x) => x.status === 'rejected' && x.rejectReason?.startsWith(SUBMIT_FAILED),
  );
  if (stillFailed) return;
  const rest = review.reasons.filter((r) => !r.startsWith('warehouse.submit failed for good'));
  if (rest.length > 0) {
    d.record.review = { ...review, reasons: rest };
    d.note('the submit failure is resolved; other review reasons remain');
    return;
  }
  if (d.record.holds.length > 0) return;
  d.record.review = undefined;
  if (!d.fire('READY', 'the failed submit was retried and accepted')) return;
  if (!d.fire('SUBMIT', 'its shipments are at the warehouse')) return;
  if (
    d.record.shipments.some(
      (x) => x.status === 'shipped' || x.status === 'partially_shipped' || x.status === 'delivered',
    )
  )
    settleShipping(d);
}

function onRejected(d: Draft, event: EventOf<'warehouse.rejected'>, facts: DecisionFacts) {
  const s = shipment(d, event.shipmentId);
  if (!s) return 'ignore';
  if (s.status !== 'pending' && s.status !== 'accepted') {
    d.note(`rejection of ${s.id} ignored: the shipment is ${s.status}`);
    return 'ignore';
  }
  s.status = 'rejected';
  s.rejectReason = event.reason;
  if (!d.record.policy.exclude.includes(s.locationId)) d.record.policy.exclude.push(s.locationId);
  d.note(`${s.locationId} rejected ${s.id}: ${event.reason}; re-routing without it`);
  if (d.kind === 'final' || d.kind === 'done') return;
  if (d.kind === 'review' || d.kind === 'hold') {
    d.note(`order is ${d.status}: its units are routed again when it resumes`);
    return;
  }
  const actions = runStage(d, 'warehouse_rejected', facts);
  if (actions.review.length > 0 && !d.record.approved)
    return enterReview(d, actions.review, 'warning');
  const others = d.record.shipments.some(
    (x) => x !== s && x.status !== 'rejected' && x.status !== 'cancelled',
  );
  if (!others && d.kind === 'active' && !d.fire('READY', 'shipment rejected; routing again'))
    return;
  routeAndSubmit(d, facts);
}

function onShipped(d: Draft, event: EventOf<'warehouse.shipped'>) {
  const s = shipment(d, event.shipmentId);
  if (!s) return 'ignore';
  if (s.status === 'rejected' || s.status === 'delivered' || s.status === 'shipped') {
    d.note(`shipment event for ${s.id} ignored: the shipment is ${s.status}`);
    return 'ignore';
  }
  if (d.kind === 'final' && d.status !== 'delivered') {
    enterReview(d, [`shipment ${s.id} shipped after the order was ${d.status}`], 'critical');
    return;
  }
  const lines =
    event.lines ??
    s.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity - (s.shipped[l.lineId] ?? 0) }));
  for (const l of lines)
    s.shipped[l.lineId] = Math.min((s.shipped[l.lineId] ?? 0) + l.quantity, lineTotal(s, l.lineId));
  s.tracking.push(event.tracking);
  s.status = s.lines.every((l) => (s.shipped[l.lineId] ?? 0) >= lineTotal(s, l.lineId))
    ? 'shipped'
    : 'partially_shipped';
  d.command(
    {
      type: 'store.fulfill',
      shipmentId: s.id,
      tracking: event.tracking,
      lines: lines.filter((l) => l.quantity > 0),
      notifyCustomer: d.config.notifyCustomer,
      reason: `${s.locationId} shipped ${s.id}`,
    },
    `fulfill:${s.id}:${event.idempotencyKey}`,
  );
  settleShipping(d);
}

function onReview(d: Draft, event: EventOf<'review.resolved'>, facts: DecisionFacts) {
  const by = event.by ? ` by ${event.by}` : '';
  if (event.resolution === 'route' && !event.locationId) return 'ignore';
  d.record.review = undefined;
  switch (event.resolution) {
    case 'cancel':
      return onCancelled(d, `cancelled in review${by}`);
    case 'release_hold':
      releaseHolds(d, `released${by}`);
      return proceed(d, facts, []);
    case 'route':
      d.record.policy.force = event.locationId;
      d.record.policy.exclude = d.record.policy.exclude.filter((id) => id !== event.locationId);
      break;
  }
  d.record.approved = true;
  // A person approving the order does not lift a merchant's hold in the store:
  // the order waits for the store's release (submitting now would only fail there).
  const merchant = (h: { id: string }) => h.id.startsWith(STORE_HOLD_PREFIX);
  releaseHolds(d, `approved${by}`, (h) => !merchant(h));
  d.note(`approved${by}${event.comment ? `: ${event.comment}` : ''}`);
  if (d.record.holds.some(merchant)) {
    d.fire('HOLD', 'approved, but still held in the store; waiting for its release');
    return;
  }
  proceed(d, facts, []);
}

function finish(d: Draft, from: string | null, fn: Step): Decision {
  const review = d.record.review;
  if (fn(d) === 'ignore') return ignored(d.event, 'event changes nothing for this order');
  noteReview(d, review);
  const e = d.explanation;
  const history: HistoryEntry = {
    orderId: d.record.orderId,
    version: d.record.version,
    at: d.nowIso,
    eventType: d.event.type,
    eventKey: d.event.idempotencyKey,
    from,
    to: d.record.status,
    summary: summarize(e, from, d.record.status),
    explanation: e,
  };
  const reservations = reservationsOf(d);
  return {
    outcome: e.outcome,
    record: d.record,
    history,
    commands: d.commands,
    timers: d.timers,
    cancelTimerIds: d.cancelTimerIds,
    ...(reservations ? { reservations } : {}),
    explanation: e,
  };
}

function ignored(event: OrderEvent, note: string): Decision {
  const explanation: Explanation = {
    event: { type: event.type, idempotencyKey: event.idempotencyKey },
    outcome: 'ignored',
    stages: [],
    transitions: [],
    commands: [],
    notes: [note],
  };
  explainRepairs(explanation, event);
  return { outcome: 'ignored', commands: [], timers: [], cancelTimerIds: [], explanation };
}

function summarize(e: Explanation, from: string | null, to: string): string {
  const move = from === to ? `stayed ${to}` : `${from ?? 'new'} → ${to}`;
  if (e.invalid) return `invalid transition: ${e.invalid.message}`;
  const matched = e.stages.flatMap((s) => s.rules.filter((r) => r.matched).map((r) => r.ruleId));
  const parts = [`${e.event.type}: ${move}`];
  if (matched.length > 0) parts.push(`rules ${matched.join(', ')}`);
  if (e.routing) parts.push(e.routing.reason);
  if (e.sanitized) {
    const more = e.sanitized.length > 3 ? ` (+${e.sanitized.length - 3} more)` : '';
    parts.push(
      `text repaired in ${e.sanitized
        .slice(0, 3)
        .map((r) => r.path)
        .join(', ')}${more}`,
    );
  }
  return parts.join('; ');
}

function shipment(d: Draft, id: string) {
  const s = d.record.shipments.find((x) => x.id === id);
  if (!s) d.note(`unknown shipment ${id}`);
  return s;
}

function lineTotal(s: { lines: { lineId: string; quantity: number }[] }, lineId: string): number {
  return s.lines.filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);
}

function isTerminal(d: Draft): boolean {
  return d.kind === 'final' || d.kind === 'done';
}

function holdIdOf(timerId: string): string {
  return timerId.slice(timerId.lastIndexOf(':') + 1);
}

/** Field-by-field, so storages that reorder JSON keys (jsonb) do not look like a change. */
function sameAddress(a: Address | undefined, b: Address | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Address>;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
