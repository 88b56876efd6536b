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
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app';

const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const ops = { headers: { authorization: `Bearer ${OPS_TOKEN}` } };
// One line, TEE-M × 2 at 25.00, no shipping or tax: a $50.00 order. The order id
// (ORDER_ID) is above 2^53 and is written as a bare 19-digit literal: it must survive exactly.
const ORDER = ORDER_ID;
const order = {
  lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }],
  shippingPrice: '0.00',
  totalTax: '0.00',
};
const body = shopifyOrderText(order);

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
  const server = createApp({ engine, shopifySecrets: [SECRET], opsToken: OPS_TOKEN }).listen(
    0,
    '127.0.0.1',
  );
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
  const explained = await fetch(`${url}/orders/${encodeURIComponent(id)}`, ops);
  expect(explained.status).toBe(200);
  const { record, history } = (await explained.json()) as {
    record: { status: string; order: { source: { externalId: string } } };
    history: { summary: string }[];
  };
  expect(record.status).toBe('submitted');
  expect(record.order.source.externalId).toBe(`gid://shopify/Order/${ORDER}`);
  expect(history[0]?.summary).toContain('new → submitted');
  const metrics = (await (await fetch(`${url}/metrics`, ops)).json()) as {
    counters: { name: string }[];
  };
  expect(metrics.counters.some((c) => c.name === 'orders_received')).toBe(true);
});

it('a webhook with a bad signature is refused and nothing is stored', async () => {
  // A different order, so "nothing is stored" can be checked by its id.
  const OTHER = '5813624569912345679';
  const other = shopifyOrderText({ ...order, id: OTHER });
  const tampered = other.replace('"quantity": 2', '"quantity": 3');
  expect(tampered).not.toBe(other);
  expect((await post(other, signShopifyWebhook(other, 'wrong'))).status).toBe(401);
  expect((await post(tampered, signShopifyWebhook(other, SECRET))).status).toBe(401);
  const id = `shopify:acme:${OTHER}`;
  expect((await fetch(`${url}/orders/${encodeURIComponent(id)}`, ops)).status).toBe(404);
});
