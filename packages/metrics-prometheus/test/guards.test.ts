import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics, httpMetricsHooks } from '../src/index';
import { parseExposition, seriesValue } from '../src/testing/index';

const parsed = async (m: { metrics(): Promise<string> }) => parseExposition(await m.metrics());

describe('label cardinality is bounded', () => {
  it('10,000 distinct order ids: id-like keys dropped, other values folded into `other`', async () => {
    const m = createPrometheusMetrics();
    for (let i = 0; i < 10_000; i++) {
      m.increment('orders_seen', { orderId: `o-${i}`, status: 'ok' });
      m.increment('orders_seen', { idempotency_key: `k-${i}`, shipmentId: `s-${i}` });
      m.increment('by_order', { order: `order-${i}` }); // not id-like by name: capped by values
      m.observe('order_ms', i % 100, { order: `order-${i}` });
    }
    const text = await m.metrics();
    const f = parseExposition(text);
    expect(text).not.toContain('o-9999');
    expect(f.get('fulfil_orders_seen_total')?.samples).toEqual([
      { name: 'fulfil_orders_seen_total', labels: { status: 'ok' }, value: 10_000 },
      { name: 'fulfil_orders_seen_total', labels: { status: '' }, value: 10_000 },
    ]);
    const byOrder = f.get('fulfil_by_order_total')?.samples ?? [];
    expect(byOrder).toHaveLength(51); // 50 distinct values, then `other`
    expect(seriesValue(f, 'fulfil_by_order_total', { order: 'other' })).toBe(9_950);
    expect(seriesValue(f, 'fulfil_order_ms_count', { order: 'other' })).toBe(9_950);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'id_label' })).toBe(30_000);
    expect(text.split('\n').length).toBeLessThan(1_500);
  });

  it('maxLabelValues, allowedLabels and long values', async () => {
    const m = createPrometheusMetrics({ maxLabelValues: 2, allowedLabels: ['orderId', 'kind'] });
    for (const id of ['a', 'b', 'c', 'd']) m.increment('x', { orderId: id, kind: 'k', extra: 'e' });
    m.increment('x', { orderId: 'z'.repeat(101), kind: 'k' });
    const f = await parsed(m);
    expect(seriesValue(f, 'fulfil_x_total', { orderId: 'a', kind: 'k' })).toBe(1);
    expect(seriesValue(f, 'fulfil_x_total', { orderId: 'other', kind: 'k' })).toBe(3);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'label_not_allowed' })).toBe(4);
  });
});

describe('never throws', () => {
  it('a name reused with other label sets is recorded under its first (or declared) set', async () => {
    // prom-client itself throws on a label it was not created with:
    const raw = new Counter({ name: 'raw', help: 'h', labelNames: ['a'], registers: [] });
    expect(() => raw.inc({ a: '1', b: 'x' } as { a: string })).toThrow(/Added label "b"/);
    const m = createPrometheusMetrics();
    expect(() => {
      m.increment('custom', { a: '1' });
      m.increment('custom', { a: '2', b: 'x' }); // extra key: dropped
      m.increment('custom'); // missing key: empty
      m.increment('custom', { b: 'y' });
      // Known metrics have their union declared: both call shapes of the Anthropic package fit.
      m.increment('llm_calls', { model: 'haiku', outcome: 'ok' });
      m.increment('llm_calls', { model: 'haiku', outcome: 'ok', purpose: 'risk_review' });
      m.observe('command_ms', 3, { type: 'submit_shipment', stray: 'z' });
    }).not.toThrow();
    const f = await parsed(m);
    expect(seriesValue(f, 'fulfil_custom_total', { a: '1' })).toBe(1);
    expect(seriesValue(f, 'fulfil_custom_total', { a: '2' })).toBe(1);
    expect(seriesValue(f, 'fulfil_custom_total')).toBe(2);
    expect(seriesValue(f, 'fulfil_llm_calls_total', { model: 'haiku', outcome: 'ok' })).toBe(1);
    expect(
      seriesValue(f, 'fulfil_llm_calls_total', {
        model: 'haiku',
        outcome: 'ok',
        purpose: 'risk_review',
      }),
    ).toBe(1);
    expect(seriesValue(f, 'fulfil_command_ms_count', { type: 'submit_shipment' })).toBe(1);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'unknown_label' })).toBe(3);
  });

  it('bad names, reserved labels, bad values, a clashing registry, too many metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'fulfil_taken', help: 'not ours', registers: [registry] });
    const m = createPrometheusMetrics({ registry, maxMetrics: 4 });
    expect(() => {
      m.increment('9 weird-name.ms', { le: '1', __x: 'y', 'a-b': 'c', '': 'e' });
      m.observe('lat', 5, { le: 'x' });
      m.increment('neg', {}, -1);
      m.increment('nan', {}, Number.NaN);
      m.observe('inf', Number.POSITIVE_INFINITY);
      m.observe('taken', 1); // the registry holds a counter of that name: name_clash
      m.increment('m3');
      m.increment('m4');
      m.increment('m5'); // over maxMetrics (4, the clash included), as is the next one
      m.increment(undefined as unknown as string, null as unknown as Record<string, string>);
    }).not.toThrow();
    const f = await parsed(m);
    expect(seriesValue(f, 'fulfil_9_weird_name_ms_total', { le_: '1', _x: 'y', a_b: 'c' })).toBe(1);
    expect(seriesValue(f, 'fulfil_lat_count', { le_: 'x' })).toBe(1);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'invalid_value' })).toBe(3);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'too_many_metrics' })).toBe(3);
    expect(seriesValue(f, 'fulfil_metrics_dropped_total', { reason: 'name_clash' })).toBe(1);
    expect(seriesValue(f, 'fulfil_taken')).toBe(0);
  });

  it('two instances on one registry share its metrics', async () => {
    const registry = new Registry();
    const a = createPrometheusMetrics({ registry });
    const b = createPrometheusMetrics({ registry });
    a.increment('commands', { type: 'submit_shipment' });
    b.increment('commands', { type: 'submit_shipment' });
    const f = await parsed(a);
    expect(seriesValue(f, 'fulfil_commands_total', { type: 'submit_shipment' })).toBe(2);
  });
});

it('histograms use millisecond buckets (0.5 ms … 30 s; time_in_state 1 s … 7 d)', async () => {
  const m = createPrometheusMetrics();
  m.observe('stage_ms', 0.3, { stage: 'decide' });
  m.observe('stage_ms', 20_000, { stage: 'decide' });
  m.observe('time_in_state_ms', 2 * 86_400_000, { state: 'on_hold' });
  const f = await parsed(m);
  const les = (name: string) =>
    f
      .get(name)
      ?.samples.filter((s) => s.name.endsWith('_bucket'))
      .map((s) => s.labels.le);
  expect(les('fulfil_stage_ms')?.slice(0, 2)).toEqual(['0.5', '1']);
  expect(les('fulfil_stage_ms')?.at(-2)).toBe('30000');
  expect(les('fulfil_time_in_state_ms')?.at(-2)).toBe('604800000');
  expect(seriesValue(f, 'fulfil_stage_ms_bucket', { stage: 'decide', le: '0.5' })).toBe(1);
  expect(seriesValue(f, 'fulfil_stage_ms_bucket', { stage: 'decide', le: '30000' })).toBe(2);
});

it('httpMetricsHooks report upstream use without URLs', async () => {
  const m = createPrometheusMetrics();
  const hooks = httpMetricsHooks(m, 'shipstation');
  const url = 'https://ssapi.shipstation.com/orders/123456';
  hooks.onResponse({ method: 'post', url, status: 200, attempt: 1, durationMs: 42 } as never);
  hooks.onRateLimited({ method: 'post', url, status: 429, retryAfterMs: 1000 } as never);
  hooks.onRetry({ method: 'post', url, attempt: 1, delayMs: 1000 } as never);
  hooks.onWait({ method: 'post', url, waitedMs: 7, weight: 1 } as never);
  const text = await m.metrics();
  expect(text).not.toContain('123456');
  const f = parseExposition(text);
  const l = { upstream: 'shipstation', method: 'POST' };
  expect(seriesValue(f, 'fulfil_http_requests_total', { ...l, status: '200' })).toBe(1);
  expect(seriesValue(f, 'fulfil_http_rate_limited_total', l)).toBe(1);
  expect(seriesValue(f, 'fulfil_http_retries_total', l)).toBe(1);
  expect(seriesValue(f, 'fulfil_http_wait_ms_count', { upstream: 'shipstation' })).toBe(1);
});

it('every known metric is registered up front: label-less counters read 0 before any order', async () => {
  const f = await parsed(createPrometheusMetrics());
  expect(seriesValue(f, 'fulfil_orders_received_total')).toBe(0);
  expect(seriesValue(f, 'fulfil_version_conflicts_total')).toBe(0);
  expect(f.get('fulfil_command_ms')?.type).toBe('histogram');
  expect(f.get('fulfil_exceptions_total')?.type).toBe('counter');
});
