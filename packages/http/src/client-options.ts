import { functionOption, parseOptions, portOption } from '@fulfil/core';
import { z } from 'zod';
import type { HttpHooks } from './hooks';
import type { RateLimiter } from './limiter';
import type { HeaderSource, HttpClientOptions } from './types';

const isUrl = (value: string): boolean => {
  try {
    new URL(value.endsWith('/') ? value : `${value}/`);
    return true;
  } catch {
    return false;
  }
};

const Shape = {
  baseUrl: z.string().refine(isUrl, { message: 'not a URL' }),
  vendor: z.string().min(1).optional(),
  headers: z
    .union([
      z.record(z.string(), z.string()),
      functionOption<Extract<HeaderSource, (...args: never[]) => unknown>>(
        'a function returning headers',
      ),
    ])
    .optional(),
  timeoutMs: z.number().positive().optional(),
  retry: z
    .object({
      retries: z.number().int().min(0).optional(),
      minDelayMs: z.number().nonnegative().optional(),
      maxDelayMs: z.number().nonnegative().optional(),
      factor: z.number().positive().optional(),
      maxRetryAfterMs: z.number().nonnegative().optional(),
      maxRetryTimeMs: z.number().nonnegative().optional(),
    })
    .strict()
    .optional(),
  limiter: portOption<RateLimiter>('RateLimiter', ['schedule'], 'createRateLimiter()').optional(),
  retryAfter: functionOption<NonNullable<HttpClientOptions['retryAfter']>>().optional(),
  hooks: z
    .custom<HttpHooks>((v) => typeof v === 'object' && v !== null, {
      message: 'expected an object of hook functions',
    })
    .optional(),
  redact: z.array(z.string()).optional(),
  idempotencyHeader: z.string().min(1).optional(),
  fetch: functionOption<typeof fetch>('a fetch function').optional(),
  sleep: functionOption<NonNullable<HttpClientOptions['sleep']>>().optional(),
} satisfies Record<keyof HttpClientOptions, z.ZodType>;

/**
 * The schema of {@link HttpClientOptions} (strict), for packages whose options nest them,
 * e.g. `HttpClientOptionsSchema.omit({ baseUrl: true })` under an `http` key.
 */
export const HttpClientOptionsSchema = z.object(Shape).strict();
const Schema = HttpClientOptionsSchema;

/**
 * Checks {@link HttpClientOptions} as any caller may pass them; throws `CONFIG_INVALID`
 * naming the path ("did you mean ...?" for a misspelt key).
 */
export function checkHttpClientOptions(options: unknown): HttpClientOptions {
  parseOptions(Schema, options, 'createHttpClient');
  return options as HttpClientOptions;
}
