import type { HttpHooks } from './hooks';
import type { RateLimiter } from './limiter';
import type { RetryOptions } from './retry';

/** Headers, or a function returning them (e.g. a fresh token) before every attempt. */
export type HeaderSource =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Every request path is resolved against it, e.g. `https://acme.myshopify.com/admin/api/2025-07/`. */
  baseUrl: string;
  /** Names the vendor in errors. Default: the base URL's host. */
  vendor?: string;
  /** Sent with every request (auth). Their values are redacted from error excerpts. */
  headers?: HeaderSource;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retry policy (429, 5xx, timeouts, network errors). */
  retry?: RetryOptions;
  /** Every attempt passes through it (retries included). */
  limiter?: RateLimiter;
  /**
   * Vendor reset hook: how long the server asks to wait, in ms, read from a
   * response (e.g. `X-RateLimit-Reset`). Default: the `Retry-After` header.
   */
  retryAfter?: (response: { status: number; headers: Headers }) => number | undefined;
  /** Metrics hooks. Errors thrown by hooks are ignored. */
  hooks?: HttpHooks;
  /** More strings to redact from error excerpts (API keys sent in bodies, ...). */
  redact?: string[];
  /** Header carrying `idempotencyKey`. Default `Idempotency-Key`. */
  idempotencyHeader?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Waits between retries. Default: a real timer. Tests may inject one that records. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** One request. */
export interface RequestOptions {
  /** Default `GET`. */
  method?: string;
  /** Relative to the base URL (a leading `/` is ignored), or absolute. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Makes a non-idempotent call (POST, PATCH) retryable: sent in the idempotency
   * header, the same on every attempt.
   */
  idempotencyKey?: string;
  /** Declare a POST safe to repeat (e.g. a GraphQL query). Default: by method. */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Aborting it stops the call and its retries (`vendorCode` `ABORTED`). */
  signal?: AbortSignal;
  /** Units of the limiter this call takes. Default 1. */
  weight?: number;
}

/** A successful (2xx) response. */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (the text when the body is not JSON; undefined when empty). */
  data: T;
  /** The raw body, for lossless parsing. */
  text: string;
  attempts: number;
}

/** A JSON HTTP client with retries, limits and typed errors. */
export interface HttpClient {
  /** Sends a request; resolves with a 2xx response or rejects with an {@link UpstreamError}. */
  request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>>;
  get<T = unknown>(
    path: string,
    options?: Omit<RequestOptions, 'path' | 'method'>,
  ): Promise<HttpResponse<T>>;
  post<T = unknown>(
    path: string,
    body: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<HttpResponse<T>>;
  put<T = unknown>(
    path: string,
    body: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<HttpResponse<T>>;
  patch<T = unknown>(
    path: string,
    body: unknown,
    options?: Omit<RequestOptions, 'path' | 'method' | 'body'>,
  ): Promise<HttpResponse<T>>;
  delete<T = unknown>(
    path: string,
    options?: Omit<RequestOptions, 'path' | 'method'>,
  ): Promise<HttpResponse<T>>;
  readonly limiter: RateLimiter | undefined;
}
