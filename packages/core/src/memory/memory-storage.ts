import { z } from 'zod';
import type { Command, HistoryEntry, Timer } from '../model/commands';
import type { OrderRecord } from '../model/record';
import { parseOptions, portOption } from '../options';
import { type Clock, systemClock } from '../ports/clock';
import type { Insights } from '../ports/insights';
import type { ClaimedCommand, ClaimedTimer, Storage, StorageCapabilities } from '../ports/storage';
import { velocityValues } from '../risk/velocity';
import { createMemoryInsights } from './memory-insights';
import type { MemoryCommandRow } from './memory-insights-rows';
import {
  checkClaimOptions,
  claimLost,
  cloneCommit,
  oldestFirst,
  validateCommit,
  validateCompletions,
  validateReservationShape,
} from './memory-storage-checks';
import { createReservationBook } from './memory-storage-reservations';

/** Name of the in-memory storage, used in error messages. */
export const MEMORY_STORAGE_NAME = 'memory';

/** Options for {@link createMemoryStorage}. */
export interface MemoryStorageOptions {
  /**
   * Keep completed and dead outbox rows and completed or cancelled timers, so
   * `outbox()` and `timers()` can show them. Default `true`; turn it off in a
   * long-running process to keep memory flat (dead rows are always kept).
   */
  retainCompleted?: boolean;
  /**
   * The clock of the read model's defaults (`storage.insights`: `until` and `now` when a
   * query leaves them out) and of the outbox's finish times. Default: the system clock. Pass
   * the engine's simulated clock in demos and tests so "the last hour" means its hour.
   */
  clock?: Clock;
}

const OptionsSchema = z.object({
  retainCompleted: z.boolean().optional(),
  clock: portOption<Clock>('Clock', ['now'], 'systemClock or createSimulatedClock(...)').optional(),
} satisfies Record<keyof MemoryStorageOptions, z.ZodType>);

/** Status of an outbox row as {@link MemoryStorage.outbox} shows it. */
export type OutboxRowStatus = 'pending' | 'claimed' | 'done' | 'dead';

/** One outbox row, for inspection. */
export interface OutboxRow {
  command: Command;
  status: OutboxRowStatus;
  /** Claims so far. */
  attempts: number;
  /** Epoch ms from which the row may be claimed (0 = at once). */
  nextAttemptAt: number;
  /** Epoch ms when the current claim's lease ends (claimed rows). */
  leaseUntil?: number;
  lastError?: string;
}

/** Status of a timer as {@link MemoryStorage.timers} shows it. */
export type TimerRowStatus = 'pending' | 'claimed' | 'done' | 'cancelled';

/** One timer row, for inspection. */
export interface TimerRow {
  timer: Timer;
  status: TimerRowStatus;
  leaseUntil?: number;
}

/** The in-memory {@link Storage}, plus inspection helpers for tests and demos. */
export interface MemoryStorage extends Storage {
  /** The read model (capability `insights`), computed from the stored history when asked. */
  readonly insights: Insights;
  /** Every outbox row in commit order (copies). A claim shows as live unless its lease ended by `now` (default: all claims live). */
  outbox(now?: number): OutboxRow[];
  /** Every timer row by due time (copies). A claim shows as live unless its lease ended by `now` (default: all claims live). */
  timers(now?: number): TimerRow[];
  /** Every processed inbox key with the epoch ms it was marked at. */
  inbox(): { key: string; at: number }[];
  /**
   * Drops orders' records and histories, and the given processed inbox keys (outbox rows,
   * timers and reservations stay). For long replays that read an order's outcome once it
   * settles and then no longer need it in memory (`fulfil audit`). A forgotten order is
   * unknown afterwards: later events for it are ignored, and a forgotten key no longer
   * counts as a duplicate.
   */
  forget(orderIds: Iterable<string>, inboxKeys?: Iterable<string>): void;
  /** Active stock reservations (copies), by key order of taking. */
  reservations(): {
    key: string;
    orderId: string;
    locationId: string;
    sku: string;
    quantity: number;
  }[];
}

type CommandState = MemoryCommandRow;

interface TimerState {
  seq: number;
  timer: Timer;
  dueAt: number;
  state: 'pending' | 'done' | 'cancelled';
  claimToken?: string;
  leaseUntil?: number;
}

/**
 * Creates the in-memory reference {@link Storage}: one process, no persistence.
 * Every write is validated before anything changes, so a failed commit writes
 * nothing; everything going in and out is a deep copy.
 *
 * @example
 * ```ts
 * const storage = createMemoryStorage();
 * const engine = createEngine({ storage, ... });
 * // later, in a test:
 * expect(storage.outbox().filter((row) => row.status === 'dead')).toEqual([]);
 * ```
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  parseOptions(OptionsSchema, options, 'createMemoryStorage', { optional: true });
  const retain = options.retainCompleted ?? true;
  const clock = options.clock ?? systemClock;
  const records = new Map<string, OrderRecord>();
  const histories = new Map<string, HistoryEntry[]>();
  const processed = new Map<string, number>();
  const commands = new Map<string, CommandState>();
  const timers = new Map<string, TimerState>();
  const book = createReservationBook();
  let seq = 0;
  let tokens = 0;
  const nextToken = () => `claim-${++tokens}`;
  const capabilities: StorageCapabilities = {
    multiProcess: false,
    velocity: true,
    reservations: true,
    completesInCommit: true,
    insights: true,
  };

  /** Marks a claimed row done (a dead or done row stays so). */
  const finishCommand = (row: CommandState, commandId: string) => {
    if (row.state !== 'pending') return;
    row.state = 'done';
    row.leaseUntil = undefined;
    row.finishedAt = clock.now();
    if (!retain) commands.delete(commandId);
  };

  return {
    capabilities,
    insights: createMemoryInsights({ records, histories, commands, now: () => clock.now() }),

    async load(orderId) {
      const record = records.get(orderId);
      return record === undefined ? undefined : structuredClone(record);
    },

    async commit(input) {
      const commit = cloneCommit(input);
      validateReservationShape(commit);
      validateCompletions(commit);
      validateCommit(commit, records, processed, commands);
      book.check(commit);
      // Validated: from here on nothing can fail, so the write is all-or-nothing.
      records.set(commit.orderId, commit.record);
      const history = histories.get(commit.orderId) ?? [];
      history.push(commit.history);
      histories.set(commit.orderId, history);
      for (const command of commit.commands) {
        commands.set(command.id, {
          seq: ++seq,
          command,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: 0,
        });
      }
      for (const id of commit.cancelTimerIds) {
        const row = timers.get(id);
        if (row?.state !== 'pending') continue;
        if (retain || row.claimToken !== undefined) row.state = 'cancelled';
        else timers.delete(id);
      }
      for (const timer of commit.timers) {
        timers.set(timer.id, {
          seq: ++seq,
          timer,
          dueAt: Date.parse(timer.dueAt),
          state: 'pending',
        });
      }
      const at = Date.parse(commit.history.at);
      for (const key of commit.inboxKeys) processed.set(key, Number.isNaN(at) ? 0 : at);
      book.apply(commit.orderId, commit.reservations);
      for (const { commandId, claimToken } of commit.completes ?? []) {
        const row = commands.get(commandId);
        // A claim lost meanwhile is skipped: its new holder finds the result recorded.
        if (row === undefined || row.claimToken !== claimToken) continue;
        finishCommand(row, commandId);
      }
    },

    async reserved(skus) {
      return book.reserved(skus);
    },

    async loadWithReserved(orderId, skus) {
      const record = records.get(orderId);
      return {
        record: record === undefined ? undefined : structuredClone(record),
        reserved: book.reserved(skus),
      };
    },

    async isProcessed(key) {
      return processed.has(key);
    },

    async markProcessed(keys, at) {
      for (const key of keys) if (!processed.has(key)) processed.set(key, at);
    },

    async history(orderId) {
      return structuredClone(histories.get(orderId) ?? []);
    },

    async listOrders(query) {
      const statuses = query.statuses === undefined ? undefined : new Set(query.statuses);
      const found = [...records.values()]
        .filter((record) => statuses === undefined || statuses.has(record.status))
        .sort(oldestFirst);
      return structuredClone(found.slice(0, query.limit ?? found.length));
    },

    async countRecentOrders(query) {
      let n = 0;
      for (const record of records.values()) {
        if (record.orderId === query.excludeOrderId) continue;
        const at = Date.parse(record.order.createdAt);
        if (at < query.since || at > query.until) continue;
        if (velocityValues(record.order)[query.key] === query.value) n++;
      }
      return n;
    },

    async claimCommands(claim) {
      checkClaimOptions(claim);
      const claimable = [...commands.values()]
        .filter((row) => row.state === 'pending' && row.nextAttemptAt <= claim.now)
        .filter((row) => row.leaseUntil === undefined || row.leaseUntil <= claim.now)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, claim.limit);
      return claimable.map((row): ClaimedCommand => {
        row.claimToken = nextToken();
        row.leaseUntil = claim.now + claim.leaseMs;
        return {
          command: structuredClone(row.command),
          attempts: row.attempts++,
          ...(row.retries ? { retries: row.retries } : {}),
          claimToken: row.claimToken,
        };
      });
    },

    async completeCommand(commandId, claimToken) {
      finishCommand(ownedCommand(commands, commandId, claimToken), commandId);
    },

    async failCommand(commandId, claimToken, failure) {
      const row = ownedCommand(commands, commandId, claimToken);
      if (row.state !== 'pending') return;
      row.lastError = failure.error;
      row.leaseUntil = undefined;
      if (failure.retryAt === undefined) {
        row.state = 'dead';
        row.finishedAt = clock.now();
      } else row.nextAttemptAt = failure.retryAt;
    },

    async claimDueTimers(claim) {
      checkClaimOptions(claim);
      const due = [...timers.values()]
        .filter((row) => row.state === 'pending' && row.dueAt <= claim.now)
        .filter((row) => row.leaseUntil === undefined || row.leaseUntil <= claim.now)
        .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
        .slice(0, claim.limit);
      return due.map((row): ClaimedTimer => {
        row.claimToken = nextToken();
        row.leaseUntil = claim.now + claim.leaseMs;
        return { timer: structuredClone(row.timer), claimToken: row.claimToken };
      });
    },

    async completeTimer(timerId, claimToken) {
      const row = timers.get(timerId);
      if (row === undefined || row.claimToken !== claimToken) {
        throw claimLost('timer', timerId);
      }
      // A timer cancelled while claimed stays cancelled; completing it is a no-op.
      if (row.state === 'pending') row.state = 'done';
      row.leaseUntil = undefined;
      if (!retain) timers.delete(timerId);
    },

    outbox(now = Number.NEGATIVE_INFINITY) {
      return [...commands.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((row) => {
          const live = row.state === 'pending' && (row.leaseUntil ?? -Infinity) > now;
          return structuredClone({
            command: row.command,
            status: live ? 'claimed' : row.state,
            attempts: row.attempts,
            nextAttemptAt: row.nextAttemptAt,
            ...(live ? { leaseUntil: row.leaseUntil } : {}),
            ...(row.lastError === undefined ? {} : { lastError: row.lastError }),
          } satisfies OutboxRow);
        });
    },

    timers(now = Number.NEGATIVE_INFINITY) {
      return [...timers.values()]
        .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
        .map((row) => {
          const live = row.state === 'pending' && (row.leaseUntil ?? -Infinity) > now;
          return structuredClone({
            timer: row.timer,
            status: live ? 'claimed' : row.state,
            ...(live ? { leaseUntil: row.leaseUntil } : {}),
          } satisfies TimerRow);
        });
    },

    inbox() {
      return [...processed].map(([key, at]) => ({ key, at }));
    },

    forget(orderIds, inboxKeys = []) {
      for (const id of orderIds) {
        records.delete(id);
        histories.delete(id);
      }
      for (const key of inboxKeys) processed.delete(key);
    },

    reservations() {
      return book.active();
    },
  };
}

function ownedCommand(
  commands: Map<string, CommandState>,
  commandId: string,
  claimToken: string,
): CommandState {
  const row = commands.get(commandId);
  if (row === undefined || row.claimToken !== claimToken) throw claimLost('command', commandId);
  return row;
}
