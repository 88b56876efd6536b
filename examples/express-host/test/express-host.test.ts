import type { AddressInfo } from 'node:net';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app';

const SECRET = 'test_secret_key';
const ORDER = '5813624569912345678'; // above 2^53: must survive exactly
const body = JSON.stringify({
  id: 0,
  admin_graphql_api_id: `gid://shopify/Order/${ORDER}`,
  name: '#1001',
  email: 'ada@example.com',
  created_at: '2026-11-27T09:00:00Z',
  updated_at: '2026-11-27T09:00:05Z',
  currency: 'USD',
  financial_status: 'paid',
  subtotal_price: '50.00',
  total_price: '50.00',
  total_tax: '0.00',
  tags: '',
  note: null,
  shipping_address: {
    address1: '1 Main St',
    city: 'Brooklyn',
    province_code: 'NY',
    zip: '11201',
    country_code: 'US',
  },
  line_items: [
    {
      id: 1,
      admin_graphql_api_id: 'gid://shopify/LineItem/1',
      sku: 'TEE-M',
      quantity: 2,
      price: '25.00',
      requires_shipping: true,
      properties: [],
    },
  ],
}).replace('"id":0', `"id":${ORDER}`);

let url = '';
let close = () => {};
beforeAll(async () => {
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
  });
  const server = createApp({ engine, shopifySecrets: [SECRET] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const post = (raw: string, hmac: string) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': hmac,
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'acme.myshopify.com',
      'x-shopify-webhook-id': 'wh-1',
      'x-shopify-api-version': '2025-07',
    },
  });

it('a signed orders/create webhook becomes a routed order, explained at GET /orders/:id', async () => {
  const res = await post(body, signShopifyWebhook(body, SECRET));
  expect(res.status).toBe(200);
  const id = `shopify:acme:${ORDER}`;
  const explained = await fetch(`${url}/orders/${encodeURIComponent(id)}`);
  expect(explained.status).toBe(200);
  const { record, history } = (await explained.json()) as {
    record: { status: string; order: { source: { externalId: string } } };
    history: { summary: string }[];
  };
  expect(record.status).toBe('submitted');
  expect(record.order.source.externalId).toBe(`gid://shopify/Order/${ORDER}`);
  expect(history[0]?.summary).toContain('new → submitted');
  const metrics = (await (await fetch(`${url}/metrics`)).json()) as {
    counters: { name: string }[];
  };
  expect(metrics.counters.some((c) => c.name === 'orders_received')).toBe(true);
});

it('a webhook with a bad signature is refused and nothing is stored', async () => {
  const res = await post(body.replace('"2"', '"3"'), signShopifyWebhook(body, 'wrong'));
  expect(res.status).toBe(401);
  expect((await fetch(`${url}/orders/nope`)).status).toBe(404);
});
