import { FulfilError } from '@fulfil/core';
import Bottleneck from 'bottleneck';
import type { RateLimiterOptions, RedisClustering } from './limiter-types';
import type { RedisFallback } from './redis-guard';

/** Checks a weight or adjustment: a finite number (at least `min` when given), else INVALID_INPUT. */
export function checkUnits(n: number, what: string, min?: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || (min !== undefined && n < min)) {
    throw new FulfilError(
      'INVALID_INPUT',
      `limiter.${what}: must be a finite number${min === undefined ? '' : ` >= ${min}`}, got ${String(n)}`,
      { details: { path: `limiter.${what}` } },
    );
  }
  return n;
}

/** `redis.timeoutMs`: a number > 0 (default 2000), else CONFIG_INVALID. */
export function checkTimeout(ms: number | undefined): number {
  if (ms === undefined) return 2_000;
  if (!(Number.isFinite(ms) && ms > 0)) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `limiter.redis.timeoutMs: must be a number > 0, got ${ms}`,
      {
        details: { path: 'limiter.redis.timeoutMs' },
      },
    );
  }
  return ms;
}

/** `redis.whenUnavailable`: `'fail'` (default) or `'local'`, else CONFIG_INVALID. */
export function checkFallback(mode: RedisFallback | undefined): RedisFallback {
  if (mode === undefined || mode === 'fail' || mode === 'local') return mode ?? 'fail';
  throw new FulfilError(
    'CONFIG_INVALID',
    `limiter.redis.whenUnavailable: must be 'fail' or 'local', got ${String(mode)}`,
    { details: { path: 'limiter.redis.whenUnavailable' } },
  );
}

export function initialBucket(options: RateLimiterOptions): {
  maximum: number;
  restoreRate: number;
} {
  const positive = (n: number, path: string) => {
    if (!(Number.isFinite(n) && n > 0)) {
      throw new FulfilError('CONFIG_INVALID', `limiter.${path}: must be a number > 0, got ${n}`, {
        details: { path: `limiter.${path}` },
      });
    }
    return n;
  };
  switch (options.kind) {
    case 'fixed-window':
      positive(options.windowMs, 'windowMs');
      return { maximum: positive(options.limit, 'limit'), restoreRate: 0 };
    case 'token-bucket':
      return {
        maximum: positive(options.capacity, 'capacity'),
        restoreRate: positive(options.refillPerSecond, 'refillPerSecond'),
      };
    case 'cost': {
      const initial = options.initial ?? { maximum: 1000, restoreRate: 50 };
      return {
        maximum: positive(initial.maximum, 'initial.maximum'),
        restoreRate: positive(initial.restoreRate, 'initial.restoreRate'),
      };
    }
    default:
      throw new FulfilError(
        'CONFIG_INVALID',
        `limiter.kind: must be fixed-window, token-bucket or cost, got ${String((options as { kind: unknown }).kind)}`,
        { details: { path: 'limiter.kind' } },
      );
  }
}

export function redisOptions(redis: RedisClustering | undefined): Bottleneck.ConstructorOptions {
  if (redis === undefined) return {};
  const given = redis.client as { duplicate?: (override?: object) => object };
  if (typeof given.duplicate !== 'function') {
    throw new FulfilError('CONFIG_INVALID', 'limiter.redis.client: must be an ioredis client', {
      details: { path: 'limiter.redis.client' },
    });
  }
  // Our own duplicate, so disconnecting the limiter never closes the caller's client. It
  // connects at once (a lazy client would never connect: bottleneck waits for 'ready'),
  // and fails commands while disconnected instead of queueing them (the heartbeat alone
  // would queue ten a second through an outage); calls wait for the reconnection
  // themselves, at most `timeoutMs`.
  const client = given.duplicate({ lazyConnect: false, enableOfflineQueue: false });
  const connection = new Bottleneck.IORedisConnection({ client, Redis: client.constructor });
  connection.on('error', () => {});
  return {
    id: redis.id,
    datastore: 'ioredis',
    connection,
    clearDatastore: redis.clearDatastore ?? false,
    timeout: redis.ttlMs ?? 3_600_000,
  };
}
