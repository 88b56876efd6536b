import { z } from 'zod';
import { functionOption, parseOptions } from '../options';
import type { Alert, AlertSink } from '../ports/services';

/** Options for {@link createConsoleAlerts}. */
export interface ConsoleAlertsOptions {
  /** Where each line goes. Default `console.log`. */
  write?: (line: string) => void;
  /**
   * Remember delivered idempotency keys and print each alert once. Default
   * `true`; keys are kept in memory (up to 10,000, oldest forgotten first).
   */
  dedupe?: boolean;
}

const MAX_KEYS = 10_000;

const OptionsSchema = z.object({
  write: functionOption<(line: string) => void>('a function (line) => void').optional(),
  dedupe: z.boolean().optional(),
} satisfies Record<keyof ConsoleAlertsOptions, z.ZodType>);

/**
 * Creates an {@link AlertSink} that prints one line per alert, e.g.
 * `[critical] Warehouse rejected shipment: unknown SKU "X" (order ord-1) https://...`.
 *
 * @example
 * ```ts
 * const engine = createEngine({ alerts: createConsoleAlerts(), ... });
 * ```
 */
export function createConsoleAlerts(options: ConsoleAlertsOptions = {}): AlertSink {
  parseOptions(OptionsSchema, options, 'createConsoleAlerts', { optional: true });
  const write = options.write ?? ((line: string) => console.log(line));
  const dedupe = options.dedupe ?? true;
  const seen = new Set<string>();
  return {
    async send(alert) {
      if (dedupe && seen.has(alert.idempotencyKey)) return;
      write(formatAlert(alert));
      if (!dedupe) return;
      seen.add(alert.idempotencyKey);
      if (seen.size > MAX_KEYS) seen.delete(seen.values().next().value as string);
    },
  };
}

/** One line for an alert: severity, title, message, order and link, newlines flattened. */
export function formatAlert(alert: Alert): string {
  const parts = [`[${alert.severity}] ${alert.title}: ${alert.message}`];
  if (alert.orderId !== undefined) parts.push(`(order ${alert.orderId})`);
  if (alert.link !== undefined) parts.push(alert.link);
  return parts.join(' ').replace(/\s*[\r\n]+\s*/g, ' ');
}
