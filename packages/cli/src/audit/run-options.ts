import { functionOption, parseOptions } from '@fulfil/core';
import { z } from 'zod';
import type { RunAuditOptions } from './run';
import type { AuditStock } from './stock';

const Schema = z.object({
  config: z.custom<RunAuditOptions['config']>((v) => typeof v === 'object' && v !== null, {
    message: 'expected a FulfilConfig (defineConfig(...) or loadConfig(...).config)',
  }),
  configFile: z.string().min(1),
  orders: z.string().min(1),
  source: z
    .custom<NonNullable<RunAuditOptions['source']>>(
      (v) =>
        typeof v === 'object' && v !== null && (Symbol.asyncIterator in v || Symbol.iterator in v),
      { message: 'expected an iterable or async iterable of orders' },
    )
    .optional(),
  stock: z.union([
    z.object({ kind: z.literal('unlimited') }).strict(),
    z
      .object({
        kind: z.literal('table'),
        table: z.record(z.string(), z.record(z.string(), z.number())),
        source: z.string(),
      })
      .strict(),
  ]) as unknown as z.ZodType<AuditStock>,
  onProgress: functionOption<NonNullable<RunAuditOptions['onProgress']>>().optional(),
  onProblem: functionOption<NonNullable<RunAuditOptions['onProblem']>>().optional(),
  onOutcome: functionOption<NonNullable<RunAuditOptions['onOutcome']>>().optional(),
  storage: z.enum(['audit', 'memory']).optional(),
} satisfies Record<keyof RunAuditOptions, z.ZodType>);

/** Checks the options of `runAudit`; `CONFIG_INVALID` naming the path ("did you mean ...?"). */
export function checkRunAuditOptions(options: unknown): void {
  parseOptions(Schema, options, 'runAudit');
}
