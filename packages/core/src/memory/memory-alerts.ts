import type { Alert, AlertSink } from '../ports/services';
import { createFaults } from './faults';

/** The in-memory {@link AlertSink}, plus inspection and fault injection. */
export interface MemoryAlerts extends AlertSink {
  /** Alerts delivered, oldest first (copies); one per idempotency key. */
  alerts(): Alert[];
  /** Sends that repeated a key already delivered (and had no effect). */
  readonly duplicates: number;
  /**
   * The next `times` sends throw `error` (default: a `FulfilError` with code
   * `ADAPTER_FAILED`; a string becomes its message) and deliver nothing.
   */
  failNext(times: number, error?: unknown): void;
  /** Forgets every alert. */
  clear(): void;
}

/**
 * Creates an {@link AlertSink} that keeps alerts in memory, delivering each
 * idempotency key once.
 *
 * @example
 * ```ts
 * const alerts = createMemoryAlerts();
 * const engine = createEngine({ alerts, ... });
 * // after a run:
 * alerts.alerts().filter((a) => a.severity === 'critical'); // []
 * ```
 */
export function createMemoryAlerts(): MemoryAlerts {
  const faults = createFaults('alerts "memory"');
  let delivered = new Map<string, Alert>();
  let duplicates = 0;
  return {
    async send(alert) {
      faults.enter('send');
      if (delivered.has(alert.idempotencyKey)) duplicates++;
      else delivered.set(alert.idempotencyKey, structuredClone(alert));
    },
    alerts: () => structuredClone([...delivered.values()]),
    get duplicates() {
      return duplicates;
    },
    failNext(times, error) {
      faults.failNext(times, error, undefined, false);
    },
    clear() {
      delivered = new Map();
      duplicates = 0;
    },
  };
}
