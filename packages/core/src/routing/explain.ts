import type { ShipmentLine } from '../model/record';
import type { CostBasis } from './cost';
import { toShipmentLine } from './demand';
import type { Evaluated, SearchInput, SearchResult } from './exact';
import { type PlanGap, planLowerBound } from './lower-bound';
import type { RoutingPlan } from './router';
import {
  compareScores,
  type LostOn,
  type ObjectiveTerm,
  type PlanScore,
  type ScoringContext,
  whyLost,
} from './score';

/** A plan that lost, and why. */
export interface PlanAlternative {
  locations: string[];
  score: PlanScore;
  lostOn: LostOn;
  why: string;
  /** The plan was dismissed on a bound without being solved (`score.placed` is an upper bound). */
  bound: boolean;
}

/** A routing plan with its explanation. */
export interface OptimalRoutingPlan extends RoutingPlan {
  score: PlanScore;
  alternatives: PlanAlternative[];
  /**
   * `exact`: the built-in search (proven optimal unless its budget ran out, see `optimal`);
   * `heuristic`: see `gap`; `mip`: a MIP solver (`@fulfil/router-mip`, see `optimal` and
   * `gap`); `none`: nothing to search.
   */
  method: 'exact' | 'heuristic' | 'mip' | 'none';
  optimal: boolean;
  costBasis: CostBasis;
  /** For heuristic plans: the distance to lower bounds. */
  gap?: PlanGap;
  /** Locations whose daily cutoff has passed (their shipments leave tomorrow). */
  missedCutoff: string[];
  /** Low-cover stock (`location/SKU (days)`) the plan left alone, when `protect` applied. */
  protected?: string[];
}

/** What plan building needs from the router options. */
export interface ExplainOptions {
  alternatives: number;
  objective: readonly ObjectiveTerm[];
}

/** Turns the best search result into a plan with its explanation. */
export function buildPlan(
  o: ExplainOptions,
  input: SearchInput,
  result: SearchResult,
  best: Evaluated,
  heuristic: boolean,
  missed: ReadonlySet<string>,
): OptimalRoutingPlan {
  const { p, ids } = input;
  const alloc = best.assignment?.alloc ?? [];
  const shipments: RoutingPlan['shipments'] = [];
  best.subset.forEach((j, pos) => {
    const lines: ShipmentLine[] = [];
    p.items.forEach((it, i) => {
      const q = alloc[i]?.[pos] ?? 0;
      if (q > 0) lines.push(toShipmentLine(it, q));
    });
    if (lines.length > 0) shipments.push({ locationId: ids[j] ?? '', lines });
  });
  const backordered: ShipmentLine[] = [];
  p.items.forEach((it, i) => {
    const left = it.quantity - (alloc[i] ?? []).reduce((a, b) => a + b, 0);
    if (left > 0) backordered.push(toShipmentLine(it, left));
  });
  const alts = alternatives(o, input, result, best);
  const s = best.score;
  const where = shipments.map((x) => x.locationId).join(' + ');
  const gap = heuristic
    ? planLowerBound(
        p,
        input.stocks,
        ids.map((id) => input.ctx.cost.get(id) ?? 0),
        s,
        input.maxShipments < ids.length,
        'shipmentsLowerBound' in result ? (result.shipmentsLowerBound as number) : 0,
      )
    : undefined;
  const optimal = !heuristic && result.exact;
  const how = optimal
    ? 'proven optimal'
    : heuristic
      ? 'heuristic'
      : 'best found (search budget spent)';
  const head = `${s.shipments} shipment(s) from ${where} (cost ${s.cost}, ${s.costBasis} costs), ${how}`;
  const short = backordered.length > 0 ? `, ${s.backordered} unit(s) backordered` : '';
  const gapText = gap
    ? `; gap to lower bound ${(gap.shipmentsGap * 100).toFixed(0)}% shipments, ${(gap.costGap * 100).toFixed(0)}% cost`
    : '';
  const runner = alts[0] ? `; runner-up ${alts[0].locations.join(' + ')}: ${alts[0].why}` : '';
  const plan: OptimalRoutingPlan = {
    shipments,
    backordered,
    reason: `${head}${short}${gapText}${runner}`,
    score: s,
    alternatives: alts,
    method: heuristic ? 'heuristic' : 'exact',
    optimal,
    costBasis: s.costBasis,
    missedCutoff: shipments.map((x) => x.locationId).filter((id) => missed.has(id)),
  };
  if (gap) plan.gap = gap;
  return plan;
}

/** The best runners-up and why each lost. */
export function alternatives(
  o: ExplainOptions,
  input: SearchInput,
  result: SearchResult,
  best: Evaluated | undefined,
): PlanAlternative[] {
  const bestKey = best?.used.join(',');
  const byKey = new Map<string, Evaluated>();
  for (const e of result.evaluated) {
    const key = e.used.join(',');
    if (key === bestKey || e.used.length === 0) continue;
    const prior = byKey.get(key);
    if (!prior || (prior.bound && !e.bound)) byKey.set(key, e);
  }
  const sorted = [...byKey.values()].sort((a, b) =>
    compareScores(a.score, b.score, input.objective),
  );
  return sorted.slice(0, o.alternatives).map((e) => {
    const w = best
      ? whyLost(best.score, e.score, input.objective, e.bound)
      : {
          lostOn: 'placed' as const,
          why: `places ${e.bound ? 'at most ' : ''}${e.score.placed} of ${input.p.total} units`,
        };
    return {
      locations: e.used.map((j) => input.ids[j] ?? ''),
      score: e.score,
      lostOn: w.lostOn,
      why: w.why,
      bound: e.bound,
    };
  });
}

/** The score of a plan that places nothing. */
export function emptyScore(ctx: ScoringContext): PlanScore {
  return {
    placed: 0,
    backordered: ctx.total,
    shipments: 0,
    nonPreferred: 0,
    cost: 0,
    priority: 0,
    costBasis: ctx.costBasis,
    ranks: [],
  };
}
