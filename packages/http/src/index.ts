export { createHttpClient } from './client';
export { HttpClientOptionsSchema } from './client-options';
export {
  BODY_EXCERPT_CHARS,
  isUnknownOutcome,
  isUpstreamError,
  redact,
  redactUrl,
  type TransportCode,
  UpstreamError,
  type UpstreamErrorInit,
} from './errors';
export type { HttpHooks } from './hooks';
export {
  type BudgetReport,
  type CostLimit,
  createRateLimiter,
  type FixedWindowLimit,
  type RateLimiter,
  type RateLimiterOptions,
  type RedisClustering,
  type TokenBucketLimit,
} from './limiter';
export {
  isLimiterUnavailable,
  type LimiterOperation,
  type RedisFallback,
  type RedisUnavailableEvent,
} from './redis-guard';
export {
  backoffDelay,
  DEFAULT_RETRY,
  IDEMPOTENT_METHODS,
  parseRetryAfter,
  type RetryOptions,
  sleep,
} from './retry';
export type {
  HeaderSource,
  HttpClient,
  HttpClientOptions,
  HttpResponse,
  RequestOptions,
} from './types';
