import { functionOption, parseOptions, portOption } from '@fulfil/core';
import type { HttpHooks, RateLimiter } from '@fulfil/http';
import { z } from 'zod';
import type { Generic3plRuntime } from './transport';

const RuntimeSchema = z.object({
  fetch: functionOption<typeof fetch>('a fetch function').optional(),
  sleep: functionOption<NonNullable<Generic3plRuntime['sleep']>>().optional(),
  now: functionOption<() => number>('a function returning epoch ms').optional(),
  limiter: portOption<RateLimiter>(
    'RateLimiter',
    ['schedule'],
    'createSlidingWindowLimiter(...) or createRateLimiter(...)',
  ).optional(),
  hooks: z
    .custom<HttpHooks>((v) => typeof v === 'object' && v !== null, {
      message: 'expected an object of hook functions',
    })
    .optional(),
  onUnmatched: functionOption<NonNullable<Generic3plRuntime['onUnmatched']>>().optional(),
} satisfies Record<keyof Generic3plRuntime, z.ZodType>);

/**
 * Checks the second argument of `createGeneric3plWarehouse` as any caller may pass it;
 * throws `CONFIG_INVALID` naming the key ("did you mean ...?" for a misspelt one).
 */
export function checkRuntime(runtime: unknown): void {
  parseOptions(RuntimeSchema, runtime, 'createGeneric3plWarehouse runtime', { optional: true });
}

const SlidingWindowSchema = z.object({
  limit: z.number().int().positive(),
  windowMs: z.number().positive(),
  marginMs: z.number().nonnegative().optional(),
  now: functionOption<() => number>('a function returning milliseconds').optional(),
});

/** Checks the options of `createSlidingWindowLimiter` likewise. */
export function checkSlidingWindowOptions(options: unknown): void {
  parseOptions(SlidingWindowSchema, options, 'createSlidingWindowLimiter');
}
