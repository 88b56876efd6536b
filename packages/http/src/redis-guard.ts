import { FulfilError, isFulfilError } from '@fulfil/core';

/** What a Redis-shared limiter does when Redis does not answer in time. */
export type RedisFallback = 'fail' | 'local';

/** The limiter operations that can meet an unreachable Redis. */
export type LimiterOperation =
  | 'schedule'
  | 'tryTake'
  | 'adjust'
  | 'available'
  | 'report'
  | 'running';

/** Passed to `redis.onUnavailable` each time a call meets an unreachable Redis. */
export interface RedisUnavailableEvent {
  /** The limit's `redis.id`. */
  id: string;
  operation: LimiterOperation;
  /** What happened to the call: it failed (retryable), or ran on the per-process limiter. */
  fallback: RedisFallback;
  /** Why: the Redis error, or a timeout. */
  error: unknown;
}

/** The reason in `details.reason` of {@link limiterUnavailable} errors. */
export const LIMITER_UNAVAILABLE = 'limiter_unavailable';

/**
 * The error of a limiter call that Redis did not answer in time (`whenUnavailable: 'fail'`):
 * `ADAPTER_FAILED`, `details.retryable: true`; the call was not made, so retrying it later
 * is always safe.
 */
export function limiterUnavailable(
  id: string,
  operation: LimiterOperation,
  timeoutMs: number,
  cause: unknown,
): FulfilError {
  return new FulfilError(
    'ADAPTER_FAILED',
    `rate limiter "${id}": Redis is unreachable (no answer within ${timeoutMs} ms) at ${operation}, so the call was not made: retry later (the engine's dispatcher does), check that Redis is reachable, or set redis.whenUnavailable: 'local' to fall back to a per-process limit`,
    {
      cause,
      details: { retryable: true, reason: LIMITER_UNAVAILABLE, limiterId: id, operation },
    },
  );
}

/**
 * True when `err` (or its `cause`) is a limiter's "Redis unavailable" error: retryable,
 * and nothing was sent upstream.
 */
export function isLimiterUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (isFulfilError(e) && e.details.reason === LIMITER_UNAVAILABLE) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The parts of an ioredis client the guard reads. */
export interface RedisLike {
  status: string;
  once(event: 'ready', fn: () => void): unknown;
  removeListener(event: 'ready', fn: () => void): unknown;
  on(event: 'close' | 'ready', fn: () => void): unknown;
  ping(): Promise<unknown>;
}

/** After a timeout on a connection that looked fine, calls fall back at once for this many `timeoutMs`. */
const COOLDOWN = 5;

/** The outcome of a guarded Redis step. */
export type Guarded<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Watches one limiter's Redis connection and bounds every step that needs it. */
export interface RedisGuard {
  /**
   * Runs `work` once Redis is connected, all within `timeoutMs`. When it does not
   * answer in time, `onLate` gets the value if it still arrives.
   */
  run<T>(work: () => Promise<T>, onLate?: (value: T) => void): Promise<Guarded<T>>;
  /** Whether Redis is connected (waiting at most `timeoutMs`). */
  usable(): Promise<boolean>;
  /** Records a failed step: calls fall back at once until Redis reconnects. */
  markDown(): void;
  /** Connected and answering a PING within `timeoutMs` (one probe at a time). */
  probe(): Promise<boolean>;
  /** Calls `fn` when a connection closes. */
  onClose(fn: () => void): void;
}

/**
 * A guard over bottleneck's ioredis connection (`client`, `subscriber`) and its
 * datastore's `ready` promise (scripts loaded, limiter registered).
 */
export function createRedisGuard(options: {
  storeReady: Promise<unknown>;
  clients: () => RedisLike[];
  timeoutMs: number;
}): RedisGuard {
  const { timeoutMs } = options;
  let storeReady = false;
  let storeFailed: unknown;
  const storeSettled = options.storeReady.then(
    () => {
      storeReady = true;
    },
    (err) => {
      storeFailed = err ?? new Error('Redis datastore failed to start');
    },
  );
  const closeHandlers: (() => void)[] = [];
  /** When a step last failed on Redis (0: none since it last answered). */
  let downAt = 0;
  /** When a client last (re)connected. */
  let readyAt = 0;
  let watched = false;
  const watch = () => {
    if (watched) return;
    const clients = options.clients();
    if (clients.length === 0) return;
    watched = true;
    for (const c of clients) {
      c.on('close', () => {
        for (const f of closeHandlers) f();
      });
      c.on('ready', () => {
        readyAt = Date.now();
      });
    }
  };
  watch();
  const markDown = () => {
    downAt = Date.now();
  };

  /** Resolves true once every client is ready, or false at `deadline`. */
  const usable = async (deadline: number): Promise<boolean> => {
    if (downAt > 0) {
      // After a failure, calls fall back at once until a client reconnects (or, when the
      // connection looked fine but did not answer, until a cooldown passed): one outage
      // costs one wait of `timeoutMs`, not one per call.
      const connected = storeReady && options.clients().every((c) => c.status === 'ready');
      if (readyAt > downAt || (connected && Date.now() - downAt >= COOLDOWN * timeoutMs)) {
        downAt = 0;
      } else return false;
    }
    if (!storeReady) {
      if (storeFailed !== undefined) return false;
      if (!(await before(storeSettled, deadline)).done || !storeReady) return false;
    }
    watch();
    for (const c of options.clients()) {
      if (c.status === 'ready') continue;
      let listener = () => {};
      const ready = new Promise<void>((resolve) => {
        listener = resolve;
        c.once('ready', listener);
      });
      const r = await before(ready, deadline);
      c.removeListener('ready', listener);
      if (!r.done) return false;
    }
    return true;
  };

  let probing: Promise<boolean> | undefined;
  return {
    async run(work, onLate) {
      const deadline = Date.now() + timeoutMs;
      if (!(await usable(deadline))) {
        return {
          ok: false,
          error: storeFailed ?? new Error(`not connected within ${timeoutMs} ms`),
        };
      }
      const started = work();
      const r = await before(started, deadline);
      if (r.done) {
        return 'value' in r ? { ok: true, value: r.value } : { ok: false, error: r.error };
      }
      started.then((v) => onLate?.(v)).catch(() => {});
      return { ok: false, error: new Error(`no answer within ${timeoutMs} ms`) };
    },
    usable: () => usable(Date.now() + timeoutMs),
    markDown,
    probe() {
      probing ??= (async () => {
        const deadline = Date.now() + timeoutMs;
        const [first] = options.clients();
        const r =
          first && (await usable(deadline)) ? await before(first.ping(), deadline) : undefined;
        if (r?.done && 'value' in r) return true;
        markDown();
        return false;
      })().finally(() => {
        probing = undefined;
      });
      return probing;
    },
    onClose(fn) {
      closeHandlers.push(fn);
      watch();
    },
  };
}

type Before<T> = { done: true; value: T } | { done: true; error: unknown } | { done: false };

/** `work`'s outcome if it settles before `deadline` (epoch ms). */
async function before<T>(work: Promise<T>, deadline: number): Promise<Before<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Before<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      work.then(
        (value): Before<T> => ({ done: true, value }),
        (error: unknown): Before<T> => ({ done: true, error: error ?? new Error('failed') }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
