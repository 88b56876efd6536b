import { ErrorCodes, FulfilError } from '@fulfil/core';

/** Longest body excerpt an {@link UpstreamError} keeps. */
export const BODY_EXCERPT_CHARS = 500;

/**
 * Vendor codes the client itself assigns when there is no HTTP answer.
 * `LIMITER_UNAVAILABLE`: the Redis-shared rate limiter could not admit the call (nothing was sent).
 */
export type TransportCode =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'ABORTED'
  | 'INVALID_RESPONSE'
  | 'LIMITER_UNAVAILABLE';

/** What an {@link UpstreamError} carries besides its message. */
export interface UpstreamErrorInit {
  /** The vendor (e.g. `shopify`), used in the message. */
  vendor: string;
  method: string;
  /** The URL, with secret query parameters redacted. */
  url: string;
  /** HTTP status; undefined when no response arrived (timeout, network). */
  status?: number;
  /** The vendor's own error code (`THROTTLED`, a userErrors code), or a {@link TransportCode}. */
  vendorCode?: string;
  /** May the same request succeed later (429, 5xx, timeouts, throttling)? */
  retryable: boolean;
  /** The start of the response body, secrets redacted. */
  bodyExcerpt?: string;
  /** How long the server asked us to wait, when it said. */
  retryAfterMs?: number;
  /** Attempts made, retries included. */
  attempts?: number;
  cause?: unknown;
  /** Extra machine-readable detail (e.g. GraphQL `userErrors`). */
  extra?: Record<string, unknown>;
}

/**
 * A remote call failed. A `FulfilError` with code `ADAPTER_FAILED`, so the
 * engine's dispatcher retries it; `retryable` says whether retrying can help.
 *
 * @example
 * ```ts
 * try { await client.post('/orders', { body }); }
 * catch (err) {
 *   if (err instanceof UpstreamError && err.status === 422) console.error(err.bodyExcerpt);
 * }
 * ```
 */
export class UpstreamError extends FulfilError {
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryable: boolean;
  readonly bodyExcerpt: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly vendor: string;
  /** Attempts made, retries included (set by the client when it gives up). */
  attempts: number;

  constructor(message: string, init: UpstreamErrorInit) {
    const what = init.status === undefined ? (init.vendorCode ?? 'no response') : init.status;
    super(
      ErrorCodes.ADAPTER_FAILED,
      `${init.vendor}: ${init.method} ${init.url}: ${what}: ${message}`,
      {
        cause: init.cause,
        details: {
          vendor: init.vendor,
          status: init.status,
          vendorCode: init.vendorCode,
          retryable: init.retryable,
          bodyExcerpt: init.bodyExcerpt,
          ...init.extra,
        },
      },
    );
    this.status = init.status;
    this.vendorCode = init.vendorCode;
    this.retryable = init.retryable;
    this.bodyExcerpt = init.bodyExcerpt;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.url = init.url;
    this.vendor = init.vendor;
    this.attempts = init.attempts ?? 1;
  }
}

/**
 * True when a call's outcome is unknown: the vendor answered 2xx but the body could not be
 * read (`details.outcome === 'unknown'`), so the request may or may not have taken effect.
 * Callers re-check (read back by idempotency key) before retrying or giving up.
 *
 * @example
 * ```ts
 * try { await client.post('/orders', { body }); }
 * catch (err) { if (isUnknownOutcome(err)) return await findByKey(key); throw err; }
 * ```
 */
export function isUnknownOutcome(err: unknown): err is UpstreamError {
  return (
    err instanceof UpstreamError && (err.details as { outcome?: unknown }).outcome === 'unknown'
  );
}

/** True when `err` is an {@link UpstreamError}. */
export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}

const SECRET_KEYS =
  /("?(?:access[_-]?token|refresh[_-]?token|token|secret|client[_-]?secret|password|api[_-]?key|apikey|authorization|x-shopify-access-token)"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,&}"]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * Replaces secrets in `text`: every string in `secrets` (auth header values,
 * API keys), `Bearer …`/`Basic …` credentials and the values of fields named like
 * tokens, secrets, passwords or authorization. Then cuts it to `max` characters.
 */
export function redact(text: string, secrets: readonly string[] = [], max = BODY_EXCERPT_CHARS) {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  out = out.replace(BEARER, '$1 [REDACTED]');
  out = out.replace(SECRET_KEYS, (_m, key: string, value: string) =>
    value.startsWith('"') ? `${key}"[REDACTED]"` : `${key}[REDACTED]`,
  );
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** The URL with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const key of [...u.searchParams.keys()]) {
      if (/token|secret|key|password|signature|sig/i.test(key)) {
        u.searchParams.set(key, 'REDACTED');
      }
    }
    return u.toString();
  } catch {
    return url;
  }
}
