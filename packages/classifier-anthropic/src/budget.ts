import { createRateLimiter } from '@fulfil/http';
import { checkBudgetOptions } from './options';

/**
 * One limit of a store's budget. @fulfil/http's `RateLimiter` is one; anything
 * with these methods works (it MUST NOT wait in `tryTake`).
 */
export interface BudgetLimiter {
  /** Takes `weight` units now, or refuses at once (`false`, nothing taken). */
  tryTake(weight?: number): Promise<boolean>;
  /** Gives back (`> 0`) or charges (`< 0`) units without waiting; resolves to what is left. */
  adjust(units: number): Promise<number | null>;
  /** Units left now (null when unlimited). */
  available(): Promise<number | null>;
  /** Releases timers and connections. */
  disconnect?(): Promise<void>;
}

/** The two limits of one store. */
export interface StoreLimiters {
  /** One unit per model call. */
  calls: BudgetLimiter;
  /** One unit per token (input + output). */
  tokens: BudgetLimiter;
}

/** Limits of the model budget, per store (`order.source.store`). */
export interface BudgetOptions {
  /** Model calls per store per minute (a token bucket: this many at once, then one every 60/n s). Default 60. */
  callsPerMinute?: number;
  /** Tokens (input + output) per store per day (a 24-hour window). Default 1,000,000. */
  tokensPerDay?: number;
  /**
   * Share each store's budget between processes through Redis (bottleneck's
   * clustering in @fulfil/http): every process using the same `prefix` on the same
   * Redis draws from one budget per store. Processes MUST configure the same limits
   * (the first to create a store's budget in Redis sets it until its keys expire).
   */
  redis?: {
    /** A connected-or-connecting ioredis client (duplicated per limiter; never closed by the budget). */
    client: object;
    /** Names the limits `<prefix>:<store>:calls` and `<prefix>:<store>:tokens`. Default `fulfil:claude`. */
    prefix?: string;
  };
  /** Builds a store's limiters yourself (other windows, another store); replaces the options above. */
  limiters?: (store: string) => StoreLimiters;
  /** Longest wait for the budget (a Redis round trip); past it the call is refused. Default 250 ms. */
  timeoutMs?: number;
  /** Stores whose limiters are kept open; the least recently used are closed beyond it. Default 1000. */
  maxStores?: number;
}

/** Why a take was refused: a limit was reached, or the budget did not answer in time. */
export type BudgetRefusal = 'calls' | 'tokens' | 'unavailable';

/** A model budget per store. Nothing in it ever waits for units to come back. */
export interface Budget {
  /**
   * Takes one call and `tokens` (an estimate, settled later) from `store`'s
   * budget, or refuses at once. A refusal takes nothing.
   */
  take(store: string, tokens: number): Promise<{ ok: true } | { ok: false; limit: BudgetRefusal }>;
  /**
   * Settles a take: gives back `reserved - used` tokens, or charges the excess (never
   * below zero). Waits at most `timeoutMs`.
   */
  settle(store: string, reserved: number, used: number): Promise<void>;
  /** What is left for `store` now (rounded down). */
  remaining(store: string): Promise<{ calls: number; tokens: number }>;
  /** Closes every store's limiters. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Creates the per-store model budget on @fulfil/http's limiter: a token bucket of
 * calls per minute and a 24-hour window of tokens per store, in this process or
 * shared through Redis. Throws `CONFIG_INVALID` naming the bad option.
 *
 * Contract: `take` MUST NOT wait for the budget: it answers from the limiters at
 * once and refuses (`unavailable`) when they do not answer within `timeoutMs`
 * (a take that lands after that is given back). A call taken but refused tokens
 * is given back.
 *
 * @example
 * ```ts
 * const budget = createBudget({ callsPerMinute: 30, tokensPerDay: 200_000, redis: { client: redis } });
 * const taken = await budget.take('acme', 1200);
 * if (taken.ok) { const used = await callModel(); await budget.settle('acme', 1200, used); }
 * ```
 */
export function createBudget(options: BudgetOptions = {}): Budget {
  checkBudgetOptions(options);
  const perMinute = options.callsPerMinute ?? 60;
  const perDay = options.tokensPerDay ?? 1_000_000;
  const timeoutMs = options.timeoutMs ?? 250;
  const maxStores = options.maxStores ?? 1000;
  const prefix = options.redis?.prefix ?? 'fulfil:claude';
  const build =
    options.limiters ??
    ((store: string): StoreLimiters => ({
      calls: createRateLimiter({
        kind: 'token-bucket',
        capacity: perMinute,
        refillPerSecond: perMinute / 60,
        ...(options.redis && {
          redis: { id: `${prefix}:${store}:calls`, client: options.redis.client },
        }),
      }),
      tokens: createRateLimiter({
        kind: 'fixed-window',
        limit: perDay,
        windowMs: DAY_MS,
        ...(options.redis && {
          redis: {
            id: `${prefix}:${store}:tokens`,
            client: options.redis.client,
            ttlMs: 2 * DAY_MS,
          },
        }),
      }),
    }));
  const stores = new Map<string, StoreLimiters>();
  const get = (store: string): StoreLimiters => {
    let l = stores.get(store);
    if (l !== undefined) {
      stores.delete(store);
      stores.set(store, l);
      return l;
    }
    l = build(store);
    stores.set(store, l);
    if (stores.size > maxStores) {
      const [oldest, evicted] = stores.entries().next().value as [string, StoreLimiters];
      stores.delete(oldest);
      void closeAll([evicted]);
    }
    return l;
  };
  /** A take that answers within `timeoutMs`, or is refused; a late success is given back. */
  const takeQuickly = async (limiter: BudgetLimiter, weight: number): Promise<boolean | 'late'> => {
    let late = false;
    const take = limiter.tryTake(weight).then(
      (ok) => {
        if (ok && late) void limiter.adjust(weight).catch(() => {});
        return ok;
      },
      // A limiter that failed (e.g. its Redis is unreachable) is unavailable, not spent.
      (): 'late' => 'late',
    );
    const answer = await within(take, timeoutMs, () => {
      late = true;
    });
    return answer ?? 'late';
  };

  return {
    async take(store, tokens) {
      const l = get(store);
      const weight = Math.max(0, Math.ceil(tokens));
      // Both at once (one round trip each, in parallel); a half that was taken goes back.
      const [call, t] = await Promise.all([takeQuickly(l.calls, 1), takeQuickly(l.tokens, weight)]);
      if (call === true && t === true) return { ok: true };
      const back: Promise<unknown>[] = [];
      if (call === true) back.push(l.calls.adjust(1).catch(() => null));
      if (t === true) back.push(l.tokens.adjust(weight).catch(() => null));
      await within(Promise.all(back), timeoutMs);
      const limit: BudgetRefusal =
        call === 'late' || t === 'late' ? 'unavailable' : call !== true ? 'calls' : 'tokens';
      return { ok: false, limit };
    },
    async settle(store, reserved, used) {
      const delta = Math.ceil(reserved) - Math.max(0, Math.ceil(used));
      if (delta === 0 || !Number.isFinite(delta)) return;
      const adjusted = get(store)
        .tokens.adjust(delta)
        .catch(() => undefined);
      await within(adjusted, timeoutMs);
    },
    async remaining(store) {
      const l = get(store);
      const [calls, tokens] = await Promise.all([l.calls.available(), l.tokens.available()]);
      return {
        calls: Math.max(0, Math.floor(calls ?? Number.POSITIVE_INFINITY)),
        tokens: Math.max(0, Math.floor(tokens ?? Number.POSITIVE_INFINITY)),
      };
    },
    async close() {
      const all = [...stores.values()];
      stores.clear();
      await closeAll(all);
    },
  };
}

/** `work`'s result, or undefined (after `onTimeout`) when it takes longer than `ms`. */
async function within<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => void = () => {},
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve(undefined);
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function closeAll(limiters: StoreLimiters[]): Promise<void> {
  await Promise.all(
    limiters.flatMap((l) => [l.calls, l.tokens]).map((x) => x.disconnect?.().catch(() => {})),
  );
}
