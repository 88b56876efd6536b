import { type Problem, placementBound } from './assign';

/** How far a heuristic plan may be from the optimum. */
export interface PlanGap {
  /** Shipments the plan uses. */
  shipments: number;
  /** No plan placing as many units can use fewer shipments than this. */
  shipmentsLowerBound: number;
  /** (shipments − bound) / bound; 0 means proven optimal on shipments. */
  shipmentsGap: number;
  cost: number;
  /** No plan with `shipmentsLowerBound` shipments or more costs less than this. */
  costLowerBound: number;
  /** (cost − bound) / bound, 0 when the bound is 0 and the cost too. */
  costGap: number;
  /** Units the plan places, and the most any plan could place. */
  placed: number;
  placedUpperBound: number;
}

/**
 * Lower bounds for a plan over `stocks` (every useful candidate): per SKU, the fewest
 * locations whose stock adds up to what must be placed (largest first), or `proven` (from the
 * cover search) when larger; for cost, the larger of the cheapest locations' costs for that
 * many shipments and, per SKU, the cheapest set of locations holding enough of it.
 *
 * When the plan places every unit, every SKU must be fully placed; otherwise only SKUs that
 * no kit uses are (their placement does not compete with anything), so only those count —
 * and none when shipments are `capped` (the optimum under a cap may place fewer units).
 */
export function planLowerBound(
  p: Problem,
  stocks: readonly (readonly number[])[],
  costs: readonly number[],
  plan: { shipments: number; cost: number; placed: number },
  capped = false,
  proven = 0,
): PlanGap {
  const inBundle = new Set<number>();
  for (const b of p.bundles) for (const [k] of p.needs[b] ?? []) inBundle.add(k);
  const full = plan.placed === p.total;
  let lb = plan.placed > 0 ? 1 : 0;
  for (let k = 0; k < p.skus.length; k++) {
    if (!full && (capped || inBundle.has(k))) continue;
    const have = stocks.map((s) => s[k] ?? 0).sort((a, b) => b - a);
    const totalHave = have.reduce((a, b) => a + b, 0);
    const must = full ? (p.needBySku[k] ?? 0) : Math.min(p.freeDemand[k] ?? 0, totalHave);
    let got = 0;
    let n = 0;
    while (got < must && n < have.length) got += have[n++] ?? 0;
    lb = Math.max(lb, n);
  }
  lb = Math.max(lb, proven);
  const cheapest = [...costs].sort((a, b) => a - b);
  let costLb = 0;
  for (let i = 0; i < lb; i++) costLb += cheapest[i] ?? 0;
  // Each SKU that must be placed alone already needs a set of locations: its cheapest cover.
  for (let k = 0; k < p.skus.length; k++) {
    if (!full && (capped || inBundle.has(k))) continue;
    const totalHave = stocks.reduce((n, st) => n + (st[k] ?? 0), 0);
    const must = full ? (p.needBySku[k] ?? 0) : Math.min(p.freeDemand[k] ?? 0, totalHave);
    if (must > 0) costLb = Math.max(costLb, cheapestCover(stocks, costs, k, must));
  }
  const ratio = (v: number, bound: number) => (bound > 0 ? (v - bound) / bound : v > 0 ? 1 : 0);
  return {
    shipments: plan.shipments,
    shipmentsLowerBound: lb,
    shipmentsGap: ratio(plan.shipments, lb),
    cost: plan.cost,
    costLowerBound: costLb,
    costGap: ratio(plan.cost, costLb),
    placed: plan.placed,
    placedUpperBound: placementBound(p, stocks),
  };
}

/** Least total cost of locations whose stock of SKU `k` adds up to `need` (0/1 knapsack cover). */
function cheapestCover(
  stocks: readonly (readonly number[])[],
  costs: readonly number[],
  k: number,
  need: number,
): number {
  const best = new Array<number>(need + 1).fill(Number.POSITIVE_INFINITY);
  best[0] = 0;
  stocks.forEach((st, l) => {
    const have = st[k] ?? 0;
    if (have <= 0) return;
    const c = costs[l] ?? 0;
    for (let x = need; x >= 0; x--) {
      const from = best[x] ?? Number.POSITIVE_INFINITY;
      if (from === Number.POSITIVE_INFINITY) continue;
      const to = Math.min(need, x + have);
      if (from + c < (best[to] ?? Number.POSITIVE_INFINITY)) best[to] = from + c;
    }
  });
  const v = best[need] ?? Number.POSITIVE_INFINITY;
  return Number.isFinite(v) ? v : 0;
}
