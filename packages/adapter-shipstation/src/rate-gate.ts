import type { RateLimiter } from '@fulfil/http';

/** Response headers ShipStation sends with every answer. */
export const RATE_HEADERS = {
  limit: 'x-rate-limit-limit',
  remaining: 'x-rate-limit-remaining',
  /** Seconds until the window resets. */
  reset: 'x-rate-limit-reset',
} as const;

/** What the gate knows about the server's window. */
export interface RateGateState {
  limit: number;
  /** Requests left in the server's current window, as last reported (null before the first answer). */
  remaining: number | null;
  /** When that window resets (epoch ms), as last reported or estimated. */
  resetAt: number;
  inFlight: number;
  /** Times a call waited for a reset. */
  waits: number;
  /** True once an answer came without rate-limit headers: the gate stops gating. */
  headerless: boolean;
}

/**
 * Follows the server's own view of its fixed window (`X-Rate-Limit-Remaining`,
 * `X-Rate-Limit-Reset`): a call starts only while the window has budget left
 * beyond the calls already in flight; when it is spent, calls wait for the
 * reported reset. Before the first answer, one call at a time. When the server
 * sends no such headers, the gate lets everything through (the limiter governs).
 */
export interface RateGate {
  acquire(): Promise<void>;
  release(): void;
  /** Feeds an answer's headers (`receivedAt` = `Date.now()` when it arrived). */
  observe(status: number, headers: Headers, receivedAt?: number): void;
  /** Milliseconds to wait before retrying after a 429 (the reported reset plus the margin). */
  retryAfterMs(headers: Headers): number | undefined;
  state(): RateGateState;
}

/** Options of {@link createRateGate}. */
export interface RateGateOptions {
  limit: number;
  windowMs: number;
  /** Waited beyond each reported reset. */
  marginMs: number;
  /** Called when the server's window resets (while calls are being made). */
  onWindow?: () => void;
}

/** Creates a {@link RateGate}. */
export function createRateGate(options: RateGateOptions): RateGate {
  const { windowMs, marginMs } = options;
  let limit = options.limit;
  let remaining: number | null = null;
  let resetAt = 0;
  let inFlight = 0;
  let waits = 0;
  let headerless = false;
  /** A call was made since the last reset (the reset timer stops when idle). */
  let active = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void)[] = [];
  const notify = () => {
    const woken = wake;
    wake = [];
    for (const w of woken) w();
  };
  const num = (h: Headers, name: string) => {
    const v = h.get(name);
    if (v === null || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };

  /** Rolls to the next window once the reported reset passed (its budget is assumed full). */
  const roll = (now: number) => {
    if (remaining === null || now < resetAt + marginMs) return;
    remaining = limit;
    resetAt += (Math.floor((now - resetAt - marginMs) / windowMs) + 1) * windowMs;
    try {
      options.onWindow?.();
    } catch {
      // a hook never breaks the gate
    }
  };
  /** Keeps a timer on the next reset while calls are being made. */
  const arm = () => {
    if (timer !== undefined || remaining === null) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        const wasActive = active;
        active = false;
        roll(Date.now());
        notify();
        if (wasActive) arm();
      },
      Math.max(1, resetAt + marginMs - Date.now()),
    );
    timer.unref?.();
  };

  return {
    async acquire() {
      active = true;
      for (;;) {
        roll(Date.now());
        const budget = headerless
          ? 1
          : remaining === null
            ? inFlight === 0
              ? 1
              : 0
            : remaining - inFlight;
        if (budget > 0) {
          inFlight++;
          return;
        }
        // Wait for an answer (it may report more budget) or for the reset.
        const spent = remaining !== null && remaining <= 0;
        if (spent) waits++;
        await new Promise<void>((resolve) => {
          // A ref'd timer: a waiting call keeps the process alive.
          const t = spent
            ? setTimeout(resolve, Math.max(1, resetAt + marginMs - Date.now()))
            : undefined;
          wake.push(() => {
            if (t !== undefined) clearTimeout(t);
            resolve();
          });
        });
      }
    },
    release() {
      inFlight = Math.max(0, inFlight - 1);
      notify();
    },
    observe(status, headers, receivedAt = Date.now()) {
      const reportedLimit = num(headers, RATE_HEADERS.limit);
      if (reportedLimit !== undefined && reportedLimit > 0) limit = reportedLimit;
      const rem = num(headers, RATE_HEADERS.remaining);
      const reset = num(headers, RATE_HEADERS.reset);
      if (rem === undefined || reset === undefined) {
        if (remaining === null && status >= 200 && status < 300) headerless = true;
        notify();
        return;
      }
      headerless = false;
      const at = receivedAt + reset * 1000;
      const left = status === 429 ? 0 : rem;
      const tolerance = windowMs / 2;
      if (remaining === null || at > resetAt + tolerance) {
        remaining = left; // a newer window
        resetAt = at;
      } else if (at >= resetAt - tolerance) {
        remaining = Math.min(remaining, left); // the same window: the lowest count is the latest
        resetAt = Math.min(resetAt, at);
      } // else: a late answer from an older window
      arm();
      notify();
    },
    retryAfterMs(headers) {
      const reset = num(headers, RATE_HEADERS.reset);
      return reset === undefined ? undefined : Math.ceil(reset * 1000 + marginMs);
    },
    state: () => ({ limit, remaining, resetAt, inFlight, waits, headerless }),
  };
}

/**
 * Wraps a @fulfil/http limiter so each call also passes the {@link RateGate}
 * (after the limiter let it go, so its per-attempt timeout starts only then).
 */
export function gatedLimiter(inner: RateLimiter, gate: RateGate): RateLimiter {
  const schedule: RateLimiter['schedule'] = (fn, weight) =>
    inner.schedule(async () => {
      await gate.acquire();
      try {
        return await fn();
      } finally {
        gate.release();
      }
    }, weight);
  // Everything else (report, tryTake, available, disconnect, ...) is the inner limiter's.
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'schedule') return schedule;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
