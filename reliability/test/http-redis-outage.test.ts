// Redis going away under a Redis-shared @fulfil/http limiter (issue 13, item 1): a TCP proxy
// in front of the real Redis is cut mid-run. Every limiter call, an HTTP request and a
// ShipStation submit settle within the bound with the default fallback (a retryable
// "limiter unavailable" error, nothing sent); the limiter recovers when Redis is back; and
// disconnect() after the outage neither hangs nor crashes the process.
// (Redis unreachable from the start: packages/http/test/limiter-outage.test.ts.)
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import { makeShipmentRequest } from '@fulfil/core/testing';
import {
  createHttpClient,
  createRateLimiter,
  isLimiterUnavailable,
  type RateLimiter,
} from '@fulfil/http';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordTrial, trials } from './report';
import { startTcpProxy } from './tcp-proxy';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const target = new URL(REDIS_URL);
const redisHost = { host: target.hostname, port: Number(target.port || 6379) };
const redisUp = process.env.REDIS_URL !== undefined || (await reachable(redisHost));
const skip = redisUp ? '' : ' (skipped: no Redis at 127.0.0.1:6379 and REDIS_URL unset)';

/** The limiter's bound on waiting for Redis here. */
const TIMEOUT_MS = 300;
/** A call queued before the cut is checked every TIMEOUT_MS, then probed for TIMEOUT_MS. */
const BOUND_MS = 2 * TIMEOUT_MS + 1_000;

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

/** A Redis client through a cuttable proxy, a shared limiter on it, and cleanup. */
async function sharedLimiterBehindProxy(limit: number, startCut = false) {
  const proxy = await startTcpProxy(redisHost);
  if (startCut) await proxy.cut();
  const via = new URL(REDIS_URL);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const client = new Redis(via.toString());
  client.on('error', () => {});
  const id = `fulfil-outage-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const limiter = createRateLimiter({
    kind: 'fixed-window',
    limit,
    windowMs: 60_000,
    redis: { id, client, clearDatastore: true, timeoutMs: TIMEOUT_MS, ttlMs: 120_000 },
  });
  if (!startCut) await limiter.bottleneck.ready();
  return {
    proxy,
    limiter,
    async close() {
      await limiter.disconnect();
      client.disconnect();
      await proxy.close();
      const direct = new Redis(REDIS_URL);
      const keys = await direct.keys(`b_${id}*`);
      if (keys.length > 0) await direct.del(...keys);
      direct.disconnect();
    },
  };
}

/** Settles `p` and says how long it took. */
async function timed<T>(p: Promise<T>) {
  const start = performance.now();
  const outcome = await p.then(
    (value) => ({ ok: true as const, value, error: undefined }),
    (error: unknown) => ({ ok: false as const, value: undefined, error }),
  );
  return { ...outcome, ms: performance.now() - start };
}

/** Waits (bounded) until the limiter answers through Redis again. */
async function recovered(limiter: RateLimiter): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < 100; i++) {
    const r = await timed(limiter.available());
    if (r.ok) return performance.now() - start;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the limiter did not recover within 10 s of Redis coming back');
}

describe('Redis cut mid-run under a shared limiter', () => {
  /** The faults: Redis refuses (sockets destroyed), or goes silent (bytes dropped, no error). */
  const faults = {
    cut: 'Redis cut mid-run (connections reset, port closed)',
    stall: 'Redis silent mid-run (connections open, every byte dropped)',
  } as const;

  it.skipIf(!redisUp).each(Object.keys(faults) as (keyof typeof faults)[])(
    `%s: queued and new calls, and an HTTP request, settle within the bound; it recovers${skip}`,
    async (fault) => {
      const rounds = trials(2, 20);
      const { proxy, limiter, close } = await sharedLimiterBehindProxy(3);
      const server = await startServer();
      const http = createHttpClient({ baseUrl: server.url, limiter, retry: { minDelayMs: 1 } });
      let calls = 0;
      let right = 0;
      let worstMs = 0;
      let ran = 0;
      const recoveries: number[] = [];
      try {
        for (let round = 0; round < rounds; round++) {
          // Spend the window, so a call waits in the queue for the budget.
          expect(await limiter.adjust(-3)).toBe(0);
          const queued = timed(limiter.schedule(async () => ran++));
          await new Promise((r) => setTimeout(r, 50));
          const before = server.hits();
          if (fault === 'cut') await proxy.cut();
          else proxy.stall();
          // The queued call first: once it settled, it no longer holds tryTake back.
          const results: { ok: boolean; error: unknown; ms: number }[] = [await queued];
          results.push(
            ...(await Promise.all([
              timed(limiter.schedule(async () => ran++)),
              timed(limiter.tryTake()),
              timed(limiter.available()),
              timed(limiter.adjust(1)),
              timed(http.get('orders')),
            ])),
          );
          for (const r of results) {
            calls++;
            worstMs = Math.max(worstMs, r.ms);
            if (!r.ok && isLimiterUnavailable(r.error) && r.ms < BOUND_MS) right++;
          }
          expect(results.map((r) => r.ok)).toEqual([false, false, false, false, false, false]);
          expect(results[5]!.error).toMatchObject({
            vendorCode: 'LIMITER_UNAVAILABLE',
            retryable: true,
          });
          expect(server.hits()).toBe(before); // nothing was sent
          if (fault === 'stall') await proxy.cut(); // (a silent connection stays broken)
          await proxy.restore();
          recoveries.push(await recovered(limiter));
          // Late commands may land after the reconnection: set the budget, then check it holds.
          await new Promise((r) => setTimeout(r, 100));
          expect(await limiter.adjust(3)).toBe(3);
          expect((await timed(http.get('orders'))).ok).toBe(true);
          expect(await limiter.available()).toBe(2);
        }
        expect(ran).toBe(0);
        expect(right).toBe(calls);
        expect(worstMs).toBeLessThan(BOUND_MS);
        expect(unhandled).toEqual([]);
      } finally {
        await close();
        await server.close();
      }
      recordTrial({
        area: 'http',
        fault: `${faults[fault]} under a shared limiter (a queued schedule, schedule, tryTake, available, adjust, an HTTP GET)`,
        trials: calls,
        result: `${right}/${calls} settled with a retryable LIMITER_UNAVAILABLE (worst ${Math.round(worstMs)} ms, bound ${BOUND_MS} ms), 0 sent upstream, recovered after every restore (worst ${Math.round(Math.max(...recoveries))} ms)`,
        ok: right === calls && unhandled.length === 0,
      });
    },
    trials(10_000, 60_000),
  );

  it.skipIf(!redisUp)(
    `Redis unreachable at start, then up: calls fail within the bound, then run shared${skip}`,
    async () => {
      const { proxy, limiter, close } = await sharedLimiterBehindProxy(3, true);
      try {
        const during = await Promise.all([
          timed(limiter.schedule(async () => 'ran')),
          timed(limiter.tryTake()),
          timed(limiter.available()),
          timed(limiter.adjust(-1)),
        ]);
        const worstMs = Math.max(...during.map((r) => r.ms));
        expect(during.every((r) => !r.ok && isLimiterUnavailable(r.error))).toBe(true);
        expect(worstMs).toBeLessThan(TIMEOUT_MS + 1_000);
        await proxy.restore();
        const recoveryMs = await recovered(limiter);
        expect(await limiter.available()).toBe(3);
        expect(await limiter.schedule(async () => 'ran')).toBe('ran');
        expect(await limiter.tryTake(2)).toBe(true);
        expect(await limiter.available()).toBe(0);
        expect(unhandled).toEqual([]);
        recordTrial({
          area: 'http',
          fault: 'Redis unreachable when a shared limiter starts, then reachable',
          trials: during.length,
          result: `${during.length}/${during.length} calls failed retryable within ${Math.round(worstMs)} ms; shared through Redis ${Math.round(recoveryMs)} ms after it came up`,
          ok: true,
        });
      } finally {
        await close();
      }
    },
    10_000,
  );

  it.skipIf(!redisUp)(
    `a ShipStation submit fails retryable within the bound, and is accepted once Redis is back${skip}`,
    async () => {
      const fake = await startFakeShipStation({ warehouses: [401] });
      const { proxy, limiter, close } = await sharedLimiterBehindProxy(fake.limit);
      const adapter = createShipStationWarehouse({
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        apiSecret: fake.apiSecret,
        warehouseIds: { east: 401 },
        limiter,
        retry: { retries: 4, minDelayMs: 5, maxDelayMs: 40 },
      });
      const submits = () =>
        fake.requests.filter((r) => r.method === 'POST' && r.url === '/orders/createorder').length;
      const request = () =>
        makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });
      try {
        expect(await adapter.submit(request(), 'outage-before')).toMatchObject({
          status: 'accepted',
        });
        await proxy.cut();
        const during = request();
        const r = await timed(adapter.submit(during, 'outage-during'));
        expect(r.ok).toBe(false);
        expect(r.ms).toBeLessThan(BOUND_MS);
        expect(isLimiterUnavailable(r.error)).toBe(true);
        expect(r.error).toMatchObject({ code: 'ADAPTER_FAILED', details: { retryable: true } });
        expect(submits()).toBe(1);
        await proxy.restore();
        await recovered(limiter);
        // The dispatcher's retry, with the same idempotency key:
        expect(await adapter.submit(during, 'outage-during')).toMatchObject({
          status: 'accepted',
        });
        expect(submits()).toBe(2);
        await adapter.close();
        expect(unhandled).toEqual([]);
        recordTrial({
          area: 'http',
          fault: 'Redis cut under the Redis-shared limiter of a ShipStation submit',
          trials: 1,
          result: `submit failed retryable (LIMITER_UNAVAILABLE) in ${Math.round(r.ms)} ms, nothing sent; accepted on retry after Redis came back`,
          ok: true,
        });
      } finally {
        await close();
        await fake.close();
      }
    },
    10_000,
  );

  it.skipIf(!redisUp)(
    `disconnect() after an outage: the process exits 0, nothing unhandled${skip}`,
    async () => {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const script = fileURLToPath(new URL('./fixtures/redis-outage-child.ts', import.meta.url));
      const started = performance.now();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@fulfil/source', script],
        { cwd: root, env: { ...process.env, REDIS_URL }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const killer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      clearTimeout(killer);
      recordTrial({
        area: 'http',
        fault:
          'disconnect() of shared limiters after Redis was cut (and one never reached), in a child process',
        trials: 1,
        result:
          code === 0
            ? `exit 0 in ${Math.round(performance.now() - started)} ms, no unhandled error`
            : `exit ${code}: ${out.slice(0, 200)}`,
        ok: code === 0,
      });
      expect(out).not.toMatch(/Connection is closed|Unhandled|uncaught/i);
      expect(code).toBe(0);
    },
    15_000,
  );
});

/** A tiny HTTP server counting requests. */
async function startServer() {
  const { createServer } = await import('node:http');
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function reachable(to: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ ...to, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
