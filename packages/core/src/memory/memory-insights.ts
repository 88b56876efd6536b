import { ErrorCodes, FulfilError } from '../errors';
import type { Command, HistoryEntry } from '../model/commands';
import type { OrderRecord } from '../model/record';
import type {
  CommandStatus,
  Insights,
  OrderSearchHit,
  ProcessingTimePoint,
  ReviewQueueItem,
  StateTime,
  ThroughputPoint,
} from '../ports/insights';
import {
  bucketStart,
  checkFailedCommandsQuery,
  checkInsightsRange,
  checkInsightsSpan,
  checkInsightsSummary,
  checkRetryCommand,
  checkReviewQueueQuery,
  checkSearchQuery,
  decodeCursor,
  encodeCursor,
  malformedCursor,
  nearestRank,
} from './insights-checks';

/** One outbox row of the memory storage (internal; shared with memory-storage.ts). */
export interface MemoryCommandRow {
  seq: number;
  command: Command;
  state: 'pending' | 'done' | 'dead';
  attempts: number;
  /** 0 = at once. */
  nextAttemptAt: number;
  claimToken?: string;
  leaseUntil?: number;
  lastError?: string;
  /** Wall-clock ms when the row became done or dead. */
  finishedAt?: number;
}

/** What the memory read model reads: the memory storage's own maps (internal). */
export interface MemoryInsightsSource {
  records: ReadonlyMap<string, OrderRecord>;
  histories: ReadonlyMap<string, readonly HistoryEntry[]>;
  /** Rows are changed in place by `retryCommand`. */
  commands: ReadonlyMap<string, MemoryCommandRow>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
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

function statusOf(row: MemoryCommandRow): CommandStatus {
  const pending = row.state === 'pending';
  return {
    commandId: row.command.id,
    orderId: row.command.orderId,
    type: row.command.type,
    status: row.state,
    attempts: row.attempts,
    ...(row.lastError === undefined ? {} : { lastError: row.lastError }),
    ...(pending && row.nextAttemptAt > 0 ? { nextAttemptAt: row.nextAttemptAt } : {}),
    ...(!pending && row.finishedAt !== undefined ? { finishedAt: row.finishedAt } : {}),
  };
}

/** Counts per key, most first, ties by key. */
function ranked(counts: Map<string, number>): { reason: string; count: number }[] {
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || byName(a.reason, b.reason));
}

/**
 * The {@link Insights} read model over the memory storage's maps: every figure is
 * computed from the stored history entries, records and outbox rows when asked (a
 * scan of the history; 10,000 orders answer in milliseconds). Used by
 * `createMemoryStorage`; internal.
 */
export function createMemoryInsights(source: MemoryInsightsSource): Insights {
  const { records, histories, commands } = source;
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
    async throughput(query) {
      const q = checkInsightsRange(query, Date.now());
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
      const q = checkInsightsRange(query, Date.now());
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
      const q = checkInsightsSpan(query, Date.now());
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
      const q = checkInsightsSummary(query, Date.now());
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

    async reviewQueue(query) {
      const q = checkReviewQueueQuery(query, Date.now());
      let after: [number, string] | undefined;
      if (q.cursor !== undefined) {
        const [since, orderId] = decodeCursor('review', q.cursor);
        if (typeof since !== 'number' || typeof orderId !== 'string') throw malformedCursor();
        after = [since, orderId];
      }
      const queue: { since: number; record: OrderRecord }[] = [];
      const reasons = new Map<string, number>();
      for (const record of records.values()) {
        if (record.review === undefined) continue;
        for (const reason of new Set(record.review.reasons))
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        if (q.reason !== undefined && !record.review.reasons.includes(q.reason)) continue;
        queue.push({ since: ms(record.review.since), record });
      }
      queue.sort((a, b) => a.since - b.since || byName(a.record.orderId, b.record.orderId));
      const from =
        after === undefined
          ? 0
          : queue.findIndex(
              (x) =>
                x.since > after[0] ||
                (x.since === after[0] && byName(x.record.orderId, after[1]) > 0),
            );
      const rest = from < 0 ? [] : queue.slice(from, from + q.limit + 1);
      const page = rest.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(({ since, record }) => reviewItem(record, since, q.now)),
        total: queue.length,
        ...(rest.length > q.limit && last !== undefined
          ? { nextCursor: encodeCursor('review', [last.since, last.record.orderId]) }
          : {}),
        reasons: ranked(reasons),
      };
    },

    async failedCommands(query) {
      const q = checkFailedCommandsQuery(query);
      let before = Number.POSITIVE_INFINITY;
      if (q.cursor !== undefined) {
        const [seq] = decodeCursor('failed', q.cursor);
        if (typeof seq !== 'number') throw malformedCursor();
        before = seq;
      }
      const rows = [...commands.values()]
        .filter(
          (row) =>
            row.state === 'dead' ||
            (q.includeRetrying && row.state === 'pending' && row.lastError !== undefined),
        )
        .filter((row) => row.seq < before)
        .sort((a, b) => b.seq - a.seq);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(statusOf),
        ...(rows.length > q.limit && last !== undefined
          ? { nextCursor: encodeCursor('failed', [last.seq]) }
          : {}),
      };
    },

    async orderCommands(orderId) {
      return [...commands.values()]
        .filter((row) => row.command.orderId === orderId)
        .sort((a, b) => a.seq - b.seq)
        .map(statusOf);
    },

    async search(query) {
      const q = checkSearchQuery(query);
      const name = q.text.toLowerCase();
      const hashed = `#${name}`;
      const hits: OrderRecord[] = [];
      for (const record of records.values()) {
        const s = record.order.source;
        const n = s.name?.toLowerCase();
        if (
          record.orderId === q.text ||
          s.externalId === q.text ||
          (n !== undefined && (n === name || n === hashed))
        )
          hits.push(record);
      }
      return hits
        .sort((a, b) => ms(b.createdAt) - ms(a.createdAt) || byName(a.orderId, b.orderId))
        .slice(0, q.limit)
        .map(
          (record): OrderSearchHit => ({
            orderId: record.orderId,
            ...(record.order.source.name === undefined ? {} : { name: record.order.source.name }),
            externalId: record.order.source.externalId,
            store: record.order.source.store,
            status: record.status,
            createdAt: record.createdAt,
          }),
        );
    },

    async retryCommand(commandId, options) {
      const o = checkRetryCommand(commandId, options);
      const row = commands.get(commandId);
      if (row === undefined) {
        throw new FulfilError(ErrorCodes.NOT_FOUND, `command "${commandId}" is not stored`, {
          details: { commandId },
        });
      }
      if (row.state === 'done') {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `commandId: command "${commandId}" is done; only a dead or pending command can be retried`,
          { details: { path: 'commandId', commandId } },
        );
      }
      if (row.state === 'dead') {
        row.state = 'pending';
        // The claim it died under is void: its holder already failed it.
        row.claimToken = undefined;
        row.leaseUntil = undefined;
        row.finishedAt = undefined;
      }
      row.nextAttemptAt = o.at ?? 0;
      return statusOf(row);
    },
  };
}

function reviewItem(record: OrderRecord, since: number, now: number): ReviewQueueItem {
  const review = record.review as NonNullable<OrderRecord['review']>;
  const source = record.order.source;
  const risk = record.facts?.risk;
  return {
    orderId: record.orderId,
    ...(source.name === undefined ? {} : { name: source.name }),
    externalId: source.externalId,
    store: source.store,
    status: record.status,
    reasons: [...review.reasons],
    since: review.since,
    ageMs: Math.max(0, now - since),
    ...(risk === undefined
      ? {}
      : {
          risk: {
            score: risk.score,
            level: risk.level,
            reasons: risk.reasons.map((r) => r.reason),
          },
        }),
    note: record.order.note ?? null,
    noteTags: (record.facts?.note?.tags ?? []).map((tag) => tag.tag),
  };
}
