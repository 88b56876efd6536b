import {
  type DemandItem,
  type OptimalRoutingPlan,
  type PlanScore,
  type Problem,
  type RoutingPlan,
  type ScoringContext,
  type ShipmentLine,
  scoreSet,
  toShipmentLine,
} from '@fulfil/core';
import type { MipModel } from './model';

/** A solved allocation: units per item per candidate, and the candidates used (ascending). */
export interface Allocation {
  /** `alloc[item][l]`. */
  alloc: number[][];
  used: number[];
  placed: number;
}

/**
 * Turns the solver's (rounded) column values into units per item per location: bundles as
 * solved; free units per SKU handed to that SKU's lines in line order, location by location.
 * Checks the result against the stock and the demand (independently of the solver's
 * tolerances) and throws when it is not a valid plan.
 */
export function allocationOf(
  p: Problem,
  m: MipModel,
  stocks: readonly (readonly number[])[],
  values: readonly number[],
): Allocation {
  const n = m.n;
  const alloc = p.items.map(() => new Array<number>(n).fill(0));
  const free: number[][] = p.skus.map(() => new Array<number>(n).fill(0));
  m.cols.forEach((col, c) => {
    const v = Math.max(0, values[c] ?? 0);
    if (col.kind === 'x') (alloc[col.index] as number[])[col.l] = v;
    else if (col.kind === 'z') (free[col.index] as number[])[col.l] = v;
  });
  const left = [...p.quantity];
  for (const b of p.bundles) left[b] = (p.quantity[b] ?? 0) - sum(alloc[b] ?? []);
  free.forEach((row, k) => {
    row.forEach((units, l) => {
      let have = units;
      for (let i = 0; i < p.items.length && have > 0; i++) {
        if (p.freeSku[i] !== k || (left[i] ?? 0) <= 0) continue;
        const t = Math.min(have, left[i] ?? 0);
        (alloc[i] as number[])[l] = (alloc[i]?.[l] ?? 0) + t;
        left[i] = (left[i] ?? 0) - t;
        have -= t;
      }
      if (have > 0) throw new Error(`solver placed more units of ${p.skus[k]} than ordered`);
    });
  });
  for (let l = 0; l < n; l++) {
    const use = p.skus.map(() => 0);
    p.items.forEach((_, i) => {
      for (const [k, per] of p.needs[i] ?? []) use[k] = (use[k] ?? 0) + per * (alloc[i]?.[l] ?? 0);
    });
    use.forEach((u, k) => {
      if (u > (stocks[l]?.[k] ?? 0))
        throw new Error(`solver over-allocated ${p.skus[k]} at candidate ${l}`);
    });
  }
  left.forEach((v, i) => {
    if (v < 0) throw new Error(`solver placed more of item ${i} than ordered`);
  });
  const used: number[] = [];
  for (let l = 0; l < n; l++) if (alloc.some((row) => (row[l] ?? 0) > 0)) used.push(l);
  return { alloc, used, placed: p.total - sum(left) };
}

/** The plan's shipments and backorder for an allocation. */
export function shipmentsOf(
  items: readonly DemandItem[],
  ids: readonly string[],
  a: Allocation,
): Pick<RoutingPlan, 'shipments' | 'backordered'> {
  const shipments: RoutingPlan['shipments'] = [];
  for (const l of a.used) {
    const lines: ShipmentLine[] = [];
    items.forEach((it, i) => {
      const q = a.alloc[i]?.[l] ?? 0;
      if (q > 0) lines.push(toShipmentLine(it, q));
    });
    shipments.push({ locationId: ids[l] ?? '', lines });
  }
  const backordered: ShipmentLine[] = [];
  items.forEach((it, i) => {
    const left = it.quantity - sum(a.alloc[i] ?? []);
    if (left > 0) backordered.push(toShipmentLine(it, left));
  });
  return { shipments, backordered };
}

/** The score of an allocation. */
export function scoreOf(ctx: ScoringContext, ids: readonly string[], a: Allocation): PlanScore {
  return scoreSet(
    ctx,
    a.used.map((l) => ids[l] ?? ''),
    a.placed,
  );
}

/** An empty plan with a reason (nothing placed). */
export function nonePlan(
  items: readonly DemandItem[],
  score: PlanScore,
  reason: string,
  missedCutoff: string[] = [],
): OptimalRoutingPlan {
  return {
    shipments: [],
    backordered: items.map((it) => toShipmentLine(it, it.quantity)),
    reason,
    score,
    alternatives: [],
    method: 'none',
    optimal: true,
    costBasis: score.costBasis,
    missedCutoff,
  };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
