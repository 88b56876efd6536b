/**
 * The routing contract as properties, shared by every scoring router (the built-in optimal
 * router here, `@fulfil/router-mip` in its package): validity, determinism, no mutation,
 * stock protection and optimality against the brute force.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Location } from '../../src/model/facts';
import type { DemandItem } from '../../src/routing/demand';
import type { OptimalRouteRequest, OptimalRouter } from '../../src/routing/optimal-router';
import { bruteForce, compareBrute } from './brute-force';
import { checkPlan, randomInstance, SMALL } from './instances';

const RUNS = { seed: 20261127, numRuns: 300 };
const SKUS = ['A', 'B', 'C', 'D', 'E'];

const itemArb = fc.oneof(
  fc
    .record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) })
    .map(({ sku, quantity }) => ({ sku, quantity, needs: { [sku]: 1 } as Record<string, number> })),
  fc
    .record({
      needs: fc.dictionary(fc.constantFrom(...SKUS), fc.integer({ min: 1, max: 2 }), {
        minKeys: 1,
        maxKeys: 3,
      }),
      quantity: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ needs, quantity }) => ({ sku: 'KIT', quantity, needs, kit: true })),
);

/** Requests with 1–12 locations (so both the exact and the heuristic search run). */
export const requestArb: fc.Arbitrary<OptimalRouteRequest> = fc
  .record({
    items: fc.array(itemArb, { minLength: 1, maxLength: 8 }),
    nLoc: fc.integer({ min: 1, max: 12 }),
    stock: fc.array(fc.dictionary(fc.constantFrom(...SKUS), fc.integer({ min: -2, max: 6 })), {
      minLength: 12,
      maxLength: 12,
    }),
    caps: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    force: fc.option(fc.integer({ min: 0, max: 11 }), { nil: undefined }),
    exclude: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 3 }),
    prefer: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 2 }),
    needCap: fc.boolean(),
    allowSplit: fc.option(fc.boolean(), { nil: undefined }),
    maxShipments: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map((r) => {
    const items: DemandItem[] = r.items.map((it, i) => {
      const base = {
        lineId: `l${i}`,
        sku: it.sku === 'KIT' ? `KIT${i}` : it.sku,
        quantity: it.quantity,
        needs: it.needs,
      };
      return 'kit' in it
        ? {
            ...base,
            components: Object.entries(it.needs).map(([sku, quantity]) => ({ sku, quantity })),
          }
        : base;
    });
    const locations = Array.from({ length: r.nLoc }, (_, j) =>
      Location.parse({
        id: `L${j}`,
        warehouse: 'w',
        priority: j % 3,
        capabilities: r.caps[j] ? ['cold'] : [],
      }),
    );
    const inventory = Object.fromEntries(locations.map((l, j) => [l.id, r.stock[j] ?? {}]));
    const policy: OptimalRouteRequest['policy'] = {
      prefer: r.prefer.map((j) => `L${j}`),
      exclude: r.exclude.map((j) => `L${j}`),
      requiredCapabilities: r.needCap ? ['cold'] : [],
    };
    if (r.force !== undefined) policy.force = `L${r.force}`;
    if (r.allowSplit !== undefined) policy.allowSplit = r.allowSplit;
    if (r.maxShipments !== undefined) policy.maxShipments = r.maxShipments;
    return { items, inventory, locations, policy, now: 0 };
  });

/** Sizes of the shared suite (a slower router may run fewer cases). */
export interface PropertySizes {
  contract: number;
  determinism: number;
  protection: number;
  bruteForce: number;
  kits: number;
}

export const FULL_SIZES: PropertySizes = {
  contract: 300,
  determinism: 100,
  protection: 150,
  bruteForce: 400,
  kits: 60,
};

/**
 * Registers the shared router properties for `name`. `makeRouter(options)` builds the router
 * (with `protect` options for the protection case).
 */
export function routerProperties(
  name: string,
  makeRouter: (options?: {
    protect?: { thresholdDays: number; maxExtraCost: number };
  }) => OptimalRouter | Promise<OptimalRouter>,
  sizes: PropertySizes = FULL_SIZES,
): void {
  let router: OptimalRouter;
  let guarded: OptimalRouter;
  const ready = async () => {
    router ??= await makeRouter();
    guarded ??= await makeRouter({ protect: { thresholdDays: 5, maxExtraCost: 300 } });
  };

  describe(`${name} router: contract properties (fast-check)`, () => {
    it('never over-allocates, ships or backorders every unit once, keeps kits whole, obeys force/exclude/capabilities/no-split', async () => {
      await ready();
      fc.assert(
        fc.property(requestArb, (req) => {
          const plan = router.route(req);
          expect(checkPlan(req, plan)).toEqual([]);
          expect(plan.score.placed + plan.score.backordered).toBe(
            req.items.reduce((n, it) => n + it.quantity, 0),
          );
        }),
        { ...RUNS, numRuns: sizes.contract },
      );
    });

    it('is deterministic: the same request gives the same plan', async () => {
      await ready();
      fc.assert(
        fc.property(requestArb, (req) => {
          expect(stable(router.route(req))).toEqual(stable(router.route(structuredClone(req))));
        }),
        { ...RUNS, numRuns: sizes.determinism },
      );
    });

    it('does not mutate its input', async () => {
      await ready();
      fc.assert(
        fc.property(requestArb, (req) => {
          const before = structuredClone(req);
          router.route(req);
          expect(req).toEqual(before);
        }),
        { ...RUNS, numRuns: sizes.determinism },
      );
    });
  });

  describe(`${name} router: stock protection (fast-check)`, () => {
    it('never changes the units placed or the shipment count, and costs at most maxExtraCost more', async () => {
      await ready();
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 0, max: 1000 }),
          (seed, c) => {
            const req = randomInstance(seed);
            const cover = Object.fromEntries(
              req.locations.map((l, j) => [
                l.id,
                { S1: ((c + j) % 9) as number, S2: ((c * 3 + j) % 7) as number },
              ]),
            );
            const plain = router.route(req);
            const plan = guarded.route({ ...req, cover });
            expect(checkPlan(req, plan)).toEqual([]);
            expect(plan.score.placed).toBe(plain.score.placed);
            expect(plan.score.shipments).toBe(plain.score.shipments);
            expect(plan.score.cost).toBeLessThanOrEqual(plain.score.cost + 300);
          },
        ),
        { ...RUNS, numRuns: sizes.protection },
      );
    });
  });

  describe(`${name} router: optimality against brute force`, () => {
    it(`scores exactly as well as the brute-force optimum on ${sizes.bruteForce} seeded instances (≤ 6 locations, ≤ 12 lines, kits)`, async () => {
      await ready();
      let equal = 0;
      for (let seed = 1; seed <= sizes.bruteForce; seed++) {
        const req = randomInstance(seed);
        const plan = router.route(req);
        expect(checkPlan(req, plan), `seed ${seed}`).toEqual([]);
        expect(plan.optimal, `seed ${seed}`).toBe(true);
        const diff = compareBrute(plan.score, bruteForce(req));
        expect(diff, `seed ${seed}: ${plan.reason}`).toBe(0);
        if (diff === 0) equal++;
      }
      expect(equal).toBe(sizes.bruteForce);
    });

    it('also with more and larger kits (3 kits of up to 3 units, 5 locations)', async () => {
      await ready();
      const shape = { ...SMALL, locations: 5, kits: 3, kitQuantity: 3, skus: 6 };
      for (let seed = 1; seed <= sizes.kits; seed++) {
        const req = randomInstance(seed * 7919, shape);
        const plan = router.route(req);
        expect(checkPlan(req, plan)).toEqual([]);
        expect(compareBrute(plan.score, bruteForce(req)), `seed ${seed * 7919}`).toBe(0);
      }
    });
  });
}

/** A plan without its timing figures (`ms` fields, "…, 12 ms)" in reasons), which vary run to run. */
function stable(plan: object): unknown {
  const json = JSON.stringify(plan, (key, value) => {
    if (key === 'ms') return undefined;
    if (key === 'reason' && typeof value === 'string') return value.replace(/, \d+ ms\)/g, ')');
    return value;
  });
  return JSON.parse(json);
}
