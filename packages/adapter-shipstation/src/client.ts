import { FulfilError } from '@fulfil/core';
import {
  createHttpClient,
  createRateLimiter,
  type HttpClient,
  type RequestOptions,
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
  /** Sends a request and parses the 2xx answer with `schema`; failures are translated (see {@link translate}). */
  call<S extends z.ZodType>(schema: S, request: RequestOptions): Promise<z.output<S>>;
}

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
  const http = createHttpClient({
    vendor: 'shipstation',
    baseUrl: base.toString(),
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
  });
  return {
    http,
    gate,
    base,
    async call(schema, request) {
      let data: unknown;
      try {
        data = (await http.request(request)).data;
      } catch (err) {
        throw translate(err);
      }
      const parsed = schema.safeParse(data);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        `unexpected answer: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
        {
          vendor: 'shipstation',
          method: request.method ?? 'GET',
          url: request.path,
          status: 200,
          vendorCode: 'INVALID_RESPONSE',
          retryable: true,
          bodyExcerpt: JSON.stringify(data)?.slice(0, 300),
        },
      );
    },
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
