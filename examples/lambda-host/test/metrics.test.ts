import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { createPrometheusMetrics } from '@fulfil/metrics-prometheus';
import { parseExposition, seriesValue } from '@fulfil/metrics-prometheus/testing';
import { expect, it } from 'vitest';
import { createLambdaHost, type HttpEvent } from '../src/host';

const SECRET = 'test_secret_key';
const TOKEN = 'ops_token_0123456789abcdef';

const event = (method: string, path: string, headers: Record<string, string> = {}, body = '') =>
  ({
    rawPath: path,
    headers,
    body,
    requestContext: { http: { method } },
  }) satisfies HttpEvent;

async function host(opsToken?: string) {
  const metrics = createPrometheusMetrics();
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'TEE-M': 10 } };
  const engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: {
      main: createSimulatedWarehouse({ name: 'main', clock, locations: ['main'], stock }),
    },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    autoDispatch: false,
    metrics,
  });
  const h = createLambdaHost({
    engine: async () => engine,
    shopifySecrets: [SECRET],
    prometheus: metrics,
    ...(opsToken ? { opsToken } : {}),
  });
  const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });
  const stored = await h.http(
    event(
      'POST',
      '/webhooks/shopify',
      {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'acme.myshopify.com',
        'x-shopify-webhook-id': 'wh-lambda-metrics',
        'x-shopify-api-version': '2025-07',
      },
      body,
    ),
  );
  expect(stored.statusCode).toBe(200);
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
