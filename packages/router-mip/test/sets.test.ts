import {
  compareScores,
  compileProblem,
  costTable,
  eligibleLocations,
  fillableUnits,
  type OptimalRouteRequest,
  type ScoringContext,
  stockVector,
} from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { LARGE, randomInstance } from '../../core/test/routing/instances';
import { coverTarget, maxPlaced, type SetSearchInput, searchSets } from '../src/sets';

const OBJECTIVE = ['shipments', 'preferred', 'cost', 'priority'] as const;

/** The set search's input for a request, as the router builds it (no time limit). */
function inputOf(req: OptimalRouteRequest): SetSearchInput {
  const p = compileProblem(req.items);
  const ranked = eligibleLocations(req.locations, req.policy);
  const useful = ranked.filter((l) =>
    req.items.some((_, i) => fillableUnits(p, i, stockVector(p, req.inventory[l.id]), 1) > 0),
  );
  const costs = costTable(useful, req.destination, req.now, {
    costPerKm: 1,
    missedCutoffCost: 0,
  });
  const ctx: ScoringContext = {
    rank: new Map(ranked.map((l, i) => [l.id, i])),
    priority: new Map(ranked.map((l) => [l.id, l.priority])),
    preferred: new Set(req.policy.prefer),
    cost: costs.cost,
    costBasis: costs.basis,
    total: p.total,
  };
  const stocks = useful.map((l) => stockVector(p, req.inventory[l.id]));
  const target = coverTarget(p, stocks);
  if (target === undefined) throw new Error('instance without a cover target');
  return {
    p,
    ids: useful.map((l) => l.id),
    stocks,
    ctx,
    objective: [...OBJECTIVE],
    target,
    maxShipments: Number.POSITIVE_INFINITY,
    deadline: Number.POSITIVE_INFINITY,
  };
}

/** The score's terms after shipments, in objective order. */
const tuple = (s: { nonPreferred: number; cost: number; priority: number }) => [
  s.nonPreferred,
  s.cost,
  s.priority,
];

/** a ≤ b lexicographically. */
function lexLe(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] ?? 0) < (b[i] ?? 0)) return true;
    if ((a[i] ?? 0) > (b[i] ?? 0)) return false;
  }
  return true;
}

describe('set search', () => {
  // Seeds of the 50 × 50 benchmark instances (kits included) that every unit can be placed on.
  const seeds = [50_001, 50_007, 50_017];

  it('a search stopped early reports bounds that the full search confirms', () => {
    let stoppedWithPlan = 0;
    for (const seed of seeds) {
      const input = inputOf(randomInstance(seed, LARGE));
      const full = searchSets(input);
      expect(full.complete, `seed ${seed}`).toBe(true);
      const opt = full.best;
      if (!opt) throw new Error(`seed ${seed}: no plan`);
      expect(opt.score.placed).toBe(input.target);
      expect(full.shipmentsLowerBound).toBe(opt.score.shipments);
      for (const maxNodes of [1, 5, 20, 60, 150]) {
        const cut = searchSets({ ...input, maxNodes });
        const what = `seed ${seed}, ${maxNodes} nodes`;
        expect(cut.shipmentsLowerBound, what).toBeLessThanOrEqual(opt.score.shipments);
        if (!cut.best) {
          expect(cut.complete, what).toBe(false);
          continue;
        }
        expect(compareScores(cut.best.score, opt.score, OBJECTIVE), what).toBeGreaterThanOrEqual(0);
        if (cut.complete) {
          expect(compareScores(cut.best.score, opt.score, OBJECTIVE), what).toBe(0);
          continue;
        }
        stoppedWithPlan++;
        // The bounds hold for the optimum, and never claim more than the plan returned.
        expect(cut.best.score.shipments, what).toBe(opt.score.shipments);
        expect(lexLe(cut.termBounds ?? [], tuple(opt.score)), what).toBe(true);
        expect(lexLe(cut.termBounds ?? [], tuple(cut.best.score)), what).toBe(true);
      }
    }
    // The bounds of a search stopped after finding a plan were checked at least once.
    expect(stoppedWithPlan).toBeGreaterThan(0);
  });

  it('most units within a shipment cap: a stopped search brackets the proven maximum', () => {
    let stopped = 0;
    for (const seed of seeds) {
      const { p, stocks } = inputOf(randomInstance(seed, LARGE));
      for (const cap of [1, 2]) {
        const full = maxPlaced(p, stocks, cap, Number.POSITIVE_INFINITY);
        const what = `seed ${seed}, cap ${cap}`;
        expect(full.complete, what).toBe(true);
        expect(full.bound, what).toBe(full.placed);
        // The allocation places that many units from at most `cap` locations.
        const alloc = full.alloc ?? [];
        const used = stocks.filter((_, l) => alloc.some((row) => (row[l] ?? 0) > 0));
        expect(used.length, what).toBeLessThanOrEqual(cap);
        expect(
          alloc.flat().reduce((a, b) => a + b, 0),
          what,
        ).toBe(full.placed);
        // No single location places more than the cap-1 optimum (a brute-force check).
        if (cap === 1) {
          const single = Math.max(
            ...stocks.map((_, l) => {
              const one = stocks.map((s, j) => (j === l ? s : s.map(() => 0)));
              return maxPlaced(p, one, 1, Number.POSITIVE_INFINITY).placed;
            }),
          );
          expect(full.placed, what).toBe(single);
        }
        for (const maxNodes of [1, 10, 40]) {
          const cut = maxPlaced(p, stocks, cap, Number.POSITIVE_INFINITY, { maxNodes });
          expect(cut.placed, `${what}, ${maxNodes} nodes`).toBeLessThanOrEqual(full.placed);
          expect(cut.bound, `${what}, ${maxNodes} nodes`).toBeGreaterThanOrEqual(full.placed);
          if (!cut.complete) stopped++;
        }
      }
    }
    expect(stopped).toBeGreaterThan(0);
  });

  it('a search out of time before its first node finds nothing and proves nothing', () => {
    const input = inputOf(randomInstance(seeds[0] ?? 0, LARGE));
    const r = searchSets({ ...input, deadline: performance.now() - 1 });
    expect(r.best).toBeUndefined();
    expect(r.complete).toBe(false);
  });

  it('forbidding the best set gives the runner-up: another set, scoring no better', () => {
    const input = inputOf(randomInstance(seeds[1] ?? 0, LARGE));
    const first = searchSets(input).best;
    if (!first) throw new Error('no plan');
    const second = searchSets({
      ...input,
      forbidden: [first.used],
      fromSize: first.score.shipments,
    });
    expect(second.complete).toBe(true);
    const runnerUp = second.best;
    if (!runnerUp) throw new Error('no runner-up');
    expect(runnerUp.used.join(',')).not.toBe(first.used.join(','));
    expect(compareScores(runnerUp.score, first.score, OBJECTIVE)).toBeGreaterThan(0);
  });
});
