import type {
  InsightsBucket,
  InsightsSummary,
  ProcessingTimePoint,
  StateCount,
  StateTime,
  ThroughputPoint,
} from '@fulfil/core';
import type { ResolvedOptions } from './options';

/** The overview's time ranges. */
export const RANGES = {
  '1h': { ms: 3_600_000, bucket: 'minute', label: 'last hour' },
  '24h': { ms: 86_400_000, bucket: 'hour', label: 'last 24 h' },
  '7d': { ms: 7 * 86_400_000, bucket: 'day', label: 'last 7 days' },
} as const satisfies Record<string, { ms: number; bucket: InsightsBucket; label: string }>;
export type RangeKey = keyof typeof RANGES;

/** `range` query value → range key (default `24h`). */
export function rangeOf(value: string | null | undefined): RangeKey {
  return value !== null && value !== undefined && Object.hasOwn(RANGES, value)
    ? (value as RangeKey)
    : '24h';
}

/** The targets the overview compares against (from the service the console replaces). */
export const TARGETS = {
  /** Orders flagged for a person: 1–2 %. */
  reviewRate: { min: 0.01, max: 0.02 },
  /** Orders whose command failed for good: below 0.1 %. */
  errorRate: { max: 0.001 },
} as const;

/** Everything the overview shows, as served by `GET {basePath}/api/overview?range=`. */
export interface OverviewData {
  range: RangeKey;
  bucket: InsightsBucket;
  /** Epoch ms, inclusive (aligned down to the bucket). */
  since: number;
  /** Epoch ms, exclusive (now). */
  until: number;
  submittedStates: string[];
  shippedStates: string[];
  reviewStates: string[];
  summary: InsightsSummary;
  throughput: ThroughputPoint[];
  processingTime: ProcessingTimePoint[];
  ordersByState: StateCount[];
  timeInState: StateTime[];
  /** Orders waiting for a person now. */
  reviewQueueTotal: number;
  /** Dead commands (first page, at most 100; `failedCommandsMore` when there are more). */
  failedCommands: number;
  failedCommandsMore: boolean;
  targets: typeof TARGETS;
}

const BUCKET_MS: Record<InsightsBucket, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Reads the overview's figures from the read model (`storage.insights`), all in parallel. */
export async function overviewData(
  options: ResolvedOptions,
  range: RangeKey,
): Promise<OverviewData> {
  const { insights, submittedStates, shippedStates, reviewStates } = options;
  const { ms, bucket } = RANGES[range];
  const until = options.clock.now();
  const step = BUCKET_MS[bucket];
  const since = Math.floor((until - ms) / step) * step;
  const rangeQuery = { since, until, bucket, submittedStates, shippedStates, reviewStates };
  const [summary, throughput, processingTime, ordersByState, timeInState, queue, failed] =
    await Promise.all([
      insights.summary({ since, until, submittedStates, reviewStates }),
      insights.throughput(rangeQuery),
      insights.processingTime(rangeQuery),
      insights.ordersByState(),
      insights.timeInState({ since, until }),
      insights.reviewQueue({ limit: 1, now: until }),
      insights.failedCommands({ limit: 100 }),
    ]);
  return {
    range,
    bucket,
    since,
    until,
    submittedStates,
    shippedStates,
    reviewStates,
    summary,
    throughput,
    processingTime,
    ordersByState,
    timeInState,
    reviewQueueTotal: queue.total,
    failedCommands: failed.items.length,
    failedCommandsMore: failed.nextCursor !== undefined,
    targets: TARGETS,
  };
}
