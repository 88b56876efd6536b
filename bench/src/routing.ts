/**
 * routing: the optimal router (`createOptimalRouter`) against a brute-force optimum and
 * against the common heuristic (the location that can fill most, then the next, in ranked
 * order = `greedyRouter`), all on seeded random instances generated in this run:
 *
 * - optimality: 1,000 instances (≤ 6 locations, ≤ 12 lines, kits, partial stock, random
 *   policies) whose plan must score exactly as well as the brute force (count printed);
 * - exact routing time at 8 locations (per-call p50/p99, the greedy router's as a baseline);
 * - 200 large instances (50 locations, 50 lines): the heuristic's gap to its lower bound
 *   (mean, worst) and per-call p99;
 * - shipments and estimated cost saved against `greedyRouter` on the same instances.
 *
 * Every plan is checked against the router contract first, or this throws. Loops are bounded
 * in count and by a time cap.
 */
import {
  createOptimalRouter,
  greedyRouter,
  type OptimalRouteRequest,
  type RoutingPlan,
} from '@fulfil/core';
import { bruteForce, compareBrute } from '../../packages/core/test/routing/brute-force';
import { EIGHT, randomInstance, SMALL } from '../../packages/core/test/routing/instances';
import { fmtUs, percentiles } from './harness';
import { assertValid, largeInstances, mean, pct, pctF, tallyVsGreedy } from './routing-common';

const OPTIMALITY_INSTANCES = 1000;
const EIGHT_INSTANCES = 500;
const LARGE_INSTANCES = 200;
/** Per phase: stop early (and say so) past this. */
const PHASE_CAP_MS = 120_000;

/** Headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const router = createOptimalRouter();
  const out: Record<string, string> = {};

  // ---- optimality vs brute force ----
  let equal = 0;
  let done = 0;
  let phaseStart = performance.now();
  const small: OptimalRouteRequest[] = [];
  for (let seed = 1; seed <= OPTIMALITY_INSTANCES; seed++) {
    if (performance.now() - phaseStart > PHASE_CAP_MS) break;
    const req = randomInstance(seed, SMALL);
    small.push(req);
    const plan = router.route(req);
    assertValid(req, plan, `small seed ${seed}`);
    if (compareBrute(plan.score, bruteForce(req)) === 0) equal++;
    done++;
  }
  out.optimality = `${equal} / ${done} instances score exactly as well as brute force (${pct(equal, done)})`;

  // ---- exact at 8 locations, greedy as the baseline ----
  const eight = Array.from({ length: EIGHT_INSTANCES }, (_, i) =>
    randomInstance(10_000 + i, EIGHT),
  );
  for (const req of eight.slice(0, 50)) router.route(req); // warm-up
  phaseStart = performance.now();
  let proven = 0;
  for (const [i, req] of eight.entries()) {
    const plan = router.route(req);
    assertValid(req, plan, `eight #${i}`);
    if (plan.optimal) proven++;
  }
  // Per-call times, each router over the whole set in turn, 3 rounds pooled.
  const exactUs = timeEach(eight, (req) => router.route(req), phaseStart);
  const greedyUs = timeEach(eight, (req) => greedyRouter.route(req), phaseStart);
  const ex = percentiles('exact-8', exactUs);
  const gr8 = percentiles('greedy-8', greedyUs);
  out.exact8 = `exact routing at 8 locations: p50 ${fmtUs(ex.p50Us)}, p99 ${fmtUs(ex.p99Us)} (greedy router same instances: p50 ${fmtUs(gr8.p50Us)}, p99 ${fmtUs(gr8.p99Us)}; ${(ex.p50Us / gr8.p50Us).toFixed(1)}× its p50); proven optimal ${proven} / ${eight.length}`;

  // ---- large instances: heuristic ----
  const large = largeInstances(LARGE_INSTANCES);
  for (const req of large.slice(0, 5)) router.route(req); // warm-up
  const heurUs = timeEach(large, (req) => router.route(req), performance.now(), 1);
  const gaps: number[] = [];
  const costGaps: number[] = [];
  let zeroGap = 0;
  const largePlans: RoutingPlan[] = [];
  phaseStart = performance.now();
  for (const [i, req] of large.entries()) {
    if (performance.now() - phaseStart > PHASE_CAP_MS) break;
    const plan = router.route(req);
    assertValid(req, plan, `large #${i}`);
    if (!plan.gap) throw new Error(`large #${i}: heuristic plan without a gap`);
    gaps.push(plan.gap.shipmentsGap);
    costGaps.push(plan.gap.costGap);
    if (plan.gap.shipmentsGap === 0) zeroGap++;
    largePlans.push(plan);
  }
  const hp = percentiles('heuristic-50', heurUs);
  out.largeGap = `heuristic (50 locations × 50 lines, ${gaps.length} instances): shipments gap to lower bound mean ${pctF(mean(gaps))}, worst ${pctF(Math.max(...gaps))}; ${zeroGap} proven optimal on shipments; cost gap to its (weak) bound mean ${pctF(mean(costGaps))}`;
  out.largeTime = `heuristic time: p50 ${fmtUs(hp.p50Us)}, p99 ${fmtUs(hp.p99Us)}`;

  // ---- vs the common heuristic (greedyRouter) on the same instances ----
  for (const [label, reqs, plans] of [
    ['small', small, undefined],
    ['large', large.slice(0, largePlans.length), largePlans],
  ] as const) {
    // The greedy router knows no `maxShipments`: compare both without it.
    const stripped = reqs.map((original) => {
      const { maxShipments, ...policy } = original.policy;
      return maxShipments === undefined ? original : { ...original, policy };
    });
    const { ships, cost, units, greedyShips, greedyCost, fewer, more, moreSameUnits } =
      tallyVsGreedy(
        stripped,
        (req, i) => (req === reqs[i] ? plans?.[i] : undefined) ?? router.route(req),
        label,
      );
    out[`vsGreedy_${label}`] =
      `vs greedy (fill-most-first), ${reqs.length} ${label} instances: ${greedyShips - ships} shipments saved (${pct(greedyShips - ships, greedyShips)}; fewer on ${fewer} instances; more on ${more}, of which ${more - moreSameUnits} placed more units now), cost saved ${pct(greedyCost - cost, greedyCost)} (${greedyCost - cost} minor units), ${units} more units placed now`;
  }
  for (const line of Object.values(out)) console.log(line);
  return out;
}

/** Per-call microseconds of `fn` over `items`, `rounds` times (stops a round past the phase cap). */
function timeEach<T>(
  items: readonly T[],
  fn: (item: T) => unknown,
  start: number,
  rounds = 3,
): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const item of items) {
      if (performance.now() - start > PHASE_CAP_MS) return samples;
      const t0 = performance.now();
      fn(item);
      samples.push((performance.now() - t0) * 1000);
    }
  }
  return samples;
}
