/**
 * The read model behind dashboards and the operations console (Storage capability
 * `insights`). Every figure is computed from what the storage holds, so any process
 * sharing the storage sees the same numbers (never one process's in-memory metrics).
 *
 * The storage does not know the machine: state names come from the caller where a figure
 * depends on them (e.g. which states count as "submitted"). Times are epoch ms in
 * queries and ISO 8601 (UTC) in results.
 *
 * Definitions (computable from history entries and current records alone):
 * - An order is *received* at the `at` of its first history entry (version 1).
 * - An order *enters* a set of states at the `at` of its first history entry (lowest
 *   version) whose `to` is in the set; later entries into the set do not count again.
 * - An order *enters review* at every history entry whose `to` is in `reviewStates` and
 *   whose `from` is not (null counts as not): leaving review and coming back counts again.
 * - An *exception* is a history entry that enters review or whose `eventType` is
 *   `command.failed` (an entry that is both counts once).
 * - A *stay* in state S is a maximal run of consecutive history entries of one order whose
 *   `to` is S (self-transitions continue it); it begins at the run's first entry's `at` and
 *   ends at the `at` of the next entry (whose `to` differs). Its length is end - begin.
 *   States passed through inside one decision (only in `explanation.transitions`) have none.
 * - Percentiles are nearest-rank: of n values sorted ascending, the p-th percentile is the
 *   value at 1-based rank `ceil(p * n / 100)`.
 * - Names are ordered by UTF-16 code units (as JS `<`; ASCII names as SQL `COLLATE "C"`).
 *
 * Contract (checked by `insightsConformance` in `@fulfil/core/testing`):
 * - Every method reads only committed state; none changes anything except
 *   {@link Insights.retryCommand}.
 * - Buckets are aligned to UTC minute / hour / day starts (a bucket's `at` is its start,
 *   even when `since` falls inside it); a bucket is returned only when at least one of its
 *   figures is non-zero; buckets come oldest first; `[since, until)` is half-open and
 *   applies to the time of each counted fact (an entry at `until` is left out).
 * - An invalid query (a limit out of range or not whole, a `since` or `until` that is not a
 *   finite number, `since > until` (named `until`), an unknown bucket, a malformed cursor, an
 *   empty search text) fails with `FulfilError` code `INVALID_INPUT` whose message and
 *   `details.path` name the field (e.g. `query.limit`).
 * - Order ids, names, reasons, tags and errors are returned verbatim.
 * - Paged results are stable: following `nextCursor` until it is absent returns every
 *   matching item exactly once, in order, when nothing changes in between. Cursors are
 *   opaque strings; one from another method or another storage MAY be refused.
 *
 * `@fulfil/core` exports the query checks (`checkInsightsRange`, `checkReviewQueueQuery`,
 * ...), `nearestRank`, `bucketStart` and `encodeCursor` / `decodeCursor`, so every
 * implementation refuses the same queries with the same paths.
 */
export interface Insights {
  /**
   * Per bucket: orders received, orders entering `submittedStates`, orders entering
   * `shippedStates` (each counted in the bucket of that entry) and exceptions (see the
   * definitions above).
   */
  throughput(query: InsightsRangeQuery): Promise<ThroughputPoint[]>;
  /**
   * Processing time received → submitted: for each order whose entry into
   * `submittedStates` falls in the bucket, `that entry's at - the time it was received`;
   * count and nearest-rank p50/p95/p99 per bucket, in ms.
   */
  processingTime(query: InsightsRangeQuery): Promise<ProcessingTimePoint[]>;
  /** Stored orders per current state (`record.status`), every state with at least one order, by state name. */
  ordersByState(): Promise<StateCount[]>;
  /**
   * Time in state: for every stay (see the definitions) that began in `[since, until)` and
   * has ended (at any time), its length; count, nearest-rank p50 and p95, and max per
   * state, in ms, by state name. States with no ended stay are left out.
   */
  timeInState(query: { since: number; until?: number }): Promise<StateTime[]>;
  /**
   * Shares and counts for the orders received in `[since, until)`, each judged on its whole
   * history so far (entries after `until` count too) and its current record.
   */
  summary(query: InsightsSummaryQuery): Promise<InsightsSummary>;
  /**
   * Orders waiting for a person (their current record carries `review`, whatever its
   * status), oldest `review.since` first (ties by order id), optionally only those with a
   * reason equal to `reason`.
   */
  reviewQueue(query?: ReviewQueueQuery): Promise<ReviewQueuePage>;
  /**
   * Outbox commands that failed for good (dead) and, with `includeRetrying`, pending ones
   * that failed at least once (`lastError` set); newest first (reverse commit order, which
   * stays stable while rows fail or are retried).
   */
  failedCommands(query?: FailedCommandsQuery): Promise<FailedCommandsPage>;
  /**
   * Every outbox command of one order (pending, done, dead) in commit order; `[]` for an
   * unknown order. A claimed row shows as `pending`. Rows the storage has purged (done rows
   * past their retention) are absent.
   */
  orderCommands(orderId: string): Promise<CommandStatus[]>;
  /**
   * Orders whose id or external id (`order.source.externalId`) equals `text`, or whose store
   * order name (`order.source.name`) equals `text` or `'#' + text` ignoring case (ASCII
   * letters MUST be folded; others MAY be). Exact matches only: no prefixes, no wildcards
   * (`%` and `_` are plain characters). Most recently created (`record.createdAt`) first,
   * ties by order id; at most `limit` (1..500, default 20). `text` must be non-empty.
   */
  search(query: { text: string; limit?: number }): Promise<OrderSearchHit[]>;
  /**
   * Makes a dead (or pending) command claimable at `at` (default: at once, whatever `now` a
   * later claim passes, as for a new command), with its attempts and `lastError` kept (so it
   * shows as retrying until it succeeds). A dead row's old claim is void (its token gets
   * `CLAIM_LOST`); a pending row held by a live claim stays held until its lease ends. Fails
   * with `NOT_FOUND` for an unknown id and `INVALID_INPUT` for a command that is done (an
   * invalid `at` is refused first). Returns the command's new status.
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
  /** States that mean "waiting for a person" (exceptions). Default `['needs_review']`. */
  reviewStates?: string[];
}

/** Activity in one bucket. */
export interface ThroughputPoint {
  /** Bucket start, ISO (UTC). */
  at: string;
  received: number;
  submitted: number;
  shipped: number;
  /**
   * History entries that entered review or are `command.failed` (a command that failed
   * for good), in the bucket.
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
  /** As in {@link InsightsRangeQuery}. */
  reviewStates?: string[];
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
  /**
   * Of those: entered `submittedStates` with no person involved: no entry into review and
   * no `review.resolved` entry in their history.
   */
  automated: number;
  /** Of those: a person acted on them (a `review.resolved` history entry). */
  touched: number;
  /** Of those: ever entered review (an entry whose `to` is in `reviewStates`). */
  reviewed: number;
  /** Of those: a command failed for good (a `command.failed` history entry). */
  failed: number;
  /** `automated / received`. */
  automationRate: number;
  /** `reviewed / received`. */
  reviewRate: number;
  /** `failed / received`. */
  errorRate: number;
  /**
   * Of those, the share routed to more than one shipment at some point: a history entry
   * whose `explanation.routing.shipments` has more than one element.
   */
  splitShare: number;
  /**
   * Of those, the share with backordered units at some point: a history entry whose
   * `explanation.routing.backordered` is not empty.
   */
  backorderShare: number;
  /**
   * Of those with a classified note (`facts.note`): the share classified by a language
   * model, i.e. whose `facts.note.classifier` is one of `llmClassifiers` in the query.
   */
  llmNoteShare: number;
  /** Orders whose `order.note` is a non-empty string, among those received. */
  withNote: number;
  /**
   * Holds the orders received in the range carry now (their current record's `holds`; a
   * released hold is gone from the record and no longer counts), per hold reason, most
   * first, ties by reason. History entries do not say which holds a decision placed, so
   * this is what both memory and SQL can count.
   */
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
  /** When it entered review: `record.review.since`, as stored. */
  since: string;
  /** `now - since` in ms, at least 0. */
  ageMs: number;
  /** From `facts.risk`: the score, level and each reason's sentence (`reasons[].reason`); absent without it. */
  risk?: { score: number; level: string; reasons: string[] };
  /** `order.note`. */
  note?: string | null;
  /** `facts.note.tags[].tag` in stored order; `[]` without a classified note. */
  noteTags: string[];
}

/** One page of the review queue. */
export interface ReviewQueuePage {
  items: ReviewQueueItem[];
  /** Orders matching the query (all pages). */
  total: number;
  /** Absent on the last page. */
  nextCursor?: string;
  /**
   * Every reason in the whole queue with the number of orders carrying it (ignores
   * `reason`), most first, ties by reason.
   */
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
  /** Epoch ms before which a pending row is not claimed; absent when claimable at once. */
  nextAttemptAt?: number;
  /** Epoch ms (the storage's wall clock) when it finished (done or dead); absent while pending. */
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
  /** `record.createdAt` (ISO). */
  createdAt: string;
}
