/** How a client retries. Every field has a default. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. Set 0 to never retry. */
  retries?: number;
  /** First backoff. Default 500 ms. */
  minDelayMs?: number;
  /** Longest backoff. Default 30 s. */
  maxDelayMs?: number;
  /** Backoff growth per retry. Default 2. */
  factor?: number;
  /**
   * Longest server-requested wait (`Retry-After`, reset headers) the client honours
   * in-process. A longer one fails at once with a retryable `UpstreamError`
   * (its `retryAfterMs` set) so an outbox can retry later. Default 60 s.
   */
  maxRetryAfterMs?: number;
  /** Give up once this much time passed since the first attempt. Default 2 minutes. */
  maxRetryTimeMs?: number;
}

/** Methods that are safe to repeat. Others are retried only with an idempotency key. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
]);

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 4,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxRetryAfterMs: 60_000,
  maxRetryTimeMs: 120_000,
};

/**
 * Reads `Retry-After` (delay-seconds or an HTTP date) as milliseconds from `now`.
 * Returns undefined when absent or unreadable; never negative.
 *
 * @example
 * ```ts
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')); // 60000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()) {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay plus a random
 * half, capped at `maxDelayMs`. `retry` counts from 0.
 */
export function backoffDelay(
  retry: number,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
) {
  const exp = Math.min(options.maxDelayMs, options.minDelayMs * options.factor ** retry);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
