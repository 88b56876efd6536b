import {
  compareScores,
  fillableUnits,
  type ObjectiveTerm,
  type PlanScore,
  type Problem,
  placementBound,
  type ScoringContext,
  scoreSet,
  solveAssignment,
} from '@fulfil/core';

/** What {@link searchSets} needs. Candidates are indexed in rank order (0 = best rank). */
export interface SetSearchInput {
  p: Problem;
  ids: readonly string[];
  stocks: readonly (readonly number[])[];
  ctx: ScoringContext;
  /** The full objective; its first term must be `shipments`. */
  objective: readonly ObjectiveTerm[];
  /** Units every plan must place: the proven maximum (the MIP's first level). */
  target: number;
  maxShipments: number;
  /** performance.now() ms. */
  deadline: number;
  /** Node budget of one exact assignment check (kits). Default 200,000. */
  assignBudget?: number;
  /** Location sets (ascending) whose plans do not count: the runners-up search. */
  forbidden?: readonly (readonly number[])[];
  /** A proven lower bound on the shipments (no plan with fewer exists). Default: a cover bound. */
  fromSize?: number;
  /** Stop after this many nodes too (as at the deadline; for tests). Default: no limit. */
  maxNodes?: number;
}

/** A plan found by the set search. */
export interface SetPlan {
  /** Candidates used, ascending. */
  used: number[];
  /** `alloc[item][l]` over all candidates. */
  alloc: number[][];
  score: PlanScore;
}

/** The outcome of {@link searchSets}. */
export interface SetSearchResult {
  /** The best plan placing `target` units found (undefined: none found in time). */
  best?: SetPlan;
  /** The search ran to the end: `best` is optimal on every term and the tie-break. */
  complete: boolean;
  /** No plan placing `target` units uses fewer locations (proven). */
  shipmentsLowerBound: number;
  /**
   * Proven lower bounds on the terms after `shipments` (objective order) among plans with
   * `best.score.shipments` shipments: the lexicographic minimum over the subtrees the search
   * did not finish, capped by `best`. Undefined when `best` is undefined.
   */
  termBounds?: number[];
  /** Terms after `shipments`, in objective order (what `termBounds` holds). */
  terms: ObjectiveTerm[];
  nodes: number;
  ms: number;
}

const EPS = 1e-7;

/**
 * Exact search over location sets for the levels after "units placed": fewest shipments
 * (iterative deepening from a cover bound: every SKU, kit and free demand must fit in the
 * largest stocks of the slots), then the remaining terms and the rank tie-break by branch and
 * bound. Branching follows the demand with a deficit that the fewest open locations hold: one
 * of them must ship, and branch i takes the i-th (objective order) and excludes the earlier
 * ones, so every set is seen once. Bounds per term: the node's sum plus the smallest values of
 * the open locations for the slots left (valid because every smaller set size is proven
 * infeasible). A set that passes is checked exactly (core's assignment search, kits whole).
 *
 * Every pruning rule is a proof, so a search that ends is optimal, and a search stopped at
 * `deadline` reports the bounds of the subtrees it did not finish (honest gaps).
 */
export function searchSets(input: SetSearchInput): SetSearchResult {
  const t0 = performance.now();
  const { p, ids, stocks, ctx, objective, target, deadline } = input;
  const n = ids.length;
  const terms = objective.slice(1);
  const T = terms.length;
  const all = target === p.total;
  const value = terms.map((term) =>
    ids.map((id) => {
      if (term === 'preferred') return ctx.preferred.size > 0 && !ctx.preferred.has(id) ? 1 : 0;
      if (term === 'cost') return ctx.cost.get(id) ?? 0;
      if (term === 'priority') return ctx.priority.get(id) ?? 0;
      return 1;
    }),
  );
  // Demands ("commodities"): each bundle (units that fit whole), each free SKU, and — when
  // every unit must be placed — each SKU's whole need (bundles share SKUs with free lines).
  const demand: number[] = [];
  const cap: number[][] = [];
  const counts: boolean[] = [];
  for (const b of p.bundles) {
    const q = p.quantity[b] ?? 0;
    if (q <= 0) continue;
    demand.push(q);
    cap.push(stocks.map((s) => fillableUnits(p, b, s, q)));
    counts.push(true);
  }
  p.freeDemand.forEach((d, k) => {
    if (d <= 0) return;
    demand.push(d);
    cap.push(stocks.map((s) => Math.min(d, s[k] ?? 0)));
    counts.push(true);
  });
  if (all)
    p.needBySku.forEach((need, k) => {
      if (need <= (p.freeDemand[k] ?? 0)) return;
      demand.push(need);
      cap.push(stocks.map((s) => Math.min(need, s[k] ?? 0)));
      counts.push(false);
    });
  // Each demand can place at most what all candidates hold of it (`demand`, capped); their sum
  // U bounds the units placed, so a plan placing `target` leaves at most `slack` = U − target of
  // them short: every demand must reach `need` = its maximum − slack (all of it at slack 0).
  let reach = 0;
  for (let c = 0; c < demand.length; c++)
    if (counts[c]) {
      demand[c] = Math.min(demand[c] ?? 0, sum(cap[c] ?? []));
      reach += demand[c] ?? 0;
    }
  const slack = reach - target;
  const need = demand.map((d, c) => (counts[c] ? Math.max(0, d - slack) : d));
  const C = demand.length;
  const byCap = cap.map((row) =>
    row
      .map((_, l) => l)
      .filter((l) => (row[l] ?? 0) > 0)
      .sort((a, b) => (row[b] ?? 0) - (row[a] ?? 0) || a - b),
  );
  const holds = Array.from({ length: n }, (_, l) =>
    cap.flatMap((row, c) => ((row[l] ?? 0) > 0 ? [c] : [])),
  );
  const byTerm = value.map((row) =>
    row.map((_, l) => l).sort((a, b) => (row[a] ?? 0) - (row[b] ?? 0) || a - b),
  );
  /** The candidates in objective order (terms after shipments, then rank): branching order. */
  const keyOrder = Array.from({ length: n }, (_, l) => l).sort((a, b) => {
    for (let t = 0; t < T; t++) {
      const d = (value[t]?.[a] ?? 0) - (value[t]?.[b] ?? 0);
      if (d !== 0) return d;
    }
    return a - b;
  });
  const keyRank = new Array<number>(n);
  keyOrder.forEach((l, i) => {
    keyRank[l] = i;
  });
  const byKey = byCap.map((ls) => [...ls].sort((a, b) => (keyRank[a] ?? 0) - (keyRank[b] ?? 0)));
  const forbidden = new Set((input.forbidden ?? []).map((set) => set.join(',')));

  // State: 0 open, 1 chosen, 2 excluded.
  const state = new Uint8Array(n);
  const openHolders = byCap.map((ls) => ls.length);
  const have = new Array<number>(C).fill(0);
  const sums = new Array<number>(T).fill(0);
  const chosen: number[] = [];
  const close = (l: number, to: 1 | 2) => {
    state[l] = to;
    for (const c of holds[l] ?? []) openHolders[c] = (openHolders[c] ?? 0) - 1;
    if (to === 1) {
      for (const c of holds[l] ?? []) have[c] = (have[c] ?? 0) + (cap[c]?.[l] ?? 0);
      for (let t = 0; t < T; t++) sums[t] = (sums[t] ?? 0) + (value[t]?.[l] ?? 0);
      chosen.push(l);
    }
  };
  const reopen = (l: number) => {
    if (state[l] === 1) {
      for (const c of holds[l] ?? []) have[c] = (have[c] ?? 0) - (cap[c]?.[l] ?? 0);
      for (let t = 0; t < T; t++) sums[t] = (sums[t] ?? 0) - (value[t]?.[l] ?? 0);
      chosen.pop();
    }
    state[l] = 0;
    for (const c of holds[l] ?? []) openHolders[c] = (openHolders[c] ?? 0) + 1;
  };

  /**
   * Can the chosen set plus `slots` more open locations still reach the target? (Relaxed: per
   * demand, the largest holders among the open locations; every demand must reach its `need`,
   * and their sum the target.)
   */
  const fits = (slots: number): boolean => {
    if (slack < 0) return false;
    let ub = 0;
    for (let c = 0; c < C; c++) {
      const d = demand[c] ?? 0;
      let got = have[c] ?? 0;
      if (got < d) {
        let used = 0;
        for (const l of byCap[c] ?? []) {
          if (used === slots || got >= d) break;
          if (state[l] !== 0) continue;
          got += cap[c]?.[l] ?? 0;
          used++;
        }
      }
      if (got < (need[c] ?? 0)) return false;
      if (counts[c]) ub += Math.min(d, got);
    }
    return slack === 0 || ub >= target;
  };
  const bound = (slots: number): number[] => {
    const out = new Array<number>(T);
    for (let t = 0; t < T; t++) {
      let s = sums[t] ?? 0;
      let used = 0;
      for (const l of byTerm[t] ?? []) {
        if (used === slots) break;
        if (state[l] !== 0) continue;
        s += value[t]?.[l] ?? 0;
        used++;
      }
      out[t] = s;
    }
    return out;
  };

  let best: SetPlan | undefined;
  let bestTuple: number[] | undefined;
  let nodes = 0;
  let aborted = false;
  let unsure = false;
  let pending: number[] | undefined;
  const budget = input.assignBudget ?? 200_000;
  const maxNodes = input.maxNodes ?? Number.POSITIVE_INFINITY;
  const noBundles = p.bundles.length === 0;

  const tupleOf = (score: PlanScore): number[] =>
    terms.map((term) =>
      term === 'preferred'
        ? score.nonPreferred
        : term === 'cost'
          ? score.cost
          : term === 'priority'
            ? score.priority
            : score.shipments,
    );
  const notePending = (b: number[]) => {
    if (!pending || lexLess(b, pending)) pending = b;
  };

  /** Checks the chosen set exactly; keeps it when it beats the incumbent. */
  const leaf = () => {
    const set = [...chosen].sort((a, b) => a - b);
    if (forbidden.has(set.join(','))) return;
    const score = scoreSet(
      ctx,
      set.map((l) => ids[l] ?? ''),
      target,
    );
    if (best && compareScores(score, best.score, objective) >= 0) return;
    let alloc: number[][];
    if (slack === 0 && noBundles) alloc = freeAlloc(p, stocks, set);
    else {
      const a = solveAssignment(
        p,
        set.map((l) => stocks[l] ?? []),
        { target, budget },
      );

      if (a.placed < target) {
        if (!a.exact) {
          // Not proven infeasible: the set stays open, bounded by its own score.
          unsure = true;
          notePending(tupleOf(score));
        }
        return;
      }
      alloc = p.items.map((_, i) => {
        const row = new Array<number>(n).fill(0);
        set.forEach((l, j) => {
          row[l] = a.alloc[i]?.[j] ?? 0;
        });
        return row;
      });
    }
    const used = set.filter((l) => alloc.some((row) => (row[l] ?? 0) > 0));
    if (used.length < set.length && forbidden.has(used.join(','))) return;
    const s =
      used.length === set.length
        ? score
        : scoreSet(
            ctx,
            used.map((l) => ids[l] ?? ''),
            target,
          );
    if (best && compareScores(s, best.score, objective) >= 0) return;
    best = { used, alloc, score: s };
    bestTuple = tupleOf(s);
  };

  /** Branch and bound over sets of exactly m locations (smaller sizes are infeasible). */
  const dfs = (m: number): void => {
    const slots = m - chosen.length;
    if (!fits(slots)) return;
    const b = bound(slots);
    if (bestTuple && lexGreater(b, bestTuple)) return;
    // The clock is read on the first node and every 16th (a node costs ~10-50 µs).
    if (aborted || ((++nodes & 15) === 1 && performance.now() > deadline) || nodes > maxNodes) {
      aborted = true;
      notePending(b);
      return;
    }
    // The demand with a deficit held by the fewest open locations: one of them must ship.
    let pick = -1;
    let fewest = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++) {
      if ((have[c] ?? 0) >= (need[c] ?? 0)) continue;
      const o = openHolders[c] ?? 0;
      if (o < fewest) {
        fewest = o;
        pick = c;
      }
    }
    if (slots === 0) {
      leaf();
      return;
    }
    // No deficit left with slots to spare: the set is no plan (every smaller size is proven
    // infeasible: kits do not fit, or the slack is spread), but a larger one may be: branch on all.
    // Branch i takes the i-th open location (objective order) and excludes the earlier ones.
    const branch = pick >= 0 ? (byKey[pick] ?? []) : keyOrder;
    const excluded: number[] = [];
    for (const l of branch) {
      if (state[l] !== 0) continue;
      if (aborted) {
        // The branches not started: their bounds (with the exclusions they would have had).
        close(l, 1);
        if (fits(slots - 1)) notePending(bound(slots - 1));
        reopen(l);
      } else {
        close(l, 1);
        dfs(m);
        reopen(l);
      }
      close(l, 2);
      excluded.push(l);
    }
    for (const l of excluded) reopen(l);
  };

  // Iterative deepening on the number of shipments, from a cover bound when every unit is placed.
  let m = Math.max(1, input.fromSize ?? 1);
  for (let c = 0; c < C; c++) {
    let got = 0;
    let k = 0;
    for (const l of byCap[c] ?? []) {
      if (got >= (need[c] ?? 0)) break;
      got += cap[c]?.[l] ?? 0;
      k++;
    }
    m = Math.max(m, k);
  }
  const most = Math.min(input.maxShipments, n);
  let lower = m;
  for (; m <= most; m++) {
    lower = m;
    dfs(m);
    if (best || aborted || unsure) break;
    lower = m + 1;
  }
  const tuple = best ? tupleOf(best.score) : undefined;
  // Stopped, but every subtree left open is bounded above the incumbent: proven all the same.
  const settled = tuple !== undefined && (!pending || lexLess(tuple, pending));
  const result: SetSearchResult = {
    complete: settled || (!aborted && !unsure),
    shipmentsLowerBound: lower,
    terms,
    nodes,
    ms: performance.now() - t0,
  };
  if (best && tuple) {
    result.best = best;
    result.termBounds = settled || !pending ? tuple : pending;
  }
  return result;
}

/** The outcome of {@link maxPlaced}. */
export interface MaxPlacedResult {
  /** The most units a set found places (−1: none checked in time). */
  placed: number;
  /** No set of at most `size` locations places more (proven); equals `placed` when complete. */
  bound: number;
  complete: boolean;
  /** The allocation placing `placed` units, `alloc[item][l]` over all candidates. */
  alloc?: number[][];
  nodes: number;
  ms: number;
}

/**
 * The most units any set of at most `size` candidates can place (`maxShipments`), by branch and
 * bound over sets of exactly min(size, n) locations (placing never gets worse with more
 * locations): a node's bound is, per bundle and free SKU, what the chosen locations hold plus the
 * largest holdings of the slots left; a full set is checked exactly (core's assignment search).
 * Stops at `deadline` (performance.now() ms) with the largest bound of the subtrees not finished.
 */
export function maxPlaced(
  p: Problem,
  stocks: readonly (readonly number[])[],
  size: number,
  deadline: number,
  options: { assignBudget?: number; maxNodes?: number } = {},
): MaxPlacedResult {
  const t0 = performance.now();
  const n = stocks.length;
  const k = Math.min(size, n);
  const budget = options.assignBudget ?? 200_000;
  const maxNodes = options.maxNodes ?? Number.POSITIVE_INFINITY;
  const demand: number[] = [];
  const cap: number[][] = [];
  for (const b of p.bundles) {
    const q = p.quantity[b] ?? 0;
    if (q <= 0) continue;
    demand.push(q);
    cap.push(stocks.map((s) => fillableUnits(p, b, s, q)));
  }
  p.freeDemand.forEach((d, sku) => {
    if (d <= 0) return;
    demand.push(d);
    cap.push(stocks.map((s) => Math.min(d, s[sku] ?? 0)));
  });
  const C = demand.length;
  const byCap = cap.map((row) =>
    row
      .map((_, l) => l)
      .filter((l) => (row[l] ?? 0) > 0)
      .sort((a, b) => (row[b] ?? 0) - (row[a] ?? 0) || a - b),
  );
  // Largest holders first: the first sets tried are the greedy ones.
  const order = Array.from({ length: n }, (_, l) => l).sort(
    (a, b) =>
      cap.reduce((s, row) => s + (row[b] ?? 0), 0) - cap.reduce((s, row) => s + (row[a] ?? 0), 0) ||
      a - b,
  );
  const open = new Uint8Array(n).fill(1);
  const have = new Array<number>(C).fill(0);
  const chosen: number[] = [];
  const cut = placementBound(p, stocks);
  const upper = (slots: number): number => {
    let ub = 0;
    for (let c = 0; c < C; c++) {
      const d = demand[c] ?? 0;
      let got = have[c] ?? 0;
      let used = 0;
      for (const l of byCap[c] ?? []) {
        if (used === slots || got >= d) break;
        if (!open[l]) continue;
        got += cap[c]?.[l] ?? 0;
        used++;
      }
      ub += Math.min(d, got);
    }
    return Math.min(ub, cut);
  };
  const take = (l: number, sign: 1 | -1) => {
    for (let c = 0; c < C; c++) have[c] = (have[c] ?? 0) + sign * (cap[c]?.[l] ?? 0);
  };
  let best = -1;
  let bestAlloc: number[][] | undefined;
  let pending = -1;
  let nodes = 0;
  let aborted = false;
  const dfs = (from: number, slots: number): void => {
    const ub = upper(slots);
    if (ub <= best || best >= cut) return;
    if (aborted || ((++nodes & 15) === 1 && performance.now() > deadline) || nodes > maxNodes) {
      aborted = true;
      pending = Math.max(pending, ub);
      return;
    }
    if (slots === 0) {
      const set = [...chosen].sort((x, y) => x - y);
      const a = solveAssignment(
        p,
        set.map((l) => stocks[l] ?? []),
        { target: ub, budget },
      );
      if (a.placed > best) {
        best = a.placed;
        bestAlloc = p.items.map((_, i) => {
          const row = new Array<number>(n).fill(0);
          set.forEach((l, j) => {
            row[l] = a.alloc[i]?.[j] ?? 0;
          });
          return row;
        });
      }
      if (!a.exact && a.placed < ub) pending = Math.max(pending, ub);
      return;
    }
    const closed: number[] = [];
    for (let i = from; i <= n - slots; i++) {
      const l = order[i] ?? 0;
      open[l] = 0;
      chosen.push(l);
      take(l, 1);
      dfs(i + 1, slots - 1);
      take(l, -1);
      chosen.pop();
      closed.push(l);
    }
    for (const l of closed) open[l] = 1;
  };
  dfs(0, k);
  const bound = Math.max(best, pending);
  const result: MaxPlacedResult = {
    placed: best,
    bound,
    complete: best >= 0 && bound === best,
    nodes,
    ms: performance.now() - t0,
  };
  if (bestAlloc) result.alloc = bestAlloc;
  return result;
}

/**
 * The cover bound on the units the candidates can place: per bundle and per free SKU, the
 * least of its demand and what all candidates hold of it (kits whole per location), summed.
 * Returned only when core's `placementBound` (which also counts a SKU short when bundles and
 * free lines compete for it) agrees; otherwise undefined.
 */
export function coverTarget(
  p: Problem,
  stocks: readonly (readonly number[])[],
): number | undefined {
  let total = 0;
  for (const b of p.bundles) {
    const q = p.quantity[b] ?? 0;
    total += Math.min(q, sum(stocks.map((s) => fillableUnits(p, b, s, q))));
  }
  p.freeDemand.forEach((d, k) => {
    total += Math.min(d, sum(stocks.map((s) => Math.min(d, s[k] ?? 0))));
  });
  return total === placementBound(p, stocks) ? total : undefined;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Free units only: each SKU's lines filled location by location (rank order). */
function freeAlloc(p: Problem, stocks: readonly (readonly number[])[], set: number[]): number[][] {
  const n = stocks.length;
  const alloc = p.items.map(() => new Array<number>(n).fill(0));
  const left = [...p.quantity];
  for (const l of set) {
    const s = [...(stocks[l] ?? [])];
    p.items.forEach((_, i) => {
      const k = p.freeSku[i] ?? -1;
      if (k < 0) return;
      const t = Math.min(left[i] ?? 0, s[k] ?? 0);
      if (t <= 0) return;
      (alloc[i] as number[])[l] = t;
      left[i] = (left[i] ?? 0) - t;
      s[k] = (s[k] ?? 0) - t;
    });
  }
  return alloc;
}

/** a < b lexicographically (with a small tolerance per component). */
function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d < -EPS) return true;
    if (d > EPS) return false;
  }
  return false;
}

/** a > b lexicographically (with a small tolerance per component). */
function lexGreater(a: readonly number[], b: readonly number[]): boolean {
  return lexLess(b, a);
}
