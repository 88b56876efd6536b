import type Bottleneck from 'bottleneck';
import type { RedisFallback, RedisUnavailableEvent } from './redis-guard';

/**
 * Share one limit between processes through Redis (bottleneck's clustering).
 * Every limiter with the same `id` on the same Redis shares its budget.
 */
export interface RedisClustering {
  /** The limit's name; processes sharing a limit MUST use the same id (e.g. `shopify:acme`). */
  id: string;
  /**
   * An ioredis client. The limiter makes its own duplicates of it (connecting at once,
   * with `enableOfflineQueue: false`: commands fail while disconnected instead of
   * piling up) and never closes yours (close it yourself after `limiter.disconnect()`).
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
