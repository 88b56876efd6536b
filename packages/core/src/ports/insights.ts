/**
 * The read model behind dashboards and the operations console (Storage capability
 * `insights`). Every figure is computed from what the storage holds, so any process
 * sharing the storage sees the same numbers (never one process's in-memory metrics).
 *
 * The storage does not know the machine: state names come from the caller where a figure
 * depends on them (e.g. which states count as "submitted"). Times are epoch ms in
 * queries and ISO 8601 (UTC) in results.
 *
 * Contract (checked by `insightsConformance` in `@fulfil/core/testing`):
 * - Every method reads only committed state; none changes anything except
 *   {@link Insights.retryCommand}.
 * - Buckets are aligned to UTC minute / hour / day starts; a bucket is returned only when
 *   something happened in it; buckets come oldest first; `[since, until)` is half-open.
 * - An invalid query (negative limit, `since > until`, unknown bucket, a malformed cursor)
 *   fails with `FulfilError` code `INVALID_INPUT` naming the field.
 * - Order ids, names, reasons and tags are returned verbatim.
 * - Paged results are stable: following `nextCursor` until it is absent returns every
 *   matching item exactly once when nothing changes in between.
 */
export interface Insights {
  /**
   * Orders received (first history entry), orders entering one of `submittedStates`
   * for the first time, orders entering one of `shippedStates` for the first time, and
   * exceptions, per bucket.
   */
  throughput(query: InsightsRangeQuery): Promise<ThroughputPoint[]>;
  /**
   * Processing time received → submitted: for each order whose first entry into one of
   * `submittedStates` falls in the bucket, `that time - the order's first history entry`;
   * p50/p95/p99 per bucket (nearest-rank percentiles).
   */
  processingTime(query: InsightsRangeQuery): Promise<ProcessingTimePoint[]>;
  /** Stored orders per current state, every state with at least one order, by name. */
  ordersByState(): Promise<StateCount[]>;
  /**
   * Time in state: for every stay in a state that began at or after `since` and has ended,
   * its length; count, p50, p95 and max per state, by state name.
   */
  timeInState(query: { since: number; until?: number }): Promise<StateTime[]>;
  /** Shares and counts for orders received in `[since, until)`. */
  summary(query: InsightsSummaryQuery): Promise<InsightsSummary>;
  /**
   * Orders waiting for a person (their record carries `review`), oldest `review.since`
   * first (ties by order id), optionally only those with a reason equal to `reason`.
   */
  reviewQueue(query?: ReviewQueueQuery): Promise<ReviewQueuePage>;
  /**
   * Outbox commands that failed for good (dead) and, with `includeRetrying`, pending ones
   * that failed at least once (`lastError` set); most recent first.
   */
  failedCommands(query?: FailedCommandsQuery): Promise<FailedCommandsPage>;
  /** Every outbox command of one order (pending, done, dead) in commit order. */
  orderCommands(orderId: string): Promise<CommandStatus[]>;
  /**
   * Orders whose id, store order name (`#1001`, also without `#`) or external id equals
   * `text` (exact match, names compared case-insensitively), at most `limit` (default 20).
   */
  search(query: { text: string; limit?: number }): Promise<OrderSearchHit[]>;
  /**
   * Makes a dead (or pending) command claimable at `at` (default: at once) with its
   * attempts kept; fails with `NOT_FOUND` for an unknown id and `INVALID_INPUT` for a
   * command that is done. Returns the command's new status.
   */
  retryCommand(commandId: string, options?: { at?: number }): Promise<CommandStatus>;
}

/** UTC bucket width. */
export type InsightsBucket = 'minute' | 'hour' | 'day';

/** A time range split into buckets. */
export interface InsightsRangeQuery {
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive. Default: now. */
  until?: number;
  bucket: InsightsBucket;
  /** States that mean "sent to the warehouse". Default `['submitted']`. */
  submittedStates?: string[];
  /** States that mean "shipped". Default `['shipped', 'delivered']`. */
  shippedStates?: string[];
}

/** Activity in one bucket. */
export interface ThroughputPoint {
  /** Bucket start, ISO (UTC). */
  at: string;
  received: number;
  submitted: number;
  shipped: number;
  /**
   * Orders that entered review, plus commands that failed for good (`command.failed`
   * history entries), in the bucket.
   */
  exceptions: number;
}

/** Processing times of the orders first submitted in one bucket. */
export interface ProcessingTimePoint {
  at: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Orders in one state now. */
export interface StateCount {
  state: string;
  count: number;
}

/** Completed stays in one state. */
export interface StateTime {
  state: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Options of {@link Insights.summary}. */
export interface InsightsSummaryQuery {
  since: number;
  until?: number;
  /** As in {@link InsightsRangeQuery}. */
  submittedStates?: string[];
  /**
   * `facts.note.classifier` names that are language models (for `llmNoteShare`).
   * Default `['claude']` (the name `@fulfil/classifier-anthropic` gives its model's answers).
   */
  llmClassifiers?: string[];
}

/** Shares over the orders received in a range. Shares are in [0, 1]; 0 when `received` is 0. */
export interface InsightsSummary {
  /** Orders received in the range. */
  received: number;
  /** Of those: reached a submitted state with no person involved (no review, no `review.resolved`). */
  automated: number;
  /** Of those: a person acted on them (a `review.resolved` entry). */
  touched: number;
  /** Of those: ever entered review. */
  reviewed: number;
  /** Of those: a command failed for good (`command.failed`). */
  failed: number;
  automationRate: number;
  reviewRate: number;
  errorRate: number;
  /** Of those: routed to more than one shipment at some point. */
  splitShare: number;
  /** Of those: had backordered units at some point. */
  backorderShare: number;
  /**
   * Of those with a classified note (`facts.note`): the share classified by a language
   * model, i.e. whose `facts.note.classifier` is one of `llmClassifiers` in the query.
   */
  llmNoteShare: number;
  /** Orders with a non-empty note among those received. */
  withNote: number;
  /** Holds placed on orders received in the range, by hold reason, most first. */
  holdsByReason: { reason: string; count: number }[];
}

/** Options of {@link Insights.reviewQueue}. */
export interface ReviewQueueQuery {
  /** Only orders with this exact reason. */
  reason?: string;
  /** Page size, 1..500, default 50. */
  limit?: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** For `ageMs`; default now. */
  now?: number;
}

/** An order waiting for a person. */
export interface ReviewQueueItem {
  orderId: string;
  /** Store order name, e.g. `#1001`. */
  name?: string;
  /** The order's id in the store. */
  externalId: string;
  store: string;
  status: string;
  reasons: string[];
  /** When it entered review (ISO). */
  since: string;
  ageMs: number;
  /** From `facts.risk`: the score, level and each reason's sentence. */
  risk?: { score: number; level: string; reasons: string[] };
  note?: string | null;
  noteTags: string[];
}

/** One page of the review queue. */
export interface ReviewQueuePage {
  items: ReviewQueueItem[];
  /** Orders matching the query (all pages). */
  total: number;
  /** Absent on the last page. */
  nextCursor?: string;
  /** Every reason in the whole queue with its count (ignores `reason`), most first. */
  reasons: { reason: string; count: number }[];
}

/** Options of {@link Insights.failedCommands}. */
export interface FailedCommandsQuery {
  includeRetrying?: boolean;
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string;
}

/** One outbox command's status. */
export interface CommandStatus {
  commandId: string;
  orderId: string;
  type: string;
  status: 'pending' | 'done' | 'dead';
  /** Claims so far. */
  attempts: number;
  lastError?: string;
  /** Epoch ms when a pending row may next be claimed. */
  nextAttemptAt?: number;
  /** Epoch ms when it finished (done or dead). */
  finishedAt?: number;
}

/** One page of failed commands. */
export interface FailedCommandsPage {
  items: CommandStatus[];
  nextCursor?: string;
}

/** A search result. */
export interface OrderSearchHit {
  orderId: string;
  name?: string;
  externalId: string;
  store: string;
  status: string;
  /** ISO. */
  createdAt: string;
}
