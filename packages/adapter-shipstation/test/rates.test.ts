import { Location } from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShipStationRates } from '../src';
import { type FakeShipStation, startFakeShipStation } from '../src/testing';
import { EAST_WAREHOUSE, TOKEN } from './world';

let fake: FakeShipStation;
beforeAll(async () => {
  fake = await startFakeShipStation({ windowMs: 300, resetPrecision: 'milliseconds' });
});
afterAll(() => fake.close());

const origin = Location.parse({
  id: 'east',
  warehouse: 'shipstation',
  address: { country: 'US', postalCode: '10001', province: 'NY' },
});
const to = (postalCode: string) => ({
  country: 'US',
  province: 'CA',
  postalCode,
  city: 'San Jose',
});
const connection = () => ({
  baseUrl: fake.url,
  apiKey: fake.apiKey,
  apiSecret: fake.apiSecret,
  warehouseIds: { east: EAST_WAREHOUSE },
  webhookToken: TOKEN,
  rateLimit: { windowMs: fake.windowMs, limit: fake.limit },
  retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
});
const getrates = () =>
  fake.requests.filter((r) => r.method === 'POST' && r.url.includes('/shipments/getrates'));

describe('ShipStation rates (POST /shipments/getrates)', () => {
  it('quotes the cheapest service in minor units, cached per origin, destination zone and weight band', async () => {
    let t = 1_000;
    const rates = createShipStationRates(connection(), { carrierCode: 'stamps_com', now: () => t });
    const before = getrates().length;
    // 2 units × 450 g = 32 oz → the 32 oz band; zones 1 + |1 − 9| = 9: 4 + 3.15 + 3.84 = 10.99
    expect(await rates.quote({ origin, destination: to('95128'), units: 2 })).toBe(1099);
    expect(getrates().length - before).toBe(1);
    // Same zone (951..), same band: from the cache.
    expect(await rates.quote({ origin, destination: to('95112'), units: 2 })).toBe(1099);
    expect(getrates().length - before).toBe(1);
    // Another weight band: asked again.
    expect(await rates.quote({ origin, destination: to('95128'), units: 4 })).toBeGreaterThan(1099);
    expect(getrates().length - before).toBe(2);
    // Past the TTL (6 h): asked again.
    t += 6 * 3_600_000 + 1;
    await rates.quote({ origin, destination: to('95128'), units: 2 });
    expect(getrates().length - before).toBe(3);
  });

  it('asks for one service when configured and adds otherCost', async () => {
    const rates = createShipStationRates(connection(), {
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
    });
    // ground 10.99 × 1.6 = 17.58 (rounded to cents) + otherCost 0.50
    expect(await rates.quote({ origin, destination: to('95128'), units: 2 })).toBe(1808);
  });

  it('says nothing (undefined) without postal codes, and rejects bad options with CONFIG_INVALID', async () => {
    const rates = createShipStationRates(connection(), { carrierCode: 'ups' });
    expect(await rates.quote({ origin, destination: { country: 'US' }, units: 1 })).toBeUndefined();
    expect(() => createShipStationRates(connection(), { carrierCode: '' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
