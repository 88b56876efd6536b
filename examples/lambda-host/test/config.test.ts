import { isFulfilError } from '@fulfil/core';
import { expect, it } from 'vitest';
import { hostFromEnv } from '../src/config';

const good = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  SHOPIFY_SECRETS: 'new-secret, old-secret',
  SHIPSTATION_API_KEY: 'key',
  SHIPSTATION_API_SECRET: 'secret',
  SHIPSTATION_WEBHOOK_TOKEN: 'whk_0123456789abcdef',
  FULFIL_LOCATIONS: '[{"id":"reno","shipstationWarehouseId":401,"priority":1}]',
};

it('builds the engine from the environment (no connection until the first query)', () => {
  const parts = hostFromEnv(good);
  expect(parts.shopifySecrets).toEqual(['new-secret', 'old-secret']);
  expect(Object.keys(parts.warehouses)).toEqual(['shipstation']);
  expect(parts.engine.config.locations.map((l) => l.id)).toEqual(['reno']);
  return parts.close();
});

it('names every bad or missing variable', () => {
  let error: unknown;
  try {
    hostFromEnv({ ...good, DATABASE_URL: undefined, SHIPSTATION_WEBHOOK_TOKEN: 'short' });
  } catch (err) {
    error = err;
  }
  expect(isFulfilError(error, 'CONFIG_INVALID')).toBe(true);
  expect(String(error)).toMatch(
    /missing environment variables: DATABASE_URL \(see \.env\.example\)/,
  );
  expect(String(error)).toMatch(/env\.SHIPSTATION_WEBHOOK_TOKEN: Too small/);
  expect((error as { details: { missing: string[] } }).details.missing).toEqual(['DATABASE_URL']);
});

it('takes an empty value as unset (a deployment template cannot leave a variable out)', async () => {
  const parts = hostFromEnv({
    ...good,
    OPS_TOKEN: '',
    SHIPSTATION_BASE_URL: ' ',
    SLACK_BOT_TOKEN: '',
  });
  expect(parts.opsToken).toBeUndefined();
  await parts.close();
  expect(() => hostFromEnv({ ...good, SHOPIFY_SECRETS: '' })).toThrow(
    /missing environment variables: SHOPIFY_SECRETS/,
  );
});

it('refuses locations that are not JSON or lack a ShipStation warehouse', () => {
  expect(() => hostFromEnv({ ...good, FULFIL_LOCATIONS: '[{id:' })).toThrow(
    /FULFIL_LOCATIONS.*JSON/,
  );
  expect(() => hostFromEnv({ ...good, FULFIL_LOCATIONS: '[{"id":"reno"}]' })).toThrow(
    /FULFIL_LOCATIONS\[0\]\.shipstationWarehouseId/,
  );
});
