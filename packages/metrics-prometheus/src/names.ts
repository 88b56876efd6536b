// Prometheus naming rules (https://prometheus.io/docs/concepts/data_model/). Internal.

/** `[a-zA-Z_:][a-zA-Z0-9_:]*`: other characters become `_`, a leading digit gets a `_`. */
export function metricName(raw: string): string {
  const s = String(raw).replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/**
 * `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__` (reserved), and not `le` / `quantile`
 * (reserved by histograms and summaries): those get a trailing `_`. Empty → undefined.
 */
export function labelName(raw: string): string | undefined {
  let s = String(raw).replace(/[^a-zA-Z0-9_]/g, '_');
  if (s === '') return undefined;
  if (/^[0-9]/.test(s)) s = `_${s}`;
  s = s.replace(/^__+/, '_');
  if (s === '_') return undefined;
  if (s === 'le' || s === 'quantile') s = `${s}_`;
  return s;
}

const ID_WORDS = 'id|ids|uuid|gid|key|keys|email|phone|token|url|address|sku|name';
const ID_EXACT = new RegExp(`^(${ID_WORDS})$`, 'i');
const ID_SNAKE = new RegExp(`_(${ID_WORDS})$`, 'i');
const ID_CAMEL = /[a-z0-9](Id|Ids|Uuid|Gid|Key|Keys|Email|Phone|Token|Url|Address|Sku|Name)$/;

/**
 * A label key that names one thing among unboundedly many (`orderId`, `idempotencyKey`,
 * `shipment_id`, `email`, ...): one series per order would grow without end.
 */
export function looksLikeIdLabel(key: string): boolean {
  return ID_EXACT.test(key) || ID_SNAKE.test(key) || ID_CAMEL.test(key);
}

/** Milliseconds: 0.5 ms … 30 s, for call and stage latencies. */
export const DEFAULT_MS_BUCKETS: readonly number[] = [
  0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
];

/** Milliseconds: 1 s … 7 days, for how long an order stays in a state (a review can take days). */
export const STATE_MS_BUCKETS: readonly number[] = [
  1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 43_200_000, 86_400_000,
  259_200_000, 604_800_000,
];
