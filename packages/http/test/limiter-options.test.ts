import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, HttpClientOptionsSchema, type RateLimiterOptions } from '../src';

const js = (options: unknown) => () => createRateLimiter(options as RateLimiterOptions);

describe('createRateLimiter options', () => {
  it('valid options of each kind give a limiter', async () => {
    for (const options of [
      { kind: 'fixed-window', limit: 2, windowMs: 1000 },
      { kind: 'token-bucket', capacity: 40, refillPerSecond: 2, maxConcurrent: 4 },
      { kind: 'cost' },
    ] as RateLimiterOptions[]) {
      const limiter = createRateLimiter(options);
      expect(typeof limiter.schedule).toBe('function');
      await limiter.disconnect();
    }
  });

  it('no options, or no kind: CONFIG_INVALID naming kind', () => {
    expectConfigInvalid(js(undefined), 'kind', /called without options; required: kind/);
    expectConfigInvalid(js({ limit: 2, windowMs: 10 }), 'kind');
    expectConfigInvalid(js({ kind: 'leaky' }), 'kind', /fixed-window/);
  });

  it('each required option of a kind missing in turn', () => {
    const full = {
      'fixed-window': { kind: 'fixed-window', limit: 2, windowMs: 1000 },
      'token-bucket': { kind: 'token-bucket', capacity: 40, refillPerSecond: 2 },
    };
    for (const options of Object.values(full)) {
      for (const key of Object.keys(options).filter((k) => k !== 'kind')) {
        const { [key as keyof typeof options]: _dropped, ...rest } = options;
        expectConfigInvalid(js(rest), key, /required/);
      }
    }
  });

  it('a misspelt key gets a suggestion from the keys of its kind', () => {
    expectConfigInvalid(
      js({ kind: 'token-bucket', capacity: 40, refillPerSec: 2 }),
      'refillPerSec',
      /did you mean "refillPerSecond"/,
    );
    expectConfigInvalid(
      js({ kind: 'fixed-window', limit: 2, windowMs: 1000, maxConcurent: 2 }),
      'maxConcurent',
      /did you mean "maxConcurrent"/,
    );
    expectConfigInvalid(
      js({ kind: 'cost', initial: { maximum: 100, restorRate: 5 } }),
      'initial.restorRate',
      /did you mean "restoreRate"/,
    );
    expectConfigInvalid(
      js({ kind: 'cost', redis: { id: 'x', client: {}, timeoutMS: 5 } }),
      'redis.timeoutMS',
      /did you mean "timeoutMs"/,
    );
  });

  it('a wrong type names the path; value ranges keep their messages', () => {
    expectConfigInvalid(js({ kind: 'fixed-window', limit: '2', windowMs: 1000 }), 'limit');
    expectConfigInvalid(
      js({ kind: 'cost', redis: { id: 'x', client: 'redis://' } }),
      'redis.client',
    );
    expectConfigInvalid(
      js({ kind: 'token-bucket', capacity: 0, refillPerSecond: 1 }),
      'limiter.capacity',
      /must be a number > 0/,
    );
  });

  it('HttpClientOptionsSchema is strict', () => {
    expect(
      HttpClientOptionsSchema.safeParse({ baseUrl: 'https://x.test', timeoutMS: 1 }).success,
    ).toBe(false);
  });
});
