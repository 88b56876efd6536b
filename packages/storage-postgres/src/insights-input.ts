import { FulfilError, parseOrThrow } from '@fulfil/core';
import { z } from 'zod';

// Validation of the Insights queries and the opaque cursors of its pages. Internal.

const Ms = z.number().finite();
const States = z.array(z.string());

/** `until` (default now) may not precede `since`. */
const ordered: [
  (q: { since: number; until?: number }) => boolean,
  { message: string; path: string[] },
] = [
  (q) => q.until === undefined || q.since <= q.until,
  { message: 'must not be before since', path: ['until'] },
];
const Range = { since: Ms, until: Ms.optional() };

const RangeQuery = z
  .object({
    ...Range,
    bucket: z.enum(['minute', 'hour', 'day']),
    submittedStates: States.optional(),
    shippedStates: States.optional(),
    reviewStates: States.optional(),
  })
  .refine(...ordered);
const SummaryQuery = z
  .object({
    ...Range,
    submittedStates: States.optional(),
    reviewStates: States.optional(),
    llmClassifiers: States.optional(),
  })
  .refine(...ordered);
const SinceQuery = z.object(Range).refine(...ordered);

/** The defaults the port documents. */
export const DEFAULT_STATES = {
  submitted: ['submitted'],
  shipped: ['shipped', 'delivered'],
  review: ['needs_review'],
  llm: ['claude'],
};

/** A checked range query with every default filled in (times as ISO, for SQL). */
export function rangeQuery(query: unknown) {
  const q = parseOrThrow(RangeQuery, query, 'query');
  return {
    ...range(q),
    bucket: q.bucket,
    submitted: q.submittedStates ?? DEFAULT_STATES.submitted,
    shipped: q.shippedStates ?? DEFAULT_STATES.shipped,
    review: q.reviewStates ?? DEFAULT_STATES.review,
  };
}

export function summaryQuery(query: unknown) {
  const q = parseOrThrow(SummaryQuery, query, 'query');
  return {
    ...range(q),
    submitted: q.submittedStates ?? DEFAULT_STATES.submitted,
    review: q.reviewStates ?? DEFAULT_STATES.review,
    llm: q.llmClassifiers ?? DEFAULT_STATES.llm,
  };
}

export function sinceQuery(query: unknown) {
  return range(parseOrThrow(SinceQuery, query, 'query'));
}

function range(q: { since: number; until?: number }) {
  const until = q.until ?? Math.max(Date.now(), q.since);
  return { since: new Date(q.since).toISOString(), until: new Date(until).toISOString() };
}

/** A page size: a whole number in 1..500. */
export const Limit = z.number().int().min(1).max(500);

/** An opaque cursor: base64url of JSON `[tag, ...sort key]`. */
export function encodeCursor(tag: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url');
}

/**
 * The sort key inside `cursor` (made by {@link encodeCursor} with `tag`), checked by `key`;
 * anything else fails with `INVALID_INPUT` at `query.cursor`.
 */
export function decodeCursor<K extends z.ZodType>(
  cursor: string,
  tag: string,
  key: K,
): z.output<K> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw badCursor(cause);
  }
  if (!Array.isArray(parsed) || parsed[0] !== tag) throw badCursor();
  const checked = key.safeParse(parsed.slice(1));
  if (!checked.success) throw badCursor(checked.error);
  return checked.data;
}

function badCursor(cause?: unknown): FulfilError {
  return new FulfilError(
    'INVALID_INPUT',
    'query.cursor: not a cursor of this page (pass the nextCursor of the previous page as it is)',
    { cause, details: { path: 'query.cursor' } },
  );
}
