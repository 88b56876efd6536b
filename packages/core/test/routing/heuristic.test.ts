import { describe, expect, it } from 'vitest';
import { Location } from '../../src/model/facts';
import { deepenCover } from '../../src/routing/cover';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { greedyRouter } from '../../src/routing/router';
import { checkPlan, LARGE, randomInstance } from './instances';

const router = createOptimalRouter();

describe('heuristic routing above exactLimit', () => {
  it('50 locations × 50 lines: valid plans with a gap to sound bounds', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const req = randomInstance(seed, LARGE);
      const plan = router.route(req);
      expect(checkPlan(req, plan), `seed ${seed}`).toEqual([]);
      expect(plan.method).toBe('heuristic');
      expect(plan.optimal).toBe(false);
      const gap = plan.gap;
      expect(gap).toBeDefined();
      if (!gap) return;
      expect(gap.shipmentsLowerBound).toBeGreaterThanOrEqual(1);
      expect(gap.shipmentsLowerBound).toBeLessThanOrEqual(plan.score.shipments);
      expect(gap.costLowerBound).toBeLessThanOrEqual(plan.score.cost);
      expect(gap.placedUpperBound).toBeGreaterThanOrEqual(plan.score.placed);
      expect(plan.reason).toContain('gap to lower bound');
      // It never places fewer units than the common "fill the most first" heuristic here.
      const greedyPlaced = greedyRouter
        .route(req)
        .shipments.reduce((n, s) => n + s.lines.reduce((m, l) => m + l.quantity, 0), 0);
      expect(plan.score.placed).toBeGreaterThanOrEqual(greedyPlaced);
    }
  });

  it('proves a zero gap when the cover search finds the fewest shipments', () => {
    // 10 locations, each with 2 of 20 SKUs (pairs) and one location with 10 of them.
    const skus = Array.from({ length: 20 }, (_, i) => `S${i}`);
    const inventory: Record<string, Record<string, number>> = {};
    const locations = Array.from({ length: 10 }, (_, j) => {
      inventory[`P${j}`] = { [`S${2 * j}`]: 1, [`S${2 * j + 1}`]: 1 };
      return Location.parse({ id: `P${j}`, warehouse: 'w' });
    });
    inventory.BIG = Object.fromEntries(skus.slice(0, 10).map((s) => [s, 1]));
    locations.push(Location.parse({ id: 'BIG', warehouse: 'w' }));
    const plan = router.route({
      items: skus.map((s) => ({ lineId: s, sku: s, quantity: 1, needs: { [s]: 1 } })),
      inventory,
      locations,
      policy: { prefer: [], exclude: [], requiredCapabilities: [] },
      now: 0,
    });
    expect(plan.score.shipments).toBe(6);
    expect(plan.gap).toMatchObject({ shipmentsLowerBound: 6, shipmentsGap: 0 });
  });
});

describe('deepenCover', () => {
  const stocks = [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
    [2, 2, 2],
  ];
  it('finds the smallest covering set and proves the sizes below impossible', () => {
    expect(deepenCover([2, 2, 2], stocks, 1, 3, () => 'yes', 1000)).toMatchObject({
      lowerBound: 1,
      found: [3],
    });
    expect(deepenCover([4, 2, 2], stocks, 1, 3, () => 'yes', 1000)).toMatchObject({
      lowerBound: 2,
      found: [0, 3],
    });
    expect(deepenCover([3, 3, 3], stocks, 1, 3, () => 'yes', 1000)).toMatchObject({
      lowerBound: 3,
      found: [0, 1, 2],
    });
  });
  it('keeps searching past rejected sets, and stops the proof on an inconclusive one', () => {
    const noBig = (set: number[]) => (set.includes(3) ? 'no' : 'yes');
    expect(deepenCover([2, 2, 2], stocks, 1, 3, noBig, 1000)).toMatchObject({
      lowerBound: 3,
      found: [0, 1, 2],
    });
    expect(deepenCover([2, 2, 2], stocks, 1, 3, () => 'unknown', 1000)).toEqual({
      lowerBound: 1,
      nodes: expect.any(Number),
    });
  });
});
