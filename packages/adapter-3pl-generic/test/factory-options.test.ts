import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createGeneric3plWarehouse,
  createSlidingWindowLimiter,
  type Generic3plConfig,
  type Generic3plRuntime,
} from '../src';

const config = (): Record<string, unknown> => ({
  name: 'acme-3pl',
  baseUrl: 'https://api.acme-3pl.test/v1',
  auth: { type: 'bearer', token: 't' },
  operations: {
    submit: {
      method: 'POST',
      path: '/orders',
      body: [{ to: 'reference', from: 'reference' }],
      response: { warehouseOrderId: 'id' },
    },
  },
});
const create = (c: unknown, runtime?: unknown) => () =>
  createGeneric3plWarehouse(c as Generic3plConfig, runtime as Generic3plRuntime);
type SlidingOptions = Parameters<typeof createSlidingWindowLimiter>[0];
const sliding = (o: unknown) => () => createSlidingWindowLimiter(o as SlidingOptions);

describe('createGeneric3plWarehouse options', () => {
  it('the base config gives an adapter', () => {
    expect(create(config())().name).toBe('acme-3pl');
  });

  it('no config, and each required key missing in turn', () => {
    expectConfigInvalid(create(undefined), 'name', /called without options; required: name/);
    for (const key of ['name', 'baseUrl', 'auth', 'operations']) {
      const { [key]: _dropped, ...rest } = config();
      expectConfigInvalid(create(rest), key, /required/);
    }
  });

  it('a misspelt key gets "did you mean", at the top, nested, and in the runtime', () => {
    const { baseUrl, ...rest } = config();
    expectConfigInvalid(create({ ...rest, baseURL: baseUrl }), 'baseURL', /did you mean "baseUrl"/);
    expectConfigInvalid(
      create(config(), { fetchh: fetch }),
      'fetchh',
      /createGeneric3plWarehouse runtime options: fetchh: unknown option \(did you mean "fetch"\?\)/,
    );
  });

  it('a wrong type names the path', () => {
    expectConfigInvalid(create({ ...config(), name: 7 }), 'name');
    expectConfigInvalid(create(config(), { limiter: {} }), 'limiter', /missing method schedule/);
    expectConfigInvalid(create(config(), { now: 1 }), 'now', /function/);
  });
});

describe('createSlidingWindowLimiter options', () => {
  it('valid options give a limiter', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 2, windowMs: 100 });
    expect(await limiter.schedule(async () => 'ran')).toBe('ran');
    await limiter.disconnect();
  });

  it('no options, each required option missing in turn, a misspelt key, a wrong type', () => {
    expectConfigInvalid(sliding(undefined), 'limit', /required: limit, windowMs/);
    expectConfigInvalid(sliding({ windowMs: 100 }), 'limit', /required/);
    expectConfigInvalid(sliding({ limit: 2 }), 'windowMs', /required/);
    expectConfigInvalid(
      sliding({ limit: 2, windowMs: 100, marginMS: 5 }),
      'marginMS',
      /did you mean "marginMs"/,
    );
    expectConfigInvalid(sliding({ limit: '2', windowMs: 100 }), 'limit');
    expectConfigInvalid(sliding({ limit: 0, windowMs: 100 }), 'limit');
  });
});
