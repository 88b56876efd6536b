/**
 * Seeded random routing instances, an independent plan checker and a brute-force optimum.
 * Shared by the routing tests and bench/src/routing.ts.
 */
import type { DemandItem } from '../../src/routing/demand';
import type { OptimalRouteRequest } from '../../src/routing/optimal-router';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shape of a random instance. */
export interface InstanceShape {
  locations: number;
  lines: number;
  /** Distinct SKUs to draw from (fewer → more sharing between lines and kits). */
  skus: number;
  /** Non-splittable kit lines at most (each of quantity ≤ kitQuantity). */
  kits: number;
  kitQuantity: number;
  maxQuantity: number;
  maxStock: number;
  /** Randomise policy (prefer, exclude, force, capabilities, no-split, max shipments). */
  policies: boolean;
  /** Share of locations without coordinates (exercises the `fixed` cost basis). */
  noCoordinates: number;
  /** Use exactly `locations` locations and `lines` lines (else 1..n at random). */
  fixedSize?: boolean;
}

export const SMALL: InstanceShape = {
  locations: 6,
  lines: 12,
  skus: 8,
  kits: 2,
  kitQuantity: 2,
  maxQuantity: 3,
  maxStock: 5,
  policies: true,
  noCoordinates: 0.1,
};

/** Large instances: 50 locations, 50 lines, 40 SKUs, a few kits, no policy constraints. */
export const LARGE: InstanceShape = {
  locations: 50,
  lines: 50,
  skus: 40,
  kits: 4,
  kitQuantity: 3,
  maxQuantity: 4,
  maxStock: 8,
  policies: false,
  noCoordinates: 0,
  fixedSize: true,
};

/** Exactly 8 locations (the exact search's limit), 12 lines. */
export const EIGHT: InstanceShape = {
  ...SMALL,
  locations: 8,
  policies: false,
  noCoordinates: 0,
  fixedSize: true,
};

/** One random request: lines (some kits, some splittable kits), stock, locations, policy. */
export function randomInstance(seed: number, shape: InstanceShape = SMALL): OptimalRouteRequest {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const sku = () => `S${int(1, shape.skus)}`;
  const nLoc = shape.fixedSize ? shape.locations : int(1, shape.locations);
  const nLines = shape.fixedSize ? shape.lines : int(1, shape.lines);
  const items: DemandItem[] = [];
  let kits = 0;
  for (let i = 0; i < nLines; i++) {
    const lineId = `l${i}`;
    const kind = r();
    if (kind < 0.2 && kits < shape.kits) {
      kits++;
      const comps = new Map<string, number>();
      for (let c = int(2, 3); c > 0; c--) comps.set(sku(), int(1, 2));
      const components = [...comps].map(([s, quantity]) => ({ sku: s, quantity }));
      items.push({
        lineId,
        sku: `KIT${i}`,
        quantity: int(1, shape.kitQuantity),
        needs: Object.fromEntries(comps),
        components,
      });
    } else if (kind < 0.3) {
      const q = int(1, 2);
      const parts = new Set<string>();
      for (let c = int(2, 3); c > 0; c--) parts.add(sku());
      for (const s of parts)
        items.push({ lineId, sku: s, quantity: q * int(1, 2), needs: { [s]: 1 } });
    } else {
      const s = sku();
      items.push({ lineId, sku: s, quantity: int(1, shape.maxQuantity), needs: { [s]: 1 } });
    }
  }
  const locations = Array.from({ length: nLoc }, (_, j) => {
    const coords = r() >= shape.noCoordinates;
    return {
      id: `L${j}`,
      warehouse: 'wh',
      priority: int(1, 5),
      capabilities: r() < 0.5 ? ['gift'] : [],
      open: r() > 0.05,
      costPerShipment: int(0, 5) * 100,
      ...(coords ? { address: { country: 'US', lat: 25 + r() * 23, lon: -122 + r() * 50 } } : {}),
    };
  });
  const inventory: Record<string, Record<string, number>> = {};
  for (const l of locations) {
    const s: Record<string, number> = {};
    for (let k = 1; k <= shape.skus; k++) if (r() < 0.6) s[`S${k}`] = int(0, shape.maxStock);
    if (r() < 0.05) s.S1 = -2;
    inventory[l.id] = s;
  }
  const policy = {
    prefer: [] as string[],
    exclude: [] as string[],
    requiredCapabilities: [] as string[],
  } as OptimalRouteRequest['policy'];
  if (shape.policies) {
    if (r() < 0.2) policy.prefer.push(`L${int(0, nLoc - 1)}`);
    if (r() < 0.15) policy.exclude.push(`L${int(0, nLoc - 1)}`);
    if (r() < 0.05) policy.force = `L${int(0, nLoc - 1)}`;
    if (r() < 0.1) policy.requiredCapabilities.push('gift');
    const split = r();
    if (split < 0.1) policy.allowSplit = false;
    else if (split < 0.2) policy.maxShipments = int(1, 2);
  }
  return {
    items,
    inventory,
    locations,
    policy,
    now: Date.parse('2026-11-27T15:00:00Z'),
    destination: { country: 'US', lat: 40.7, lon: -74 },
  };
}

/** Units of each SKU a shipment line takes, per plan line. */
function lineNeeds(items: readonly DemandItem[], lineId: string, sku: string) {
  const it = items.find((x) => x.lineId === lineId && x.sku === sku);
  if (!it) throw new Error(`plan names an unknown item ${lineId}/${sku}`);
  return it;
}

/**
 * Checks the router contract independently; returns the problems found (empty: valid).
 * Negative stock counts as 0.
 */
export function checkPlan(
  req: OptimalRouteRequest,
  plan: {
    shipments: {
      locationId: string;
      lines: { lineId: string; sku: string; quantity: number; components?: unknown }[];
    }[];
    backordered: { lineId: string; sku: string; quantity: number }[];
  },
): string[] {
  const problems: string[] = [];
  const byId = new Map(req.locations.map((l) => [l.id, l]));
  const placed = new Map<string, number>();
  const key = (l: { lineId: string; sku: string }) => `${l.lineId}/${l.sku}`;
  const locs = new Set<string>();
  for (const s of plan.shipments) {
    if (locs.has(s.locationId)) problems.push(`two shipments from ${s.locationId}`);
    locs.add(s.locationId);
    const loc = byId.get(s.locationId);
    if (!loc || loc.open === false) problems.push(`${s.locationId} is closed or unknown`);
    if (req.policy.exclude.includes(s.locationId)) problems.push(`${s.locationId} is excluded`);
    if (req.policy.force !== undefined && s.locationId !== req.policy.force)
      problems.push(`${s.locationId} is not the forced location`);
    for (const c of req.policy.requiredCapabilities)
      if (!loc?.capabilities?.includes(c)) problems.push(`${s.locationId} lacks ${c}`);
    const used = new Map<string, number>();
    for (const l of s.lines) {
      if (l.quantity <= 0) problems.push(`non-positive quantity in ${key(l)}`);
      const it = lineNeeds(req.items, l.lineId, l.sku);
      if (it.components && !l.components) problems.push(`kit ${key(l)} shipped without components`);
      for (const [sku, per] of Object.entries(it.needs))
        used.set(sku, (used.get(sku) ?? 0) + per * l.quantity);
      placed.set(key(l), (placed.get(key(l)) ?? 0) + l.quantity);
    }
    for (const [sku, n] of used) {
      const have = Math.max(0, req.inventory[s.locationId]?.[sku] ?? 0);
      if (n > have) problems.push(`${s.locationId} over-allocates ${sku}: ${n} > ${have}`);
    }
  }
  for (const b of plan.backordered) placed.set(key(b), (placed.get(key(b)) ?? 0) + b.quantity);
  for (const it of req.items)
    if ((placed.get(key(it)) ?? 0) !== it.quantity)
      problems.push(
        `${key(it)}: ${placed.get(key(it)) ?? 0} shipped+backordered of ${it.quantity}`,
      );
  if (req.policy.allowSplit === false && plan.shipments.length > 1)
    problems.push('split forbidden');
  if (req.policy.maxShipments !== undefined && plan.shipments.length > req.policy.maxShipments)
    problems.push('too many shipments');
  return problems;
}
