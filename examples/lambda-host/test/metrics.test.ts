import { ORDER_ID } from '@fulfil/adapter-shopify/testing';
import { createPrometheusMetrics } from '@fulfil/metrics-prometheus';
import { parseExposition, seriesValue } from '@fulfil/metrics-prometheus/testing';
import { expect, it } from 'vitest';
import { createLambdaHost } from '../src/host';
import { event, postShopifyOrder, SECRET, TOKEN, testEngine } from './helpers';

async function host(opsToken?: string) {
  const metrics = createPrometheusMetrics();
  const engine = testEngine({ metrics });
  const h = createLambdaHost({
    engine: async () => engine,
    shopifySecrets: [SECRET],
    prometheus: metrics,
    ...(opsToken ? { opsToken } : {}),
  });
  await postShopifyOrder(h, 'wh-lambda-metrics');
  return h;
}

it('GET /metrics: 401 without the token, Prometheus text with it, JSON at /metrics.json', async () => {
  const h = await host(TOKEN);
  for (const path of ['/metrics', '/metrics.json']) {
    expect((await h.http(event('GET', path))).statusCode).toBe(401);
    const wrong = await h.http(event('GET', path, { authorization: 'Bearer nope' }));
    expect(wrong.statusCode).toBe(401);
  }
  const auth = { authorization: `Bearer ${TOKEN}` };
  const text = await h.http(event('GET', '/metrics', auth));
  expect(text.statusCode).toBe(200);
  expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parseExposition(text.body);
  expect(seriesValue(families, 'fulfil_orders_received_total')).toBe(1);
  expect(text.body).not.toContain(String(ORDER_ID));
  for (const [path, accept] of [
    ['/metrics.json', '*/*'],
    ['/metrics', 'application/json'],
  ] as const) {
    const res = await h.http(event('GET', path, { ...auth, accept }));
    expect(res.headers['content-type']).toBe('application/json');
    const snap = JSON.parse(res.body) as { counters: { name: string; value: number }[] };
    expect(snap.counters.find((c) => c.name === 'orders_received')?.value).toBe(1);
  }
});

it('without a configured token, /metrics does not exist (404)', async () => {
  const h = await host();
  const res = await h.http(event('GET', '/metrics', { authorization: `Bearer ${TOKEN}` }));
  expect(res.statusCode).toBe(404);
});
