import { FulfilError } from '@fulfil/core';
import {
  createHttpClient,
  createRateLimiter,
  type HttpHooks,
  type HttpResponse,
  isUpstreamError,
  parseRetryAfter,
  type RateLimiter,
  type UpstreamError,
} from '@fulfil/http';
import { type AuthProvider, createAuth } from './auth';
import { fillTemplate } from './mapping';
import { checkHeaders, fillPath } from './request-guard';
import type { RateLimit, ResolvedConfig } from './schema';
import { createSlidingWindowLimiter } from './sliding-window';

/** Non-data options of the adapter (everything that is not JSON). */
export interface Generic3plRuntime {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Waits between retries (tests may inject one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch ms now (token expiry, webhook timestamps, events without a date). Default `Date.now`. */
  now?: () => number;
  /** A limiter to use instead of one built from `rateLimit` (e.g. shared through Redis). */
  limiter?: RateLimiter;
  /** HTTP metrics hooks. */
  hooks?: HttpHooks;
  /** Called with shipments a poll could not attribute (webhooks return them in `unmatched`). */
  onUnmatched?: (unmatched: { reason: string; details: Record<string, unknown> }[]) => void;
}

/** Where a next page is: a path under `baseUrl` (already encoded) and its query. */
export interface PageRef {
  path: string;
  query: Record<string, string>;
}

/** The operation names of a configuration. */
export type OperationName = keyof ResolvedConfig['operations'];

/** Sends configured operations with auth, limits, retries and one token refresh on 401. */
export interface Transport {
  call(
    name: OperationName,
    vars: Record<string, string | undefined>,
    body: unknown,
    extraHeaders?: Record<string, string>,
    /** Another page of the same operation: a path under `baseUrl` (already encoded) and its query. */
    at?: PageRef,
  ): Promise<HttpResponse>;
  readonly auth: AuthProvider;
  readonly limiter: RateLimiter | undefined;
}

/**
 * Builds a limiter from `rateLimit`: fixed windows and token buckets are
 * `@fulfil/http` limiters; a sliding window ("150 per minute, any minute") is
 * {@link createSlidingWindowLimiter}, exact to the window.
 */
export function limiterFor(rate: RateLimit | undefined): RateLimiter | undefined {
  if (!rate) return undefined;
  switch (rate.kind) {
    case 'fixed-window':
      return createRateLimiter({
        kind: 'fixed-window',
        limit: rate.limit,
        windowMs: rate.windowMs,
      });
    case 'token-bucket':
      return createRateLimiter({
        kind: 'token-bucket',
        capacity: rate.capacity,
        refillPerSecond: rate.refillPerSecond,
      });
    case 'sliding-window':
      return createSlidingWindowLimiter({ limit: rate.limit, windowMs: rate.windowMs });
  }
}

/** Creates the transport for a validated configuration. */
export function createTransport(config: ResolvedConfig, runtime: Generic3plRuntime): Transport {
  const now = runtime.now ?? Date.now;
  const auth = createAuth(config.auth, {
    name: config.name,
    fetch: runtime.fetch,
    now,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
  });
  const limiter = runtime.limiter ?? limiterFor(config.rateLimit);
  const waitHeader = config.retryAfterHeader.toLowerCase();
  const http = createHttpClient({
    baseUrl: config.baseUrl,
    vendor: config.name,
    headers: config.headers ?? {},
    limiter,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    fetch: runtime.fetch,
    sleep: runtime.sleep,
    hooks: runtime.hooks,
    redact: auth.secrets,
    retryAfter: ({ headers }) =>
      parseRetryAfter(headers.get(waitHeader)) ?? parseRetryAfter(headers.get('retry-after')),
  });

  async function once(
    name: OperationName,
    vars: Record<string, string | undefined>,
    body: unknown,
    extra: Record<string, string>,
    at: PageRef | undefined,
  ): Promise<{ response?: HttpResponse; error?: unknown; credential?: string }> {
    const op = config.operations[name]!;
    const fill = (rec: Record<string, string> | undefined) =>
      Object.fromEntries(
        Object.entries(rec ?? {}).map(([k, t]) => [k, fillTemplate(t, vars, false)]),
      );
    // Bad values are refused before anything is sent (non-retryable INVALID_INPUT).
    const path = at?.path
      ? at.path
      : fillPath(op.path, vars, `${config.name}: operations.${name}.path`);
    const sent = { ...fill(op.headers), ...extra };
    checkHeaders(sent, `${config.name}: operations.${name}.headers`);
    const { headers, credential } = await auth.headers();
    try {
      const response = await http.request({
        method: op.method,
        path,
        query: { ...fill(op.query), ...at?.query },
        headers: { ...headers, ...sent },
        body,
        // Submits carry the idempotency reference, cancels are idempotent: safe to repeat.
        idempotent: true,
      });
      return { response, credential };
    } catch (error) {
      return { error, credential };
    }
  }

  const authFailed = (err: UpstreamError, refreshed: boolean) =>
    new FulfilError(
      'ADAPTER_FAILED',
      `${config.name}: the vendor rejected our credentials (HTTP 401)${refreshed ? ' again after a fresh token' : ''}; check the auth settings`,
      { cause: err, details: { status: 401, retryable: false, reason: 'auth_failed' } },
    );

  return {
    auth,
    limiter,
    async call(name, vars, body, extra = {}, at) {
      const first = await once(name, vars, body, extra, at);
      if (first.response) return first.response;
      const err = first.error;
      if (!isUpstreamError(err) || err.status !== 401) throw err;
      if (!auth.rejected(first.credential)) throw authFailed(err, false);
      const second = await once(name, vars, body, extra, at);
      if (second.response) return second.response;
      if (isUpstreamError(second.error) && second.error.status === 401)
        throw authFailed(second.error, true);
      throw second.error;
    },
  };
}
