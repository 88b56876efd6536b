import type { Command, HistoryEntry, Timer } from '../model/commands';
import type { OrderRecord } from '../model/record';
import type { VelocityQuery } from '../risk/velocity';

/** One atomic write: everything that a decision produced. */
export interface Commit {
  orderId: string;
  /** The version the decision was made on (0 for a new order). */
  expectedVersion: number;
  /** The new record; `record.version` MUST be `expectedVersion + 1`. */
  record: OrderRecord;
  history: HistoryEntry;
  commands: Command[];
  timers: Timer[];
  /** Timers to delete (e.g. a hold released early). */
  cancelTimerIds: string[];
  /** Inbox keys marked processed in the same transaction. */
  inboxKeys: string[];
}

/** An outbox row held by one worker until it completes or its lease ends. */
export interface ClaimedCommand {
  command: Command;
  /** Attempts before this one. */
  attempts: number;
  /** Fencing token: only the holder of the current token may complete or fail the row. */
  claimToken: string;
}

export interface ClaimedTimer {
  timer: Timer;
  claimToken: string;
}

export interface ClaimOptions {
  /** Epoch ms. */
  now: number;
  limit: number;
  /** How long the claim holds before another worker may take the row. */
  leaseMs: number;
}

/** Storage feature flags; conformance suites skip what an implementation lacks. */
export interface StorageCapabilities {
  /** Several processes may share this storage (claims are safe across processes). */
  multiProcess: boolean;
  /** `countRecentOrders` is implemented (risk velocity from stored orders). */
  velocity?: boolean;
}

/**
 * Where orders, their history, the inbox, the outbox and timers live.
 *
 * Contract (checked by `storageConformance` in `@fulfil/core/testing`):
 * - `commit` MUST be atomic: the record, history entry, commands, timers, cancelled
 *   timers and inbox keys are all written, or none is.
 * - `commit` MUST fail with `FulfilError` code `VERSION_CONFLICT` when the stored
 *   version differs from `expectedVersion` (or the order exists and `expectedVersion` is 0),
 *   and then MUST write nothing. It MUST also fail with `VERSION_CONFLICT` and write
 *   nothing when one of `inboxKeys` is already processed (a concurrent duplicate). These
 *   conflicts MUST be reported as `VERSION_CONFLICT` even when the commit's command or
 *   timer ids also collide with stored ones (two writers deciding the same version
 *   produce the same ids).
 * - `load` MUST return a copy: mutating it MUST NOT change stored state.
 * - Ids, tags and any string MUST be stored verbatim.
 * - `claimCommands` MUST return only pending rows whose `nextAttemptAt <= now`, or rows
 *   whose lease has expired; a row MUST NOT be held by two live claims at once. Rows
 *   SHOULD come in commit order.
 * - `completeCommand` / `failCommand` / `completeTimer` MUST fail with `CLAIM_LOST` when
 *   the claim token is no longer the row's current token.
 * - `failCommand` with `retryAt` MUST make the row claimable again at that time; without
 *   it, the row is dead and MUST NOT be claimed again.
 * - `claimDueTimers` MUST return timers with `dueAt <= now` not held by a live claim.
 * - New commands MUST be claimable at once, whatever `now` is; `attempts` counts earlier
 *   claims, including ones whose lease ran out.
 * - A timer committed again with an existing id MUST replace (reschedule) the old one;
 *   completing a timer that was cancelled while claimed, with the current token, resolves.
 */
export interface Storage {
  readonly capabilities: StorageCapabilities;
  load(orderId: string): Promise<OrderRecord | undefined>;
  commit(commit: Commit): Promise<void>;
  /** Has this inbox key been processed? */
  isProcessed(key: string): Promise<boolean>;
  /** Marks inbox keys processed without changing an order (ignored or stale events). */
  markProcessed(keys: string[], at: number): Promise<void>;
  history(orderId: string): Promise<HistoryEntry[]>;
  /** Orders in one of `statuses`, oldest first, at most `limit`. */
  listOrders(query: { statuses?: string[]; limit?: number }): Promise<OrderRecord[]>;
  claimCommands(options: ClaimOptions): Promise<ClaimedCommand[]>;
  completeCommand(commandId: string, claimToken: string): Promise<void>;
  failCommand(
    commandId: string,
    claimToken: string,
    failure: { error: string; retryAt?: number },
  ): Promise<void>;
  claimDueTimers(options: ClaimOptions): Promise<ClaimedTimer[]>;
  /**
   * Optional (capability `velocity`): how many stored orders share a normalized email,
   * IP, address or phone (core's `velocityValues`) with `createdAt` in `[since, until]`,
   * leaving out `excludeOrderId`. Feeds the risk scorer through `storageVelocitySource`.
   */
  countRecentOrders?(query: VelocityQuery): Promise<number>;
  completeTimer(timerId: string, claimToken: string): Promise<void>;
}
