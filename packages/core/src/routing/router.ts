import type { InventorySnapshot, Location } from '../model/facts';
import type { RoutingPolicy, ShipmentLine } from '../model/record';
import type { Destination } from './cost';
import { type DemandItem, fillsAll, takeFrom, toShipmentLine } from './demand';

/** What a router is asked. */
export interface RouteRequest {
  /** Units to place (already net of live shipments). */
  items: readonly DemandItem[];
  inventory: InventorySnapshot;
  locations: readonly Location[];
  policy: RoutingPolicy;
  /** Epoch ms. */
  now: number;
  /** Where the order ships to (country, region, lat/lon when known), for distance and zone costs. */
  destination?: Destination;
  /**
   * Days of cover per location per SKU (from the engine's forecast source), for routers that
   * protect low-cover stock (`createOptimalRouter({ protect })`). Others MAY ignore it.
   */
  cover?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Carrier rate of one parcel per location id, in minor units (gathered by the engine from its
   * `rates` source before routing). Cost-aware routers use it instead of the distance/zone model
   * when every candidate has a rate (`costBasis: 'carrier-rates'`). Others MAY ignore it.
   */
  rates?: Readonly<Record<string, number>>;
}

/** A routing decision. */
export interface RoutingPlan {
  shipments: { locationId: string; lines: ShipmentLine[] }[];
  /** Units no location could take now. */
  backordered: ShipmentLine[];
  /** One sentence: why this plan. */
  reason: string;
}

/**
 * Chooses where each unit ships from. Pure: MUST NOT do I/O, MUST be deterministic,
 * MUST NOT allocate more units at a location than `inventory` shows, MUST place or
 * backorder every unit exactly once, MUST obey `policy.exclude`, `policy.force` and
 * `policy.requiredCapabilities`, and MUST return one shipment at most when
 * `policy.allowSplit === false`.
 */
export interface Router {
  readonly name: string;
  route(request: RouteRequest): RoutingPlan;
}

/**
 * The default router: one location when one can fill every unit (preferred
 * locations first, then by priority, then id); otherwise, when splitting is allowed
 * (the default), greedily the location that can fill the most remaining units, then
 * the next; what nobody can fill is backordered.
 *
 * @example
 * ```ts
 * const plan = greedyRouter.route({ items, inventory, locations, policy, now: Date.now() });
 * ```
 */
export const greedyRouter: Router = {
  name: 'greedy',
  route(request) {
    const { items, policy } = request;
    const candidates = eligibleLocations(request.locations, policy);
    if (items.length === 0) return { shipments: [], backordered: [], reason: 'nothing to route' };
    if (candidates.length === 0) {
      return {
        shipments: [],
        backordered: items.map((it) => toShipmentLine(it, it.quantity)),
        reason: 'no eligible location (closed, excluded or lacking a required capability)',
      };
    }
    const stock = new Map<string, Record<string, number>>();
    for (const l of candidates) stock.set(l.id, { ...(request.inventory[l.id] ?? {}) });

    const single = candidates.find((l) => fillsAll(items, stock.get(l.id)));
    if (single) {
      return {
        shipments: [
          { locationId: single.id, lines: items.map((it) => toShipmentLine(it, it.quantity)) },
        ],
        backordered: [],
        reason: `${single.id} can fill every unit`,
      };
    }
    if (policy.allowSplit === false) {
      return {
        shipments: [],
        backordered: items.map((it) => toShipmentLine(it, it.quantity)),
        reason: 'no single location can fill every unit and splitting is forbidden',
      };
    }
    return greedySplit(items, candidates, stock);
  },
};

function greedySplit(
  items: readonly DemandItem[],
  candidates: Location[],
  stock: Map<string, Record<string, number>>,
): RoutingPlan {
  const remaining = items.map((it) => it.quantity);
  const shipments: RoutingPlan['shipments'] = [];
  const used = new Set<string>();
  for (;;) {
    let best: Location | undefined;
    let bestUnits = 0;
    for (const l of candidates) {
      if (used.has(l.id)) continue;
      const units = sum(takeFrom(items, remaining, { ...(stock.get(l.id) ?? {}) }));
      if (units > bestUnits) {
        best = l;
        bestUnits = units;
      }
    }
    if (!best) break;
    used.add(best.id);
    const taken = takeFrom(items, remaining, stock.get(best.id) ?? {});
    const lines: ShipmentLine[] = [];
    taken.forEach((take, i) => {
      if (take <= 0) return;
      remaining[i] = (remaining[i] ?? 0) - take;
      lines.push(toShipmentLine(items[i] as DemandItem, take));
    });
    shipments.push({ locationId: best.id, lines });
  }
  const backordered = items
    .map((it, i) => ((remaining[i] ?? 0) > 0 ? toShipmentLine(it, remaining[i] ?? 0) : undefined))
    .filter((l): l is ShipmentLine => l !== undefined);
  const where = shipments.map((s) => s.locationId).join(' + ');
  const reason =
    shipments.length === 0
      ? 'no location has stock for any unit'
      : shipments.length === 1
        ? `no location can fill every unit: ${where} ships what it has, rest backordered`
        : `no single location can fill every unit: split ${where}${backordered.length ? ', rest backordered' : ''}`;
  return { shipments, backordered, reason };
}

/** Open locations allowed by the policy, in preference order. */
export function eligibleLocations(
  locations: readonly Location[],
  policy: RoutingPolicy,
): Location[] {
  const exclude = new Set(policy.exclude);
  let list = locations.filter(
    (l) =>
      l.open &&
      !exclude.has(l.id) &&
      policy.requiredCapabilities.every((c) => l.capabilities.includes(c)),
  );
  if (policy.force !== undefined) list = list.filter((l) => l.id === policy.force);
  const preferRank = (id: string) => {
    const i = policy.prefer.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list.sort(
    (a, b) =>
      preferRank(a.id) - preferRank(b.id) ||
      a.priority - b.priority ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function sum(values: readonly number[]): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
