import { compareScores, createOptimalRouter } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { bruteForce, compareBrute } from '../../core/test/routing/brute-force';
import { checkPlan, EIGHT, randomInstance } from '../../core/test/routing/instances';
import { routerProperties } from '../../core/test/routing/router-properties';
import { createMipRouter } from '../src';

// A generous limit: the machine running the tests may be loaded, and a plan that hit the limit
// is neither deterministic nor proven optimal. The time-limited behaviour has its own case.
const LIMIT = 20_000;

routerProperties('mip', (options) => createMipRouter({ timeLimitMs: LIMIT, ...options }), {
  contract: 120,
  determinism: 30,
  protection: 40,
  bruteForce: 200,
  kits: 30,
});

describe('mip router', () => {
  it('scores exactly as the brute force at 8 locations (all of them candidates)', async () => {
    const router = await createMipRouter({ timeLimitMs: LIMIT });
    for (let seed = 1; seed <= 20; seed++) {
      const req = randomInstance(90_000 + seed, EIGHT);
      const plan = router.route(req);
      expect(checkPlan(req, plan)).toEqual([]);
      expect(plan.method).toBe('mip');
      expect(plan.optimal).toBe(true);
      expect(compareBrute(plan.score, bruteForce(req)), `seed ${90_000 + seed}`).toBe(0);
    }
  });

  it('other objective orders (solved by HiGHS level by level) score as the built-in exact search', async () => {
    const objective = ['cost', 'shipments', 'priority'] as const;
    const router = await createMipRouter({ timeLimitMs: LIMIT, objective: [...objective] });
    const exact = createOptimalRouter({ objective: [...objective] });
    for (let seed = 1; seed <= 6; seed++) {
      const req = randomInstance(91_000 + seed, EIGHT);
      const plan = router.route(req);
      expect(checkPlan(req, plan)).toEqual([]);
      expect(plan.method).toBe('mip');
      expect(plan.optimal).toBe(true);
      expect((plan.mip?.columns ?? 0) > 0, 'HiGHS solved it').toBe(true);
      const want = exact.route(req);
      expect(want.method).toBe('exact');
      expect(compareScores(plan.score, want.score, objective), `seed ${91_000 + seed}`).toBe(0);
    }
  });

  it('settles 50-location requests with the set search alone, and says so', async () => {
    const router = await createMipRouter({ timeLimitMs: LIMIT });
    const req = randomInstance(50_001, { ...EIGHT, locations: 50, lines: 50, skus: 40, kits: 4 });
    const plan = router.route(req);
    expect(checkPlan(req, plan)).toEqual([]);
    expect(plan.optimal).toBe(true);
    expect(plan.mip?.columns).toBe(0);
    expect(plan.mip?.levels.map((l) => l.name)).toEqual([
      'placed',
      'shipments',
      'preferred',
      'cost',
      'priority',
      'tie-break',
    ]);
    expect(plan.mip?.levels.every((l) => l.optimal && l.bound === l.value)).toBe(true);
    expect(plan.reason).toMatch(
      /proven optimal \(exact set search; units placed at their upper bound, no MIP needed, 6 levels\)/,
    );
  });

  it('explains: reason, score, runners-up that lose on a named term', async () => {
    const router = await createMipRouter({ timeLimitMs: LIMIT });
    const req = randomInstance(90_001, EIGHT);
    const plan = router.route(req);
    expect(plan.reason).toMatch(/proven optimal \((HiGHS MIP|exact set search)[^)]*, \d+ levels\)/);
    expect(plan.mip?.levels[0]?.name).toBe('placed');
    expect(plan.alternatives.length).toBeGreaterThan(0);
    for (const alt of plan.alternatives) {
      expect(alt.locations.join(',')).not.toBe(plan.shipments.map((s) => s.locationId).join(','));
      expect(alt.why.length).toBeGreaterThan(0);
    }
  });

  it('on a time limit too short to prove anything, returns a valid plan with optimal false', async () => {
    const router = await createMipRouter({ timeLimitMs: 0.001 });
    const req = randomInstance(50_000, {
      ...EIGHT,
      locations: 30,
      lines: 30,
      skus: 25,
    });
    const plan = router.route(req);
    expect(checkPlan(req, plan)).toEqual([]);
    expect(plan.optimal).toBe(false);
    expect(plan.mip?.stoppedAt).toBeDefined();
  });

  it('rejects unknown options with CONFIG_INVALID', async () => {
    await expect(createMipRouter({ timeLimit: 5 } as never)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
