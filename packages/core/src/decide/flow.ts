import { coverDays } from '../forecast/source';
import type { DecisionFacts, ForecastCover, PlanFacts } from '../model/facts';
import type { Order } from '../model/order';
import type { RoutingPolicy, Shipment } from '../model/record';
import { inventoryFacts, outstandingDemand } from '../routing/demand';
import type { RoutingPlan } from '../routing/router';
import type { Stage } from '../rules/schema';
import type { ResolvedActions } from '../rules/types';
import { enterReview, gate, placeHolds, runStage } from './actions';
import type { Draft } from './draft';
import { unitsOfLines } from './reservations';

type RoutingAlternative = NonNullable<
  NonNullable<Draft['explanation']['routing']>['alternatives']
>[number];

const PAID = new Set(['paid', 'authorized', 'partially_refunded']);

/** Timer purpose: lines whose `shipAfter` date has come are routed then. */
export const SHIP_AFTER_TIMER = 'ship_after';

/** Is the order paid enough to ship? */
export function isPaid(order: Order): boolean {
  return PAID.has(order.paymentStatus);
}

/**
 * Runs `stages`, then (if nothing stopped the order) the payment check, the
 * before-routing rules, routing and submission.
 */
export function proceed(d: Draft, facts: DecisionFacts, stages: Stage[]): void {
  for (const stage of stages) {
    if (stage === 'paid' && !isPaid(d.record.order)) continue;
    const actions = runStage(d, stage, facts);
    if (!gate(d, actions) || !fireCustom(d, actions)) return;
  }
  if (!isPaid(d.record.order)) {
    if (d.status !== 'awaiting_payment')
      d.fire('AWAIT_PAYMENT', `payment is ${d.record.order.paymentStatus}`);
    return;
  }
  routeAndSubmit(d, facts);
}

/** Fires custom machine events from rules. Returns true while the order may still be routed. */
function fireCustom(d: Draft, a: ResolvedActions): boolean {
  if (a.transitions.length === 0) return true;
  for (const t of a.transitions) if (!d.fire(t.event, `rule ${t.ruleId}`)) return false;
  const kind = d.kind;
  return kind === 'pending' || kind === 'ready' || kind === 'active' || kind === undefined;
}

/**
 * Routes the outstanding units once, runs the before-routing rules (they read the plan as
 * `routing.*` / `forecast.*` facts), routes again only when a rule changed the routing
 * policy, then submits the shipments.
 */
export function routeAndSubmit(d: Draft, facts: DecisionFacts): void {
  const { order } = d.record;
  const demand = outstandingDemand(order, d.record, d.now);
  if (demand.unroutable.length > 0) {
    enterReview(
      d,
      [`line(s) ${demand.unroutable.join(', ')} need shipping but have no SKU`],
      'warning',
    );
    return;
  }
  const inventory = facts.inventory ?? {};
  const inv = inventoryFacts(demand.items, inventory, d.config.locations);
  const cover = coverDays(facts.cover);
  const route = () =>
    d.config.router.route({
      items: demand.items,
      inventory,
      locations: d.config.locations,
      policy: d.record.policy,
      now: d.now,
      ...(order.shippingAddress ? { destination: order.shippingAddress } : {}),
      ...(cover ? { cover } : {}),
      ...(facts.rates ? { rates: facts.rates } : {}),
    });
  const routedOn = policyKey(d.record.policy);
  let plan = demand.items.length > 0 ? route() : undefined;
  const ruleFacts = plan ? { ...facts, plan: planFacts(plan, facts.cover) } : facts;
  const actions = runStage(d, 'before_routing', ruleFacts, inv);
  if (!gate(d, actions)) return;
  const active = d.kind === 'active';
  if (!active && d.kind !== 'ready' && !d.fire('READY', 'nothing holds the order')) return;
  if (!fireCustom(d, actions) || (d.kind !== 'ready' && d.kind !== 'active')) return;

  if (demand.items.length === 0) {
    if (demand.notYet.length > 0) {
      if (active) scheduleShipAfter(d, order);
      else holdUntilShipAfter(d, order);
      return;
    }
    const live = d.record.shipments.some(
      (x) => x.status !== 'rejected' && x.status !== 'cancelled',
    );
    if (live) {
      d.note('nothing left to route');
      // Back from review or a hold with every unit already at a warehouse (e.g. a failed
      // submit re-run by hand): the order follows its shipments instead of sitting ready.
      if (d.kind === 'ready' && d.fire('SUBMIT', 'its shipments are already at the warehouse'))
        if (
          d.record.shipments.some(
            (x) =>
              x.status === 'shipped' ||
              x.status === 'partially_shipped' ||
              x.status === 'delivered',
          )
        )
          settleShipping(d);
      return;
    }
    d.note('no line needs shipping');
    if (d.fire('SUBMIT', 'nothing to ship')) d.fire('SHIP', 'nothing to ship');
    return;
  }
  if (plan === undefined || policyKey(d.record.policy) !== routedOn) plan = route();
  d.stock = facts.stock;
  d.explanation.routing = {
    shipments: plan.shipments.map((s) => ({ locationId: s.locationId, lines: s.lines })),
    backordered: plan.backordered,
    reason: `${d.config.router.name}: ${plan.reason}`,
    ...('score' in plan && plan.score !== undefined
      ? { score: plan.score as Record<string, unknown> }
      : {}),
    ...('alternatives' in plan && Array.isArray(plan.alternatives)
      ? { alternatives: plan.alternatives as RoutingAlternative[] }
      : {}),
  };
  d.record.backordered = plan.backordered;
  if (plan.shipments.length === 0) {
    if (active) {
      d.note(`backorder still waiting: ${plan.reason}`);
      return;
    }
    enterReview(d, [`cannot route: ${plan.reason}`], 'warning');
    return;
  }
  for (const s of plan.shipments) submitShipment(d, s.locationId, s.lines);
  alertLowCover(d, plan, facts.cover);
  if (plan.backordered.length > 0) {
    const units = plan.backordered.reduce((n, l) => n + l.quantity, 0);
    d.note(`${units} unit(s) backordered until stock arrives`);
  }
  d.fire('SUBMIT', plan.reason);
  if (demand.notYet.length > 0) scheduleShipAfter(d, order);
}

/** The routing policy as a comparable string (rules may change it between two routings). */
function policyKey(p: RoutingPolicy): string {
  return JSON.stringify([
    p.allowSplit,
    p.prefer,
    p.exclude,
    p.force,
    p.requiredCapabilities,
    p.maxShipments,
  ]);
}

/** What the `routing.*` and `forecast.*` rule facts read from a plan. */
export function planFacts(plan: RoutingPlan, cover: ForecastCover | undefined): PlanFacts {
  const daysOfCover: PlanFacts['daysOfCover'] = [];
  for (const s of plan.shipments) {
    for (const sku of unitsOfLines(s.lines).keys()) {
      const figure = cover?.[s.locationId]?.[sku];
      if (figure !== undefined)
        daysOfCover.push({ sku, locationId: s.locationId, days: figure.daysOfCover });
    }
  }
  const score = (plan as { score?: { cost?: unknown } }).score;
  return {
    shipmentCount: plan.shipments.length,
    locations: plan.shipments.map((s) => s.locationId),
    ...(typeof score?.cost === 'number' ? { estimatedCost: score.cost } : {}),
    backorderedUnits: plan.backordered.reduce((n, l) => n + l.quantity, 0),
    daysOfCover,
  };
}

/**
 * One warning alert per location, SKU and (UTC) day when the plan takes stock from a location
 * whose days of cover are below the SKU's lead time (the sink dedupes on the key).
 */
function alertLowCover(d: Draft, plan: RoutingPlan, cover: ForecastCover | undefined): void {
  if (cover === undefined || d.config.forecastAlerts === false) return;
  const day = d.nowIso.slice(0, 10);
  for (const s of plan.shipments) {
    for (const sku of unitsOfLines(s.lines).keys()) {
      const f = cover[s.locationId]?.[sku];
      if (f?.leadTimeDays === undefined || !(f.daysOfCover < f.leadTimeDays)) continue;
      const what = `${sku} at ${s.locationId}: ${f.daysOfCover} day(s) of cover, below the ${f.leadTimeDays}-day lead time`;
      d.command(
        {
          type: 'alert',
          severity: 'warning',
          title: `Low stock: ${sku} at ${s.locationId}`,
          message: `${what}; reorder now.`,
          reason: `routing took ${what}`,
        },
        `stock-cover:${s.locationId}:${sku}:${day}`,
      );
    }
  }
}

/** Routes the lines whose `shipAfter` comes next, when it comes. */
function scheduleShipAfter(d: Draft, order: Order): void {
  const due = nextShipAfter(d, order);
  if (due === undefined) return;
  const dueAt = new Date(due).toISOString();
  d.timer({ id: `${order.id}:ship-after:${dueAt}`, dueAt, purpose: SHIP_AFTER_TIMER });
  d.note(`lines with a later ship-after date are routed at ${dueAt}`);
}

function nextShipAfter(d: Draft, order: Order): number | undefined {
  const times = order.lines
    .flatMap((l) => (l.shipAfter ? [Date.parse(l.shipAfter)] : []))
    .filter((t) => t > d.now);
  return times.length === 0 ? undefined : Math.min(...times);
}

function submitShipment(d: Draft, locationId: string, lines: Shipment['lines']): void {
  const { order } = d.record;
  const shipment: Shipment = {
    id: `${order.id}-s${d.record.shipments.length + 1}`,
    locationId,
    status: 'pending',
    lines,
    shipped: {},
    tracking: [],
    createdAt: d.nowIso,
  };
  d.record.shipments.push(shipment);
  const warehouse = d.config.warehouseOf.get(locationId) ?? locationId;
  const byLine = new Map(order.lines.map((l) => [l.id, l]));
  const p = d.record.policy;
  d.command(
    {
      type: 'warehouse.submit',
      warehouse,
      reason: `routed to ${locationId}`,
      request: {
        orderId: order.id,
        ...(order.source.name ? { orderName: order.source.name } : {}),
        shipment: { ...shipment, lines: [...shipment.lines], shipped: {}, tracking: [] },
        locationId,
        ...(order.shippingAddress ? { shipTo: order.shippingAddress } : {}),
        lines: lines.map((l) => {
          const src = byLine.get(l.lineId);
          return {
            lineId: l.lineId,
            sku: l.sku,
            quantity: l.quantity,
            unitPrice: src?.unitPrice ?? 0,
            ...(src?.title ? { title: src.title } : {}),
            ...(l.components ? { components: l.components } : {}),
          };
        }),
        currency: order.currency,
        instructions: [...d.record.instructions],
        ...(p.service ? { service: p.service } : {}),
        ...(p.priority !== undefined ? { priority: p.priority } : {}),
        note: order.note,
      },
    },
    `submit:${shipment.id}`,
  );
}

function holdUntilShipAfter(d: Draft, order: Order): void {
  const until = nextShipAfter(d, order);
  if (until === undefined) return;
  placeHolds(d, [
    {
      ruleId: 'system:ship-after',
      reason: 'lines not to ship before their date',
      until,
      releaseOnStock: false,
    },
  ]);
}

/** Units shipped vs. needed: moves the order to shipped or partially shipped. */
export function settleShipping(d: Draft): void {
  const live = d.record.shipments.filter(
    (s) => s.status !== 'rejected' && s.status !== 'cancelled',
  );
  const open = outstandingDemand(d.record.order, d.record, d.now);
  const allShipped =
    live.length > 0 &&
    live.every((s) => s.status === 'shipped' || s.status === 'delivered') &&
    d.record.backordered.length === 0 &&
    open.items.length === 0 &&
    open.notYet.length === 0;
  if (allShipped) {
    if (d.kind !== 'done' && d.kind !== 'final') d.fire('SHIP', 'every unit shipped');
    if (live.every((s) => s.status === 'delivered')) d.fire('DELIVER', 'every shipment delivered');
    return;
  }
  d.fire('SHIP_PARTIAL', 'some units shipped');
}
