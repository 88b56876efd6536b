import type { AddressInfo } from 'node:net';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOptions, createApp } from '../src/app';

const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const auth = { authorization: `Bearer ${OPS_TOKEN}` };
const servers: { close(): void }[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

async function start(extra: Partial<AppOptions> = {}) {
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
    metrics,
  });
  const app = createApp({
    engine,
    shopifySecrets: [SECRET],
    opsToken: OPS_TOKEN,
    prometheus: metrics,
    ...extra,
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, engine };
}

describe('GET /metrics with a Prometheus registry', () => {
  let url = '';
  beforeAll(async () => {
    ({ url } = await start());
    const body = shopifyOrderText({
      lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }],
      shippingPrice: '0.00',
      totalTax: '0.00',
    });
    const res = await fetch(`${url}/webhooks/shopify`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'acme.myshopify.com',
        'x-shopify-webhook-id': 'wh-prom-1',
        'x-shopify-api-version': '2025-07',
      },
    });
    expect(res.status).toBe(200);
  });

  it('401 without the ops token, and with a wrong one', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${url}/metrics.json`)).status).toBe(401);
  });

  it('Prometheus text with the token, as a scraper asks for it', async () => {
    const res = await fetch(`${url}/metrics`, {
      headers: {
        ...auth,
        accept:
          'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = parseExposition(text);
    expect(seriesValue(families, 'fulfil_orders_received_total')).toBe(1);
    expect(
      seriesValue(families, 'fulfil_events_total', { type: 'order.received', outcome: 'applied' }),
    ).toBe(1);
    expect(families.get('fulfil_ingest_ms')?.type).toBe('histogram');
    expect(text).not.toContain(String(ORDER_ID));
  });

  it('the JSON snapshot at /metrics.json, and at /metrics for Accept: application/json', async () => {
    for (const [path, accept] of [
      ['/metrics.json', '*/*'],
      ['/metrics', 'application/json'],
    ] as const) {
      const res = await fetch(`${url}${path}`, { headers: { ...auth, accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const snap = (await res.json()) as { counters: { name: string; value: number }[] };
      expect(snap.counters.find((c) => c.name === 'orders_received')?.value).toBe(1);
    }
  });
});

it('without an ops token, /metrics and /metrics.json do not exist (404)', async () => {
  const { url } = await start({ opsToken: undefined });
  expect((await fetch(`${url}/metrics`)).status).toBe(404);
  expect((await fetch(`${url}/metrics.json`)).status).toBe(404);
});

it('a registry that fails is a plain 500, no details', async () => {
  const errors: unknown[] = [];
  const { url } = await start({
    prometheus: {
      contentType: 'text/plain; version=0.0.4',
      metrics: () => Promise.reject(new Error('collector exploded')),
    },
    onError: (e) => errors.push(e),
  });
  const res = await fetch(`${url}/metrics`, { headers: auth });
  expect(res.status).toBe(500);
  expect(await res.text()).not.toContain('exploded');
  expect(errors).toHaveLength(1);
});
