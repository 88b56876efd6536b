import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
} from '@anthropic-ai/sdk';
import { FulfilError } from '@fulfil/core';

/** How to reach the Claude API. Give `client`, or the fields to build one. */
export interface ClientOptions {
  /** A ready client (its own timeout and retries apply). */
  client?: Anthropic;
  /** API key. Default: the `ANTHROPIC_API_KEY` environment variable. */
  apiKey?: string;
  /** API base URL (tests point it at a local fake). Default: the SDK's. */
  baseURL?: string;
  /** Per-request timeout in ms; past it the order falls back to the offline result. Default 10,000. */
  timeoutMs?: number;
  /** SDK retries on 408/409/429/5xx and connection errors. Default 1. */
  maxRetries?: number;
}

/** Builds the SDK client, or throws `CONFIG_INVALID`. */
export function makeClient(options: ClientOptions, what: string): Anthropic {
  if (options.client) return options.client;
  const timeout = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 1;
  if (!(timeout > 0) || !Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `${what}: timeoutMs must be > 0 and maxRetries an integer >= 0`,
    );
  }
  try {
    return new Anthropic({
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      timeout,
      maxRetries,
    });
  } catch (err) {
    throw new FulfilError('CONFIG_INVALID', `${what}.apiKey: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** A short, stable name for why a call failed (a metric label). */
export function failureKind(err: unknown): string {
  if (err instanceof APIConnectionTimeoutError) return 'timeout';
  if (err instanceof APIConnectionError) return 'connection';
  if (err instanceof APIError) {
    if (err.status === 429) return 'rate_limited';
    if (typeof err.status === 'number' && err.status >= 500) return 'server_error';
    return `http_${err.status ?? 'error'}`;
  }
  return 'error';
}
