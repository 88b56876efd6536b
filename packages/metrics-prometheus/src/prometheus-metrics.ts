import { type MetricLabels, type Metrics, parseOptions, portOption } from '@fulfil/core';
import { Counter, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { KNOWN_METRICS } from './catalogue';
import {
  DEFAULT_MS_BUCKETS,
  labelName,
  looksLikeIdLabel,
  metricName,
  STATE_MS_BUCKETS,
} from './names';

const Buckets = z.array(z.number().finite()).readonly();

const OptionsSchema = z.object({
  registry: portOption<Registry>(
    'prom-client Registry',
    ['metrics', 'registerMetric'],
    'new Registry()',
  ).optional(),
  prefix: z.string().optional(),
  buckets: Buckets.optional(),
  bucketsFor: z.record(z.string(), Buckets).optional(),
  allowedLabels: z.array(z.string()).readonly().optional(),
  maxLabelValues: z.number().int().positive().optional(),
  maxMetrics: z.number().int().positive().optional(),
  labelNames: z.record(z.string(), z.array(z.string()).readonly()).optional(),
} satisfies Record<keyof PrometheusMetricsOptions, z.ZodType>);

/** Options of {@link createPrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Where the metrics are registered. Default: a new `Registry` (not prom-client's global one). */
  registry?: Registry;
  /** Prepended to every metric name. Default `fulfil_`. */
  prefix?: string;
  /** Histogram buckets in milliseconds. Default 0.5 ms … 30 s ({@link DEFAULT_MS_BUCKETS}). */
  buckets?: readonly number[];
  /**
   * Buckets for one metric (the name passed to `observe`). Default: `time_in_state_ms` gets
   * 1 s … 7 days, as an order can wait days for a review.
   */
  bucketsFor?: Readonly<Record<string, readonly number[]>>;
  /**
   * Label keys kept. Default: every key except those that look like ids (`orderId`,
   * `idempotencyKey`, `shipment_id`, `email`, ...). When given, only these keys are kept,
   * whatever they look like.
   */
  allowedLabels?: readonly string[];
  /** Distinct values kept per label of a metric; further values are exported as `other`. Default 50. */
  maxLabelValues?: number;
  /**
   * Distinct metric names besides {@link KNOWN_METRICS} (which are all registered up front);
   * samples for further names are dropped. Default 500.
   */
  maxMetrics?: number;
  /**
   * Label keys of metrics not in {@link KNOWN_METRICS}. Without it, a metric's keys are those
   * of its first sample; a later sample's extra keys are dropped, missing ones exported empty.
   */
  labelNames?: Readonly<Record<string, readonly string[]>>;
}

/** Core's {@link Metrics} on prom-client, with the exposition text at hand. */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The registry's content type: `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** The registry in Prometheus text format. */
  metrics(): Promise<string>;
}

interface Series {
  metric: Counter | Histogram;
  labels: readonly string[];
  values: Map<string, Set<string>>;
}

type Kind = 'counter' | 'histogram';
type Drop =
  | 'id_label'
  | 'label_not_allowed'
  | 'unknown_label'
  | 'invalid_value'
  | 'too_many_metrics'
  | 'name_clash'
  | 'error';

/**
 * Creates a {@link Metrics} on prom-client: `increment` feeds a counter
 * (`{prefix}{name}_total`), `observe` a histogram (`{prefix}{name}`, millisecond buckets).
 * Names are made valid Prometheus names; id-like label keys are dropped; each label keeps at
 * most `maxLabelValues` distinct values (the rest are `other`); a metric's label set is fixed
 * (see {@link PrometheusMetricsOptions.labelNames}), so a call with other keys never throws.
 * Nothing here throws: what cannot be recorded is counted in `{prefix}metrics_dropped_total{reason}`.
 *
 * @example
 * ```ts
 * const metrics = createPrometheusMetrics();
 * const engine = createEngine({ ...adapters, metrics });
 * app.get('/metrics', async (_req, res) => {
 *   res.type(metrics.contentType).send(await metrics.metrics());
 * });
 * ```
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  parseOptions(OptionsSchema, options, 'createPrometheusMetrics', { optional: true });
  const registry = options.registry ?? new Registry();
  const prefix = metricName(options.prefix ?? 'fulfil_');
  const buckets = [...(options.buckets ?? DEFAULT_MS_BUCKETS)];
  const bucketsFor: Record<string, readonly number[]> = {
    time_in_state_ms: STATE_MS_BUCKETS,
    ...options.bucketsFor,
  };
  const allowed = options.allowedLabels ? new Set(options.allowedLabels) : undefined;
  const maxValues = positiveInt(options.maxLabelValues, 50);
  const maxMetrics = positiveInt(options.maxMetrics, 500);
  const known = new Map(KNOWN_METRICS.map((m) => [`${m.kind}:${m.name}`, m]));
  const series = new Map<string, Series | 'name_clash'>();
  let custom = 0; // metrics not in KNOWN_METRICS, bounded by maxMetrics

  const dropped = ensure(
    registry,
    `${prefix}metrics_dropped_total`,
    'counter',
    () =>
      new Counter({
        name: `${prefix}metrics_dropped_total`,
        help: 'Metric samples or labels not recorded as given (id-like or unknown label, bad value, too many metrics).',
        labelNames: ['reason'],
        registers: [registry],
      }),
  ) as Counter | undefined;
  const drop = (reason: Drop) => {
    try {
      dropped?.inc({ reason });
    } catch {}
  };

  const keep = (key: string): string | undefined => {
    if (allowed ? !allowed.has(key) : looksLikeIdLabel(key)) return undefined;
    return labelName(key);
  };

  const seriesFor = (kind: Kind, name: string, labels: MetricLabels | undefined): Series | Drop => {
    const id = `${kind}:${name}`;
    const found = series.get(id);
    if (found !== undefined) return found;
    const spec = known.get(id);
    if (!spec && custom >= maxMetrics) return 'too_many_metrics';
    if (!spec) custom++;
    const base = metricName(`${prefix}${name}`);
    const full = kind === 'counter' && !base.endsWith('_total') ? `${base}_total` : base;
    const declared = options.labelNames?.[name] ?? spec?.labels ?? Object.keys(labels ?? {});
    const labelNames = [...new Set(declared.flatMap((k) => keep(k) ?? []))].sort();
    const help = spec?.help ?? `@fulfil metric "${name}".`;
    const created = ensure(registry, full, kind, () =>
      kind === 'counter'
        ? new Counter({ name: full, help, labelNames, registers: [registry] })
        : new Histogram({
            name: full,
            help,
            labelNames,
            buckets: [...(bucketsFor[name] ?? buckets)],
            registers: [registry],
          }),
    );
    // Reusing a metric of a shared registry: its own label names are the ones that count.
    const names = (created as unknown as { labelNames?: string[] } | undefined)?.labelNames;
    const s = created
      ? { metric: created, labels: names ?? labelNames, values: new Map() }
      : 'name_clash';
    series.set(id, s);
    return s;
  };

  const labelValues = (s: Series, labels: MetricLabels | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of s.labels) out[k] = '';
    for (const [rawKey, rawValue] of Object.entries(labels ?? {})) {
      const k = keep(rawKey);
      if (k === undefined) {
        drop(
          allowed && !allowed.has(rawKey)
            ? 'label_not_allowed'
            : looksLikeIdLabel(rawKey)
              ? 'id_label'
              : 'unknown_label',
        );
        continue;
      }
      if (!(k in out)) {
        drop('unknown_label');
        continue;
      }
      const v = String(rawValue);
      let seen = s.values.get(k);
      if (!seen) {
        seen = new Set();
        s.values.set(k, seen);
      }
      if (seen.has(v)) out[k] = v;
      else if (seen.size < maxValues && v.length <= 100) {
        seen.add(v);
        out[k] = v;
      } else out[k] = 'other';
    }
    return out;
  };

  // Every known metric exists from the start: its HELP and TYPE are exported, and a counter
  // without labels reads 0 (so `rate()` is 0, not "no data", before the first order).
  for (const k of KNOWN_METRICS) {
    try {
      seriesFor(k.kind, k.name, undefined);
    } catch {
      drop('error');
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    metrics: () => registry.metrics(),
    increment(name, labels, by = 1) {
      try {
        if (!Number.isFinite(by) || by < 0) return drop('invalid_value');
        const s = seriesFor('counter', String(name), labels);
        if (typeof s === 'string') return drop(s);
        (s.metric as Counter).inc(labelValues(s, labels), by);
      } catch {
        drop('error');
      }
    },
    observe(name, value, labels) {
      try {
        if (!Number.isFinite(value)) return drop('invalid_value');
        const s = seriesFor('histogram', String(name), labels);
        if (typeof s === 'string') return drop(s);
        (s.metric as Histogram).observe(labelValues(s, labels), value);
      } catch {
        drop('error');
      }
    },
  };
}

/** The registry's metric of that name if it has the right type, else a new one; undefined on a clash. */
function ensure(
  registry: Registry,
  name: string,
  kind: Kind,
  create: () => Counter | Histogram,
): Counter | Histogram | undefined {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  const ok = kind === 'counter' ? existing instanceof Counter : existing instanceof Histogram;
  return ok ? (existing as Counter | Histogram) : undefined;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
