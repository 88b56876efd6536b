/**
 * What the routing suites (`routing`, `routing-mip`) share: the large instances, the plan check,
 * the tally against ranked-location routing (`greedyRouter`) and the percentage formats.
 */
import {
  costTable,
  eligibleLocations,
  greedyRouter,
  type OptimalRouteRequest,
  type RoutingPlan,
} from '@fulfil/core';
import { checkPlan, LARGE, randomInstance } from '../../packages/core/test/routing/instances';

/**
 * The large instances both suites route (50 locations × 50 lines), seeded from 50,000 so the
 * suites' figures are on the same `count` instances.
 */
export function largeInstances(count: number): OptimalRouteRequest[] {
  return Array.from({ length: count }, (_, i) => randomInstance(50_000 + i, LARGE));
}

/** Throws when `plan` breaks the router contract for `req` (`what` names the instance). */
export function assertValid(req: OptimalRouteRequest, plan: RoutingPlan, what: string): void {
  const problems = checkPlan(req, plan);
  if (problems.length > 0) throw new Error(`${what}: invalid plan: ${problems.join('; ')}`);
}

/** Totals of a router's plans against `greedyRouter`'s on the same instances. */
export interface GreedyTally {
  /** Shipments of the router's plans, and of the greedy router's. */
  ships: number;
  greedyShips: number;
  /** Estimated cost (one table per instance over every eligible location, for both alike). */
  cost: number;
  greedyCost: number;
  /** Units the router's plans place now beyond the greedy router's (negative: fewer). */
  units: number;
  /** Instances where the router's plan has fewer shipments; more; more without placing more units. */
  fewer: number;
  more: number;
  moreSameUnits: number;
}

/**
 * Routes every instance with `greedyRouter` (each plan checked, `greedy <label> #i`) and
 * tallies it against `mine(req, i)`, the router's plan of the same instance, in order.
 */
export function tallyVsGreedy(
  reqs: readonly OptimalRouteRequest[],
  mine: (req: OptimalRouteRequest, i: number) => RoutingPlan,
  label: string,
): GreedyTally {
  const t: GreedyTally = {
    ships: 0,
    greedyShips: 0,
    cost: 0,
    greedyCost: 0,
    units: 0,
    fewer: 0,
    more: 0,
    moreSameUnits: 0,
  };
  reqs.forEach((req, i) => {
    const ours = mine(req, i);
    const theirs = greedyRouter.route(req);
    assertValid(req, theirs, `greedy ${label} #${i}`);
    const c = costs(req);
    t.ships += ours.shipments.length;
    t.greedyShips += theirs.shipments.length;
    t.cost += planCost(ours, c);
    t.greedyCost += planCost(theirs, c);
    const du = placed(ours) - placed(theirs);
    t.units += du;
    if (ours.shipments.length < theirs.shipments.length) t.fewer++;
    if (ours.shipments.length > theirs.shipments.length) {
      t.more++;
      if (du <= 0) t.moreSameUnits++;
    }
  });
  return t;
}

/** One cost table per instance over every eligible location, for both routers alike. */
function costs(req: OptimalRouteRequest): Map<string, number> {
  const eligible = eligibleLocations(req.locations, req.policy);
  return costTable(eligible, req.destination, req.now, { costPerKm: 1, missedCutoffCost: 0 }).cost;
}

function planCost(plan: RoutingPlan, cost: Map<string, number>): number {
  return plan.shipments.reduce((n, s) => n + (cost.get(s.locationId) ?? 0), 0);
}

function placed(plan: RoutingPlan): number {
  return plan.shipments.reduce((n, s) => n + s.lines.reduce((m, l) => m + l.quantity, 0), 0);
}

/** The mean of `xs` (0 when empty). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** `part` as a percentage of `whole`, one decimal (`n/a` when `whole` is 0). */
export function pct(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;
}

/** A ratio as a percentage, one decimal. */
export function pctF(ratio: number): string {
  return `${(100 * ratio).toFixed(1)} %`;
}
