import { describe, expect, it } from 'vitest';
import type { RateQuery, RateSource } from '../../src/ports/rates';
import { costTable } from '../../src/routing/cost';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { createWorld } from '../engine/world';
import { at, line, loc, NYC, policy, request } from './helpers';

const settings = { costPerKm: 1, missedCutoffCost: 0 };

describe('carrier rates as the cost basis', () => {
  it('costTable uses the rates when every candidate has one (plus costPerShipment), else falls back', () => {
    const east = loc('east', { ...at(40.7, -74), costPerShipment: 50 });
    const west = loc('west', at(34, -118));
    const full = costTable([east, west], NYC, 0, settings, { east: 700, west: 900 });
    expect(full.basis).toBe('carrier-rates');
    expect(full.cost.get('east')).toBe(750);
    expect(full.cost.get('west')).toBe(900);
    const partial = costTable([east, west], NYC, 0, settings, { east: 700 });
    expect(partial.basis).toBe('distance');
  });

  it('the optimal router routes on carrier rates and says so', () => {
    // By distance west (LA) is far from NYC; by the quoted rates it is cheaper.
    const router = createOptimalRouter();
    const req = request({
      items: [line('l1', 'MUG', 1)],
      inventory: { east: { MUG: 5 }, west: { MUG: 5 } },
      locations: [loc('east', at(40.7, -74)), loc('west', at(34, -118))],
      policy: policy(),
    });
    expect(router.route(req).shipments[0]?.locationId).toBe('east');
    const plan = router.route({ ...req, rates: { east: 1200, west: 800 } });
    expect(plan.shipments[0]?.locationId).toBe('west');
    expect(plan.costBasis).toBe('carrier-rates');
    expect(plan.reason).toContain('carrier-rates costs');
  });

  it('the engine quotes every open location with an address before routing; a failing source falls back', async () => {
    const asked: RateQuery[] = [];
    const rates: RateSource = {
      name: 'test-rates',
      quote: async (q) => {
        asked.push(q);
        return q.origin.id === 'west' ? 300 : 900;
      },
    };
    const locations = [
      {
        id: 'east',
        warehouse: 'east-wh',
        priority: 1,
        address: { country: 'US', lat: 40.7, lon: -74 },
      },
      {
        id: 'west',
        warehouse: 'west-wh',
        priority: 2,
        address: { country: 'US', lat: 34, lon: -118 },
      },
    ];
    const w = createWorld(undefined, { locations, router: createOptimalRouter(), rates });
    const order = w.order({ lines: [{ id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 }] });
    const r = await w.engine.ingest(w.received(order));
    expect(order.shippingAddress).toBeDefined();
    expect(asked.map((q) => q.origin.id).sort()).toEqual(['east', 'west']);
    expect(asked[0]?.units).toBe(1);
    expect(asked[0]?.destination).toEqual(order.shippingAddress);
    expect(r.explanation?.routing?.score).toMatchObject({ costBasis: 'carrier-rates' });
    expect(r.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['west']);

    const failing: RateSource = {
      name: 'down',
      quote: async () => {
        throw new Error('upstream 503');
      },
    };
    const v = createWorld(undefined, { locations, router: createOptimalRouter(), rates: failing });
    const r2 = await v.engine.ingest(
      v.received(v.order({ lines: [{ id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 }] })),
    );
    expect(r2.explanation?.routing?.score).not.toMatchObject({ costBasis: 'carrier-rates' });
    expect(() => createWorld(undefined, { rates: {} as RateSource })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
