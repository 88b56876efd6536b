import type { InventorySnapshot, NoteClassification, RiskAssessment } from '../model/facts';
import type { Order } from '../model/order';

/**
 * Stock levels.
 *
 * Contract:
 * - `available` MUST return, for each requested SKU, the units available to promise
 *   per location (on hand minus reserved minus safety stock); a SKU unknown at a
 *   location MAY be omitted (read as 0).
 * - Numbers MUST be integers; negative numbers mean oversold and are read as 0.
 */
export interface InventorySource {
  available(skus: string[]): Promise<InventorySnapshot>;
}

/**
 * Reads an order's note and returns tags from a fixed taxonomy.
 *
 * Contract:
 * - MUST only return tags from its taxonomy; MUST NOT return states or actions.
 * - An empty or trivial note MUST give no tags.
 * - SHOULD set `uncertain` rather than guess.
 */
export interface NoteClassifier {
  readonly name: string;
  classify(
    note: string,
    context: { order: Order; timeZone: string; now: number },
  ): Promise<NoteClassification>;
}

/**
 * Scores an order's fraud risk.
 *
 * Contract:
 * - MUST return a score in 0..100 with a reason for each signal that contributed.
 * - MUST NOT modify the order.
 */
export interface RiskScorer {
  readonly name: string;
  assess(order: Order, context: { now: number }): Promise<RiskAssessment>;
}

/** An alert for people: an exception, a stock warning, an order waiting for review. */
export interface Alert {
  severity: 'info' | 'warning' | 'critical';
  title: string;
  message: string;
  orderId?: string;
  /** Direct link to the order in the store's admin. */
  link?: string;
  /** Deduplication key. */
  idempotencyKey: string;
}

/**
 * Where alerts go (Slack, email, a log).
 *
 * Contract:
 * - `send` SHOULD deliver an alert with a given `idempotencyKey` once; it MUST throw when
 *   delivery failed so the dispatcher retries.
 */
export interface AlertSink {
  send(alert: Alert): Promise<void>;
}

/** Labels on a metric sample. */
export type MetricLabels = Record<string, string>;

/**
 * Where the engine reports counters and timings.
 *
 * Contract:
 * - MUST NOT throw; MUST NOT block (no I/O on the caller's path).
 */
export interface Metrics {
  increment(name: string, labels?: MetricLabels, by?: number): void;
  /** A sample of a distribution, e.g. milliseconds. */
  observe(name: string, value: number, labels?: MetricLabels): void;
}
