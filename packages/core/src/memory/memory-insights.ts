import type { HistoryEntry } from '../model/commands';
import type { Insights, ProcessingTimePoint, StateTime, ThroughputPoint } from '../ports/insights';
import {
  bucketStart,
  checkInsightsRange,
  checkInsightsSpan,
  checkInsightsSummary,
  nearestRank,
} from './insights-checks';
import { createMemoryQueues } from './memory-insights-queues';
import { byName, type MemoryInsightsSource, ranked } from './memory-insights-rows';

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

/** Is this history entry an exception (entered review, or a command failed for good)? */
function isException(e: HistoryEntry, review: ReadonlySet<string>): boolean {
  if (e.eventType === 'command.failed') return true;
  return review.has(e.to) && (e.from === null || !review.has(e.from));
}

/** The index of the first entry whose `to` is in `states`, or -1. */
function firstInto(history: readonly HistoryEntry[], states: ReadonlySet<string>): number {
  return history.findIndex((e) => states.has(e.to));
}

/**
 * The {@link Insights} read model over the memory storage's maps: every figure is
 * computed from the stored history entries, records and outbox rows when asked (a
 * scan of the history; 10,000 orders answer in milliseconds). Used by
 * `createMemoryStorage`; internal.
 */
export function createMemoryInsights(source: MemoryInsightsSource): Insights {
  const { records, histories } = source;
  // Parsed `at` of each history entry, per history array (histories only grow by push and
  // stored entries never change, so parsed times stay valid).
  const parsed = new WeakMap<readonly HistoryEntry[], number[]>();
  const timesOf = (history: readonly HistoryEntry[]): number[] => {
    let times = parsed.get(history);
    if (times === undefined) {
      times = [];
      parsed.set(history, times);
    }
    for (let k = times.length; k < history.length; k++)
      times.push(ms((history[k] as HistoryEntry).at));
    return times;
  };

  return {
    ...createMemoryQueues(source),

    async throughput(query) {
      const q = checkInsightsRange(query, source.now());
      const submitted = new Set(q.submittedStates);
      const shipped = new Set(q.shippedStates);
      const review = new Set(q.reviewStates);
      const points = new Map<number, ThroughputPoint>();
      const bump = (at: number, field: 'received' | 'submitted' | 'shipped' | 'exceptions') => {
        if (!(at >= q.since && at < q.until)) return;
        const start = bucketStart(at, q.bucket);
        let point = points.get(start);
        if (point === undefined) {
          point = { at: iso(start), received: 0, submitted: 0, shipped: 0, exceptions: 0 };
          points.set(start, point);
        }
        point[field]++;
      };
      for (const history of histories.values()) {
        if (history.length === 0) continue;
        const times = timesOf(history);
        bump(times[0] as number, 'received');
        const sub = firstInto(history, submitted);
        if (sub >= 0) bump(times[sub] as number, 'submitted');
        const ship = firstInto(history, shipped);
        if (ship >= 0) bump(times[ship] as number, 'shipped');
        history.forEach((e, k) => {
          if (isException(e, review)) bump(times[k] as number, 'exceptions');
        });
      }
      return [...points].sort((a, b) => a[0] - b[0]).map(([, point]) => point);
    },

    async processingTime(query) {
      const q = checkInsightsRange(query, source.now());
      const submitted = new Set(q.submittedStates);
      const buckets = new Map<number, number[]>();
      for (const history of histories.values()) {
        const sub = firstInto(history, submitted);
        if (sub < 0) continue;
        const times = timesOf(history);
        const at = times[sub] as number;
        if (!(at >= q.since && at < q.until)) continue;
        const start = bucketStart(at, q.bucket);
        const values = buckets.get(start) ?? [];
        values.push(at - (times[0] as number));
        buckets.set(start, values);
      }
      return [...buckets]
        .sort((a, b) => a[0] - b[0])
        .map(([start, values]): ProcessingTimePoint => {
          values.sort((a, b) => a - b);
          return {
            at: iso(start),
            count: values.length,
            p50Ms: nearestRank(values, 50),
            p95Ms: nearestRank(values, 95),
            p99Ms: nearestRank(values, 99),
          };
        });
    },

    async ordersByState() {
      const counts = new Map<string, number>();
      for (const record of records.values())
        counts.set(record.status, (counts.get(record.status) ?? 0) + 1);
      return [...counts]
        .map(([state, count]) => ({ state, count }))
        .sort((a, b) => byName(a.state, b.state));
    },

    async timeInState(query) {
      const q = checkInsightsSpan(query, source.now());
      const stays = new Map<string, number[]>();
      for (const history of histories.values()) {
        const times = timesOf(history);
        let start = -1;
        for (let k = 0; k < history.length; k++) {
          const to = (history[k] as HistoryEntry).to;
          if (start >= 0) {
            const state = (history[start] as HistoryEntry).to;
            if (to === state) continue;
            const begin = times[start] as number;
            if (begin >= q.since && begin < q.until) {
              const values = stays.get(state) ?? [];
              values.push((times[k] as number) - begin);
              stays.set(state, values);
            }
          }
          start = k;
        }
      }
      return [...stays]
        .sort((a, b) => byName(a[0], b[0]))
        .map(([state, values]): StateTime => {
          values.sort((a, b) => a - b);
          return {
            state,
            count: values.length,
            p50Ms: nearestRank(values, 50),
            p95Ms: nearestRank(values, 95),
            maxMs: values[values.length - 1] as number,
          };
        });
    },

    async summary(query) {
      const q = checkInsightsSummary(query, source.now());
      const submitted = new Set(q.submittedStates);
      const review = new Set(q.reviewStates);
      const llm = new Set(q.llmClassifiers);
      let received = 0;
      let automated = 0;
      let touched = 0;
      let reviewed = 0;
      let failed = 0;
      let split = 0;
      let backorder = 0;
      let classified = 0;
      let byLlm = 0;
      let withNote = 0;
      const holds = new Map<string, number>();
      for (const [orderId, history] of histories) {
        if (history.length === 0) continue;
        const at = timesOf(history)[0] as number;
        if (!(at >= q.since && at < q.until)) continue;
        received++;
        let wasSubmitted = false;
        let wasReviewed = false;
        let wasTouched = false;
        let wasFailed = false;
        let wasSplit = false;
        let wasBackordered = false;
        for (const e of history) {
          if (submitted.has(e.to)) wasSubmitted = true;
          if (review.has(e.to)) wasReviewed = true;
          if (e.eventType === 'review.resolved') wasTouched = true;
          if (e.eventType === 'command.failed') wasFailed = true;
          const routing = e.explanation?.routing;
          if (routing !== undefined) {
            if (routing.shipments.length > 1) wasSplit = true;
            if (routing.backordered.length > 0) wasBackordered = true;
          }
        }
        if (wasSubmitted && !wasReviewed && !wasTouched) automated++;
        if (wasTouched) touched++;
        if (wasReviewed) reviewed++;
        if (wasFailed) failed++;
        if (wasSplit) split++;
        if (wasBackordered) backorder++;
        const record = records.get(orderId);
        if (record === undefined) continue;
        const note = record.order.note;
        if (typeof note === 'string' && note.length > 0) withNote++;
        const classifier = record.facts?.note?.classifier;
        if (classifier !== undefined) {
          classified++;
          if (llm.has(classifier)) byLlm++;
        }
        for (const hold of record.holds ?? [])
          holds.set(hold.reason, (holds.get(hold.reason) ?? 0) + 1);
      }
      const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
      return {
        received,
        automated,
        touched,
        reviewed,
        failed,
        automationRate: share(automated, received),
        reviewRate: share(reviewed, received),
        errorRate: share(failed, received),
        splitShare: share(split, received),
        backorderShare: share(backorder, received),
        llmNoteShare: share(byLlm, classified),
        withNote,
        holdsByReason: ranked(holds),
      };
    },
  };
}
