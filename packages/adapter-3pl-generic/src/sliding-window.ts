import { FulfilError } from '@fulfil/core';
import { createRateLimiter, type RateLimiter } from '@fulfil/http';
import { checkSlidingWindowOptions } from './runtime-options';

/**
 * A sliding-window limiter ("at most `limit` calls in any `windowMs`"), as a
 * {@link RateLimiter} for `createHttpClient`. Each call holds a slot from its
 * start until `windowMs` (plus a small margin) after its response arrived: the
 * server saw the call at the latest then, so the next call in that slot can
 * never make it count `limit + 1`, however long the server queued. Timing comes
 * from timestamps, not ticks, so a late timer never compounds: sustained
 * throughput stays within latency/window of the limit. Local to the process;
 * to share a limit across processes pass a Redis-clustered `@fulfil/http`
 * limiter as `runtime.limiter` instead.
 *
 * @example
 * ```ts
 * const limiter = createSlidingWindowLimiter({ limit: 150, windowMs: 60_000 }); // ShipBob
 * ```
 */
export function createSlidingWindowLimiter(options: {
  limit: number;
  windowMs: number;
  /** Extra wait past the window. Default 10 ms. */
  marginMs?: number;
  now?: () => number;
}): RateLimiter {
  checkSlidingWindowOptions(options);
  const { limit, windowMs } = options;
  const span = windowMs + (options.marginMs ?? 10);
  const now = options.now ?? (() => performance.now());
  /** One entry per slot in use: undefined while its call runs, then when its response came. */
  const slots: (number | undefined)[] = [];
  const waiting: { go: () => void; stop: (err: Error) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  // Ordering, concurrency and the `bottleneck` handle come from an @fulfil/http limiter that never blocks.
  const inner = createRateLimiter({ kind: 'token-bucket', capacity: 1e9, refillPerSecond: 1e9 });

  const prune = (t: number) => {
    for (let i = slots.length - 1; i >= 0; i--) {
      const done = slots[i];
      if (done !== undefined && done <= t - span) slots.splice(i, 1);
    }
  };
  function pump(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    while (waiting.length > 0) {
      const t = now();
      prune(t);
      if (slots.length < limit) {
        slots.push(undefined);
        waiting.shift()!.go();
        continue;
      }
      const ends = slots.filter((x): x is number => x !== undefined);
      // Every slot is in flight: the next response calls pump().
      if (ends.length > 0) timer = setTimeout(pump, Math.max(1, Math.min(...ends) + span - t));
      return;
    }
  }
  /** Waits for a slot; returns the function that marks the call finished. */
  const take = () =>
    new Promise<() => void>((resolve, reject) => {
      if (stopped) return reject(closed());
      waiting.push({
        go: () => {
          let finished = false;
          resolve(() => {
            if (finished) return;
            finished = true;
            const i = slots.indexOf(undefined);
            if (i >= 0) slots[i] = now();
            if (waiting.length > 0 && timer === undefined) pump();
          });
        },
        stop: reject,
      });
      if (timer === undefined) pump();
    });
  const closed = () =>
    new FulfilError('ADAPTER_FAILED', 'rate limiter closed while the call waited for a slot', {
      details: { retryable: true, reason: 'limiter_closed' },
    });

  const limiter = {
    bottleneck: inner.bottleneck,
    async schedule<T>(fn: () => Promise<T>, weight = 1): Promise<T> {
      const finish: (() => void)[] = [];
      for (let i = 0; i < Math.max(1, Math.ceil(weight)); i++) finish.push(await take());
      try {
        return await inner.schedule(fn);
      } finally {
        for (const f of finish) f();
      }
    },
    report: async () => {},
    async available() {
      prune(now());
      return limit - slots.length;
    },
    budget: () => ({ maximum: limit, restoreRate: limit / (windowMs / 1000), learned: true }),
    async tryTake(weight = 1): Promise<boolean> {
      const t = now();
      prune(t);
      if (waiting.length > 0 || slots.length + weight > limit) return false;
      for (let i = 0; i < weight; i++) slots.push(t);
      return true;
    },
    async adjust() {
      prune(now());
      return limit - slots.length;
    },
    /** Calls in flight (slots taken and not yet answered). */
    running: async () => slots.filter((x) => x === undefined).length,
    async disconnect() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const w of waiting.splice(0)) w.stop(closed());
      await inner.disconnect();
    },
  };
  return limiter;
}
