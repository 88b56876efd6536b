import { FulfilError } from '@fulfil/core';
import type Bottleneck from 'bottleneck';
import {
  createRedisGuard,
  type LimiterOperation,
  limiterUnavailable,
  type RedisFallback,
  type RedisGuard,
  type RedisLike,
  type RedisUnavailableEvent,
} from './redis-guard';

/** The limiter methods a fallback runs on (a per-process `RateLimiter`). */
interface LocalLimiter {
  schedule<T>(fn: () => Promise<T>, weight?: number): Promise<T>;
  disconnect(): Promise<void>;
}

/** A schedule waiting in the Redis-shared limiter. */
interface Waiting {
  started: boolean;
  abandoned: boolean;
  fallback: (error: unknown) => void;
}

/** The Redis side of a limiter: bounded steps, bounded waits, the fallback, the close. */
export interface SharedLimit<L extends LocalLimiter> {
  readonly guard: RedisGuard;
  /** Schedules through Redis; falls back when Redis is down at the call or while it waits. */
  schedule<T>(fn: () => Promise<T>, weight: number): Promise<T>;
  /**
   * Runs one Redis step (bounded); when Redis does not answer, reports it and then
   * fails (`'fail'`) or runs `onLocal` on the per-process limiter (`'local'`).
   */
  step<T>(
    operation: LimiterOperation,
    work: () => Promise<T>,
    onLocal: (local: L) => Promise<T>,
    onLate?: (value: T) => void,
  ): Promise<T>;
  /** The per-process limiter, if a fallback created it. */
  local(): L | undefined;
  /** Waits (bounded) for scheduled calls, then closes the connection without crashing. */
  close(stopLimiter: () => Promise<unknown>): Promise<void>;
}

/** What {@link createSharedLimit} needs from the limiter. */
export interface SharedLimitOptions<L extends LocalLimiter> {
  id: string;
  limiter: Bottleneck;
  connection: BottleneckConnection;
  timeoutMs: number;
  whenUnavailable: RedisFallback;
  onUnavailable?: (event: RedisUnavailableEvent) => void;
  /** Builds the per-process limiter (same limits, no Redis) on first use. */
  makeLocal: () => L;
}

/** bottleneck's IORedisConnection, as far as we use it. */
export interface BottleneckConnection {
  client?: RedisLike;
  subscriber?: RedisLike;
  terminated?: boolean;
  disconnect(flush?: boolean): Promise<unknown>;
}

/**
 * Wraps a Redis-clustered bottleneck so that no call waits on Redis longer than
 * `timeoutMs` (to connect, or for one answer; a queued call is checked every
 * `timeoutMs` with a PING), then takes the documented fallback.
 */
export function createSharedLimit<L extends LocalLimiter>(
  options: SharedLimitOptions<L>,
): SharedLimit<L> {
  const { id, limiter, connection, timeoutMs } = options;
  const guard = createRedisGuard({
    storeReady: limiter.ready(),
    clients: () => [connection.client, connection.subscriber].filter((c) => c !== undefined),
    timeoutMs,
  });
  let local: L | undefined;
  let closed = false;
  const waiting = new Set<Waiting>();
  let watchdog: ReturnType<typeof setInterval> | undefined;

  /** Reports the outage, then fails the call or hands it to the per-process limiter. */
  const fallback = <T>(
    operation: LimiterOperation,
    error: unknown,
    onLocal: (l: L) => Promise<T>,
  ): Promise<T> => {
    const mode = options.whenUnavailable;
    try {
      options.onUnavailable?.({ id, operation, fallback: mode, error });
    } catch {
      // a hook never breaks a call
    }
    if (mode === 'fail' || closed) {
      return Promise.reject(limiterUnavailable(id, operation, timeoutMs, error));
    }
    local ??= options.makeLocal();
    return onLocal(local);
  };

  /** Calls waiting in bottleneck when Redis went away: each takes the fallback now. */
  const abandonWaiting = (error: unknown) => {
    let any = false;
    for (const w of waiting) {
      if (w.started) continue;
      any = true;
      w.abandoned = true;
      forget(w);
      w.fallback(error);
    }
    // Their jobs would otherwise take shared units when Redis is back (and block tryTake).
    if (any) (limiter as unknown as { _dropAllQueued?: () => void })._dropAllQueued?.();
  };
  let checking = false;
  const check = async () => {
    if (checking || waiting.size === 0) return;
    checking = true;
    try {
      if (!(await guard.probe())) {
        abandonWaiting(new Error(`Redis did not answer a PING within ${timeoutMs} ms`));
      }
    } finally {
      checking = false;
    }
  };
  guard.onClose(() => void check());
  const settled: (() => void)[] = [];
  const forget = (w: Waiting) => {
    waiting.delete(w);
    if (waiting.size > 0) return;
    if (watchdog !== undefined) clearInterval(watchdog);
    watchdog = undefined;
    for (const f of settled.splice(0)) f();
  };

  return {
    guard,
    schedule<T>(fn: () => Promise<T>, weight: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const w: Waiting = {
          started: false,
          abandoned: false,
          fallback: (error) =>
            fallback('schedule', error, (l) => l.schedule(fn, weight)).then(resolve, reject),
        };
        const submit = async () => {
          if (!(await guard.usable())) {
            w.abandoned = true;
            guard.markDown();
            return w.fallback(new Error(`not connected within ${timeoutMs} ms`));
          }
          if (w.abandoned) return;
          waiting.add(w);
          watchdog ??= setInterval(() => void check(), timeoutMs);
          // Settles the caller from inside the job: bottleneck resolves a job only after
          // freeing it in Redis, which waits on Redis again.
          const run = async () => {
            if (w.abandoned) return;
            w.started = true;
            try {
              resolve(await fn());
            } catch (err) {
              reject(err);
            } finally {
              forget(w);
            }
          };
          limiter.schedule({ weight }, run).catch((error: unknown) => {
            if (w.started || w.abandoned) return;
            w.abandoned = true;
            forget(w);
            if (closed) return reject(closedError(id, error));
            guard.markDown();
            w.fallback(error);
          });
        };
        submit().catch(reject);
      });
    },
    async step(operation, work, onLocal, onLate) {
      const r = await guard.run(work, onLate);
      return r.ok ? r.value : fallback(operation, r.error, onLocal);
    },
    local: () => local,
    async close(stopLimiter) {
      closed = true;
      // Calls already waiting run first while Redis answers; in an outage the watchdog
      // settles them (within about two `timeoutMs`), and then nothing is left to wait for.
      const drained =
        waiting.size === 0 ? Promise.resolve() : new Promise<void>((r) => settled.push(r));
      await Promise.race([stopLimiter().catch(() => {}), drained]);
      if (watchdog !== undefined) clearInterval(watchdog);
      watchdog = undefined;
      // Close the connection first: bottleneck then skips its UNSUBSCRIBE, whose rejection
      // on a closed connection ("Connection is closed") was unhandled and ended the process.
      try {
        await connection.disconnect(false);
      } catch {
        // already closed
      }
      const store = (limiter as unknown as { _store?: { heartbeat?: unknown } })._store;
      if (store?.heartbeat != null)
        clearInterval(store.heartbeat as ReturnType<typeof setInterval>);
      try {
        await limiter.disconnect(false);
      } catch {
        // already disconnected
      }
      if (local) await local.disconnect();
    },
  };
}

function closedError(id: string, cause: unknown): FulfilError {
  return new FulfilError(
    'ADAPTER_FAILED',
    `rate limiter "${id}" was disconnected while the call waited`,
    { cause, details: { retryable: true, reason: 'limiter_closed', limiterId: id } },
  );
}
