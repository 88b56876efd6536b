import type { Alert, AlertSink, Metrics, OrderRecord, RiskLevel } from '@fulfil/core';
import { LruCache } from './cache';
import { checkSummaryOptions } from './options';
import type { ClaudeRiskReviewer } from './risk-reviewer';

/** Options of {@link withRiskSummaries}. */
export interface RiskSummaryOptions {
  /** Where the alerts go on to (Slack, email, your review queue). */
  sink: AlertSink;
  /** Writes the summary (see `createClaudeRiskReviewer`). */
  reviewer: ClaudeRiskReviewer;
  /** Reads an order's record, e.g. `(id) => storage.load(id)` with the engine's Storage. */
  load: (orderId: string) => Promise<OrderRecord | undefined>;
  /** Risk levels whose review alerts get a summary. Default medium and high. */
  levels?: RiskLevel[];
  /** Longest wait for a summary; past it the alert goes on without one. Default 8000 ms. */
  timeoutMs?: number;
  /** Receives `risk_summaries{outcome: added | unavailable | timeout | skipped}`. */
  metrics?: Metrics;
}

/** The heading above a summary in an alert's message. */
export const SUMMARY_HEADING =
  'Summary for the reviewer (written by Claude from the risk signals; advice only, it decides nothing):';

/**
 * Wraps an `AlertSink` so that the alert for an order entering review carries a
 * short summary of its fraud signals by {@link ClaudeRiskReviewer}: pass the
 * result as the engine's `alerts`. No core change and no new port: the engine
 * raises its review alert as usual (with the order id), and this sink reads the
 * order's record, asks for a summary when the order is in review with a risk
 * level in `levels`, appends it to the message and sends the alert on.
 *
 * Contract: the summary is advice in an alert's text: it MUST NOT change the
 * order, its state or any decision. It MUST NOT fail an alert: when the record
 * cannot be read, the model is unavailable or slower than `timeoutMs`, the alert
 * goes on unchanged. A retried alert (same idempotency key) reuses its summary.
 *
 * @example
 * ```ts
 * const storage = createPostgresStorage({ pool });
 * const alerts = withRiskSummaries({
 *   sink: slackAlerts,
 *   reviewer: createClaudeRiskReviewer(),
 *   load: (id) => storage.load(id),
 * });
 * const engine = createEngine({ ..., storage, risk: new RuleBasedRiskScorer(), alerts,
 *   rules: [...riskRules({ medium: 'review' }), ...noteRules()] });
 * ```
 */
export function withRiskSummaries(options: RiskSummaryOptions): AlertSink {
  checkSummaryOptions(options);
  const levels = new Set<RiskLevel>(options.levels ?? ['medium', 'high']);
  const timeoutMs = options.timeoutMs ?? 8000;
  const summaries = new LruCache<string>(1000);
  const count = (outcome: string) => options.metrics?.increment('risk_summaries', { outcome });

  async function summary(alert: Alert): Promise<string | undefined> {
    if (alert.orderId === undefined) return undefined;
    const cached = summaries.get(alert.idempotencyKey);
    if (cached !== undefined) return cached;
    let record: OrderRecord | undefined;
    try {
      record = await options.load(alert.orderId);
    } catch {
      count('unavailable');
      return undefined;
    }
    const risk = record?.facts.risk;
    if (record?.review === undefined || risk === undefined || !levels.has(risk.level)) {
      count('skipped');
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
      timer.unref?.();
    });
    const text = await Promise.race([
      options.reviewer.summarize(record.order, risk).catch(() => undefined),
      late,
    ]).finally(() => clearTimeout(timer));
    if (text === 'timeout' || text === undefined) {
      count(text === 'timeout' ? 'timeout' : 'unavailable');
      return undefined;
    }
    summaries.set(alert.idempotencyKey, text);
    count('added');
    return text;
  }

  return {
    async send(alert) {
      const text = await summary(alert);
      await options.sink.send(
        text === undefined
          ? alert
          : { ...alert, message: `${alert.message}\n\n${SUMMARY_HEADING}\n${text}` },
      );
    },
  };
}
