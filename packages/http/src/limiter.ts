import Bottleneck from 'bottleneck';
import { checkRateLimiterOptions } from './limiter-options';
import {
  checkFallback,
  checkTimeout,
  checkUnits,
  initialBucket,
  redisOptions,
} from './limiter-settings';
import type { BudgetReport, RateLimiter, RateLimiterOptions } from './limiter-types';
import { type BottleneckConnection, createSharedLimit, type SharedLimit } from './redis-shared';

export type {
  BudgetReport,
  CostLimit,
  FixedWindowLimit,
  RateLimiter,
  RateLimiterOptions,
  RedisClustering,
  TokenBucketLimit,
} from './limiter-types';

/** How often local limiters add restored units. */
const TICK_MS = 100;

/**
 * Creates a rate limiter on bottleneck: a fixed window, a token/leaky bucket, or a
 * cost budget fed by the server's reports. With `redis`, every process using the
 * same `redis.id` shares one budget.
 *
 * Contract: a call MUST NOT start before its weight is available; a weight larger
 * than the bucket is clamped to the bucket size (else it would wait forever).
 *
 * @example
 * ```ts
 * const perMinute = createRateLimiter({ kind: 'fixed-window', limit: 40, windowMs: 60_000 });
 * const shopify = createRateLimiter({ kind: 'cost', redis: { id: 'shopify:acme', client: redis } });
 * await shopify.schedule(() => callApi(), 12);
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  checkRateLimiterOptions(options);
  const bucket = initialBucket(options);
  let learned = options.kind !== 'cost';
  const clustered = options.redis !== undefined;
  const redis = redisOptions(options.redis);
  const connection = redis.connection ?? undefined;
  const base: Bottleneck.ConstructorOptions = {
    maxConcurrent: options.maxConcurrent ?? null,
    minTime: options.kind === 'token-bucket' ? (options.minSpacingMs ?? 0) : 0,
    heartbeatInterval: TICK_MS,
    ...(options.kind === 'fixed-window'
      ? {
          reservoir: options.limit,
          reservoirRefreshAmount: options.limit,
          reservoirRefreshInterval: options.windowMs,
        }
      : {
          reservoir: wholeIf(clustered, bucket.maximum, Math.floor),
          ...increase(bucket, clustered),
        }),
    ...redis,
  };
  const limiter = new Bottleneck(base);
  limiter.on('error', () => {});
  const shared: SharedLimit<RateLimiter> | undefined =
    options.redis && connection
      ? createSharedLimit({
          id: options.redis.id,
          limiter,
          connection: connection as unknown as BottleneckConnection,
          timeoutMs: checkTimeout(options.redis.timeoutMs),
          whenUnavailable: checkFallback(options.redis.whenUnavailable),
          onUnavailable: options.redis.onUnavailable,
          makeLocal: () => createRateLimiter({ ...options, redis: undefined }),
        })
      : undefined;
  const run = <T>(fn: () => Promise<T>, w: number) =>
    shared ? shared.schedule(fn, w) : limiter.schedule({ weight: w }, fn);
  let disconnected = false;
  let settingsStale = false;
  let serial: Promise<void> = Promise.resolve();

  return {
    bottleneck: limiter,
    schedule(fn, weight = 1) {
      const w = Math.max(0, Math.min(weight, bucket.maximum));
      if (learned) return run(fn, w);
      // Until the server reported its budget, run cost calls one at a time.
      const next = serial.then(() => run(fn, w));
      serial = next.then(
        () => undefined,
        () => undefined,
      );
      return next;
    },
    async report(r) {
      if (options.kind !== 'cost') return;
      if (!(r.maximum > 0 && r.restoreRate > 0 && Number.isFinite(r.available))) return;
      const changed = r.maximum !== bucket.maximum || r.restoreRate !== bucket.restoreRate;
      bucket.maximum = r.maximum;
      bucket.restoreRate = r.restoreRate;
      if (!learned || changed || settingsStale) {
        if (!clustered) restartHeartbeat(limiter);
        learned = true;
        // With Redis this is a round trip that fails in an outage: tried again on the next report.
        settingsStale = clustered;
        // (bottleneck's typings say it returns the limiter; it returns a promise of it)
        Promise.resolve(
          limiter.updateSettings(increase(bucket, clustered)) as unknown as Promise<unknown>,
        ).then(
          () => {
            settingsStale = false;
          },
          () => {},
        );
      }
      if (!shared) return applyReport(limiter, r);
      // Advice, never a failure: in an outage Redis is skipped (and the fallback learns).
      await shared.local()?.report(r);
      await shared
        .step(
          'report',
          () => applyReport(limiter, r),
          async () => undefined,
        )
        .catch(() => undefined);
    },
    async tryTake(weight = 1) {
      const w = wholeIf(clustered, checkUnits(weight, 'tryTake(weight)', 0), Math.ceil);
      if (w === 0) return true;
      if (w > bucket.maximum || limiter.counts().QUEUED > 0) return false;
      if (!shared) return take(limiter, w);
      return shared.step(
        'tryTake',
        () => take(limiter, w),
        (local) => local.tryTake(weight),
        // Taken after the caller was answered: give the units back.
        (taken) => {
          if (taken) limiter.incrementReservoir(w).catch(() => {});
        },
      );
    },
    async adjust(units) {
      const u = wholeIf(clustered, checkUnits(units, 'adjust(units)'), Math.round);
      const maximum = wholeIf(clustered, bucket.maximum, Math.floor);
      if (!shared) return adjustBy(limiter, u, maximum);
      return shared.step(
        'adjust',
        () => adjustBy(limiter, u, maximum),
        (local) => local.adjust(units),
      );
    },
    available: () =>
      shared
        ? shared.step(
            'available',
            () => limiter.currentReservoir(),
            (local) => local.available(),
          )
        : limiter.currentReservoir(),
    running: () =>
      shared
        ? shared.step(
            'running',
            () => limiter.running(),
            (local) => local.running(),
          )
        : limiter.running(),
    budget: () => ({ ...bucket, learned }),
    async disconnect() {
      if (disconnected) return;
      disconnected = true;
      if (shared) return shared.close(() => limiter.stop({ dropWaitingJobs: false }));
      await quietly(() => limiter.stop({ dropWaitingJobs: false }));
      await quietly(() => limiter.disconnect(false));
    },
  };
}

/**
 * Takes `w` units now (one atomic step, one round trip with Redis), and gives them back
 * when that went below zero: the units were not there, or someone else took them first.
 */
async function take(limiter: Bottleneck, w: number): Promise<boolean> {
  const after = await limiter.incrementReservoir(-w);
  if (after === null || after >= 0) return true;
  await limiter.incrementReservoir(w);
  return false;
}

/** Gives back (`u > 0`, never above `maximum`) or charges (`u < 0`, never below zero). */
async function adjustBy(limiter: Bottleneck, u: number, maximum: number): Promise<number | null> {
  if (u > 0) {
    // A refund never lifts the budget above the bucket (the window may have refilled meanwhile).
    const now = await limiter.currentReservoir();
    if (now === null) return null;
    const room = Math.min(u, maximum - now);
    return room > 0 ? limiter.incrementReservoir(room) : now;
  }
  if (u === 0) return limiter.currentReservoir();
  // A charge takes at most what is left: bottleneck cannot stop() a limiter below zero.
  const after = await limiter.incrementReservoir(u);
  return after !== null && after < 0 ? limiter.incrementReservoir(-after) : after;
}

/** Refunds `reserved - actual` and lowers the estimate to what the server has. */
async function applyReport(limiter: Bottleneck, r: BudgetReport): Promise<void> {
  const refund = (r.reserved ?? 0) - (r.actual ?? r.reserved ?? 0);
  if (refund > 0) await limiter.incrementReservoir(refund);
  // The server's figure is a little old: add what it restored since, so that
  // work in flight elsewhere is not mistaken for budget the server lacks.
  const elapsed = Math.max(0, Date.now() - (r.observedAt ?? Date.now()));
  const serverNow = Math.min(r.maximum, r.available + (elapsed / 1000) * r.restoreRate);
  const local = await limiter.currentReservoir();
  if (local !== null && local > serverNow + 1) {
    await limiter.incrementReservoir(Math.floor(serverNow) - local);
  }
}

/**
 * bottleneck 2.19.5's local datastore stops (and never restarts) its reservoir
 * heartbeat when settings change while it runs; clearing it first lets
 * `updateSettings` start a fresh one. (The Redis datastore is not affected.)
 */
function restartHeartbeat(limiter: Bottleneck): void {
  const store = (
    limiter as unknown as { _store?: { heartbeat?: ReturnType<typeof setInterval> | null } }
  )._store;
  if (store?.heartbeat != null) {
    clearInterval(store.heartbeat);
    store.heartbeat = null;
  }
}

/** Redis keeps the reservoir with HINCRBY, which takes whole numbers only. */
function wholeIf(clustered: boolean, n: number, round: (x: number) => number): number {
  return clustered ? round(n) : n;
}

async function quietly(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // already stopped or disconnected
  }
}

/**
 * Restores `restoreRate` units per second in steps of {@link TICK_MS}. Locally the
 * step interval is a little under the heartbeat so each tick adds one step (never
 * more than the rate). Redis counts whole elapsed intervals, and keeps the reservoir
 * in whole units (its HINCRBY, used by `incrementReservoir`, fails on a fraction):
 * there each step restores a whole number of units, at the interval that keeps
 * to the rate (never above it).
 */
function increase(bucket: { maximum: number; restoreRate: number }, clustered: boolean) {
  const perTick = (bucket.restoreRate * TICK_MS) / 1000;
  if (!clustered) {
    return {
      reservoirIncreaseInterval: TICK_MS - 5,
      reservoirIncreaseAmount: perTick,
      reservoirIncreaseMaximum: bucket.maximum,
    };
  }
  const amount = Math.max(1, Math.round(perTick));
  return {
    reservoirIncreaseInterval: Math.ceil((amount * 1000) / bucket.restoreRate),
    reservoirIncreaseAmount: amount,
    reservoirIncreaseMaximum: Math.floor(bucket.maximum),
  };
}
