import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpClient, createRateLimiter, type RateLimiter } from '../src';
import { startScriptServer } from './script-server';

const limiters: RateLimiter[] = [];
const track = (l: RateLimiter) => {
  limiters.push(l);
  return l;
};
afterAll(async () => {
  for (const l of limiters) await l.disconnect();
});

/** Schedules `n` jobs of weight `w`; returns how many have started so far, live. */
function burst(limiter: RateLimiter, n: number, w = 1) {
  const started: number[] = [];
  const all = Promise.all(
    Array.from({ length: n }, (_, i) =>
      limiter.schedule(async () => {
        started.push(i);
      }, w),
    ),
  );
  return { started, all };
}

const until = async (cond: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 500 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('createRateLimiter', () => {
  it('fixed window: at most `limit` per window, the rest wait for the next window', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 3, windowMs: 60_000 }));
    const { started, all } = burst(limiter, 5);
    await until(() => started.length >= 3 && limiter.bottleneck.counts().QUEUED === 2);
    expect(started).toHaveLength(3);
    expect(await limiter.available()).toBe(0);
    expect(limiter.bottleneck.counts().QUEUED).toBe(2);
    // the window's refresh: bottleneck refills the reservoir to `limit`
    await limiter.bottleneck.updateSettings({ reservoir: 3 });
    await all;
    expect(started).toHaveLength(5);
  });

  it('fixed window: the window refreshes by itself', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 2, windowMs: 150 }));
    const { started, all } = burst(limiter, 3);
    await all;
    expect(started).toHaveLength(3);
  });

  it('token bucket: a burst of `capacity`, then refills at the rate (never above capacity)', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'token-bucket', capacity: 4, refillPerSecond: 20 }),
    );
    const { started, all } = burst(limiter, 7);
    await until(() => started.length >= 4);
    expect(started.length).toBeLessThanOrEqual(5);
    await all;
    await new Promise((r) => setTimeout(r, 600));
    expect(await limiter.available()).toBeLessThanOrEqual(4);
  });

  it('cost: runs one at a time until the server reports, then learns bucket size and rate', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'cost', initial: { maximum: 100, restoreRate: 10 } }),
    );
    expect(limiter.budget()).toEqual({ maximum: 100, restoreRate: 10, learned: false });
    await limiter.schedule(async () => undefined, 10);
    await limiter.report({
      available: 30,
      maximum: 2000,
      restoreRate: 1000,
      reserved: 10,
      actual: 10,
    });
    expect(limiter.budget()).toEqual({ maximum: 2000, restoreRate: 1000, learned: true });
    const now = await limiter.available();
    expect(now).toBeLessThanOrEqual(40);
    // a call whose cost exceeds what is available waits for the restore
    const { started, all } = burst(limiter, 1, 500);
    expect(started).toHaveLength(0);
    await all;
    expect(started).toHaveLength(1);
  });

  it('cost: refunds reserved - actual, and a weight above the bucket is clamped (no deadlock)', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'cost', initial: { maximum: 50, restoreRate: 1 } }),
    );
    await limiter.report({ available: 20, maximum: 50, restoreRate: 1 });
    const before = (await limiter.available())!;
    await limiter.report({ available: 50, maximum: 50, restoreRate: 1, reserved: 10, actual: 4 });
    expect((await limiter.available())! - before).toBeCloseTo(6, 0);
    await limiter.report({ available: 50, maximum: 50, restoreRate: 200 });
    await limiter.schedule(async () => undefined, 10_000);
  });

  it('cost: adds what the server restored since its figures were observed before lowering', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'cost', initial: { maximum: 1000, restoreRate: 100 } }),
    );
    await limiter.report({
      available: 0,
      maximum: 1000,
      restoreRate: 100,
      observedAt: Date.now() - 2000,
    });
    const now = (await limiter.available())!;
    expect(now).toBeGreaterThanOrEqual(199);
    expect(now).toBeLessThanOrEqual(260);
  });

  it('rejects invalid settings with CONFIG_INVALID naming the field', () => {
    expect(() =>
      createRateLimiter({ kind: 'token-bucket', capacity: 0, refillPerSecond: 1 }),
    ).toThrow(/CONFIG_INVALID: limiter.capacity/);
  });

  it('feeds the onWait hook when a client call waits for the limiter', async () => {
    const server = await startScriptServer();
    const waits: number[] = [];
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 1, windowMs: 200 }));
    const http = createHttpClient({
      baseUrl: server.url,
      limiter,
      hooks: { onWait: (e) => waits.push(e.waitedMs) },
    });
    await Promise.all([http.get('/a'), http.get('/b')]);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    await server.close();
  });
});

describe('tryTake and adjust: take or refuse, never wait', () => {
  it('takes while units are left, then refuses at once (nothing taken), and adjust gives back', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 3, windowMs: 60_000 }));
    expect([await limiter.tryTake(), await limiter.tryTake(2)]).toEqual([true, true]);
    expect(await limiter.available()).toBe(0);
    expect(await limiter.tryTake()).toBe(false);
    expect(await limiter.available()).toBe(0);
    expect(await limiter.adjust(2)).toBe(2);
    expect(await limiter.tryTake(3)).toBe(false);
    expect(await limiter.tryTake(2)).toBe(true);
    expect(await limiter.tryTake(0)).toBe(true);
  });

  it('refuses a weight above the bucket, and never jumps calls already waiting', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 2, windowMs: 60_000 }));
    expect(await limiter.tryTake(3)).toBe(false);
    expect(await limiter.available()).toBe(2);
    const { started, all } = burst(limiter, 3);
    await until(() => started.length === 2 && limiter.bottleneck.counts().QUEUED === 1);
    await limiter.adjust(1);
    await all;
    expect(started).toHaveLength(3);
    // a unit appears while a call waits: the waiting call gets it, not tryTake
    const late = burst(limiter, 1);
    await until(() => limiter.bottleneck.counts().QUEUED === 1);
    await limiter.bottleneck.incrementReservoir(1);
    expect(await limiter.tryTake()).toBe(false);
    await late.all;
    expect(late.started).toHaveLength(1);
  });

  it('concurrent takes never over-spend: exactly the budget is granted', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'token-bucket', capacity: 5, refillPerSecond: 0.001 }),
    );
    const granted = await Promise.all(Array.from({ length: 20 }, () => limiter.tryTake()));
    expect(granted.filter(Boolean)).toHaveLength(5);
    expect(await limiter.available()).toBeCloseTo(0, 1);
  });

  it('token bucket: fractional weights locally, and units come back at the rate', async () => {
    const limiter = track(
      createRateLimiter({ kind: 'token-bucket', capacity: 2, refillPerSecond: 1 }),
    );
    expect(await limiter.tryTake(1.5)).toBe(true);
    expect(await limiter.tryTake(1)).toBe(false);
    await until(async () => (await limiter.available())! >= 1);
    expect(await limiter.tryTake(1)).toBe(true);
  });

  it('adjust charges at most what is left (never below zero) and never refunds above the bucket', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 10, windowMs: 60_000 }));
    expect(await limiter.adjust(-4)).toBe(6);
    expect(await limiter.adjust(-12)).toBe(0);
    expect(await limiter.tryTake()).toBe(false);
    const { started, all } = burst(limiter, 1);
    await until(() => limiter.bottleneck.counts().QUEUED === 1);
    expect(started).toHaveLength(0);
    expect(await limiter.adjust(100)).toBe(10);
    await all;
    expect(started).toHaveLength(1);
    expect(await limiter.adjust(0)).toBe(9);
    // stop() still works (bottleneck cannot stop a limiter whose budget is below zero)
    await limiter.disconnect();
  });

  it('rejects a weight that is not a finite number >= 0 with INVALID_INPUT', async () => {
    const limiter = track(createRateLimiter({ kind: 'fixed-window', limit: 1, windowMs: 1000 }));
    await expect(limiter.tryTake(-1)).rejects.toThrow(/INVALID_INPUT: limiter.tryTake\(weight\)/);
    await expect(limiter.tryTake(Number.NaN)).rejects.toThrow(/finite number >= 0/);
    await expect(limiter.adjust(Number.POSITIVE_INFINITY)).rejects.toThrow(
      /INVALID_INPUT: limiter.adjust\(units\)/,
    );
  });
});

// Redis: REDIS_URL when set (CI sets it, so there the test always runs); otherwise the local
// default if something answers there, else the test is skipped and says why.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = process.env.REDIS_URL !== undefined || (await reachable('127.0.0.1', 6379));

describe('createRateLimiter with Redis clustering', () => {
  it.skipIf(!redisUp)(
    `two limiters sharing an id share one budget${redisUp ? '' : ' (skipped: no Redis at 127.0.0.1:6379 and REDIS_URL unset)'}`,
    async () => {
      const redis = new Redis(REDIS_URL, { lazyConnect: false });
      const id = `fulfil-test-${process.pid}-${Date.now()}`;
      try {
        const a = track(
          createRateLimiter({
            kind: 'fixed-window',
            limit: 3,
            windowMs: 60_000,
            redis: { id, client: redis, clearDatastore: true },
          }),
        );
        await a.bottleneck.ready();
        const b = track(
          createRateLimiter({
            kind: 'fixed-window',
            limit: 3,
            windowMs: 60_000,
            redis: { id, client: redis },
          }),
        );
        await b.bottleneck.ready();
        const ra = burst(a, 2);
        const rb = burst(b, 2);
        await until(async () => ra.started.length + rb.started.length >= 3);
        await new Promise((r) => setTimeout(r, 200));
        expect(ra.started.length + rb.started.length).toBe(3);
        expect(await a.available()).toBe(0);
        expect(await b.available()).toBe(0);
        await a.bottleneck.incrementReservoir(1);
        await Promise.all([ra.all, rb.all]);
        expect(ra.started.length + rb.started.length).toBe(4);
        await a.disconnect();
        await b.disconnect();
        expect(redis.status).toBe('ready');
      } finally {
        const keys = await redis.keys(`b_${id}*`);
        if (keys.length > 0) await redis.del(...keys);
        expect(await redis.keys(`b_${id}*`)).toEqual([]);
        redis.disconnect();
      }
    },
  );
});

describe('tryTake with Redis clustering', () => {
  const skip = redisUp ? '' : ' (skipped: no Redis at 127.0.0.1:6379 and REDIS_URL unset)';
  const shared = async (
    options: Parameters<typeof createRateLimiter>[0],
    test: (a: RateLimiter, b: RateLimiter) => Promise<void>,
  ) => {
    const redis = new Redis(REDIS_URL, { lazyConnect: false });
    const id = `fulfil-test-take-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    try {
      const a = track(
        createRateLimiter({ ...options, redis: { id, client: redis, clearDatastore: true } }),
      );
      await a.bottleneck.ready();
      const b = track(createRateLimiter({ ...options, redis: { id, client: redis } }));
      await b.bottleneck.ready();
      await test(a, b);
      await a.disconnect();
      await b.disconnect();
    } finally {
      const keys = await redis.keys(`b_${id}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  };

  it.skipIf(!redisUp)(
    `two limiters share one budget: takes from both never over-spend${skip}`,
    () =>
      shared({ kind: 'fixed-window', limit: 10, windowMs: 60_000 }, async (a, b) => {
        const granted = await Promise.all(
          Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).tryTake()),
        );
        expect(granted.filter(Boolean)).toHaveLength(10);
        expect(await a.available()).toBe(0);
        expect(await b.tryTake()).toBe(false);
        expect(await a.available()).toBe(0); // a refused take leaves the shared budget as it was
        expect(await b.adjust(3)).toBe(3);
        expect(await a.tryTake(2)).toBe(true);
        expect(await b.tryTake(2)).toBe(false);
        expect(await b.tryTake(1)).toBe(true);
        // charges are shared too, in whole units, and never below zero
        expect(await b.adjust(2)).toBe(2);
        expect(await a.adjust(-1.4)).toBe(1);
        expect(await a.adjust(-5)).toBe(0);
        expect(await b.tryTake()).toBe(false);
      }),
  );

  it.skipIf(!redisUp)(`a clustered token bucket restores whole units at the rate${skip}`, () =>
    shared({ kind: 'token-bucket', capacity: 3, refillPerSecond: 5 }, async (a, b) => {
      // (each step holds even if a unit or two came back meanwhile)
      expect(await a.tryTake(3)).toBe(true);
      expect(await b.tryTake(3)).toBe(false);
      expect(await b.tryTake(2.2)).toBe(false); // rounded up to 3
      // restored by the Redis tick, in whole units (a fraction would break Redis' HINCRBY)
      await until(async () => (await b.available()) === 3);
      expect(Number.isInteger(await a.available())).toBe(true);
      expect(await b.tryTake(3)).toBe(true);
      expect(await a.tryTake(3)).toBe(false);
    }),
  );
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
