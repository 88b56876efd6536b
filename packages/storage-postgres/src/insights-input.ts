import {
  checkInsightsRange,
  checkInsightsSpan,
  checkInsightsSummary,
  decodeCursor,
  malformedCursor,
} from '@fulfil/core';
import type { z } from 'zod';

// The Insights queries checked by core's shared checks (same defaults and errors as the
// memory storage), with times as ISO strings for SQL. Internal.

const iso = (ms: number) => new Date(ms).toISOString();

/** A checked range query (throughput, processingTime). */
export function rangeQuery(query: unknown) {
  const q = checkInsightsRange(query, Date.now());
  return {
    since: iso(q.since),
    until: iso(q.until),
    bucket: q.bucket,
    submitted: q.submittedStates,
    shipped: q.shippedStates,
    review: q.reviewStates,
  };
}

/** A checked summary query. */
export function summaryQuery(query: unknown) {
  const q = checkInsightsSummary(query, Date.now());
  return {
    since: iso(q.since),
    until: iso(q.until),
    submitted: q.submittedStates,
    review: q.reviewStates,
    llm: q.llmClassifiers,
  };
}

/** A checked `{ since, until? }` (timeInState). */
export function sinceQuery(query: unknown) {
  const q = checkInsightsSpan(query, Date.now());
  return { since: iso(q.since), until: iso(q.until) };
}

/** The sort key in `cursor` (made by core's `encodeCursor` with `kind`), checked by `key`. */
export function cursorKey<K extends z.ZodType>(kind: string, cursor: string, key: K): z.output<K> {
  const checked = key.safeParse(decodeCursor(kind, cursor));
  if (!checked.success) throw malformedCursor();
  return checked.data;
}
