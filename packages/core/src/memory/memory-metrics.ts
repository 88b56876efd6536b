import { z } from 'zod';
import { parseOptions } from '../options';
import type { MetricLabels, Metrics } from '../ports/services';

/** Options for {@link createMemoryMetrics}. */
export interface MemoryMetricsOptions {
  /**
   * Most samples kept per histogram series for percentiles. Past it, a
   * deterministic reservoir keeps a uniform sample. Count, sum, min and max
   * stay exact. Default 10,000.
   */
  maxSamples?: number;
  /**
   * Most series (name + labels) kept; samples for further series are dropped
   * and counted in `snapshot().droppedSamples`, so a high-cardinality label
   * cannot exhaust memory. Default 10,000.
   */
  maxSeries?: number;
}

const OptionsSchema = z.object({
  maxSamples: z.number().int().positive().optional(),
  maxSeries: z.number().int().positive().optional(),
} satisfies Record<keyof MemoryMetricsOptions, z.ZodType>);

/** One counter series. */
export interface CounterSeries {
  /** `name{label="value",...}`, label keys sorted. */
  key: string;
  name: string;
  labels: MetricLabels;
  value: number;
}

/** One histogram series. Percentiles are nearest-rank over the kept samples. */
export interface HistogramSeries {
  key: string;
  name: string;
  labels: MetricLabels;
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Everything recorded so far, as plain JSON a dashboard can render. Series sorted by key. */
export interface MetricsSnapshot {
  counters: CounterSeries[];
  histograms: HistogramSeries[];
  /** Samples ignored: not finite, or over `maxSeries`. */
  droppedSamples: number;
}

/** The in-memory {@link Metrics}, readable with `snapshot()`. */
export interface MemoryMetrics extends Metrics {
  snapshot(): MetricsSnapshot;
  /** Forgets everything. */
  reset(): void;
}

interface Histogram {
  name: string;
  labels: MetricLabels;
  count: number;
  sum: number;
  min: number;
  max: number;
  samples: number[];
  random: () => number;
}

/**
 * Creates a {@link Metrics} that keeps counters and histograms in memory.
 * It never throws and never does I/O.
 *
 * @example
 * ```ts
 * const metrics = createMemoryMetrics();
 * metrics.increment('orders', { status: 'shipped' });
 * metrics.observe('stage_ms', 12.5, { stage: 'decide' });
 * metrics.snapshot().histograms[0]; // { key: 'stage_ms{stage="decide"}', count: 1, p50: 12.5, ... }
 * ```
 */
export function createMemoryMetrics(options: MemoryMetricsOptions = {}): MemoryMetrics {
  parseOptions(OptionsSchema, options, 'createMemoryMetrics', { optional: true });
  const maxSamples = positiveInt(options.maxSamples, 10_000);
  const maxSeries = positiveInt(options.maxSeries, 10_000);
  let counters = new Map<string, CounterSeries>();
  let histograms = new Map<string, Histogram>();
  let dropped = 0;
  const keyOf = createSeriesKeys();
  const full = () => counters.size + histograms.size >= maxSeries;

  return {
    increment(name, labels, by = 1) {
      try {
        if (!Number.isFinite(by)) return void dropped++;
        const [key, clean] = keyOf(name, labels);
        const series = counters.get(key);
        if (series !== undefined) series.value += by;
        else if (full()) dropped++;
        else counters.set(key, { key, name: String(name), labels: clean, value: by });
      } catch {
        dropped++;
      }
    },

    observe(name, value, labels) {
      try {
        if (!Number.isFinite(value)) return void dropped++;
        const [key, clean] = keyOf(name, labels);
        let h = histograms.get(key);
        if (h === undefined) {
          if (full()) return void dropped++;
          h = {
            name: String(name),
            labels: clean,
            count: 0,
            sum: 0,
            min: value,
            max: value,
            samples: [],
            random: mulberry32(hash(key)),
          };
          histograms.set(key, h);
        }
        h.count++;
        h.sum += value;
        h.min = Math.min(h.min, value);
        h.max = Math.max(h.max, value);
        if (h.samples.length < maxSamples) h.samples.push(value);
        else {
          const slot = Math.floor(h.random() * h.count);
          if (slot < maxSamples) h.samples[slot] = value;
        }
      } catch {
        dropped++;
      }
    },

    snapshot() {
      const byKey = (a: { key: string }, b: { key: string }) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return {
        counters: [...counters.values()]
          .map((c) => ({ ...c, labels: { ...c.labels } }))
          .sort(byKey),
        histograms: [...histograms.entries()]
          .map(([key, h]): HistogramSeries => {
            const sorted = [...h.samples].sort((a, b) => a - b);
            return {
              key,
              name: h.name,
              labels: { ...h.labels },
              count: h.count,
              sum: h.sum,
              min: h.min,
              max: h.max,
              mean: h.sum / h.count,
              p50: rank(sorted, 0.5),
              p95: rank(sorted, 0.95),
              p99: rank(sorted, 0.99),
            };
          })
          .sort(byKey),
        droppedSamples: dropped,
      };
    },

    reset() {
      counters = new Map();
      histograms = new Map();
      dropped = 0;
    },
  };
}

/**
 * {@link seriesKey}, remembered by name and label values as given (an engine reports the same
 * few series on every event, and building a key sorts and quotes its labels). Bounded: past
 * {@link MAX_CACHED_KEYS} keys are built each time.
 */
function createSeriesKeys(): (
  name: string,
  labels: MetricLabels | undefined,
) => [string, MetricLabels] {
  const cache = new Map<string, [string, MetricLabels]>();
  const plain = (text: string) => !text.includes('\u0000') && !text.includes('\u0001');
  return (name, labels) => {
    let raw = String(name);
    if (!plain(raw)) return seriesKey(name, labels);
    if (labels !== undefined) {
      for (const k in labels) {
        if (!Object.hasOwn(labels, k)) continue;
        const v: unknown = labels[k];
        // Only strings and numbers without the separators are cached (unambiguous, and
        // `String()` of anything else may vary).
        const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
        if (text === undefined || !plain(k) || !plain(text)) return seriesKey(name, labels);
        raw += `\u0000${k}\u0001${text}`;
      }
    }
    const hit = cache.get(raw);
    if (hit !== undefined) return hit;
    const built = seriesKey(name, labels);
    if (cache.size < MAX_CACHED_KEYS) cache.set(raw, built);
    return built;
  };
}

/** Most series keys {@link createSeriesKeys} remembers. */
const MAX_CACHED_KEYS = 10_000;

/** `name{a="1",b="2"}` with label keys sorted, and the labels as plain strings. */
function seriesKey(name: string, labels: MetricLabels | undefined): [string, MetricLabels] {
  const clean: MetricLabels = {};
  const keys = Object.keys(labels ?? {}).sort();
  for (const k of keys) clean[k] = String((labels as MetricLabels)[k]);
  if (keys.length === 0) return [String(name), clean];
  const inner = keys.map((k) => `${k}=${JSON.stringify(clean[k])}`).join(',');
  return [`${String(name)}{${inner}}`, clean];
}

function rank(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A small seeded PRNG, so the reservoir is deterministic. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
