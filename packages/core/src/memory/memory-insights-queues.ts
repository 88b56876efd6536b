import { ErrorCodes, FulfilError } from '../errors';
import type { OrderRecord } from '../model/record';
import type { CommandStatus, Insights, OrderSearchHit, ReviewQueueItem } from '../ports/insights';
import {
  checkFailedCommandsQuery,
  checkRetryCommand,
  checkReviewQueueQuery,
  checkSearchQuery,
  decodeCursor,
  encodeCursor,
  malformedCursor,
} from './insights-checks';
import {
  byName,
  type MemoryCommandRow,
  type MemoryInsightsSource,
  ranked,
} from './memory-insights-rows';

// The lists of the memory read model: review queue, commands, search, retry. Internal.

type Queues = Pick<
  Insights,
  'reviewQueue' | 'failedCommands' | 'orderCommands' | 'search' | 'retryCommand'
>;

const ms = (iso: string) => Date.parse(iso);

/** The list methods of the memory {@link Insights} over the storage's maps. */
export function createMemoryQueues(source: MemoryInsightsSource): Queues {
  const { records, commands } = source;
  return {
    async reviewQueue(query) {
      const q = checkReviewQueueQuery(query, source.now());
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
        // A new round: its failure (if any) is raised afresh (see ClaimedCommand.retries).
        row.retries = (row.retries ?? 0) + 1;
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
