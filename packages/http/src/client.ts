import pRetry, { AbortError } from 'p-retry';
import { checkHttpClientOptions } from './client-options';
import { redact, redactUrl, UpstreamError } from './errors';
import type { HttpHooks } from './hooks';
import { isLimiterUnavailable, LIMITER_UNAVAILABLE } from './redis-guard';
import {
  backoffDelay,
  DEFAULT_RETRY,
  IDEMPOTENT_METHODS,
  parseRetryAfter,
  sleep as realSleep,
} from './retry';
import type { HttpClient, HttpClientOptions, HttpResponse, RequestOptions } from './types';

/**
 * Creates the HTTP client every remote adapter uses.
 *
 * Contract:
 * - Retries 429 (always: the server did not run the call), 408, 5xx, timeouts and
 *   network errors, with exponential backoff and jitter, waiting at least what
 *   `Retry-After` (or the `retryAfter` hook) asks.
 * - MUST NOT retry other 4xx, and MUST NOT repeat a non-idempotent method
 *   (POST, PATCH) after a possibly-executed failure unless it carries an
 *   `idempotencyKey` (or `idempotent: true`).
 * - Failures are {@link UpstreamError}s (code `ADAPTER_FAILED`) whose body excerpt
 *   has auth header values, tokens and secrets redacted.
 *
 * @example
 * ```ts
 * const client = createHttpClient({
 *   baseUrl: 'https://api.example-3pl.com/v2/',
 *   headers: { Authorization: `Bearer ${process.env.TPL_TOKEN}` },
 *   limiter: createRateLimiter({ kind: 'fixed-window', limit: 60, windowMs: 60_000 }),
 * });
 * const { data } = await client.post('orders', order, { idempotencyKey: 'ord-1:submit' });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  checkHttpClientOptions(options);
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const vendor = options.vendor ?? base.host;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const wait = options.sleep ?? realSleep;
  const hooks = options.hooks ?? {};
  const idemHeader = options.idempotencyHeader ?? 'Idempotency-Key';
  const call = <K extends keyof HttpHooks>(
    name: K,
    event: Parameters<NonNullable<HttpHooks[K]>>[0],
  ) => {
    try {
      (hooks[name] as ((e: typeof event) => void) | undefined)?.(event);
    } catch {
      // hooks must never break a call
    }
  };

  async function request<T>(req: RequestOptions): Promise<HttpResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const shownUrl = redactUrl(url.toString());
    const mayRepeat =
      req.idempotent ?? (IDEMPOTENT_METHODS.has(method) || req.idempotencyKey !== undefined);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    let attempts = 0;
    let retriesDone = 0;

    const once = async (): Promise<HttpResponse<T>> => {
      attempts++;
      const fixed =
        typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
      const secrets = [...Object.values(fixed), ...(options.redact ?? [])];
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...fixed,
        ...req.headers,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (req.idempotencyKey !== undefined) headers[idemHeader] = req.idempotencyKey;
      const timeout = AbortSignal.timeout(req.timeoutMs ?? options.timeoutMs ?? 30_000);
      const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
      const fail = (
        message: string,
        init: Partial<ConstructorParameters<typeof UpstreamError>[1]>,
      ) => new UpstreamError(message, { vendor, method, url: shownUrl, retryable: false, ...init });
      const started = performance.now();
      call('onRequest', { method, url: shownUrl, attempt: attempts });
      let res: Response;
      let text: string;
      try {
        res = await doFetch(url, { method, headers, body, signal });
        text = await res.text();
      } catch (cause) {
        if (req.signal?.aborted)
          throw new AbortError(fail('aborted by caller', { vendorCode: 'ABORTED', cause }));
        const timedOut = timeout.aborted;
        const code = (cause as { cause?: { code?: string } }).cause?.code;
        throw fail(
          timedOut
            ? `no response within ${req.timeoutMs ?? options.timeoutMs ?? 30_000} ms`
            : `network error${code ? ` (${code})` : ''}`,
          {
            vendorCode: timedOut ? 'TIMEOUT' : 'NETWORK',
            retryable: true,
            cause,
            extra: { neverSent: code === 'ECONNREFUSED' },
          },
        );
      }
      const durationMs = performance.now() - started;
      call('onResponse', {
        method,
        url: shownUrl,
        status: res.status,
        attempt: attempts,
        durationMs,
      });
      if (res.status >= 200 && res.status < 300) {
        let data: unknown = text === '' ? undefined : text;
        const json =
          (res.headers.get('content-type') ?? '').includes('json') || /^\s*[[{]/.test(text);
        if (json && text !== '') {
          try {
            data = JSON.parse(text);
          } catch (cause) {
            // A 2xx whose body cannot be read: the vendor may well have done what was asked.
            // Not retried here (the caller re-checks first, by idempotency key); retryable
            // for the caller, with `details.outcome: 'unknown'` (see `isUnknownOutcome`).
            throw new AbortError(
              fail('response is not valid JSON', {
                status: res.status,
                vendorCode: 'INVALID_RESPONSE',
                retryable: true,
                bodyExcerpt: redact(text, secrets),
                cause,
                extra: { outcome: 'unknown' },
              }),
            );
          }
        }
        return { status: res.status, headers: res.headers, data: data as T, text, attempts };
      }
      const retryAfterMs = (options.retryAfter ?? defaultRetryAfter)({
        status: res.status,
        headers: res.headers,
      });
      if (res.status === 429)
        call('onRateLimited', { method, url: shownUrl, status: res.status, retryAfterMs });
      const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
      throw fail(`HTTP ${res.status}`, {
        status: res.status,
        vendorCode: vendorCodeOf(text),
        retryable,
        retryAfterMs,
        bodyExcerpt: redact(text, secrets),
      });
    };

    const attempt = async () => {
      if (!options.limiter) return once();
      const queuedAt = performance.now();
      return options.limiter.schedule(() => {
        const waitedMs = performance.now() - queuedAt;
        if (waitedMs >= 1)
          call('onWait', { method, url: shownUrl, waitedMs, weight: req.weight ?? 1 });
        return once();
      }, req.weight ?? 1);
    };

    try {
      return await pRetry(attempt, {
        retries: retry.retries,
        minTimeout: 0,
        factor: 1,
        maxRetryTime: retry.maxRetryTimeMs,
        signal: req.signal,
        shouldRetry: async ({ error }) => {
          if (!(error instanceof UpstreamError) || !error.retryable) return false;
          const notRun = error.status === 429 || error.details.neverSent === true;
          if (!notRun && !mayRepeat) return false;
          const serverWait = error.retryAfterMs ?? 0;
          if (serverWait > retry.maxRetryAfterMs) return false;
          const delayMs = Math.max(serverWait, backoffDelay(retriesDone, retry));
          retriesDone++;
          call('onRetry', { method, url: shownUrl, attempt: attempts, delayMs, error });
          await wait(delayMs, req.signal);
          return true;
        },
      });
    } catch (err) {
      if (err instanceof UpstreamError) {
        err.attempts = attempts;
        throw err;
      }
      const aborted = req.signal?.aborted === true;
      // The shared limiter could not reach Redis: nothing was sent, retry later (not here:
      // an outage outlasts in-process retries, and the dispatcher backs off).
      const unavailable = !aborted && isLimiterUnavailable(err);
      const message = err instanceof Error ? err.message : String(err);
      throw new UpstreamError(unavailable ? message.replace(/^[A-Z_]+: /, '') : message, {
        vendor,
        method,
        url: shownUrl,
        retryable: !aborted,
        vendorCode: aborted ? 'ABORTED' : unavailable ? 'LIMITER_UNAVAILABLE' : undefined,
        attempts,
        cause: err,
        extra: unavailable ? { neverSent: true, reason: LIMITER_UNAVAILABLE } : undefined,
      });
    }
  }

  return {
    limiter: options.limiter,
    request,
    get: (path, o) => request({ ...o, path, method: 'GET' }),
    post: (path, body, o) => request({ ...o, path, body, method: 'POST' }),
    put: (path, body, o) => request({ ...o, path, body, method: 'PUT' }),
    patch: (path, body, o) => request({ ...o, path, body, method: 'PATCH' }),
    delete: (path, o) => request({ ...o, path, method: 'DELETE' }),
  };
}

function defaultRetryAfter(response: { headers: Headers }): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'));
}

/** A vendor error code from a JSON error body (`code`, `error.code`, `errors[0].code`). */
function vendorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const pick = (v: unknown) => (typeof v === 'string' && v.length <= 100 ? v : undefined);
    const err = body.error as Record<string, unknown> | undefined;
    const first = Array.isArray(body.errors)
      ? (body.errors[0] as Record<string, unknown>)
      : undefined;
    return (
      pick(body.code) ??
      pick(typeof err === 'object' ? err?.code : undefined) ??
      pick(first?.code) ??
      pick((first?.extensions as Record<string, unknown> | undefined)?.code)
    );
  } catch {
    return undefined;
  }
}
