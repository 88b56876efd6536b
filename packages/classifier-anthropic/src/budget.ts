/** Limits of the model budget, per store. */
export interface BudgetOptions {
  /** Model calls per store per rolling minute. Default 60. */
  callsPerMinute?: number;
  /** Tokens (input + output) per store per UTC day. Default 1,000,000. */
  tokensPerDay?: number;
}

/**
 * A simple in-process budget per store: a rolling one-minute window of calls
 * and a per-UTC-day token total. It is per process: several processes each get
 * the full budget (share one through a distributed limiter if that matters).
 */
export interface Budget {
  /** Takes one call from `store`'s budget; false when the store is over either limit. */
  take(store: string): boolean;
  /** Records tokens spent by `store`. */
  spend(store: string, tokens: number): void;
  /** What is left for `store` now. */
  remaining(store: string): { calls: number; tokens: number };
}

interface StoreUsage {
  calls: number[];
  day: string;
  tokens: number;
}

/** Creates a {@link Budget}. `now` is injectable for tests. */
export function createBudget(options: BudgetOptions = {}, now: () => number = Date.now): Budget {
  const perMinute = options.callsPerMinute ?? 60;
  const perDay = options.tokensPerDay ?? 1_000_000;
  const usage = new Map<string, StoreUsage>();
  const get = (store: string): StoreUsage => {
    const t = now();
    const day = new Date(t).toISOString().slice(0, 10);
    let u = usage.get(store);
    if (u === undefined) {
      if (usage.size >= 10_000) usage.clear();
      u = { calls: [], day, tokens: 0 };
      usage.set(store, u);
    }
    if (u.day !== day) {
      u.day = day;
      u.tokens = 0;
    }
    while (u.calls.length > 0 && (u.calls[0] as number) <= t - 60_000) u.calls.shift();
    return u;
  };
  return {
    take(store) {
      const u = get(store);
      if (u.calls.length >= perMinute || u.tokens >= perDay) return false;
      u.calls.push(now());
      return true;
    },
    spend(store, tokens) {
      get(store).tokens += Math.max(0, tokens);
    },
    remaining(store) {
      const u = get(store);
      return {
        calls: Math.max(0, perMinute - u.calls.length),
        tokens: Math.max(0, perDay - u.tokens),
      };
    },
  };
}
