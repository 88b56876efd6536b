// A Redis-shared limiter whose Redis is unreachable from the start (a closed port): every
// call settles within the bound with the documented fallback, and disconnect() neither
// hangs nor leaves an unhandled error. (Redis going away mid-run, behind a proxy that is
// cut, is in reliability/test/http-redis-outage.test.ts.)
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  createRateLimiter,
  isLimiterUnavailable,
  type RateLimiterOptions,
  type RedisUnavailableEvent,
  UpstreamError,
} from '../src';
import { startScriptServer } from './script-server';

/** The limiter's bound on waiting for Redis in these tests. */
const TIMEOUT_MS = 200;
/** Each case must settle well within this (the old code hung: it fails by timeout). */
const CASE_MS = 4_000;

/** A port on 127.0.0.1 that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const port = await closedPort();
const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});
const unreachable = () => {
  const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  c.on('error', () => {});
  clients.push(c);
  return c;
};

// Any unhandled rejection or exception while a case runs fails it.
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

function limiterOn(
  redis: Partial<NonNullable<RateLimiterOptions['redis']>> = {},
  events: RedisUnavailableEvent[] = [],
) {
  return createRateLimiter({
    kind: 'fixed-window',
    limit: 3,
    windowMs: 60_000,
    redis: {
      id: `fulfil-outage-${process.pid}-${Math.random().toString(36).slice(2)}`,
      client: unreachable(),
      timeoutMs: TIMEOUT_MS,
      onUnavailable: (e) => events.push(e),
      ...redis,
    },
  });
}

/** Settles `p`, and says how long it took. */
async function timed<T>(p: Promise<T>) {
  const start = performance.now();
  const outcome = await p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, ms: performance.now() - start };
}

describe('Redis-shared limiter, Redis unreachable from the start', () => {
  it(
    "default 'fail': schedule, tryTake, available, adjust and running reject retryable within the bound; nothing runs",
    async () => {
      const events: RedisUnavailableEvent[] = [];
      const limiter = limiterOn({}, events);
      let ran = false;
      const results = await Promise.all([
        timed(
          limiter.schedule(async () => {
            ran = true;
          }),
        ),
        timed(limiter.tryTake()),
        timed(limiter.available()),
        timed(limiter.adjust(-1)),
      ]);
      results.push(await timed(limiter.running()));
      for (const r of results) {
        expect(r.ok).toBe(false);
        const error = (r as { error: unknown }).error;
        expect(isLimiterUnavailable(error)).toBe(true);
        expect(error).toMatchObject({
          code: 'ADAPTER_FAILED',
          details: { retryable: true, reason: 'limiter_unavailable' },
        });
        expect(String(error)).toMatch(/Redis is unreachable \(no answer within 200 ms\)/);
        expect(r.ms).toBeLessThan(TIMEOUT_MS + 1_000);
      }
      expect(ran).toBe(false);
      expect(events.map((e) => e.operation).sort()).toEqual(
        ['adjust', 'available', 'running', 'schedule', 'tryTake'].sort(),
      );
      expect(events.every((e) => e.fallback === 'fail')).toBe(true);
      // report is advice: it never fails on Redis
      const cost = createRateLimiter({
        kind: 'cost',
        redis: { id: 'fulfil-outage-cost', client: unreachable(), timeoutMs: TIMEOUT_MS },
      });
      const report = await timed(cost.report({ available: 10, maximum: 100, restoreRate: 5 }));
      expect(report.ok).toBe(true);
      expect(cost.budget()).toMatchObject({ maximum: 100, learned: true });
      const closing = await timed(Promise.all([limiter.disconnect(), cost.disconnect()]));
      expect(closing.ok).toBe(true);
      expect(closing.ms).toBeLessThan(2 * TIMEOUT_MS + 1_000);
      expect(unhandled).toEqual([]);
    },
    CASE_MS,
  );

  it(
    "'local': calls run on a per-process limiter with the same limits, and the hook says so",
    async () => {
      const events: RedisUnavailableEvent[] = [];
      const limiter = limiterOn({ whenUnavailable: 'local' }, events);
      const ran = await timed(limiter.schedule(async () => 'ran'));
      expect(ran).toMatchObject({ ok: true, value: 'ran' });
      expect(ran.ms).toBeLessThan(TIMEOUT_MS + 1_000);
      expect(await limiter.tryTake(2)).toBe(true); // 1 + 2 of the 3 per window
      expect(await limiter.tryTake()).toBe(false);
      expect(await limiter.available()).toBe(0);
      expect(await limiter.adjust(1)).toBe(1);
      expect(await limiter.running()).toBe(0);
      expect(events.length).toBeGreaterThanOrEqual(6);
      expect(events.every((e) => e.fallback === 'local' && e.id.startsWith('fulfil-outage'))).toBe(
        true,
      );
      await limiter.disconnect();
      expect(unhandled).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'an HTTP request through it fails within the bound, retryable, and is never sent',
    async () => {
      const server = await startScriptServer();
      const limiter = limiterOn();
      const http = createHttpClient({
        baseUrl: server.url,
        limiter,
        retry: { retries: 4, minDelayMs: 1, maxDelayMs: 5 },
      });
      const r = await timed(http.post('orders', { id: 1 }, { idempotencyKey: 'k1' }));
      expect(r.ok).toBe(false);
      const error = (r as { error: unknown }).error;
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        vendorCode: 'LIMITER_UNAVAILABLE',
        retryable: true,
        attempts: 0,
        details: { neverSent: true },
      });
      expect(isLimiterUnavailable(error)).toBe(true);
      expect(r.ms).toBeLessThan(TIMEOUT_MS + 1_000); // not retried in-process
      expect(server.received).toHaveLength(0);
      await limiter.disconnect();
      await server.close();
      expect(unhandled).toEqual([]);
    },
    CASE_MS,
  );

  it('rejects a bad timeoutMs or whenUnavailable with CONFIG_INVALID', () => {
    expect(() => limiterOn({ timeoutMs: 0 })).toThrow(/CONFIG_INVALID: limiter.redis.timeoutMs/);
    expect(() => limiterOn({ whenUnavailable: 'queue' as never })).toThrow(
      /CONFIG_INVALID: limiter.redis.whenUnavailable: must be 'fail' or 'local'/,
    );
  });
});
