import type { Alert } from '@fulfil/core';

/** When one reason floods, one digest message stands for the rest. */
export interface DigestOptions {
  /** Alerts with the same reason posted one by one per window before the digest. Default 3. */
  after?: number;
  /** The window. Default 60 000 ms. */
  windowMs?: number;
}

/**
 * Posts (no `ts`) or updates (`ts`) the digest saying `count` alerts were folded; returns the
 * message's `ts` when the sink can update it later.
 */
export type FlushDigest = (
  sample: Alert,
  count: number,
  ts: string | undefined,
  key: string,
) => Promise<string | undefined>;

interface Window {
  start: number;
  posted: Set<string>;
  folded: Set<string>;
  shown: number;
  ts: string | undefined;
  key: string;
  sample: Alert;
  inflight: Promise<void> | undefined;
}

/**
 * Groups alerts by severity and message (the reason). The first `after` alerts of a window
 * post on their own; the next ones are folded into one digest message whose count is kept
 * current. Concurrent folds share one post/update (at most one in flight per reason), and a
 * fold resolves only once Slack shows a count that includes it (so the outbox never loses one).
 */
export function createDigests(options: DigestOptions, now: () => number, flush: FlushDigest) {
  const after = options.after ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const windows = new Map<string, Window>();

  function windowOf(alert: Alert): Window {
    const reason = `${alert.severity}\u0000${alert.message}`;
    const t = now();
    let w = windows.get(reason);
    if (!w || t - w.start >= windowMs) {
      for (const [k, old] of windows)
        if (t - old.start >= windowMs && !old.inflight) windows.delete(k);
      w = {
        start: t,
        posted: new Set(),
        folded: new Set(),
        shown: 0,
        ts: undefined,
        key: `digest:${alert.idempotencyKey}`,
        sample: alert,
        inflight: undefined,
      };
      windows.set(reason, w);
    }
    return w;
  }

  return {
    /** True when the alert was folded into a digest (already shown); false: post it yourself. */
    async absorb(alert: Alert): Promise<boolean> {
      const w = windowOf(alert);
      if (w.posted.has(alert.idempotencyKey)) return false;
      if (!w.folded.has(alert.idempotencyKey)) {
        if (w.posted.size < after) {
          w.posted.add(alert.idempotencyKey);
          return false;
        }
        w.folded.add(alert.idempotencyKey);
      }
      const mine = w.folded.size;
      while (w.shown < mine) {
        if (!w.inflight) {
          const count = w.folded.size;
          w.inflight = flush(w.sample, count, w.ts, w.key)
            .then((ts) => {
              w.ts = ts ?? w.ts;
              w.shown = Math.max(w.shown, count);
            })
            .finally(() => {
              w.inflight = undefined;
            });
        }
        await w.inflight;
      }
      return true;
    },
  };
}
