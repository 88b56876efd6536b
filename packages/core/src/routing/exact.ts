import { type Assignment, type Problem, placementBound, solveAssignment } from './assign';
import {
  compareScores,
  type ObjectiveTerm,
  type PlanScore,
  type ScoringContext,
  scoreSet,
} from './score';

/** What both searches work on: the useful candidates (rank order) and their stock vectors. */
export interface SearchInput {
  p: Problem;
  ids: readonly string[];
  stocks: readonly (readonly number[])[];
  ctx: ScoringContext;
  objective: readonly ObjectiveTerm[];
  /** Most locations a plan may use. */
  maxShipments: number;
  /** Search nodes allowed for the whole request. */
  budget: number;
}

/** One location set that was scored. */
export interface Evaluated {
  /** Candidate indices (into `ids`) the plan actually uses, ascending. */
  used: number[];
  score: PlanScore;
  /** True when the set was dismissed on a bound (its `placed` is an upper bound) without solving. */
  bound: boolean;
  /** The allocation, positions matching `subset`. */
  assignment?: Assignment;
  subset: number[];
}

/** The outcome of a search. */
export interface SearchResult {
  best: Evaluated | undefined;
  evaluated: Evaluated[];
  /** True when the best plan is proven optimal. */
  exact: boolean;
  nodes: number;
}

/**
 * Exact search: location subsets by increasing size. A subset is solved only when its bound
 * (see `placementBound`) and its location-only terms could still beat the best plan so far;
 * with `shipments` as the first term the search stops after the first size that places the
 * most units any subset can. Every objective term depends only on the locations used, so the
 * best over subsets is the optimum.
 */
export function exactSearch(input: SearchInput): SearchResult {
  const { p, ids, stocks, ctx, objective } = input;
  const n = ids.length;
  const kMax = Math.min(n, input.maxShipments);
  let budget = input.budget;
  let exact = true;
  const top = solveAssignment(p, stocks, {
    target: placementBound(p, stocks),
    budget: Math.ceil(budget / 4),
  });
  budget -= top.nodes;
  const pAll = top.exact ? top.placed : Number.POSITIVE_INFINITY;
  let best: Evaluated | undefined;
  const evaluated: Evaluated[] = [];
  const seen = new Set<string>();
  for (let size = 1; size <= kMax; size++) {
    for (const subset of combinations(n, size)) {
      const sub = subset.map((j) => stocks[j] ?? []);
      const ub = placementBound(p, sub);
      const estimate = scoreSet(
        ctx,
        subset.map((j) => ids[j] ?? ''),
        ub,
      );
      if (best && compareScores(estimate, best.score, objective) >= 0) {
        evaluated.push({ used: subset, subset, score: estimate, bound: true });
        continue;
      }
      // Past the budget each subset still gets its first (greedy) allocation.
      const a = solveAssignment(p, sub, { target: ub, budget: Math.max(budget, 100) });
      budget -= a.nodes;
      if (!a.exact) exact = false;
      const used = subset.filter((_, pos) => a.alloc.some((row) => (row[pos] ?? 0) > 0));
      const key = used.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const score = scoreSet(
        ctx,
        used.map((j) => ids[j] ?? ''),
        a.placed,
      );
      const ev: Evaluated = { used, subset, score, bound: false, assignment: a };
      evaluated.push(ev);
      if (!best || compareScores(score, best.score, objective) < 0) best = ev;
    }
    if (objective[0] === 'shipments' && best && best.score.placed >= pAll) break;
  }
  return { best, evaluated, exact, nodes: input.budget - budget };
}

/** Index combinations of `size` out of `n`, in lexicographic order. */
export function* combinations(n: number, size: number): Generator<number[]> {
  const c = Array.from({ length: size }, (_, i) => i);
  if (size > n || size <= 0) return;
  for (;;) {
    yield [...c];
    let i = size - 1;
    while (i >= 0 && (c[i] ?? 0) === n - size + i) i--;
    if (i < 0) return;
    c[i] = (c[i] ?? 0) + 1;
    for (let j = i + 1; j < size; j++) c[j] = (c[j - 1] ?? 0) + 1;
  }
}
