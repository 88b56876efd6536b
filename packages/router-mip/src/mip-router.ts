import {
  compareScores,
  createOptimalRouter,
  emptyScore,
  FulfilError,
  type ObjectiveTerm,
  type OptimalRouteRequest,
  type OptimalRouter,
  type OptimalRoutingPlan,
  type PlanAlternative,
  type PlanGap,
  type PlanScore,
  type Problem,
  parseOrThrow,
  prepareRoute,
  RoutingObjective,
  routeWithProtection,
  type ScoringContext,
  StockProtection,
  termOf,
  whyLost,
} from '@fulfil/core';
import highsLoader, { type Highs } from 'highs';
import { z } from 'zod';
import { runnersUp } from './alternatives';
import { buildModel, coverRows, type MipModel } from './model';
import { type Allocation, allocationOf, nonePlan, scoreOf, shipmentsOf } from './plan';
import {
  coverTarget,
  maxPlaced,
  type SetSearchInput,
  type SetSearchResult,
  searchSets,
} from './sets';
import { type Level, type LevelResult, levelsOf, type MipResult, solveLevels } from './solve';

/** The router's name (in explanations: `mip: …`). */
export const NAME = 'mip';

/** Options of {@link createMipRouter}. All optional. */
export const MipRouterOptions = z
  .object({
    /** Terms after "place the most units", compared in order. Default shipments, preferred, cost, priority (as the built-in router). */
    objective: RoutingObjective,
    /** Wall-clock limit per request in ms (set search and HiGHS `time_limit`, shared by all levels). Default 200. */
    timeLimitMs: z.number().positive().max(600_000).default(200),
    /** Minor units per km for locations that set no `costPerKm`. Default 1. */
    costPerKm: z.number().nonnegative().default(1),
    /** Added to the cost of a shipment whose location's daily cutoff has passed. Default 0. */
    missedCutoffCost: z.number().nonnegative().default(0),
    /** Runners-up to explain (each one more solve, within the time left). Default 3. */
    alternatives: z.number().int().min(0).max(20).default(3),
    /** HiGHS `random_seed` (fixed: the same request gives the same plan). Default 0. */
    seed: z.number().int().min(0).max(2_147_483_647).default(0),
    /** Stock protection, exactly as `createOptimalRouter({ protect })`. Off by default. */
    protect: StockProtection,
  })
  .strict();
/** Parsed {@link MipRouterOptions} (defaults applied). */
export type MipRouterOptions = z.output<typeof MipRouterOptions>;
/** {@link MipRouterOptions} as callers write them, plus an already loaded HiGHS runtime. */
export type MipRouterOptionsInput = z.input<typeof MipRouterOptions> & {
  /** A HiGHS runtime from `highs`'s loader, to share one between routers. Default: loaded here. */
  highs?: Highs;
};

/** How the MIP solve went, on every plan the MIP router returns (`plan.mip`). */
export interface MipInfo {
  /**
   * Levels solved, in order: `placed`, then each objective term, then the tie-break (one
   * `tie-break` level from the set search, or `tie-break 1..` chunks from HiGHS). `bound` is
   * the proven bound on the level (equal to `value` when `optimal`).
   */
  levels: { name: string; value: number; bound: number; optimal: boolean; ms: number }[];
  /** The level where the time limit was hit, when it was. */
  stoppedAt?: string;
  /** The proven relative gap on that level, |value − bound| / max(1, |value|) (0: proven optimal). */
  gap: number;
  /** Solve time in ms (all levels, runners-up excluded). */
  ms: number;
  /** Columns and rows of HiGHS's model; 0 when the set search settled every level without it. */
  columns: number;
  rows: number;
}

/** A plan of the MIP router: the built-in router's plan shape, plus the solve's figures. */
export interface MipRoutingPlan extends OptimalRoutingPlan {
  mip?: MipInfo;
}

/** The MIP router. `route` is synchronous (HiGHS runs in WebAssembly on the calling thread). */
export interface MipRouter extends OptimalRouter {
  route(request: OptimalRouteRequest): MipRoutingPlan;
}

let shared: Promise<Highs> | undefined;

/**
 * Creates an exact router for many locations with the built-in optimal router's lexicographic
 * objective — most units placed, then (by default) fewest shipments, fewest non-preferred
 * locations, lowest cost, best priority, then the lower-ranked locations — solved level by
 * level. When `shipments` is the first term (the default), an exact set search settles the
 * levels: units placed at their cover bound when some set reaches it (else HiGHS solves that
 * level as a mixed-integer program), then iterative deepening on the number of shipments and
 * branch and bound on the later terms. Other objective orders are solved level by level by
 * HiGHS (WebAssembly), each level's value kept while the next is optimised, starting from the
 * built-in router's plan. Kits that ship whole take every component from one location per kit
 * unit; `allowSplit: false`, `maxShipments`, `exclude`, `force`, `requiredCapabilities`, closed
 * locations, untracked stock and `protect` behave exactly as in `createOptimalRouter`.
 *
 * Loads HiGHS once (async); the returned router's `route` is synchronous and deterministic
 * (single thread, fixed seed) within the time limit. When `timeLimitMs` runs out, the plan
 * is the best found, `optimal: false`, and `gap`/`mip.gap` give the proven gap of the level
 * where it stopped (from bounds proven by the search or the solver, never assumed); when no
 * plan was found in time, the built-in router's plan is returned (`method: 'heuristic'`, after
 * the limit: it runs then). Invalid options throw `CONFIG_INVALID`; duplicate location ids
 * throw `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * const router = await createMipRouter({ timeLimitMs: 200 });
 * const engine = createEngine({ ...options, router });
 * router.route(request).reason; // '3 shipment(s) from L2 + L7 + L9 (cost 1840, distance costs), proven optimal (exact set search; …, 6 levels); runner-up …'
 * ```
 */
export async function createMipRouter(options: MipRouterOptionsInput = {}): Promise<MipRouter> {
  const { highs: given, ...rest } = options;
  const o = parseOrThrow(MipRouterOptions, rest, 'mipRouter', 'CONFIG_INVALID');
  let highs = given;
  if (!highs) {
    shared ??= highsLoader();
    try {
      highs = await shared;
    } catch (err) {
      shared = undefined;
      throw new FulfilError('CONFIG_INVALID', `mipRouter: could not load HiGHS (${String(err)})`, {
        cause: err,
      });
    }
  }
  const solver = highs;
  // The built-in router: the solver's first incumbent, and the plan when the MIP runs out of time.
  const seedRouter = createOptimalRouter({
    objective: o.objective,
    costPerKm: o.costPerKm,
    missedCutoffCost: o.missedCutoffCost,
    alternatives: 0,
  });
  return {
    name: NAME,
    route: (request) =>
      routeWithProtection(o.protect, request, (r) => route(solver, o, seedRouter, r)),
  };
}

function route(
  highs: Highs,
  o: MipRouterOptions,
  seedRouter: OptimalRouter,
  request: OptimalRouteRequest,
): MipRoutingPlan {
  const deadline = performance.now() + o.timeLimitMs;
  const { items, policy } = request;
  const { p, ranked, useful, ids, stocks, costs, ctx } = prepareRoute(request, o);
  const empty = emptyScore(ctx);
  if (items.length === 0) return { ...nonePlan(items, empty, 'nothing to route'), backordered: [] };
  if (ranked.length === 0)
    return nonePlan(
      items,
      empty,
      'no eligible location (closed, excluded or lacking a required capability)',
    );
  if (useful.length === 0) return nonePlan(items, empty, 'no location has stock for any unit');

  const single = policy.allowSplit === false;
  const maxShipments = single ? 1 : (policy.maxShipments ?? Number.POSITIVE_INFINITY);
  // HiGHS's model, built when a level needs the solver (the set search settles most requests).
  let built: { model: MipModel; levels: Level[] } | undefined;
  const mip = () => {
    if (!built) {
      const model = buildModel(p, stocks, maxShipments);
      built = { model, levels: levelsOf(model, ids, ctx, o.objective) };
    }
    return built;
  };
  const info = (result: MipResult): MipInfo => {
    const i: MipInfo = {
      levels: result.levels,
      gap: result.gap,
      ms: result.ms,
      columns: built?.model.numCols ?? 0,
      rows: built?.model.rows.length ?? 0,
    };
    if (result.stoppedAt !== undefined) i.stoppedAt = result.stoppedAt;
    return i;
  };
  let result: MipResult;
  let a: Allocation | undefined;
  let seed: OptimalRoutingPlan | undefined;
  let searched = false;
  const setInput = (target: number): SetSearchInput => ({
    p,
    ids,
    stocks,
    ctx,
    objective: o.objective,
    target,
    maxShipments,
    deadline,
  });
  if (o.objective[0] === 'shipments') {
    // Units placed: a plan reaching the cover bound (an upper bound) proves it, so the set
    // search tries that target first; otherwise (or when no set within maxShipments reaches it)
    // a branch and bound finds the most units (HiGHS when that runs out of time), and the set
    // search the levels after it.
    let target: number | undefined;
    let first: Allocation | undefined;
    let search: SetSearchResult | undefined;
    const t0 = performance.now();
    result = { levels: [], optimal: false, gap: 1, stoppedAt: 'placed', ms: 0 };
    const bound = coverTarget(p, stocks);
    if (bound !== undefined) {
      search = searchSets(setInput(bound));
      if (search.best) {
        target = bound;
        result = {
          levels: [{ name: 'placed', value: bound, bound, optimal: true, ms: 0 }],
          optimal: true,
          gap: 0,
          ms: 0,
        };
      } else if (!search.complete) search = undefined;
    }
    if (target === undefined && performance.now() < deadline) {
      // The most units within maxShipments by branch and bound over sets; HiGHS if it runs out.
      const most = maxPlaced(p, stocks, maxShipments, deadline);
      const level = {
        name: 'placed',
        value: Math.max(0, most.placed),
        bound: most.bound,
        optimal: most.complete,
        ms: most.ms,
      };
      if (most.alloc) first = allocationFrom(most.alloc);
      if (most.complete) {
        target = most.placed;
        result = { levels: [level], optimal: true, gap: 0, ms: most.ms };
        search = searchSets(setInput(target));
      } else if (performance.now() < deadline) {
        const { model, levels } = mip();
        result = solveLevels(highs, model, levels.slice(0, 1), deadline, {
          seed: o.seed,
          sameCount: false,
        });
        if (result.values) {
          const found = allocationOf(p, model, stocks, result.values);
          if (!first || found.placed > first.placed) first = found;
        }
        const placed = result.levels[0];
        if (result.optimal && placed) {
          target = placed.value;
          search = searchSets(setInput(target));
        }
      } else {
        const gap = most.bound > 0 ? (most.bound - level.value) / most.bound : 0;
        result = { levels: [level], optimal: false, gap, stoppedAt: 'placed', ms: most.ms };
      }
    }
    a = first;
    if (target !== undefined && search) {
      searched = true;
      a = chooseAllocation(search, first, ctx, ids, o.objective);
      result = a
        ? setsResult(result, search, scoreOf(ctx, ids, a), performance.now() - t0)
        : { ...result, optimal: false, gap: 1, stoppedAt: 'shipments' };
    }
  } else {
    // The built-in router's plan starts the solver (an incumbent from the first level on); on
    // many candidates (its heuristic) its proofs settle levels: units placed when its plan
    // reaches its placement bound, shipments when it reaches its cover lower bound.
    seed = seedRouter.route(request);
    const { model, levels } = mip();
    const start = startVector(model, p, ids, seed);
    const proven = new Map<string, number>();
    if (seed.method === 'heuristic' && seed.gap && levels[0]?.name === 'placed') {
      if (seed.gap.placedUpperBound === seed.score.placed) {
        proven.set('placed', seed.score.placed);
        if (
          levels[1]?.name === 'shipments' &&
          seed.gap.shipmentsLowerBound === seed.score.shipments
        )
          proven.set('shipments', seed.score.shipments);
      }
    }
    result = solveLevels(highs, model, levels, deadline, {
      ...(start ? { start } : {}),
      proven,
      seed: o.seed,
      sameCount: o.objective.includes('shipments'),
      after: (placed) => (placed === p.total ? coverRows(model, p) : []),
    });
    if (result.values) a = allocationOf(p, model, stocks, result.values);
  }
  const score = a ? scoreOf(ctx, ids, a) : undefined;
  if (!result.optimal && (seed || !a || !searched)) {
    // Out of time: the best of the incumbent and the built-in router's plan.
    const plan = seed ?? seedRouter.route(request);
    if (!a || !score || compareScores(plan.score, score, o.objective) <= 0)
      return {
        ...plan,
        reason: `${plan.reason} (${searched ? 'set search' : 'MIP'} stopped at ${result.stoppedAt} after ${o.timeLimitMs} ms with ${a ? 'a worse incumbent' : 'no plan'}: built-in router's plan)`,
        mip: info(result),
      };
  }
  if (!a || !score) throw new Error('unreachable: an optimal MIP result without a solution');
  if (a.placed === 0) return nonePlan(items, empty, 'no location has stock for any unit');
  if (single && a.placed < p.total)
    return {
      ...nonePlan(
        items,
        empty,
        'no single location can fill every unit and splitting is forbidden',
      ),
      optimal: result.optimal,
      mip: info(result),
    };
  const { shipments, backordered } = shipmentsOf(items, ids, a);
  const count = result.optimal ? o.alternatives : 0;
  const alternatives = searched
    ? setRunnersUp(setInput(a.placed), a.used, score, count)
    : runnersUp(highs, {
        ...mip(),
        used: a.used,
        best: score,
        ctx,
        ids,
        p,
        stocks,
        objective: o.objective,
        count,
        deadline,
        seed: o.seed,
      });
  const where = shipments.map((s) => s.locationId).join(' + ');
  // Name what proved the plan: HiGHS's MIP, the exact set search, or both.
  const method = !searched
    ? 'HiGHS MIP'
    : built
      ? 'HiGHS MIP for units placed, exact set search for the rest'
      : 'exact set search; units placed at their upper bound, no MIP needed';
  const how = result.optimal
    ? `proven optimal (${method}, ${result.levels.length} levels)`
    : `best found in ${o.timeLimitMs} ms (${method}; stopped at ${result.stoppedAt}, proven gap ${(result.gap * 100).toFixed(1)}%)`;
  const short = backordered.length > 0 ? `, ${score.backordered} unit(s) backordered` : '';
  const runner = alternatives[0]
    ? `; runner-up ${alternatives[0].locations.join(' + ')}: ${alternatives[0].why}`
    : '';
  const plan: MipRoutingPlan = {
    shipments,
    backordered,
    reason: `${score.shipments} shipment(s) from ${where} (cost ${score.cost}, ${score.costBasis} costs), ${how}${short}${runner}`,
    score,
    alternatives,
    method: 'mip',
    optimal: result.optimal,
    costBasis: score.costBasis,
    missedCutoff: shipments.map((s) => s.locationId).filter((id) => costs.missedCutoff.has(id)),
    mip: info(result),
  };
  if (!result.optimal) plan.gap = gapOf(result, score, ids.length);
  return plan;
}

/** An allocation (`alloc[item][l]`) with its locations used and units placed. */
function allocationFrom(alloc: number[][]): Allocation {
  const used: number[] = [];
  const n = alloc[0]?.length ?? 0;
  for (let l = 0; l < n; l++) if (alloc.some((row) => (row[l] ?? 0) > 0)) used.push(l);
  let placed = 0;
  for (const row of alloc) for (const v of row) placed += v;
  return { alloc, used, placed };
}

/**
 * Runners-up for the explanation from the set search: the best plan on another set of
 * locations, again and again (each set found is forbidden to the next search), each within its
 * share of the time left. Stops at the first search that finds nothing.
 */
function setRunnersUp(
  input: SetSearchInput,
  used: readonly number[],
  best: PlanScore,
  count: number,
): PlanAlternative[] {
  const out: PlanAlternative[] = [];
  const forbidden: number[][] = [[...used]];
  for (let k = 0; k < count; k++) {
    const left = input.deadline - performance.now();
    if (left < 1) break;
    const r = searchSets({
      ...input,
      forbidden,
      fromSize: best.shipments,
      deadline: performance.now() + left / (count - k),
    });
    if (!r.best) break;
    forbidden.push(r.best.used);
    const w = whyLost(best, r.best.score, input.objective);
    out.push({
      locations: r.best.used.map((l) => input.ids[l] ?? ''),
      score: r.best.score,
      lostOn: w.lostOn,
      why: w.why,
      bound: false,
    });
  }
  return out;
}

/** The set search's plan, or the MIP's first-level incumbent when that one is better. */
function chooseAllocation(
  search: SetSearchResult,
  first: Allocation | undefined,
  ctx: ScoringContext,
  ids: readonly string[],
  objective: readonly ObjectiveTerm[],
): Allocation | undefined {
  const best = search.best;
  if (!best) return first;
  const mine: Allocation = { alloc: best.alloc, used: best.used, placed: best.score.placed };
  if (search.complete || !first) return mine;
  return compareScores(scoreOf(ctx, ids, first), best.score, objective) < 0 ? first : mine;
}

/**
 * The levels after units placed, as the set search proved them: shipments (its lower bound),
 * then each term up to the first one not proven (its bound among plans with as many
 * shipments), then the tie-break. `score` is the plan returned.
 */
function setsResult(
  first: MipResult,
  search: SetSearchResult,
  score: PlanScore,
  ms: number,
): MipResult {
  const levels: LevelResult[] = [...first.levels];
  const out = (stoppedAt: string, gap: number): MipResult => ({
    levels,
    optimal: false,
    gap,
    stoppedAt,
    ms,
  });
  const lower = search.shipmentsLowerBound;
  const shipsProven = score.shipments === lower;
  levels.push({
    name: 'shipments',
    value: score.shipments,
    bound: lower,
    optimal: shipsProven,
    ms: search.ms,
  });
  if (!shipsProven) return out('shipments', relGap(score.shipments, lower));
  const bounds = search.termBounds ?? [];
  for (const [t, term] of search.terms.entries()) {
    const value = termOf(score, term);
    const bound = Math.min(value, bounds[t] ?? value);
    const optimal = search.complete || bound >= value;
    levels.push({ name: term, value, bound, optimal, ms: 0 });
    if (!optimal) return out(term, relGap(value, bound));
  }
  if (!search.complete) return out('tie-break', 0);
  levels.push({ name: 'tie-break', value: 0, bound: 0, optimal: true, ms: 0 });
  return { levels, optimal: true, gap: 0, ms };
}

/** |value − bound| / max(1, |value|). */
function relGap(value: number, bound: number): number {
  if (!Number.isFinite(bound)) return 1;
  return Math.abs(value - bound) / Math.max(1, Math.abs(value));
}

/** The proven distances to the optimum, per term, from the levels solved (`n` candidates). */
function gapOf(result: MipResult, score: OptimalRoutingPlan['score'], n: number): PlanGap {
  const level = (term: string) => result.levels.find((l) => l.name.split('+').includes(term));
  const ratio = (v: number, bound: number) => (bound > 0 ? (v - bound) / bound : v > 0 ? 1 : 0);
  const first = result.levels[0];
  const ships = level('shipments');
  const cost = level('cost');
  const total = score.placed + score.backordered;
  // The first level maximises W·placed − t with W = n + 1 and 0 ≤ t ≤ n when merged.
  const merged = first !== undefined && first.name !== 'placed';
  const placedUpperBound = first?.optimal
    ? score.placed
    : first
      ? Math.min(total, Math.floor(merged ? (first.bound + n) / (n + 1) : first.bound + 1e-6))
      : total;
  const shipmentsLowerBound = ships?.optimal
    ? score.shipments
    : Math.max(score.placed > 0 ? 1 : 0, Math.ceil((ships?.bound ?? 0) - 1e-6));
  const costLowerBound = cost?.optimal
    ? score.cost
    : cost
      ? Math.max(0, Math.ceil(cost.bound - 1e-6))
      : 0;
  return {
    shipments: score.shipments,
    shipmentsLowerBound,
    shipmentsGap: ratio(score.shipments, shipmentsLowerBound),
    cost: score.cost,
    costLowerBound,
    costGap: ratio(score.cost, costLowerBound),
    placed: score.placed,
    placedUpperBound: Math.max(score.placed, placedUpperBound),
  };
}

/** The column values of a plan (every allocation column of the model), or undefined. */
function startVector(
  m: MipModel,
  p: Problem,
  ids: readonly string[],
  plan: OptimalRoutingPlan,
): number[] | undefined {
  const index = new Map<string, number>();
  m.cols.forEach((col, c) => {
    index.set(`${col.kind}:${col.index}:${col.l}`, c);
  });
  const values = new Array<number>(m.numCols).fill(0);
  const loc = new Map(ids.map((id, l) => [id, l]));
  for (const s of plan.shipments) {
    const l = loc.get(s.locationId);
    if (l === undefined) return undefined;
    values[l] = 1;
    for (const line of s.lines) {
      const i = p.items.findIndex((it) => it.lineId === line.lineId && it.sku === line.sku);
      if (i < 0) return undefined;
      const k = p.freeSku[i] ?? -1;
      const key = k >= 0 ? `z:${k}:${l}` : `x:${i}:${l}`;
      const c = index.get(key);
      if (c === undefined) return undefined;
      values[c] = (values[c] ?? 0) + line.quantity;
    }
  }
  return values;
}
