import { isFulfilError } from '@fulfil/core';
import { afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import { hostFromEnv } from '../src/config';

// hostFromEnv says `console_off` on stderr when no console accounts are set: keep it quiet here.
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

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

it('CONSOLE_USERS or CONSOLE_PASSWORD: the console at /ops, signing in with those accounts', async () => {
  for (const env of [
    { CONSOLE_USERS: 'alice:correct horse battery,bob:another long one' },
    { CONSOLE_PASSWORD: 'a long enough password', CONSOLE_USERS: ' ' },
  ]) {
    const parts = hostFromEnv({ ...good, ...env });
    const ops = parts.opsConsole;
    if (!ops) throw new Error('no console');
    const anonymous = await ops(new Request('https://api.example.com/ops/'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const [user, password] = env.CONSOLE_USERS?.trim()
      ? ['bob', 'another long one']
      : ['ops', 'a long enough password'];
    const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    // Signed in, the asset answers without touching the database.
    const asset = await ops(
      new Request('https://api.example.com/ops/assets/console.css', {
        headers: { authorization: auth },
      }),
    );
    expect(asset.status).toBe(200);
    await parts.close();
  }
  expect(warn).not.toHaveBeenCalled();
});

it('without console accounts: no console, and one console_off line per container', async () => {
  const parts = hostFromEnv({ ...good, CONSOLE_USERS: '', CONSOLE_PASSWORD: '' });
  expect(parts.opsConsole).toBeUndefined();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({
    level: 'warn',
    event: 'console_off',
  });
  await parts.close();
});

it('malformed CONSOLE_USERS or a short password is CONFIG_INVALID', () => {
  expect(() => hostFromEnv({ ...good, CONSOLE_USERS: 'alice' })).toThrow(
    /CONFIG_INVALID: env\.CONSOLE_USERS: write user:password pairs/,
  );
  expect(() => hostFromEnv({ ...good, CONSOLE_PASSWORD: 'short' })).toThrow(
    /CONFIG_INVALID: env\.CONSOLE_PASSWORD: the password is 5 characters; use at least 12/,
  );
});
