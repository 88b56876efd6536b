import {
  type ClaimedCommand,
  type ClaimedTimer,
  type Commit,
  FulfilError,
  type HistoryEntry,
  type OrderRecord,
  type Storage,
  type StorageCapabilities,
  type Timer,
} from '@fulfil/core';

/** The audit's storage: a {@link Storage} plus dropping settled orders. Internal to the CLI. */
export interface AuditStorage extends Storage {
  /** Drops an order from memory: its record, its processed event keys, its pending timers. */
  forget(orderId: string): void;
}

interface TimerRow {
  timer: Timer;
  dueAt: number;
  seq: number;
  claimToken?: string;
}

interface CommandRow {
  command: ClaimedCommand['command'];
  attempts: number;
  nextAttemptAt: number;
  claimToken?: string;
  leaseUntil?: number;
}

/**
 * A lean, single-process storage for `fulfil audit`. Internal: not a general Storage (it is
 * not run against core's `storageConformance`, and does not claim to pass it).
 *
 * Unlike core's memory storage it copies nothing: the engine never mutates a record it
 * loaded or committed (decisions work on drafts, and the engine itself keeps committed
 * records in its cache), so sharing them is safe within one process. It keeps what the
 * engine reads back and nothing more: the current record of each open order (no history;
 * the audit observes every commit as it happens through `observe`), the processed event
 * keys of open orders, pending timers in a due-time heap, and commands until they complete.
 * Finished commands and timers are dropped at once, and {@link AuditStorage.forget} drops a
 * settled order's record, keys and timers, so memory follows the open orders only.
 */
export function createAuditStorage(
  observe: (entry: HistoryEntry, record: OrderRecord) => void,
): AuditStorage {
  const records = new Map<string, OrderRecord>();
  /** Processed keys, with the order each belongs to (undefined: not tied to an order). */
  const processed = new Map<string, string | undefined>();
  const keysOf = new Map<string, string[]>();
  const timers = new Map<string, TimerRow>();
  const timersOf = new Map<string, string[]>();
  /** Min-heap of pending timers by (dueAt, seq); rows no longer in `timers` are skipped. */
  const heap: TimerRow[] = [];
  const commands = new Map<string, CommandRow>();
  let seq = 0;
  let tokens = 0;
  const capabilities: StorageCapabilities = {
    multiProcess: false,
    velocity: false,
    reservations: false,
    completesInCommit: true,
    insights: false,
  };
  const before = (a: TimerRow, b: TimerRow) =>
    a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  const push = (row: TimerRow) => {
    heap.push(row);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i] as TimerRow, heap[p] as TimerRow)) break;
      [heap[i], heap[p]] = [heap[p] as TimerRow, heap[i] as TimerRow];
      i = p;
    }
  };
  const pop = (): TimerRow | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as TimerRow, heap[m] as TimerRow)) m = l;
        if (r < heap.length && before(heap[r] as TimerRow, heap[m] as TimerRow)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as TimerRow, heap[i] as TimerRow];
        i = m;
      }
    }
    return top;
  };
  const conflict = (message: string, details: Record<string, unknown>) =>
    new FulfilError('VERSION_CONFLICT', message, { details });
  const claimLost = (what: string, id: string) =>
    new FulfilError('CLAIM_LOST', `${what} "${id}" is no longer claimed by this caller`, {
      details: { id },
    });
  const dropTimer = (id: string) => {
    timers.delete(id);
  };

  return {
    capabilities,
    async load(orderId) {
      return records.get(orderId);
    },
    async commit(commit: Commit) {
      const { orderId, expectedVersion } = commit;
      const stored = records.get(orderId)?.version;
      if ((stored ?? 0) !== expectedVersion || (stored !== undefined && expectedVersion === 0)) {
        throw conflict(`order "${orderId}" is at version ${stored ?? 'none'}`, {
          orderId,
          expectedVersion,
        });
      }
      const seen = commit.inboxKeys.find((k) => processed.has(k));
      if (seen !== undefined) throw conflict(`event "${seen}" was already processed`, { orderId });
      records.set(orderId, commit.record);
      const keys = keysOf.get(orderId) ?? [];
      keysOf.set(orderId, keys);
      for (const k of commit.inboxKeys) {
        processed.set(k, orderId);
        keys.push(k);
      }
      for (const command of commit.commands) {
        commands.set(command.id, { command, attempts: 0, nextAttemptAt: 0 });
      }
      for (const id of commit.cancelTimerIds) if (!timers.get(id)?.claimToken) dropTimer(id);
      for (const timer of commit.timers) {
        const row: TimerRow = { timer, dueAt: Date.parse(timer.dueAt), seq: ++seq };
        timers.set(timer.id, row);
        push(row);
        const ids = timersOf.get(orderId) ?? [];
        timersOf.set(orderId, ids);
        ids.push(timer.id);
      }
      for (const { commandId, claimToken } of commit.completes ?? []) {
        if (commands.get(commandId)?.claimToken === claimToken) commands.delete(commandId);
      }
      observe(commit.history, commit.record);
    },
    async isProcessed(key) {
      return processed.has(key);
    },
    async markProcessed(keys) {
      for (const k of keys) if (!processed.has(k)) processed.set(k, undefined);
    },
    async history() {
      return [];
    },
    async listOrders(query) {
      const statuses = query.statuses === undefined ? undefined : new Set(query.statuses);
      const found = [...records.values()]
        .filter((r) => statuses === undefined || statuses.has(r.status))
        .sort((a, b) => a.order.createdAt.localeCompare(b.order.createdAt));
      return found.slice(0, query.limit ?? found.length);
    },
    async claimCommands(claim) {
      const out: ClaimedCommand[] = [];
      for (const [, row] of commands) {
        if (out.length >= claim.limit) break;
        if (row.nextAttemptAt > claim.now) continue;
        if (row.leaseUntil !== undefined && row.leaseUntil > claim.now) continue;
        row.claimToken = `claim-${++tokens}`;
        row.leaseUntil = claim.now + claim.leaseMs;
        out.push({ command: row.command, attempts: row.attempts++, claimToken: row.claimToken });
      }
      return out;
    },
    async completeCommand(commandId, claimToken) {
      const row = commands.get(commandId);
      if (row === undefined || row.claimToken !== claimToken) throw claimLost('command', commandId);
      commands.delete(commandId);
    },
    async failCommand(commandId, claimToken, failure) {
      const row = commands.get(commandId);
      if (row === undefined || row.claimToken !== claimToken) throw claimLost('command', commandId);
      row.leaseUntil = undefined;
      if (failure.retryAt === undefined) commands.delete(commandId);
      else row.nextAttemptAt = failure.retryAt;
    },
    async claimDueTimers(claim) {
      const out: ClaimedTimer[] = [];
      while (out.length < claim.limit && heap.length > 0) {
        const top = heap[0] as TimerRow;
        if (timers.get(top.timer.id) !== top || top.claimToken !== undefined) {
          pop();
          continue;
        }
        if (top.dueAt > claim.now) break;
        pop();
        top.claimToken = `claim-${++tokens}`;
        out.push({ timer: top.timer, claimToken: top.claimToken });
      }
      return out;
    },
    async completeTimer(timerId, claimToken) {
      const row = timers.get(timerId);
      if (row === undefined || row.claimToken !== claimToken) throw claimLost('timer', timerId);
      dropTimer(timerId);
    },
    forget(orderId) {
      records.delete(orderId);
      for (const k of keysOf.get(orderId) ?? []) processed.delete(k);
      keysOf.delete(orderId);
      for (const id of timersOf.get(orderId) ?? []) if (!timers.get(id)?.claimToken) dropTimer(id);
      timersOf.delete(orderId);
    },
  };
}
