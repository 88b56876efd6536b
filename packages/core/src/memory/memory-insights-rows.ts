import type { Command, HistoryEntry } from '../model/commands';
import type { OrderRecord } from '../model/record';

// What the memory read model reads, and small helpers shared by its files. Internal.

/** One outbox row of the memory storage (internal; shared with memory-storage.ts). */
export interface MemoryCommandRow {
  seq: number;
  command: Command;
  state: 'pending' | 'done' | 'dead';
  attempts: number;
  /** Times `retryCommand` revived the row from dead (see `ClaimedCommand.retries`). */
  retries?: number;
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
  /** The clock of defaults (`until`, `now`). */
  now: () => number;
}

export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Counts per key, most first, ties by key. */
export function ranked(counts: Map<string, number>): { reason: string; count: number }[] {
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || byName(a.reason, b.reason));
}
