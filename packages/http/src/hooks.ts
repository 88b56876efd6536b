import type { UpstreamError } from './errors';

/**
 * Metrics hooks of an HTTP client. Each receives one plain event; an error thrown
 * by a hook is swallowed (a metric never breaks a call).
 *
 * @example
 * ```ts
 * const hooks: HttpHooks = {
 *   onResponse: (e) => metrics.observe('http_ms', e.durationMs, { status: String(e.status) }),
 *   onRetry: () => metrics.increment('http_retries'),
 *   onRateLimited: () => metrics.increment('http_429'),
 * };
 * ```
 */
export interface HttpHooks {
  /** An attempt is about to be sent (after any limiter wait). */
  onRequest?(event: { method: string; url: string; attempt: number }): void;
  /** An attempt got a response (any status). */
  onResponse?(event: {
    method: string;
    url: string;
    status: number;
    attempt: number;
    durationMs: number;
  }): void;
  /** A failed attempt will be retried after `delayMs`. */
  onRetry?(event: {
    method: string;
    url: string;
    attempt: number;
    delayMs: number;
    error: UpstreamError;
  }): void;
  /** An attempt waited for the rate limiter. */
  onWait?(event: { method: string; url: string; waitedMs: number; weight: number }): void;
  /** The server answered 429 (or the vendor's equivalent, e.g. GraphQL THROTTLED). */
  onRateLimited?(event: {
    method: string;
    url: string;
    status: number;
    retryAfterMs: number | undefined;
  }): void;
}
