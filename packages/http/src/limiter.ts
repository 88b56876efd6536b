import { FulfilError } from '@fulfil/core';
import Bottleneck from 'bottleneck';

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
  /** The learned (or configured) bucket: size and units per second. */
  budget(): { maximum: number; restoreRate: number; learned: boolean };
  /** The underlying bottleneck instance. */
  readonly bottleneck: Bottleneck;
  /** Stops the limiter and closes its Redis connection (not the client you passed). */
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
  let disconnected = false;
  let serial: Promise<void> = Promise.resolve();

  return {
    bottleneck: limiter,
    schedule(fn, weight = 1) {
      const w = Math.max(0, Math.min(weight, bucket.maximum));
      if (learned) return limiter.schedule({ weight: w }, fn);
      // Until the server reported its budget, run cost calls one at a time.
      const run = serial.then(() => limiter.schedule({ weight: w }, fn));
      serial = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    async report(r) {
      if (options.kind !== 'cost') return;
      if (!(r.maximum > 0 && r.restoreRate > 0 && Number.isFinite(r.available))) return;
      const changed = r.maximum !== bucket.maximum || r.restoreRate !== bucket.restoreRate;
      bucket.maximum = r.maximum;
      bucket.restoreRate = r.restoreRate;
      if (!learned || changed) {
        if (!clustered) restartHeartbeat(limiter);
        limiter.updateSettings(increase(bucket, clustered));
        learned = true;
      }
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
    },
    async tryTake(weight = 1) {
      const w = wholeIf(clustered, checkUnits(weight, 'tryTake(weight)', 0), Math.ceil);
      if (w === 0) return true;
      if (w > bucket.maximum || limiter.counts().QUEUED > 0) return false;
      // Take (one atomic step, one round trip with Redis), and give back when that went below
      // zero: the units were not there, or someone else took them first.
      const after = await limiter.incrementReservoir(-w);
      if (after === null || after >= 0) return true;
      await limiter.incrementReservoir(w);
      return false;
    },
    async adjust(units) {
      const u = wholeIf(clustered, checkUnits(units, 'adjust(units)'), Math.round);
      if (u > 0) {
        // A refund never lifts the budget above the bucket (the window may have refilled meanwhile).
        const now = await limiter.currentReservoir();
        if (now === null) return null;
        const room = Math.min(u, wholeIf(clustered, bucket.maximum, Math.floor) - now);
        return room > 0 ? limiter.incrementReservoir(room) : now;
      }
      if (u === 0) return limiter.currentReservoir();
      // A charge takes at most what is left: bottleneck cannot stop() a limiter below zero.
      const after = await limiter.incrementReservoir(u);
      return after !== null && after < 0 ? limiter.incrementReservoir(-after) : after;
    },
    available: () => limiter.currentReservoir(),
    budget: () => ({ ...bucket, learned }),
    async disconnect() {
      if (disconnected) return;
      disconnected = true;
      await quietly(() => limiter.stop({ dropWaitingJobs: false }));
      await quietly(() => limiter.disconnect(false));
      if (connection) await quietly(() => connection.disconnect(false));
    },
  };
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
  const given = redis.client as { duplicate?: () => object };
  if (typeof given.duplicate !== 'function') {
    throw new FulfilError('CONFIG_INVALID', 'limiter.redis.client: must be an ioredis client', {
      details: { path: 'limiter.redis.client' },
    });
  }
  // Our own duplicate, so disconnecting the limiter never closes the caller's client.
  const client = given.duplicate();
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
