import type Anthropic from '@anthropic-ai/sdk';
import {
  type AlertSink,
  functionOption,
  type Metrics,
  parseOptions,
  portOption,
  type RiskLevel,
} from '@fulfil/core';
import { z } from 'zod';
import type { BudgetOptions, StoreLimiters } from './budget';
import type { ClientOptions } from './client';
import type { ClaudeNoteClassifierOptions, OfflineNoteClassifier } from './note-classifier';
import type { RiskSummaryOptions } from './review-alerts';
import type { ClaudeRiskReviewer, ClaudeRiskReviewerOptions } from './risk-reviewer';

const clientShape = {
  client: portOption<Anthropic>('Anthropic client', ['messages'], 'new Anthropic()').optional(),
  apiKey: z.string().min(1).optional(),
  baseURL: z.url().optional(),
  timeoutMs: z.number().positive().finite().optional(),
  maxRetries: z.number().int().min(0).optional(),
} satisfies Record<keyof ClientOptions, z.ZodType>;

const metrics = portOption<Metrics>('Metrics', ['increment', 'observe']).optional();

/** The options of `createBudget`, also nested as `budget` in the note classifier's. */
export const BudgetOptionsSchema = z
  .object({
    callsPerMinute: z.number().positive().finite().optional(),
    tokensPerDay: z.number().int().positive().optional(),
    redis: z
      .object({
        client: z.custom<object>(
          (c) => typeof (c as { duplicate?: unknown })?.duplicate === 'function',
          'must be an ioredis client',
        ),
        prefix: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    limiters: functionOption<(store: string) => StoreLimiters>(
      'a function (store) => { calls, tokens }',
    ).optional(),
    timeoutMs: z.number().positive().finite().optional(),
    maxStores: z.number().int().positive().optional(),
  } satisfies Record<keyof BudgetOptions, z.ZodType>)
  .strict();

const NoteSchema = z.object({
  ...clientShape,
  offline: portOption<OfflineNoteClassifier>(
    'NoteClassifier',
    ['classify'],
    'new KeywordNoteClassifier()',
  ),
  taxonomy: z.looseObject({
    tags: z
      .array(z.looseObject({ id: z.string().min(1), description: z.string() }))
      .min(1, 'at least one tag'),
  }),
  name: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  system: z.string().min(1).optional(),
  examples: z
    .array(
      z.looseObject({
        note: z.string(),
        tags: z.array(z.looseObject({ tag: z.string() })),
      }),
    )
    .optional(),
  maxNoteChars: z.number().int().positive().optional(),
  ask: z.enum(['uncertain', 'always']).optional(),
  budget: BudgetOptionsSchema.optional(),
  cacheSize: z.number().int().min(0).optional(),
  metrics,
} satisfies Record<keyof ClaudeNoteClassifierOptions, z.ZodType>);

const ReviewerSchema = z.object({
  ...clientShape,
  model: z.string().min(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  maxChars: z.number().int().positive().optional(),
  metrics,
} satisfies Record<keyof ClaudeRiskReviewerOptions, z.ZodType>);

const SummariesSchema = z.object({
  sink: portOption<AlertSink>('AlertSink', ['send']),
  reviewer: portOption<ClaudeRiskReviewer>(
    'ClaudeRiskReviewer',
    ['summarize'],
    'createClaudeRiskReviewer()',
  ),
  load: functionOption<RiskSummaryOptions['load']>(
    'a function (orderId) => Promise<OrderRecord | undefined>, e.g. storage.load',
  ),
  levels: z.array(z.enum(['low', 'medium', 'high'] satisfies RiskLevel[])).optional(),
  timeoutMs: z.number().positive().finite().optional(),
  metrics,
} satisfies Record<keyof RiskSummaryOptions, z.ZodType>);

/** Checks the options of `createClaudeNoteClassifier`; `CONFIG_INVALID` naming the path. */
export function checkNoteOptions(options: unknown): void {
  parseOptions(NoteSchema, options, 'createClaudeNoteClassifier');
}

/** Checks the options of `createClaudeRiskReviewer` likewise. */
export function checkReviewerOptions(options: unknown): void {
  parseOptions(ReviewerSchema, options, 'createClaudeRiskReviewer', { optional: true });
}

/** Checks the options of `createBudget` likewise. */
export function checkBudgetOptions(options: unknown): void {
  parseOptions(BudgetOptionsSchema, options, 'createBudget', { optional: true });
}

/** Checks the options of `withRiskSummaries` likewise. */
export function checkSummaryOptions(options: unknown): void {
  parseOptions(SummariesSchema, options, 'withRiskSummaries');
}
