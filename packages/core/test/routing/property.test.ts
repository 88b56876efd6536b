import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { bruteForce, compareBrute } from './brute-force';
import { checkPlan, randomInstance } from './instances';
import { routerProperties } from './router-properties';

routerProperties('optimal', (options) => createOptimalRouter(options));

describe('optimal router: heuristic search', () => {
  it('the heuristic (forced by exactLimit 1) is valid and never scores better than the optimum', () => {
    const heuristic = createOptimalRouter({ exactLimit: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const req = randomInstance(seed);
        const plan = heuristic.route(req);
        expect(checkPlan(req, plan)).toEqual([]);
        expect(compareBrute(plan.score, bruteForce(req))).toBeGreaterThanOrEqual(0);
        if (plan.method === 'heuristic') {
          expect(plan.gap?.shipmentsLowerBound).toBeLessThanOrEqual(plan.score.shipments);
          expect(plan.gap?.placedUpperBound).toBeGreaterThanOrEqual(plan.score.placed);
        }
      }),
      { seed: 20261127, numRuns: 150 },
    );
  });
});
