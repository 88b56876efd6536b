import type { Command, HistoryEntry, Timer } from '../model/commands';
import type { InventorySnapshot } from '../model/facts';
import type { OrderRecord } from '../model/record';
import type { VelocityQuery } from '../risk/velocity';
import type { Insights } from './insights';

/**
 * Units of one SKU at one location that a decision routed to a shipment, held until the
 * warehouse's own stock figure accounts for them (see {@link CommitReservations}).
 */
export interface ReservationTake {
  /** Unique id of the reservation. decide uses `JSON.stringify([shipmentId, sku])`. */
  key: string;
  locationId: string;
  sku: string;
  /** Units, a whole number > 0. */
  quantity: number;
  /**
   * The units the decision saw at the location BEFORE other reservations were subtracted
   * (the InventorySource / warehouse figure it routed on), a whole number >= 0.
   */
  available: number;
}

/**
 * Reservations taken and released by one commit (capability `reservations`).
 *
 * A take succeeds only when, for its (location, SKU), the units of every reservation that
 * still counts plus the units taken by this commit do not exceed the take's `available`
 * (the smallest one, when several takes share the pair). A reservation counts when it is
 * active, or when it was released after `basis` (the decision read its stock before that
 * release, so its `available` may still include those units). Reservations released by
 * this same commit and reservations replaced by one of its takes do not count.
 */
export interface CommitReservations {
  /** Reservations to take. A take whose key exists replaces that reservation (active again). */
  take: ReservationTake[];
  /** Keys of reservations to release. Unknown or already released keys are ignored. */
  release: string[];
  /**
   * The {@link ReservedStock.basis} returned by `reserved()` before the decision read its
   * stock. Omitted: only active reservations count.
   */
  basis?: number;
}

/** What {@link Storage.reserved} returns. */
export interface ReservedStock {
  /** Active reserved units per location per SKU (only the SKUs asked for; zeros omitted). */
  units: InventorySnapshot;
  /**
   * A watermark: pass it as {@link CommitReservations.basis}. Reservations released after it
   * still count against that commit's takes. It only grows.
   */
  basis: number;
}

/**
 * A claimed command marked done by the commit that records its result (capability
 * `completesInCommit`): the result and the end of the command are one write.
 */
export interface CommandCompletion {
  commandId: string;
  /** The token of the claim the command ran under. */
  claimToken: string;
}

/** What {@link Storage.loadWithReserved} returns: both reads of a decision in one. */
export interface LoadedWithReserved {
  record: OrderRecord | undefined;
  reserved: ReservedStock;
}

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
  /**
   * Stock reservations taken and released in the same transaction. The engine sends it
   * only to storages that declare the `reservations` capability.
   */
  reservations?: CommitReservations;
  /**
   * Claimed commands to mark done when this commit is written (the commit records their
   * result). The engine sends it only to storages that declare `completesInCommit`.
   */
  completes?: CommandCompletion[];
}

/** An outbox row held by one worker until it completes or its lease ends. */
export interface ClaimedCommand {
  command: Command;
  /** Attempts before this one. */
  attempts: number;
  /**
   * How many times a person re-queued this command after it died (`insights.retryCommand`
   * on a dead row adds one). The dispatcher keys each round's `command.failed` event by it,
   * so a re-queued command runs again instead of being taken for a crash after its earlier
   * failure was raised. Absent = 0 (a storage without `insights.retryCommand`).
   */
  retries?: number;
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
  /**
   * Stock reservations: `reserved()` is implemented and `commit` honours
   * `commit.reservations`, so concurrent decisions never promise the same units twice.
   */
  reservations?: boolean;
  /**
   * `commit` honours `commit.completes`: a command's result and its completion are written
   * together (one statement less per command with a result, and no window in between).
   */
  completesInCommit?: boolean;
  /** `insights` is implemented: the read model for dashboards and the console. */
  insights?: boolean;
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
 * - Calls MAY overlap (an engine commits and loads several orders at once). Each
 *   concurrent `commit` MUST succeed or fail exactly as it would alone: a storage MAY write
 *   several in one transaction (group commit), but one commit's conflict MUST NOT fail or
 *   half-write another.
 *
 * Reservations (capability `reservations`):
 * - `commit` MUST apply `commit.reservations` in the same transaction as the rest, and MUST
 *   fail with `VERSION_CONFLICT` and `details.reason: 'stock'` (plus `locationId`, `sku`,
 *   `requested`, `reserved`, `available`), writing nothing, when a take does not fit (see
 *   {@link CommitReservations}). Takes on the same (location, SKU) MUST be serialised:
 *   of concurrent commits that together exceed `available`, at least one fails.
 * - A version or inbox conflict is reported as such (without `reason: 'stock'`) even when
 *   the takes do not fit either.
 * - `reserved(skus)` MUST count every active reservation of those SKUs (this order's too)
 *   and return a `basis` no lower than any release it already reflects.
 * - Released reservations SHOULD be kept long enough (minutes) for decisions whose stock
 *   was read before the release to commit; they MAY be purged after that.
 * - A take whose `quantity` is not a whole number > 0, or whose `available` is not a whole
 *   number >= 0, MUST fail with `INVALID_INPUT` (checked before any conflict).
 * - `loadWithReserved(orderId, skus)`, where implemented, MUST return what `load(orderId)`
 *   and then `reserved(skus)` would (the reserved units read no earlier than the record).
 *
 * Completions (capability `completesInCommit`):
 * - When `commit` writes, each of `commit.completes` whose claim token is the command's
 *   current token MUST be marked done as `completeCommand` would (a dead or done row stays
 *   so); one whose token is not current, or an unknown command, MUST be skipped without
 *   failing the commit (another worker holds the row and will find the result recorded).
 * - When `commit` fails, no command MAY be completed.
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
  /**
   * Optional (capability `reservations`): units held by active reservations of `skus`, per
   * location, and the watermark to commit takes against. The engine reads it BEFORE the
   * stock and routes on stock minus these units.
   */
  reserved?(skus: string[]): Promise<ReservedStock>;
  /**
   * Optional (with `reservations`): `load(orderId)` and `reserved(skus)` in one read (one
   * round trip), for events that carry the order and so name its SKUs before the load.
   */
  loadWithReserved?(orderId: string, skus: string[]): Promise<LoadedWithReserved>;
  completeTimer(timerId: string, claimToken: string): Promise<void>;
  /**
   * Optional (capability `insights`): the read model for dashboards and the operations
   * console (see {@link Insights} for its contract).
   */
  readonly insights?: Insights;
}
