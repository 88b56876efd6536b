import { describe, expect, it } from 'vitest';
import { coverTable } from '../../src/forecast/cover';
import { createForecaster } from '../../src/forecast/forecaster';
import { Location } from '../../src/model/facts';
import { createOptimalRouter, type OptimalRouteRequest } from '../../src/routing/optimal-router';
import { checkPlan } from './instances';

const near = Location.parse({
  id: 'near',
  warehouse: 'w',
  address: { country: 'US', lat: 40.7, lon: -74 },
});
const mid = Location.parse({
  id: 'mid',
  warehouse: 'w',
  address: { country: 'US', lat: 42.36, lon: -71.06 },
}); // Boston, ~300 km
const far = Location.parse({
  id: 'far',
  warehouse: 'w',
  address: { country: 'US', lat: 34, lon: -118 },
});
const base = (cover: OptimalRouteRequest['cover']): OptimalRouteRequest => ({
  items: [{ lineId: 'l', sku: 'MUG', quantity: 2, needs: { MUG: 1 } }],
  inventory: { near: { MUG: 3 }, mid: { MUG: 50 }, far: { MUG: 50 } },
  locations: [near, mid, far],
  policy: { prefer: [], exclude: [], requiredCapabilities: [] },
  now: 0,
  destination: { country: 'US', lat: 40.7, lon: -74 },
  ...(cover ? { cover } : {}),
});

describe('stock protection by days of cover', () => {
  const router = createOptimalRouter({ protect: { thresholdDays: 3, maxExtraCost: 500 } });

  it('leaves low-cover stock alone when another location serves for little extra cost', () => {
    const req = base({ near: { MUG: 1.5 }, mid: { MUG: 40 } });
    const plan = router.route(req);
    expect(checkPlan(req, plan)).toEqual([]);
    expect(plan.shipments.map((s) => s.locationId)).toEqual(['mid']);
    expect(plan.protected).toEqual(['near/MUG (1.5 d)']);
    expect(plan.reason).toMatch(/left low-cover stock alone \(near\/MUG \(1\.5 d\)\) for \d+ more/);
  });

  it('uses it anyway when protecting would cost too much, and says so', () => {
    const req = {
      ...base({ near: { MUG: 1.5 } }),
      inventory: { near: { MUG: 3 }, far: { MUG: 50 } },
    };
    const plan = router.route(req);
    expect(plan.shipments.map((s) => s.locationId)).toEqual(['near']);
    expect(plan.protected).toBeUndefined();
    expect(plan.reason).toMatch(/uses low-cover stock \(protecting it would cost \d+ more\)/);
  });

  it('never trades units or shipments for protection', () => {
    const req = { ...base({ near: { MUG: 1 } }), inventory: { near: { MUG: 2 } } };
    const plan = router.route(req);
    expect(plan.shipments.map((s) => s.locationId)).toEqual(['near']);
    expect(plan.reason).toContain('would place 2 fewer unit(s)');
  });

  it('is off without the option or without cover data', () => {
    expect(createOptimalRouter().route(base({ near: { MUG: 1 } })).shipments[0]?.locationId).toBe(
      'near',
    );
    expect(router.route(base(undefined)).shipments[0]?.locationId).toBe('near');
  });

  it('coverTable turns forecaster rows into request.cover', () => {
    const f = createForecaster();
    f.fromHistory([
      { sku: 'MUG', locationId: 'near', start: '2026-08-03', daily: new Array(28).fill(2) },
      { sku: 'MUG', locationId: 'mid', start: '2026-08-03', daily: new Array(28).fill(0) },
    ]);
    const asOf = Date.parse('2026-08-31T00:00:00Z');
    const cover = coverTable(f.report({ asOf, stock: { near: { MUG: 3 }, mid: { MUG: 50 } } }));
    expect(cover).toEqual({ near: { MUG: 1.5 } });
    expect(router.route(base(cover)).shipments.map((s) => s.locationId)).toEqual(['mid']);
  });
});
