import type { Metrics } from '@fulfil/core';

/**
 * The subset of `@fulfil/http`'s `HttpHooks` this module fills (structurally the same type,
 * so the result can be passed as `hooks` to any @fulfil adapter).
 */
export interface MetricsHttpHooks {
  onResponse(event: { method: string; status: number; durationMs: number }): void;
  onRetry(event: { method: string }): void;
  onWait(event: { waitedMs: number }): void;
  onRateLimited(event: { method: string }): void;
}

/**
 * HTTP hooks that report one upstream's use: `http_requests{upstream,method,status}`,
 * `http_ms`, `http_retries`, `http_rate_limited` and `http_wait_ms`. No URL is a label
 * (URLs carry order ids). Pass the result as `hooks` to an adapter's options.
 *
 * @example
 * ```ts
 * const warehouse = createShipStationWarehouse({ ...config, hooks: httpMetricsHooks(metrics, 'shipstation') });
 * ```
 */
export function httpMetricsHooks(metrics: Metrics, upstream: string): MetricsHttpHooks {
  const status = (s: number) => (Number.isInteger(s) && s >= 100 && s < 600 ? String(s) : 'other');
  return {
    onResponse(e) {
      const labels = { upstream, method: e.method.toUpperCase(), status: status(e.status) };
      metrics.increment('http_requests', labels);
      metrics.observe('http_ms', e.durationMs, labels);
    },
    onRetry(e) {
      metrics.increment('http_retries', { upstream, method: e.method.toUpperCase() });
    },
    onWait(e) {
      metrics.observe('http_wait_ms', e.waitedMs, { upstream });
    },
    onRateLimited(e) {
      metrics.increment('http_rate_limited', { upstream, method: e.method.toUpperCase() });
    },
  };
}
