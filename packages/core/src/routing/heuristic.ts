import { placementBound, solveAssignment } from './assign';
import { deepenCover } from './cover';
import type { Evaluated, SearchInput, SearchResult } from './exact';
import { compareScores, scoreSet } from './score';

/** Nodes one neighbour evaluation may use (a greedy allocation plus a little search). */
const NEIGHBOUR_BUDGET = 400;
/** Improvement rounds at most. */
const MAX_ROUNDS = 20;
/** Nodes the cover search (better plans and the lower bound) may use. */
const COVER_BUDGET = 20_000;

/** A heuristic result with the proven lower bound on shipments. */
export interface HeuristicResult extends SearchResult {
  /** No plan placing as many units uses fewer shipments (0: not computed). */
  shipmentsLowerBound: number;
}

/**
 * Heuristic search for many candidates: greedy set cover (each step adds the location that
 * places the most extra units, ties broken by the objective); then, when every unit can be
 * placed, an iterative-deepening cover search for a plan with fewer shipments (which also
 * proves a lower bound); then local improvement (drop a location, swap one for another,
 * replace two by one) until no move improves the score. Neighbours whose bound cannot beat
 * the current plan are dismissed without solving.
 */
export function heuristicSearch(input: SearchInput): HeuristicResult {
  const { p, ids, stocks, ctx, objective } = input;
  const n = ids.length;
  const kMax = Math.min(n, input.maxShipments);
  let nodes = 0;
  const solve = (subset: number[], budget: number): Evaluated => {
    const sub = subset.map((j) => stocks[j] ?? []);
    const a = solveAssignment(p, sub, { target: placementBound(p, sub), budget });
    nodes += a.nodes;
    const used = subset.filter((_, pos) => a.alloc.some((row) => (row[pos] ?? 0) > 0));
    const score = scoreSet(
      ctx,
      used.map((j) => ids[j] ?? ''),
      a.placed,
    );
    return { used, subset, score, bound: false, assignment: a };
  };
  /** Solves `set` unless its bound shows it cannot beat `than`; then returns the bound estimate. */
  const evaluate = (set: readonly number[], than?: Evaluated, budget = NEIGHBOUR_BUDGET) => {
    const subset = [...set].sort((a, b) => a - b);
    if (than) {
      const ub = placementBound(
        p,
        subset.map((j) => stocks[j] ?? []),
      );
      const estimate = scoreSet(
        ctx,
        subset.map((j) => ids[j] ?? ''),
        ub,
      );
      if (compareScores(estimate, than.score, objective) >= 0)
        return { used: subset, subset, score: estimate, bound: true } as Evaluated;
    }
    return solve(subset, budget);
  };
  const better = (a: Evaluated, b: Evaluated | undefined) =>
    !a.bound && (!b || compareScores(a.score, b.score, objective) < 0);

  // 1. Greedy set cover.
  let cur: Evaluated = solve([], 1);
  while (cur.used.length < kMax && cur.score.placed < p.total) {
    let step: Evaluated | undefined;
    for (let j = 0; j < n; j++) {
      if (cur.used.includes(j)) continue;
      const set = [...cur.used, j];
      const sub = set.map((x) => stocks[x] ?? []);
      const ub = placementBound(p, sub);
      if (ub <= cur.score.placed || (step && ub < step.score.placed)) continue;
      const e = solve(
        [...set].sort((a, b) => a - b),
        NEIGHBOUR_BUDGET,
      );
      if (e.score.placed <= cur.score.placed) continue;
      if (
        !step ||
        e.score.placed > step.score.placed ||
        (e.score.placed === step.score.placed && better(e, step))
      )
        step = e;
    }
    if (!step) break;
    cur = step;
  }

  // 2. Fewer shipments by a cover search, and a proven lower bound.
  let shipmentsLowerBound = 0;
  if (kMax >= n && cur.used.length > 1) {
    const full = cur.score.placed === p.total;
    const inBundle = new Set(p.bundles.flatMap((b) => (p.needs[b] ?? []).map(([k]) => k)));
    const target = p.skus.map((_, k) =>
      full
        ? (p.needBySku[k] ?? 0)
        : inBundle.has(k)
          ? 0
          : Math.min(
              p.freeDemand[k] ?? 0,
              stocks.reduce((s, st) => s + (st[k] ?? 0), 0),
            ),
    );
    let candidate: Evaluated | undefined;
    const r = deepenCover(
      target,
      stocks,
      1,
      full ? cur.used.length - 1 : cur.used.length,
      (set) => {
        if (!full) return 'yes';
        const e = solve(set, NEIGHBOUR_BUDGET * 5);
        if (e.score.placed === p.total) {
          candidate = e;
          return 'yes';
        }
        return e.assignment?.exact ? 'no' : 'unknown';
      },
      COVER_BUDGET,
    );
    nodes += r.nodes;
    shipmentsLowerBound = r.lowerBound;
    if (candidate && better(candidate, cur)) cur = candidate;
  }

  // 3. Local improvement.
  let neighbours: Evaluated[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    neighbours = [];
    let next: Evaluated | undefined;
    const consider = (set: number[]) => {
      if (set.length === 0 || set.length > kMax) return;
      const e = evaluate(set, next ?? cur);
      neighbours.push(e);
      if (better(e, next ?? cur)) next = e;
    };
    const sel = cur.used;
    for (const j of sel) consider(sel.filter((x) => x !== j));
    for (const j of sel)
      for (let m = 0; m < n; m++)
        if (!sel.includes(m)) consider([...sel.filter((x) => x !== j), m]);
    for (let a = 0; a < sel.length; a++)
      for (let b = a + 1; b < sel.length; b++)
        for (let m = 0; m < n; m++)
          if (!sel.includes(m)) consider([...sel.filter((x) => x !== sel[a] && x !== sel[b]), m]);
    if (!next) break;
    cur = next;
  }
  const final = solve(cur.used, Math.max(input.budget - nodes, 2000));
  const best = better(final, cur) ? final : cur;
  return { best, evaluated: neighbours, exact: false, nodes, shipmentsLowerBound };
}
