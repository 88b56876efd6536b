/**
 * routing-mip (`pnpm bench routing` runs it after `routing`): `@fulfil/router-mip` on the
 * same seeded instances as the routing suite:
 *
 * - optimality: 1,000 small instances (≤ 6 locations, kits, random policies) whose plan must
 *   score exactly as the brute force (count printed), with per-call time;
 * - the 200 instances of 50 locations × 50 lines at a 200 ms limit per instance: share proven
 *   optimal by the MIP, worst and mean proven gap (of the level where the limit was hit),
 *   p50/p99 wall and CPU time; the built-in router beside it (same instances, its own gap);
 * - the first 50 of them again with `maxShipments` 2 and 3 (units placed under a cap);
 * - shipments and cost saved against Shopify-style ranked-location routing (`greedyRouter`).
 *
 * Timing is wall clock on a shared machine: the load average is printed with the figures.
 */
import os from 'node:os';
import { createOptimalRouter, type RoutingPlan } from '@fulfil/core';
import { createMipRouter } from '@fulfil/router-mip';
import {
  type BruteScore,
  bruteForce,
  compareBrute,
} from '../../packages/core/test/routing/brute-force';
import { randomInstance, SMALL } from '../../packages/core/test/routing/instances';
import { fmtUs, percentiles } from './harness';
import { assertValid, largeInstances, mean, pct, pctF, tallyVsGreedy } from './routing-common';

const SMALL_INSTANCES = Number(process.env.MIP_SMALL ?? 1000);
const LARGE_INSTANCES = Number(process.env.MIP_LARGE ?? 200);
const LIMIT_MS = 200;
const CAPPED_INSTANCES = Number(process.env.MIP_CAPPED ?? 50);

/** Headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' / ');
  out.load = `load average at start ${load()} on ${os.cpus().length} CPUs`;

  // ---- small: equality with brute force (a generous limit: proofs, not speed) ----
  const exact = await createMipRouter({ timeLimitMs: 30_000 });
  let equal = 0;
  let proven = 0;
  const smallUs: number[] = [];
  for (let seed = 1; seed <= SMALL_INSTANCES; seed++) {
    const req = randomInstance(seed, SMALL);
    const t0 = performance.now();
    const plan = exact.route(req);
    smallUs.push((performance.now() - t0) * 1000);
    assertValid(req, plan, `small seed ${seed}`);
    if (plan.optimal) proven++;
    if (compareBrute(plan.score, bruteForce(req)) === 0) equal++;
    else console.log(`  small seed ${seed}: differs from brute force: ${plan.reason}`);
  }
  const sp = percentiles('mip-small', smallUs);
  out.mipOptimality = `MIP router: ${equal} / ${SMALL_INSTANCES} small instances score exactly as the brute force (${proven} proven optimal); per call p50 ${fmtUs(sp.p50Us)}, p99 ${fmtUs(sp.p99Us)}`;

  // ---- large: 200 instances of 50 × 50 at 200 ms ----
  const mip = await createMipRouter({ timeLimitMs: LIMIT_MS });
  const builtin = createOptimalRouter();
  const large = largeInstances(LARGE_INSTANCES);
  const wallUs: number[] = [];
  const cpuUs: number[] = [];
  const builtinUs: number[] = [];
  const gaps: number[] = [];
  const solveUs: number[] = [];
  let usedHighs = 0;
  const stopped = new Map<string, number>();
  let mipProven = 0;
  let fellBack = 0;
  let better = 0;
  let worse = 0;
  const mipPlans: RoutingPlan[] = [];
  for (const [i, req] of large.entries()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plan = mip.route(req);
    wallUs.push((performance.now() - t0) * 1000);
    const c = process.cpuUsage(c0);
    cpuUs.push(c.user + c.system);
    assertValid(req, plan, `large #${i}`);
    mipPlans.push(plan);
    if (plan.method === 'mip' && plan.optimal) mipProven++;
    if (plan.method !== 'mip') fellBack++;
    gaps.push(plan.mip?.gap ?? 1);
    solveUs.push((plan.mip?.ms ?? 0) * 1000);
    if ((plan.mip?.columns ?? 0) > 0) usedHighs++;
    if (plan.mip?.stoppedAt)
      stopped.set(plan.mip.stoppedAt, (stopped.get(plan.mip.stoppedAt) ?? 0) + 1);
    const t1 = performance.now();
    const h = builtin.route(req);
    builtinUs.push((performance.now() - t1) * 1000);
    const d = compareScoresOf(plan, h);
    if (d < 0) better++;
    if (d > 0) worse++;
  }
  const wp = percentiles('mip-50', wallUs);
  const cp = percentiles('mip-50-cpu', cpuUs);
  const bp = percentiles('builtin-50', builtinUs);
  const sv = percentiles('mip-50-solve', solveUs);
  out.mipLarge = `MIP router, ${large.length} instances of 50 locations × 50 lines, ${LIMIT_MS} ms limit: ${mipProven} proven optimal by the MIP router (${pct(mipProven, large.length)}; aim ≥ 95 %); proven gap mean ${pctF(mean(gaps))}, worst ${pctF(Math.max(...gaps))}; stopped at ${[...stopped].map(([k, v]) => `${k} ×${v}`).join(', ') || 'nothing'}; ${fellBack} plans are the built-in router's (the MIP incumbent was not better, or there was none); HiGHS's model was needed on ${usedHighs} (the set search settled the others alone)`;
  out.mipLargeTime = `MIP time per instance: wall p50 ${fmtUs(wp.p50Us)}, p99 ${fmtUs(wp.p99Us)} (runners-up and fallbacks included; the solve alone p50 ${fmtUs(sv.p50Us)}, p99 ${fmtUs(sv.p99Us)}); CPU p50 ${fmtUs(cp.p50Us)}, p99 ${fmtUs(cp.p99Us)}; built-in router same instances wall p50 ${fmtUs(bp.p50Us)}, p99 ${fmtUs(bp.p99Us)}; load average now ${load()}`;
  out.mipVsBuiltin = `MIP plan vs built-in router's plan (lexicographic score): better on ${better}, worse on ${worse}, equal on ${large.length - better - worse}`;

  // ---- the same instances with a shipment cap (units placed by branch and bound over sets) ----
  for (const cap of [2, 3]) {
    const capped = large.slice(0, CAPPED_INSTANCES);
    let provenCapped = 0;
    let worseCapped = 0;
    const capUs: number[] = [];
    for (const [i, base] of capped.entries()) {
      const req = { ...base, policy: { ...base.policy, maxShipments: cap } };
      const t0 = performance.now();
      const plan = mip.route(req);
      capUs.push((performance.now() - t0) * 1000);
      assertValid(req, plan, `capped ${cap} #${i}`);
      if (plan.method === 'mip' && plan.optimal) provenCapped++;
      if (compareScoresOf(plan, builtin.route(req)) > 0) worseCapped++;
    }
    const cq = percentiles(`mip-50-cap${cap}`, capUs);
    out[`mipCapped${cap}`] =
      `MIP router, first ${capped.length} large instances with maxShipments ${cap}: ${provenCapped} proven optimal (${pct(provenCapped, capped.length)}), worse than the built-in router on ${worseCapped}; wall p50 ${fmtUs(cq.p50Us)}, p99 ${fmtUs(cq.p99Us)}`;
  }

  // ---- vs Shopify-style ranked-location routing ----
  const { ships, cost, greedyShips, greedyCost, units } = tallyVsGreedy(
    large,
    (_, i) => mipPlans[i] as RoutingPlan,
    'large',
  );
  out.mipVsGreedy = `MIP vs ranked-location routing (greedyRouter), ${large.length} large instances: ${greedyShips - ships} shipments saved (${pct(greedyShips - ships, greedyShips)}), cost saved ${pct(greedyCost - cost, greedyCost)} (${greedyCost - cost} minor units), ${units} more units placed now`;
  for (const line of Object.values(out)) console.log(line);
  return out;
}

function compareScoresOf(a: { score: BruteScore }, b: { score: BruteScore }): number {
  return compareBrute(a.score, b.score);
}
