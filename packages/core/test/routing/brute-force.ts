/**
 * Brute-force optimum for small routing instances, written independently of the router's
 * search: every subset of eligible locations × every split of every whole-shipping kit's
 * units over that subset (and the backorder); free units (plain lines, splittable-kit
 * components) are interchangeable per SKU, so each subset places min(demand, stock) of them.
 * Returns the best score tuple under the default objective.
 */
import { costTable } from '../../src/routing/cost';
import type { OptimalRouteRequest } from '../../src/routing/optimal-router';
import { eligibleLocations } from '../../src/routing/router';

/** The comparable part of a plan score. */
export interface BruteScore {
  placed: number;
  shipments: number;
  nonPreferred: number;
  cost: number;
  priority: number;
  ranks: number[];
}

/** Lexicographic: more placed, then fewer shipments, non-preferred, cost, priority, ranks. */
export function compareBrute(a: BruteScore, b: BruteScore): number {
  const ta = [-a.placed, a.shipments, a.nonPreferred, a.cost, a.priority, ...a.ranks];
  const tb = [-b.placed, b.shipments, b.nonPreferred, b.cost, b.priority, ...b.ranks];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const d = (ta[i] ?? 0) - (tb[i] ?? 0);
    if (d !== 0) return d;
  }
  return ta.length - tb.length;
}

/** The optimum score by exhaustive enumeration (cost settings: 1 per km, no cutoff cost). */
export function bruteForce(req: OptimalRouteRequest): BruteScore {
  const eligible = eligibleLocations(req.locations, req.policy);
  // Costs are estimated over the locations that can ship at least one unit (see CostBasis).
  const canShip = eligible.filter((l) =>
    req.items.some((it) =>
      Object.entries(it.needs).every(([sku, per]) => (req.inventory[l.id]?.[sku] ?? 0) >= per),
    ),
  );
  const costs = costTable(canShip, req.destination, req.now, { costPerKm: 1, missedCutoffCost: 0 });
  const prefer = new Set(req.policy.prefer);
  const total = req.items.reduce((n, it) => n + it.quantity, 0);
  const none: BruteScore = {
    placed: 0,
    shipments: 0,
    nonPreferred: 0,
    cost: 0,
    priority: 0,
    ranks: [],
  };
  let best = none;
  const bundles = req.items.filter((it) => {
    const k = Object.keys(it.needs);
    return k.length !== 1 || it.needs[k[0] as string] !== 1;
  });
  const free = req.items.filter((it) => !bundles.includes(it));
  const maxShip = req.policy.allowSplit === false ? 1 : (req.policy.maxShipments ?? Infinity);
  const n = eligible.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const subset = eligible.filter((_, j) => mask & (1 << j));
    if (subset.length > maxShip) continue;
    const stock = subset.map((l) => {
      const s: Record<string, number> = {};
      for (const [sku, v] of Object.entries(req.inventory[l.id] ?? {})) s[sku] = Math.max(0, v);
      return s;
    });
    const score = (placed: number): BruteScore => ({
      placed,
      shipments: subset.length,
      nonPreferred: prefer.size > 0 ? subset.filter((l) => !prefer.has(l.id)).length : 0,
      cost: subset.reduce((c, l) => c + (costs.cost.get(l.id) ?? 0), 0),
      priority: subset.reduce((c, l) => c + l.priority, 0),
      ranks: subset.map((l) => eligible.indexOf(l)).sort((a, b) => a - b),
    });
    const visit = (b: number, placed: number) => {
      if (b === bundles.length) {
        let p = placed;
        const demand = new Map<string, number>();
        for (const it of free) {
          const sku = Object.keys(it.needs)[0] as string;
          demand.set(sku, (demand.get(sku) ?? 0) + it.quantity);
        }
        for (const [sku, d] of demand) {
          const have = stock.reduce((h, s) => h + Math.max(0, s[sku] ?? 0), 0);
          p += Math.min(d, have);
        }
        if (req.policy.allowSplit === false && p < total) return;
        const s = score(p);
        if (compareBrute(s, best) < 0) best = s;
        return;
      }
      const it = bundles[b];
      if (!it) return;
      // every split of the kit's units over the subset's locations (rest backordered)
      const split = (j: number, left: number, got: number) => {
        if (j === subset.length) return visit(b + 1, placed + got);
        for (let t = 0; t <= left; t++) {
          const s = stock[j] as Record<string, number>;
          const ok = Object.entries(it.needs).every(([sku, per]) => (s[sku] ?? 0) >= per * t);
          if (!ok) break;
          for (const [sku, per] of Object.entries(it.needs)) s[sku] = (s[sku] ?? 0) - per * t;
          split(j + 1, left - t, got + t);
          for (const [sku, per] of Object.entries(it.needs)) s[sku] = (s[sku] ?? 0) + per * t;
        }
      };
      split(0, it.quantity, 0);
    };
    visit(0, 0);
  }
  return best;
}
