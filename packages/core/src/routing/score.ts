import type { CostBasis } from './cost';

/** One term of the lexicographic objective, after "place as many units as possible". */
export type ObjectiveTerm = 'shipments' | 'preferred' | 'cost' | 'priority';

/** The default objective: fewest shipments, fewest non-preferred locations, lowest cost, best priority. */
export const DEFAULT_OBJECTIVE: readonly ObjectiveTerm[] = [
  'shipments',
  'preferred',
  'cost',
  'priority',
];

/** How good a plan is. Lower is better on every term but `placed`. */
export interface PlanScore {
  /** Units placed now (kit units count once). Always compared first: more is better. */
  placed: number;
  backordered: number;
  shipments: number;
  /** Shipments from locations not in `policy.prefer` (0 when the policy prefers none). */
  nonPreferred: number;
  /** Estimated cost in minor units (see `costBasis`). */
  cost: number;
  /** Sum of the used locations' `priority`. */
  priority: number;
  costBasis: CostBasis;
  /** Final tie-break: the used locations' ranks (prefer, priority, id), ascending. */
  ranks: number[];
}

/** Which criterion decided between two plans. */
export type LostOn = 'placed' | ObjectiveTerm | 'tie-break';

/** Per-location data the score reads. */
export interface ScoringContext {
  rank: ReadonlyMap<string, number>;
  priority: ReadonlyMap<string, number>;
  preferred: ReadonlySet<string>;
  cost: ReadonlyMap<string, number>;
  costBasis: CostBasis;
  total: number;
}

/** Scores using the locations `ids` to place `placed` units. */
export function scoreSet(ctx: ScoringContext, ids: readonly string[], placed: number): PlanScore {
  let cost = 0;
  let priority = 0;
  let nonPreferred = 0;
  for (const id of ids) {
    cost += ctx.cost.get(id) ?? 0;
    priority += ctx.priority.get(id) ?? 0;
    if (ctx.preferred.size > 0 && !ctx.preferred.has(id)) nonPreferred++;
  }
  return {
    placed,
    backordered: ctx.total - placed,
    shipments: ids.length,
    nonPreferred,
    cost,
    priority,
    costBasis: ctx.costBasis,
    ranks: ids.map((id) => ctx.rank.get(id) ?? 0).sort((a, b) => a - b),
  };
}

/** Where `a` and `b` first differ, and the sign (negative: `a` is better). */
export function firstDifference(
  a: PlanScore,
  b: PlanScore,
  objective: readonly ObjectiveTerm[],
): { on: LostOn; sign: number } | undefined {
  if (a.placed !== b.placed) return { on: 'placed', sign: b.placed - a.placed };
  for (const term of objective) {
    const d = termOf(a, term) - termOf(b, term);
    if (d !== 0) return { on: term, sign: d };
  }
  const n = Math.min(a.ranks.length, b.ranks.length);
  for (let i = 0; i < n; i++) {
    const d = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
    if (d !== 0) return { on: 'tie-break', sign: d };
  }
  const d = a.ranks.length - b.ranks.length;
  return d === 0 ? undefined : { on: 'tie-break', sign: d };
}

/** Total order on scores: negative when `a` is better. */
export function compareScores(
  a: PlanScore,
  b: PlanScore,
  objective: readonly ObjectiveTerm[],
): number {
  return firstDifference(a, b, objective)?.sign ?? 0;
}

/** The value of one objective term. */
export function termOf(s: PlanScore, term: ObjectiveTerm): number {
  if (term === 'shipments') return s.shipments;
  if (term === 'preferred') return s.nonPreferred;
  if (term === 'cost') return s.cost;
  return s.priority;
}

/** A sentence saying why `loser` lost to `winner`. */
export function whyLost(
  winner: PlanScore,
  loser: PlanScore,
  objective: readonly ObjectiveTerm[],
  bound = false,
): { lostOn: LostOn; why: string } {
  const diff = firstDifference(loser, winner, objective);
  const on = diff?.on ?? 'tie-break';
  const atMost = bound ? 'at most ' : '';
  switch (on) {
    case 'placed':
      return {
        lostOn: on,
        why: `places ${atMost}${loser.placed} of ${winner.placed + winner.backordered} units (${winner.placed} possible)`,
      };
    case 'shipments':
      return { lostOn: on, why: `${loser.shipments} shipments instead of ${winner.shipments}` };
    case 'preferred':
      return {
        lostOn: on,
        why: `${loser.nonPreferred} shipment(s) from non-preferred locations instead of ${winner.nonPreferred}`,
      };
    case 'cost':
      return {
        lostOn: on,
        why: `costs ${loser.cost - winner.cost} more (${loser.cost} vs ${winner.cost})`,
      };
    case 'priority':
      return { lostOn: on, why: `priority ${loser.priority} vs ${winner.priority}` };
    default:
      return { lostOn: 'tie-break', why: 'equal on every term; lower-ranked locations' };
  }
}
