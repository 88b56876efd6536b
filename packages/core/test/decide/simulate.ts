import { decide } from '../../src/decide/decide';
import type { DecideConfig, Decision } from '../../src/decide/types';
import type { Command, Timer } from '../../src/model/commands';
import { OrderEvent } from '../../src/model/events';
import type { DecisionFacts, InventorySnapshot } from '../../src/model/facts';
import type { Order } from '../../src/model/order';
import type { OrderRecord } from '../../src/model/record';
import type { Step, StepSpec } from './arbitraries';
import { deepFreeze, iso, MINUTE, T0 } from './helpers';

/** Everything one applied step saw and produced. */
export interface StepResult {
  index: number;
  spec: StepSpec | { kind: 'create' };
  prev: OrderRecord | undefined;
  event: OrderEvent;
  facts: DecisionFacts;
  now: number;
  decision: Decision;
  /** The record after the step (the previous one when the decision was ignored). */
  record: OrderRecord | undefined;
  /** JSON of `prev` taken before decide ran. */
  prevJson: string;
}

/**
 * Runs one order through `steps`, feeding each decision's record into the next
 * call, with frozen inputs. Calls `check` after every decision.
 */
export function simulate(
  config: DecideConfig,
  order: Order,
  createWith: 'received' | 'updated',
  first: InventorySnapshot,
  steps: Step[],
  check: (r: StepResult) => void,
  /** Adds to the facts each decision sees (default: inventory only). */
  more: (inventory: InventorySnapshot) => Partial<DecisionFacts> = () => ({}),
): void {
  let record: OrderRecord | undefined;
  let now = T0;
  let snapshot = first;
  const timers: Timer[] = [];
  const commands: Command[] = [];

  const apply = (index: number, spec: StepResult['spec'], raw: unknown) => {
    const event = deepFreeze(OrderEvent.parse(raw));
    const facts = deepFreeze<DecisionFacts>({
      inventory: structuredClone(snapshot),
      ...more(structuredClone(snapshot)),
    });
    const prev = record === undefined ? undefined : deepFreeze(record);
    const prevJson = JSON.stringify(prev);
    const decision = decide(prev, event, facts, config, now);
    if (decision.record) record = decision.record;
    timers.push(...decision.timers);
    commands.push(...decision.commands);
    check({ index, spec, prev, event, facts, now, decision, record, prevJson });
  };

  const createEvent =
    createWith === 'received'
      ? { type: 'order.received', idempotencyKey: 'create', occurredAt: iso(now), order }
      : {
          type: 'order.updated',
          idempotencyKey: 'create',
          occurredAt: iso(now),
          order,
          upstreamUpdatedAt: order.updatedAt,
        };
  apply(-1, { kind: 'create' }, createEvent);

  steps.forEach((step, i) => {
    now += step.advanceMinutes * MINUTE;
    if (step.snapshot) snapshot = step.snapshot;
    const current = record as OrderRecord;
    const raw = toEvent(step.spec, i, current, timers, commands, now);
    if (step.spec.kind === 'timer' && raw.dueAt !== undefined) now = Math.max(now, raw.dueAt);
    delete raw.dueAt;
    raw.occurredAt = iso(now);
    apply(i, step.spec, raw);
  });
}

type RawEvent = Record<string, unknown> & { dueAt?: number };

function toEvent(
  spec: StepSpec,
  i: number,
  record: OrderRecord,
  timers: Timer[],
  commands: Command[],
  now: number,
): RawEvent {
  const base = { idempotencyKey: `${spec.kind}-${i}`, occurredAt: iso(now), orderId: 'o-1' };
  const shipment = (pick: number) =>
    record.shipments.length === 0 ? undefined : record.shipments[pick % record.shipments.length];
  switch (spec.kind) {
    case 'paid':
      return { ...base, type: 'order.paid' };
    case 'updated': {
      const last = Date.parse(record.upstreamUpdatedAt);
      const at = spec.newer ? last + (spec.minutes + 1) * MINUTE : last - spec.minutes * MINUTE;
      const order = structuredClone(record.order);
      order.updatedAt = iso(at);
      if (spec.change === 'payment') order.paymentStatus = spec.payment;
      if (spec.change === 'address' && order.shippingAddress)
        order.shippingAddress = { ...order.shippingAddress, city: `Shelbyville ${i}` };
      if (spec.change === 'tags') order.tags = [...order.tags, `tag-${i}`];
      const line = order.lines[spec.pick % order.lines.length];
      if (spec.change === 'quantity' && line) line.quantity += 1;
      const { orderId: _, ...rest } = base;
      return { ...rest, type: 'order.updated', order, upstreamUpdatedAt: iso(at) };
    }
    case 'received_again': {
      const { orderId: _, ...rest } = base;
      return { ...rest, type: 'order.received', order: record.order };
    }
    case 'cancelled':
      return { ...base, type: 'order.cancelled', reason: 'customer asked' };
    case 'inventory':
      return { ...base, type: 'inventory.changed', locationId: 'east', sku: 'TEE', available: 3 };
    case 'timer': {
      const t = spec.bogus || timers.length === 0 ? undefined : timers[spec.pick % timers.length];
      if (!t) return { ...base, type: 'timer.fired', timerId: 'o-1:nope', purpose: 'hold_expiry' };
      return {
        ...base,
        type: 'timer.fired',
        timerId: t.id,
        purpose: t.purpose,
        dueAt: Date.parse(t.dueAt),
      };
    }
    case 'accepted':
    case 'rejected':
    case 'delivered': {
      const s = shipment(spec.pick);
      const shipmentId = s?.id ?? 'o-1-s99';
      if (spec.kind === 'accepted')
        return { ...base, type: 'warehouse.accepted', shipmentId, warehouseOrderId: `W-${i}` };
      if (spec.kind === 'rejected')
        return { ...base, type: 'warehouse.rejected', shipmentId, reason: 'out of stock' };
      return { ...base, type: 'warehouse.delivered', shipmentId };
    }
    case 'shipped': {
      const s = shipment(spec.pick);
      const tracking = { carrier: 'SimPost', number: `T-${i}` };
      if (!s) return { ...base, type: 'warehouse.shipped', shipmentId: 'o-1-s99', tracking };
      if (!spec.partial) return { ...base, type: 'warehouse.shipped', shipmentId: s.id, tracking };
      let lines = s.lines
        .map((l, j) => ({
          lineId: l.lineId,
          quantity: Math.min(l.quantity, spec.amounts[j % spec.amounts.length] ?? 1),
        }))
        .filter((l) => l.quantity > 0);
      if (lines.length === 0 && s.lines[0]) lines = [{ lineId: s.lines[0].lineId, quantity: 1 }];
      return { ...base, type: 'warehouse.shipped', shipmentId: s.id, tracking, lines };
    }
    case 'review':
      return {
        ...base,
        type: 'review.resolved',
        // The schema requires a location for `route`: without one the person approves.
        resolution: spec.resolution === 'route' && !spec.location ? 'approve' : spec.resolution,
        by: 'ops@acme',
        ...(spec.resolution === 'route' && spec.location ? { locationId: spec.location } : {}),
      };
    case 'failed':
      return {
        ...base,
        type: 'command.failed',
        commandId: commands.at(-1)?.id ?? 'none',
        commandType: spec.commandType,
        error: 'HTTP 503',
      };
    case 'signal':
      return { ...base, type: 'order.signal', signal: spec.signal };
  }
}
