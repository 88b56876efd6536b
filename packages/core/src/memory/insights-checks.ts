import { z } from 'zod';
import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import type { InsightsBucket } from '../ports/insights';

// Query checks and helpers shared by the Insights implementations (memory here,
// PostgreSQL in its package), so both refuse the same queries with the same paths.

const Time = z.number().finite();
const States = z.array(z.string());
const Limit = z.number().int().min(1).max(500).optional();

const Range = z
  .object({
    since: Time,
    until: Time.optional(),
    bucket: z.enum(['minute', 'hour', 'day']),
    submittedStates: States.optional(),
    shippedStates: States.optional(),
    reviewStates: States.optional(),
  })
  .refine((q) => q.until === undefined || q.since <= q.until, {
    message: 'must be >= since',
    path: ['until'],
  });

const Span = z
  .object({ since: Time, until: Time.optional() })
  .refine((q) => q.until === undefined || q.since <= q.until, {
    message: 'must be >= since',
    path: ['until'],
  });

const Summary = z
  .object({
    since: Time,
    until: Time.optional(),
    submittedStates: States.optional(),
    reviewStates: States.optional(),
    llmClassifiers: States.optional(),
  })
  .refine((q) => q.until === undefined || q.since <= q.until, {
    message: 'must be >= since',
    path: ['until'],
  });

/** Default `submittedStates` of the Insights queries. */
export const DEFAULT_SUBMITTED_STATES: readonly string[] = ['submitted'];
/** Default `shippedStates` of the Insights queries. */
export const DEFAULT_SHIPPED_STATES: readonly string[] = ['shipped', 'delivered'];
/** Default `reviewStates` of the Insights queries. */
export const DEFAULT_REVIEW_STATES: readonly string[] = ['needs_review'];
/** Default `llmClassifiers` of `Insights.summary`. */
export const DEFAULT_LLM_CLASSIFIERS: readonly string[] = ['claude'];

/** A range query with every default filled in (`until` = `now` when absent). */
export interface CheckedRangeQuery {
  since: number;
  until: number;
  bucket: InsightsBucket;
  submittedStates: string[];
  shippedStates: string[];
  reviewStates: string[];
}

/**
 * Checks an `InsightsRangeQuery` (throughput, processingTime) and fills in its defaults.
 * Throws `INVALID_INPUT` naming the field (`query.bucket`, `query.until`, ...).
 *
 * @example
 * ```ts
 * const q = checkInsightsRange({ since: Date.now() - 3_600_000, bucket: 'minute' }, Date.now());
 * ```
 */
export function checkInsightsRange(query: unknown, now: number): CheckedRangeQuery {
  const q = parseOrThrow(Range, query, 'query');
  return {
    since: q.since,
    until: q.until ?? Math.max(now, q.since),
    bucket: q.bucket,
    submittedStates: q.submittedStates ?? [...DEFAULT_SUBMITTED_STATES],
    shippedStates: q.shippedStates ?? [...DEFAULT_SHIPPED_STATES],
    reviewStates: q.reviewStates ?? [...DEFAULT_REVIEW_STATES],
  };
}

/** Checks `{ since, until? }` (timeInState); `until` defaults to `now`. */
export function checkInsightsSpan(query: unknown, now: number): { since: number; until: number } {
  const q = parseOrThrow(Span, query, 'query');
  return { since: q.since, until: q.until ?? Math.max(now, q.since) };
}

/** A summary query with every default filled in. */
export interface CheckedSummaryQuery {
  since: number;
  until: number;
  submittedStates: string[];
  reviewStates: string[];
  llmClassifiers: string[];
}

/** Checks an `InsightsSummaryQuery` and fills in its defaults. */
export function checkInsightsSummary(query: unknown, now: number): CheckedSummaryQuery {
  const q = parseOrThrow(Summary, query, 'query');
  return {
    since: q.since,
    until: q.until ?? Math.max(now, q.since),
    submittedStates: q.submittedStates ?? [...DEFAULT_SUBMITTED_STATES],
    reviewStates: q.reviewStates ?? [...DEFAULT_REVIEW_STATES],
    llmClassifiers: q.llmClassifiers ?? [...DEFAULT_LLM_CLASSIFIERS],
  };
}

/** Checks a `ReviewQueueQuery`; `limit` defaults to 50, `now` to the given clock. */
export function checkReviewQueueQuery(
  query: unknown,
  now: number,
): { reason?: string; limit: number; cursor?: string; now: number } {
  const q = parseOrThrow(
    z.object({
      reason: z.string().optional(),
      limit: Limit,
      cursor: z.string().optional(),
      now: Time.optional(),
    }),
    query ?? {},
    'query',
  );
  return {
    ...(q.reason === undefined ? {} : { reason: q.reason }),
    limit: q.limit ?? 50,
    ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    now: q.now ?? now,
  };
}

/** Checks a `FailedCommandsQuery`; `limit` defaults to 50. */
export function checkFailedCommandsQuery(query: unknown): {
  includeRetrying: boolean;
  limit: number;
  cursor?: string;
} {
  const q = parseOrThrow(
    z.object({
      includeRetrying: z.boolean().optional(),
      limit: Limit,
      cursor: z.string().optional(),
    }),
    query ?? {},
    'query',
  );
  return {
    includeRetrying: q.includeRetrying ?? false,
    limit: q.limit ?? 50,
    ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
  };
}

/** Checks a search query; `text` must be non-empty, `limit` defaults to 20. */
export function checkSearchQuery(query: unknown): { text: string; limit: number } {
  const q = parseOrThrow(
    z.object({ text: z.string().min(1, 'must be a non-empty string'), limit: Limit }),
    query,
    'query',
  );
  return { text: q.text, limit: q.limit ?? 20 };
}

/** Checks `retryCommand`'s id and options. */
export function checkRetryCommand(commandId: unknown, options: unknown): { at?: number } {
  parseOrThrow(z.string().min(1, 'must be a non-empty string'), commandId, 'commandId');
  const o = parseOrThrow(z.object({ at: Time.optional() }), options ?? {}, 'options');
  return o.at === undefined ? {} : { at: o.at };
}

/** Width of a UTC bucket in ms (minutes, hours and days all start on multiples of it). */
export function bucketMs(bucket: InsightsBucket): number {
  return bucket === 'minute' ? 60_000 : bucket === 'hour' ? 3_600_000 : 86_400_000;
}

/** The start of the UTC bucket holding `ms`. */
export function bucketStart(ms: number, bucket: InsightsBucket): number {
  const width = bucketMs(bucket);
  return Math.floor(ms / width) * width;
}

/**
 * Nearest-rank percentile of values sorted ascending: the value at 1-based rank
 * `ceil(p * n / 100)` (at least 1). `NaN` for no values.
 *
 * @example
 * ```ts
 * nearestRank([1, 3, 5], 50); // 3
 * ```
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/**
 * Encodes a page position as an opaque cursor (base64url of JSON). `kind` tells cursors
 * of different methods apart.
 */
export function encodeCursor(kind: string, position: readonly unknown[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([kind, ...position]));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The `INVALID_INPUT` error of a cursor that was not made by the same query. */
export function malformedCursor(): FulfilError {
  return new FulfilError(
    ErrorCodes.INVALID_INPUT,
    'query.cursor: malformed cursor (pass a nextCursor from the same query)',
    { details: { path: 'query.cursor' } },
  );
}

/**
 * Decodes a cursor made by {@link encodeCursor} with the same `kind`, returning the
 * position. Throws `INVALID_INPUT` naming `query.cursor` for anything else.
 */
export function decodeCursor(kind: string, cursor: string): unknown[] {
  const malformed = malformedCursor;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind) throw malformed();
  return parsed.slice(1);
}
