import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { Location } from '../../src/model/facts';
import { costTable, haversineKm, pastCutoff, zoneCost } from '../../src/routing/cost';
import { expandKit, validateKits } from '../../src/routing/kits';

function configError(fn: () => unknown): FulfilError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FulfilError && err.code === 'CONFIG_INVALID') return err;
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('validateKits', () => {
  const ok = {
    GIFT: {
      components: [
        { sku: 'MUG', quantity: 1 },
        { sku: 'TEA', quantity: 2 },
      ],
    },
    MEGA: {
      components: [
        { sku: 'GIFT', quantity: 2 },
        { sku: 'CARD', quantity: 1 },
      ],
      splittable: true,
    },
  };

  it('accepts nested kits and expands them to leaf components', () => {
    const kits = validateKits(ok, { catalogue: ['MUG', 'TEA', 'CARD'] });
    expect(kits.GIFT?.splittable).toBe(false);
    expect(expandKit(kits, 'MEGA')).toEqual([
      { sku: 'MUG', quantity: 2 },
      { sku: 'TEA', quantity: 4 },
      { sku: 'CARD', quantity: 1 },
    ]);
    expect(expandKit(kits, 'PLAIN')).toEqual([{ sku: 'PLAIN', quantity: 1 }]);
  });

  it('rejects zero quantities with the path', () => {
    const err = configError(() =>
      validateKits({ GIFT: { components: [{ sku: 'MUG', quantity: 0 }] } }),
    );
    expect(err.details.path).toBe('kits.GIFT.components[0].quantity');
  });

  it('rejects a kit without components and unknown fields', () => {
    expect(configError(() => validateKits({ GIFT: { components: [] } })).details.path).toBe(
      'kits.GIFT.components',
    );
    expect(
      configError(() => validateKits({ GIFT: { components: [{ sku: 'A', quantity: 1 }], x: 1 } }))
        .message,
    ).toContain('kits.GIFT');
  });

  it('rejects cycles, naming the cycle', () => {
    const err = configError(() =>
      validateKits({
        A: { components: [{ sku: 'B', quantity: 1 }] },
        B: { components: [{ sku: 'C', quantity: 1 }] },
        C: { components: [{ sku: 'A', quantity: 1 }] },
      }),
    );
    expect(err.message).toContain('cycle A → B → C → A');
    expect(err.details.path).toBe('kits.C.components[0].sku');
    expect(
      configError(() => validateKits({ S: { components: [{ sku: 'S', quantity: 1 }] } })).message,
    ).toContain('cycle S → S');
  });

  it('rejects unknown component SKUs when a catalogue is given, and repeated components', () => {
    const err = configError(() => validateKits(ok, { catalogue: ['MUG', 'TEA'] }));
    expect(err.details.path).toBe('kits.MEGA.components[1].sku');
    expect(err.message).toContain('unknown SKU "CARD"');
    expect(
      configError(() =>
        validateKits({
          K: {
            components: [
              { sku: 'A', quantity: 1 },
              { sku: 'A', quantity: 2 },
            ],
          },
        }),
      ).details.path,
    ).toBe('kits.K.components[1].sku');
  });
});

describe('costs', () => {
  it('haversine: New York to Los Angeles is about 3,936 km', () => {
    const km = haversineKm({ lat: 40.7128, lon: -74.006 }, { lat: 34.0522, lon: -118.2437 });
    expect(km).toBeGreaterThan(3925);
    expect(km).toBeLessThan(3945);
    expect(haversineKm({ lat: 1, lon: 2 }, { lat: 1, lon: 2 })).toBe(0);
  });

  it('zone keys: country-province, then country, then *', () => {
    const zones = { 'US-CA': 1, US: 2, '*': 3 };
    expect(zoneCost(zones, { country: 'us', province: 'ca' })).toBe(1);
    expect(zoneCost(zones, { country: 'US', province: 'NY' })).toBe(2);
    expect(zoneCost(zones, { country: 'DE' })).toBe(3);
    expect(zoneCost({ US: 2 }, undefined)).toBeUndefined();
    expect(zoneCost(undefined, { country: 'US' })).toBeUndefined();
  });

  it('cutoff in the location time zone', () => {
    const l = Location.parse({
      id: 'x',
      warehouse: 'w',
      cutoff: '15:00',
      timeZone: 'America/New_York',
    });
    expect(pastCutoff(l, Date.parse('2026-11-27T19:59:00Z'))).toBe(false); // 14:59 EST
    expect(pastCutoff(l, Date.parse('2026-11-27T20:00:00Z'))).toBe(true);
    expect(pastCutoff(Location.parse({ id: 'y', warehouse: 'w' }), 0)).toBe(false);
  });

  it('costTable rounds to minor units and uses each location’s own costPerKm', () => {
    const ny = Location.parse({
      id: 'ny',
      warehouse: 'w',
      costPerShipment: 250,
      costPerKm: 0.5,
      address: { country: 'US', lat: 40.7, lon: -74 },
    });
    const t = costTable([ny], { country: 'US', lat: 40.7, lon: -73 }, 0, {
      costPerKm: 1,
      missedCutoffCost: 0,
    });
    expect(t.basis).toBe('distance');
    expect(Number.isInteger(t.cost.get('ny'))).toBe(true);
    expect(t.cost.get('ny')).toBe(
      250 + Math.round(haversineKm({ lat: 40.7, lon: -74 }, { lat: 40.7, lon: -73 }) * 0.5),
    );
  });
});
