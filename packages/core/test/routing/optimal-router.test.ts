import { describe, expect, it } from 'vitest';
import { createOptimalRouter, type OptimalRouteRequest } from '../../src/routing/optimal-router';
import { greedyRouter } from '../../src/routing/router';
import { at, kit, line, loc, policy, request } from './helpers';
import { checkPlan } from './instances';

const router = createOptimalRouter();
const route = (r: Partial<OptimalRouteRequest>) => {
  const req = request(r);
  const plan = router.route(req);
  expect(checkPlan(req, plan)).toEqual([]);
  return plan;
};
const where = (plan: { shipments: { locationId: string }[] }) =>
  plan.shipments.map((s) => s.locationId);

describe('createOptimalRouter: objective', () => {
  it('takes the nearest location that fills everything, and says why the others lost', () => {
    const plan = route({
      items: [line('l1', 'A', 2)],
      inventory: { la: { A: 5 }, ny: { A: 5 }, chi: { A: 5 } },
      locations: [
        loc('la', { priority: 1, ...at(34.05, -118.24) }),
        loc('ny', { priority: 9, ...at(40.7, -74) }),
        loc('chi', at(41.88, -87.63)),
      ],
    });
    expect(where(plan)).toEqual(['ny']);
    expect(plan.optimal).toBe(true);
    expect(plan.costBasis).toBe('distance');
    expect(plan.alternatives.map((a) => [a.locations.join('+'), a.lostOn])).toEqual([
      ['chi', 'cost'],
      ['la', 'cost'],
    ]);
    expect(plan.reason).toMatch(
      /^1 shipment\(s\) from ny \(cost \d+, distance costs\), proven optimal; runner-up chi: costs \d+ more/,
    );
  });

  it('prefers one shipment from far away over two nearby (fewest shipments first)', () => {
    const plan = route({
      items: [line('l1', 'A', 1), line('l2', 'B', 1)],
      inventory: { near1: { A: 1 }, near2: { B: 1 }, far: { A: 1, B: 1 } },
      locations: [
        loc('near1', at(40.7, -74)),
        loc('near2', at(40.8, -74)),
        loc('far', at(34, -118)),
      ],
    });
    expect(where(plan)).toEqual(['far']);
    // Two shipments can never beat one, so the search stops after single locations.
    expect(plan.alternatives[0]).toMatchObject({ locations: ['near1'], lostOn: 'placed' });
  });

  it('a configurable objective can put cost first', () => {
    const cheapFirst = createOptimalRouter({ objective: ['cost', 'shipments'] });
    const req = request({
      items: [line('l1', 'A', 1), line('l2', 'B', 1)],
      inventory: { near1: { A: 1 }, near2: { B: 1 }, far: { A: 1, B: 1 } },
      locations: [
        loc('near1', at(40.7, -74)),
        loc('near2', at(40.8, -74)),
        loc('far', at(34, -118)),
      ],
    });
    expect(where(cheapFirst.route(req)).sort()).toEqual(['near1', 'near2']);
  });

  it('beats the greedy router where "fill the most first" needs an extra shipment', () => {
    const req = request({
      items: ['A', 'B', 'C', 'D', 'E', 'F'].map((s) => line(s, s, 1)),
      inventory: {
        big: { A: 1, B: 1, D: 1, E: 1 },
        x: { A: 1, B: 1, C: 1 },
        y: { D: 1, E: 1, F: 1 },
      },
      locations: [
        loc('big', { priority: 1 }),
        loc('x', { priority: 2 }),
        loc('y', { priority: 3 }),
      ],
    });
    expect(greedyRouter.route(req).shipments).toHaveLength(3);
    expect(where(router.route(req))).toEqual(['x', 'y']);
  });

  it('prefers policy.prefer locations before cost, and uses priority when costs tie', () => {
    const locations = [loc('a', { priority: 5 }), loc('b', { priority: 1 })];
    const inv = { a: { A: 1 }, b: { A: 1 } };
    expect(where(route({ items: [line('l', 'A', 1)], inventory: inv, locations }))).toEqual(['b']);
    expect(
      where(
        route({
          items: [line('l', 'A', 1)],
          inventory: inv,
          locations,
          policy: policy({ prefer: ['a'] }),
        }),
      ),
    ).toEqual(['a']);
  });

  it('adds per-shipment costs and the zone table; a zone match replaces distance', () => {
    const locations = [
      loc('a', { costPerShipment: 500, ...at(40.7, -74) }),
      loc('b', { zoneCosts: { 'US-NY': 100, US: 900 }, ...at(34, -118) }),
    ];
    const plan = route({
      items: [line('l', 'A', 1)],
      inventory: { a: { A: 1 }, b: { A: 1 } },
      locations,
    });
    expect(where(plan)).toEqual(['b']);
    expect(plan.score.cost).toBe(100);
    expect(plan.costBasis).toBe('mixed');
  });

  it('falls back to fixed costs and priority when a candidate has no coordinates (never guesses a distance)', () => {
    const locations = [
      loc('far', { priority: 1, ...at(34, -118) }),
      loc('nocoords', { priority: 2 }),
    ];
    const plan = route({
      items: [line('l', 'A', 1)],
      inventory: { far: { A: 1 }, nocoords: { A: 1 } },
      locations,
    });
    expect(plan.costBasis).toBe('fixed');
    expect(where(plan)).toEqual(['far']);
    expect(plan.score.cost).toBe(0);
    const noDest = router.route(
      request({
        items: [line('l', 'A', 1)],
        inventory: { far: { A: 1 } },
        locations,
        destination: undefined,
      }),
    );
    expect(noDest.costBasis).toBe('fixed');
  });

  it('adds missedCutoffCost for locations past their daily cutoff', () => {
    const r = createOptimalRouter({ missedCutoffCost: 10_000 });
    const locations = [
      loc('early', { cutoff: '14:00', timeZone: 'UTC', ...at(40.7, -74) }),
      loc('late', { cutoff: '18:00', timeZone: 'UTC', ...at(41.9, -87.6) }),
    ];
    const plan = r.route(
      request({
        items: [line('l', 'A', 1)],
        inventory: { early: { A: 1 }, late: { A: 1 } },
        locations,
      }),
    );
    expect(where(plan)).toEqual(['late']);
    expect(plan.missedCutoff).toEqual([]);
    expect(plan.alternatives[0]?.locations).toEqual(['early']);
  });
});

describe('createOptimalRouter: kits, shortage and policy', () => {
  it('ships a kit whole from one location; a kit’s availability is the min over its components', () => {
    const plan = route({
      items: [kit('k', 2, { BOX: 1, CARD: 2 })],
      inventory: { a: { BOX: 5, CARD: 2 }, b: { BOX: 1, CARD: 10 } },
      locations: [loc('a'), loc('b')],
    });
    expect(plan.shipments.map((s) => [s.locationId, s.lines[0]?.quantity])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(plan.shipments[0]?.lines[0]?.components).toEqual([
      { sku: 'BOX', quantity: 1 },
      { sku: 'CARD', quantity: 2 },
    ]);
  });

  it('chooses between a kit and a plain line competing for a SKU so the most units ship', () => {
    const plan = route({
      items: [kit('k', 1, { A: 1, B: 1 }), line('p', 'A', 1)],
      inventory: { x: { A: 1, B: 1 }, y: { A: 1 } },
      locations: [loc('x'), loc('y')],
    });
    expect(plan.backordered).toEqual([]);
    expect(plan.shipments.map((s) => [s.locationId, s.lines.map((l) => l.lineId)])).toEqual([
      ['x', ['k']],
      ['y', ['p']],
    ]);
  });

  it('places what it can with the fewest shipments and backorders the rest', () => {
    const plan = route({
      items: [line('a', 'A', 3), line('b', 'B', 2)],
      inventory: { x: { A: 2 }, y: { A: 1, B: 1 }, z: { A: 1 } },
      locations: [loc('x'), loc('y'), loc('z')],
    });
    expect(plan.score).toMatchObject({ placed: 4, backordered: 1, shipments: 2 });
    expect(plan.backordered).toEqual([{ lineId: 'b', sku: 'B', quantity: 1 }]);
  });

  it('allowSplit false: one location that fills all, else everything backordered', () => {
    const items = [line('a', 'A', 1), line('b', 'B', 1)];
    const locations = [loc('x'), loc('y')];
    const split = route({
      items,
      inventory: { x: { A: 1 }, y: { B: 1 } },
      locations,
      policy: policy({ allowSplit: false }),
    });
    expect(split.shipments).toEqual([]);
    expect(split.reason).toContain('splitting is forbidden');
    const one = route({
      items,
      inventory: { x: { A: 1 }, y: { A: 1, B: 1 } },
      locations,
      policy: policy({ allowSplit: false }),
    });
    expect(where(one)).toEqual(['y']);
  });

  it('obeys force, exclude, required capabilities and maxShipments', () => {
    const items = [line('a', 'A', 2)];
    const inventory = { x: { A: 1 }, y: { A: 1 }, z: { A: 2 } };
    const locations = [
      loc('x', { capabilities: ['engrave'] }),
      loc('y', { capabilities: ['engrave'] }),
      loc('z'),
    ];
    expect(where(route({ items, inventory, locations, policy: policy({ force: 'x' }) }))).toEqual([
      'x',
    ]);
    expect(
      where(route({ items, inventory, locations, policy: policy({ exclude: ['z'] }) })).sort(),
    ).toEqual(['x', 'y']);
    expect(
      where(
        route({
          items,
          inventory,
          locations,
          policy: policy({ requiredCapabilities: ['engrave'] }),
        }),
      ).sort(),
    ).toEqual(['x', 'y']);
    const capped = route({
      items,
      inventory,
      locations,
      policy: policy({ exclude: ['z'], maxShipments: 1 }),
    });
    expect(capped.score).toMatchObject({ shipments: 1, placed: 1 });
  });

  it('reads negative stock as 0', () => {
    const plan = route({
      items: [line('a', 'A', 1)],
      inventory: { x: { A: -3 } },
      locations: [loc('x')],
    });
    expect(plan.shipments).toEqual([]);
    expect(plan.reason).toBe('no location has stock for any unit');
  });

  it('no eligible location and nothing to route', () => {
    expect(
      route({ items: [line('a', 'A', 1)], locations: [loc('x', { open: false })] }).reason,
    ).toContain('no eligible location');
    expect(route({ items: [], locations: [loc('x')] })).toMatchObject({
      shipments: [],
      backordered: [],
    });
  });
});
