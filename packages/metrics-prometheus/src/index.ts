export { KNOWN_METRICS, type KnownMetric } from './catalogue';
export { httpMetricsHooks, type MetricsHttpHooks } from './http-hooks';
export { DEFAULT_MS_BUCKETS, STATE_MS_BUCKETS } from './names';
export {
  createPrometheusMetrics,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
} from './prometheus-metrics';
