import { FulfilError } from '@fulfil/core';
import {
  createHttpClient,
  createRateLimiter,
  type HttpClient,
  type HttpClientOptions,
  type RequestOptions,
  redact,
  UpstreamError,
} from '@fulfil/http';
import type { z } from 'zod';
import type { ResolvedOptions } from './options';
import { createRateGate, gatedLimiter, type RateGate } from './rate-gate';

/** The ShipStation API client the adapter uses: Basic auth, the limit, typed answers. */
export interface ShipStationClient {
  readonly http: HttpClient;
  readonly gate: RateGate;
  /** The base URL (with a trailing slash). */
  readonly base: URL;
  /**
   * Sends a request and parses the 2xx answer with `schema`; failures are translated (see
   * {@link translate}). A 2xx whose body is unreadable or not of the documented shape throws a
   * retryable `UpstreamError` with `details.outcome: 'unknown'` (`isUnknownOutcome` from
   * @fulfil/http): the call may have taken effect, so writers read back before retrying.
   */
  call<S extends z.ZodType>(schema: S, request: RequestOptions): Promise<z.output<S>>;
  /**
   * {@link call} on another host of ShipStation's own family (`https://ssapiN.shipstation.com`,
   * as SHIP_NOTIFY `resource_url`s name), with the same credentials, limiter and rate gate.
   * Refuses (throws `INVALID_INPUT`) any origin that is not https on an exact
   * `*.shipstation.com` host without port or credentials: never a foreign host.
   */
  callOn<S extends z.ZodType>(
    origin: string,
    schema: S,
    request: RequestOptions,
  ): Promise<z.output<S>>;
}

/** A host name of ShipStation's own family: one or more labels, then exactly `.shipstation.com`. */
const SHIPSTATION_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+shipstation\.com$/;

/**
 * True when `url` is on ShipStation's own host family: `https:`, the default port, no
 * credentials, and a host name that ends in `.shipstation.com` on a label boundary
 * (`ssapi.shipstation.com`, `ssapi11.shipstation.com`; never `shipstation.com.evil.com`,
 * `evilshipstation.com`, an IP literal or `http:`).
 */
export function isShipStationUrl(url: URL): boolean {
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    SHIPSTATION_HOST.test(url.hostname)
  );
}

/** Most per-host HTTP clients kept (an account posts from one or two `ssapiN` hosts). */
const MAX_HOSTS = 8;

/** Creates the client: every attempt passes the limiter, then the server-synced gate. */
export function createShipStationClient(options: ResolvedOptions): ShipStationClient {
  const { limit, windowMs } = options.rateLimit;
  const marginMs = options.rateLimit.resetMarginMs ?? Math.min(100, windowMs / 100);
  const inner = options.limiter ?? createRateLimiter({ kind: 'fixed-window', limit, windowMs });
  // At each reset ShipStation reports, the limiter's budget is full again: its own
  // window (started whenever it was created) is re-synced to the server's.
  const topUp = () => {
    if (typeof inner.adjust === 'function') inner.adjust(limit).catch(() => {});
  };
  const gate = createRateGate({ limit, windowMs, marginMs, onWindow: topUp });
  const limiter = gatedLimiter(inner, gate);
  const doFetch = options.fetch ?? fetch;
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const auth = Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64');
  const httpOptions: Omit<HttpClientOptions, 'baseUrl'> = {
    vendor: 'shipstation',
    headers: { Authorization: `Basic ${auth}` },
    redact: [options.apiKey, options.apiSecret],
    limiter,
    // A 429 waits up to a whole window for its reset: allow that in-process.
    retry: { maxRetryAfterMs: windowMs + marginMs + 1000, ...options.retry },
    timeoutMs: options.timeoutMs,
    hooks: options.hooks,
    // A 429 waits for the window's reset (X-Rate-Limit-Reset, seconds); others honour Retry-After.
    retryAfter: ({ status, headers }) =>
      status === 429 ? gate.retryAfterMs(headers) : retryAfterHeader(headers),
    fetch: async (input, init) => {
      const res = await doFetch(input, init);
      gate.observe(res.status, res.headers, Date.now());
      return res;
    },
  };
  const http = createHttpClient({ ...httpOptions, baseUrl: base.toString() });
  const hosts = new Map<string, HttpClient>();
  /** The client for a ShipStation-family origin (same options, limiter and gate). */
  const httpOn = (origin: string): HttpClient => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !isShipStationUrl(url) || url.pathname !== '/' || url.search || url.hash) {
      throw new FulfilError(
        'INVALID_INPUT',
        `shipstation: "${origin}" is not a ShipStation host (https://*.shipstation.com): not called`,
        { details: { vendor: 'shipstation', retryable: false } },
      );
    }
    if (url.origin === base.origin) return http;
    let client = hosts.get(url.origin);
    if (!client) {
      if (hosts.size >= MAX_HOSTS) hosts.delete(hosts.keys().next().value as string);
      client = createHttpClient({ ...httpOptions, baseUrl: `${url.origin}/` });
      hosts.set(url.origin, client);
    }
    return client;
  };
  const send = async <S extends z.ZodType>(
    on: HttpClient,
    schema: S,
    request: RequestOptions,
  ): Promise<z.output<S>> => {
    let data: unknown;
    try {
      data = (await on.request(request)).data;
    } catch (err) {
      throw translate(err);
    }
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const text = JSON.stringify(data);
    // A 2xx, but not the documented shape: whatever was asked may have been done.
    throw new UpstreamError(
      `unexpected answer: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      {
        vendor: 'shipstation',
        method: request.method ?? 'GET',
        url: request.path,
        status: 200,
        vendorCode: 'INVALID_RESPONSE',
        retryable: true,
        bodyExcerpt:
          text === undefined ? undefined : redact(text, [options.apiKey, options.apiSecret], 300),
        extra: { outcome: 'unknown' },
      },
    );
  };
  return {
    http,
    gate,
    base,
    call: (schema, request) => send(http, schema, request),
    callOn: async (origin, schema, request) => send(httpOn(origin), schema, request),
  };
}

function retryAfterHeader(headers: Headers): number | undefined {
  const v = headers.get('retry-after');
  return v !== null && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) * 1000 : undefined;
}

/**
 * 401/403 become a non-retryable `ADAPTER_FAILED` that says to check the key;
 * everything else passes through (`UpstreamError`: 429/5xx retryable, other 4xx not).
 */
export function translate(err: unknown): unknown {
  if (err instanceof UpstreamError && (err.status === 401 || err.status === 403)) {
    return new FulfilError(
      'ADAPTER_FAILED',
      `shipstation: HTTP ${err.status}: ShipStation refused the credentials: check apiKey and apiSecret (Settings → Account → API Settings) and that the account has API access`,
      {
        cause: err,
        details: {
          vendor: 'shipstation',
          status: err.status,
          retryable: false,
          reason: 'unauthorized',
          bodyExcerpt: err.bodyExcerpt,
        },
      },
    );
  }
  return err;
}

/**
 * The vendor's reason from a ShipStation error body: `Message`, `ExceptionMessage`
 * and each `ModelState` entry (`apiOrder.shipTo.country: ...`).
 */
export function reasonOf(err: UpstreamError): string {
  const raw = err.bodyExcerpt ?? '';
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of ['Message', 'message', 'ExceptionMessage']) {
      const v = body[key];
      if (typeof v === 'string' && v.trim() && !parts.includes(v.trim())) parts.push(v.trim());
    }
    const state = body.ModelState;
    if (state && typeof state === 'object') {
      for (const [field, messages] of Object.entries(state as Record<string, unknown>)) {
        const list = Array.isArray(messages) ? messages.join(' ') : String(messages);
        parts.push(`${field}: ${list}`);
      }
    }
    if (parts.length > 0) return `ShipStation HTTP ${err.status}: ${parts.join('; ')}`;
  } catch {
    // not JSON (or cut off): fall back to the text
  }
  return `ShipStation HTTP ${err.status}: ${raw.trim().slice(0, 300) || 'no reason given'}`;
}
