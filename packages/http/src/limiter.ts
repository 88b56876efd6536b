import { FulfilError } from '@fulfil/core';
import Bottleneck from 'bottleneck';
import type { RedisFallback, RedisUnavailableEvent } from './redis-guard';
import { type BottleneckConnection, createSharedLimit, type SharedLimit } from './redis-shared';

/**
 * Share one limit between processes through Redis (bottleneck's clustering).
 * Every limiter with the same `id` on the same Redis shares its budget.
 */
export interface RedisClustering {
  /** The limit's name; processes sharing a limit MUST use the same id (e.g. `shopify:acme`). */
  id: string;
  /**
   * A connected-or-connecting ioredis client. The limiter duplicates it for its
   * subscriber and never closes it (close it yourself after `limiter.disconnect()`).
   */
  client: object;
  /** Wipe this id's state in Redis on start. Default false. */
  clearDatastore?: boolean;
  /** Expire the id's Redis keys after this long without activity. Default 1 hour. */
  ttlMs?: number;
  /**
   * The longest a call waits on Redis: to connect, or for one answer (a call queued for
   * the budget is checked with a PING this often, so it settles within about twice this
   * after Redis goes away). Then the call takes the `whenUnavailable` fallback. Default 2000.
   */
  timeoutMs?: number;
  /**
   * What a call does when Redis does not answer within `timeoutMs`:
   * - `'fail'` (default): it rejects with a retryable `ADAPTER_FAILED` (`details.reason:
   *   'limiter_unavailable'`, see `isLimiterUnavailable`) and nothing is sent upstream; the
   *   engine's dispatcher retries the command later with backoff, so the shared limit is
   *   never overshot.
   * - `'local'`: it runs on a per-process limiter with the same limits. Calls keep flowing,
   *   but N processes together may send up to N times the shared limit (expect 429s).
   *
   * `report` never fails on Redis (it is advice); it skips Redis and calls `onUnavailable`.
   */
  whenUnavailable?: RedisFallback;
  /** Called each time a call meets an unreachable Redis (count it as a metric; alert on it). */
  onUnavailable?: (event: RedisUnavailableEvent) => void;
}

/** Per-window limits, e.g. "60 requests per minute" (the window resets at once). */
export interface FixedWindowLimit {
  kind: 'fixed-window';
  /** Requests (weight units) per window. */
  limit: number;
  /** Window length. */
  windowMs: number;
}

/** Per-second limits, e.g. "40 requests, leaking 2 per second". */
export interface TokenBucketLimit {
  kind: 'token-bucket';
  /** Bucket size: the burst allowed when full. */
  capacity: number;
  /** Units restored per second. */
  refillPerSecond: number;
  /** Also space requests by at least this much (a leaky bucket). Default 0. */
  minSpacingMs?: number;
}

/**
 * A budget the server reports (Shopify GraphQL cost points): a token bucket whose
 * size and restore rate are learned from responses through {@link RateLimiter.report}.
 * Until the first report, calls run one at a time with the `initial` guess.
 */
export interface CostLimit {
  kind: 'cost';
  /** The starting guess, replaced by the first report. Default `{ maximum: 1000, restoreRate: 50 }`. */
  initial?: { maximum: number; restoreRate: number };
}

/** Options of {@link createRateLimiter}. */
export type RateLimiterOptions = (FixedWindowLimit | TokenBucketLimit | CostLimit) & {
  /** At most this many calls in flight. Default unlimited. */
  maxConcurrent?: number;
  /** Share the limit across processes. */
  redis?: RedisClustering;
};

/** What a server said about its budget after a call (e.g. Shopify `throttleStatus`). */
export interface BudgetReport {
  /** Units available now, after the call. */
  available: number;
  /** Bucket size. */
  maximum: number;
  /** Units restored per second. */
  restoreRate: number;
  /** The weight reserved for the call, and what it really cost: the difference is refunded. */
  reserved?: number;
  actual?: number;
  /**
   * When the figures were received (`Date.now()`). The server restored points since
   * then; they are added before comparing. Default: now.
   */
  observedAt?: number;
}

/** A limiter every call of a client passes through. */
export interface RateLimiter {
  /** Runs `fn` once `weight` units (default 1) are available. */
  schedule<T>(fn: () => Promise<T>, weight?: number): Promise<T>;
  /**
   * Feeds the server's view of the budget (cost limiters): learns the bucket size
   * and restore rate, refunds `reserved - actual`, and lowers the local estimate
   * to `available` when the server has less. Ignored by other kinds.
   */
  report(report: BudgetReport): Promise<void>;
  /**
   * Takes `weight` units (default 1) now if the budget has them, without waiting:
   * resolves `true` when they were taken, `false` when refused (then nothing was
   * taken). For callers that must never wait for a budget and have a fallback
   * (e.g. a model call that can fall back to an offline answer).
   *
   * Contract: it MUST NOT wait for units to be restored and MUST NOT queue. It MUST
   * refuse when calls are already waiting in this limiter (it never jumps the
   * queue) and when `weight` exceeds the bucket size. With Redis it is atomic
   * across processes and takes one round trip (two when refused): a refused take
   * leaves the shared budget as it was, and two processes can never both take the
   * last units (while a refused take gives its units back, another may be refused
   * too: it errs on refusing). With Redis, weights are whole units (rounded up).
   * `maxConcurrent` and spacing do not apply: no call runs through the limiter.
   *
   * @example
   * ```ts
   * const perMinute = createRateLimiter({ kind: 'token-bucket', capacity: 30, refillPerSecond: 0.5 });
   * if (await perMinute.tryTake()) await callModel();
   * else useOfflineAnswer();
   * ```
   */
  tryTake(weight?: number): Promise<boolean>;
  /**
   * Gives units back (`units > 0`) or charges them (`units < 0`) outside a call,
   * never waiting or refusing: settles an estimate taken with {@link tryTake}
   * against what the work really cost. A charge takes at most what is left (the
   * budget never stays below zero: reserve generously, then refund); a refund never
   * raises it above the bucket size. With Redis, units are rounded to whole ones.
   * Resolves to the units available after (null when unlimited).
   */
  adjust(units: number): Promise<number | null>;
  /** Units available now (null when unlimited). */
  available(): Promise<number | null>;
  /** Units of the calls running now (in every process when shared through Redis). */
  running(): Promise<number>;
  /** The learned (or configured) bucket: size and units per second. */
  budget(): { maximum: number; restoreRate: number; learned: boolean };
  /**
   * The underlying bottleneck instance. Its own methods are not bounded: with Redis
   * they wait as long as Redis does (use the methods above).
   */
  readonly bottleneck: Bottleneck;
  /**
   * Stops the limiter and closes its Redis connection (not the client you passed).
   * Calls already waiting run first while Redis answers; in an outage they settle
   * with the `whenUnavailable` fallback (`'fail'` here) and this resolves within
   * about twice `redis.timeoutMs`. It never throws and never leaves an unhandled rejection.
   */
  disconnect(): Promise<void>;
}

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

/** Checks a weight or adjustment: a finite number (at least `min` when given), else INVALID_INPUT. */
function checkUnits(n: number, what: string, min?: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || (min !== undefined && n < min)) {
    throw new FulfilError(
      'INVALID_INPUT',
      `limiter.${what}: must be a finite number${min === undefined ? '' : ` >= ${min}`}, got ${String(n)}`,
      { details: { path: `limiter.${what}` } },
    );
  }
  return n;
}

function checkTimeout(ms: number | undefined): number {
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

function checkFallback(mode: RedisFallback | undefined): RedisFallback {
  if (mode === undefined || mode === 'fail' || mode === 'local') return mode ?? 'fail';
  throw new FulfilError(
    'CONFIG_INVALID',
    `limiter.redis.whenUnavailable: must be 'fail' or 'local', got ${String(mode)}`,
    { details: { path: 'limiter.redis.whenUnavailable' } },
  );
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

function initialBucket(options: RateLimiterOptions): { maximum: number; restoreRate: number } {
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

function redisOptions(redis: RedisClustering | undefined): Bottleneck.ConstructorOptions {
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
