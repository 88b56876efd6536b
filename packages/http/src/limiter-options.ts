import { functionOption, parseOptions } from '@fulfil/core';
import { z } from 'zod';
import type { RateLimiterOptions, RedisClustering } from './limiter-types';

const KINDS = ['fixed-window', 'token-bucket', 'cost'] as const;

// Types and keys are checked here; value ranges (limit > 0, timeoutMs > 0, ...) keep their
// own messages (`limiter.capacity: must be a number > 0`) in limiter-settings.
const Redis = z
  .object({
    id: z.string().min(1),
    client: z.custom<object>((v) => typeof v === 'object' && v !== null, {
      message: 'expected an ioredis client',
    }),
    clearDatastore: z.boolean().optional(),
    ttlMs: z.number().optional(),
    timeoutMs: z.number().optional(),
    whenUnavailable: z.string().optional() as unknown as z.ZodType<
      RedisClustering['whenUnavailable']
    >,
    onUnavailable: functionOption<NonNullable<RedisClustering['onUnavailable']>>().optional(),
  } satisfies Record<keyof RedisClustering, z.ZodType>)
  .strict();

const Common = { maxConcurrent: z.number().int().positive().optional(), redis: Redis.optional() };

const ByKind = {
  'fixed-window': z.object({
    kind: z.literal('fixed-window'),
    limit: z.number(),
    windowMs: z.number(),
    ...Common,
  }),
  'token-bucket': z.object({
    kind: z.literal('token-bucket'),
    capacity: z.number(),
    refillPerSecond: z.number(),
    minSpacingMs: z.number().nonnegative().optional(),
    ...Common,
  }),
  cost: z.object({
    kind: z.literal('cost'),
    initial: z.object({ maximum: z.number(), restoreRate: z.number() }).strict().optional(),
    ...Common,
  }),
} as const;

/** `kind` first, so the keys of that kind are the ones suggested. */
const Kind = z.looseObject({ kind: z.enum(KINDS) });

/**
 * Checks {@link RateLimiterOptions} as any caller may pass them: `kind`, then the keys and
 * types of that kind; throws `CONFIG_INVALID` naming the path ("did you mean ...?" for a
 * misspelt key).
 */
export function checkRateLimiterOptions(options: unknown): RateLimiterOptions {
  const { kind } = parseOptions(Kind, options, 'createRateLimiter');
  parseOptions(ByKind[kind], options, 'createRateLimiter');
  return options as RateLimiterOptions;
}
