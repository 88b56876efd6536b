import type { AddressInfo } from 'node:net';
import { createShopifyStore, signShopifyWebhook } from '@fulfil/adapter-shopify';
import { LINE_1, LINE_2, SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeShopify } from '../../../packages/adapter-shopify/test/fake-shopify';
import { createApp } from '../src/app';
import { parseLocations } from '../src/env';

const SECRET = 'example_secret';
const ORDER = '5813624569912399901';
const ID = `shopify:acme-outdoor:${ORDER}`;

let fake: Awaited<ReturnType<typeof startFakeShopify>>;
let url = '';
let close = () => {};
const stock = { main: { 'TEE-M': 10, MUG: 10 } };
const clock = createSimulatedClock('2026-11-27T09:00:00Z');
const main = createSimulatedWarehouse({
  name: 'main',
  clock,
  locations: ['main'],
  stock,
  shipAfterMs: 3_600_000,
});
const engine = createEngine({
  storage: createMemoryStorage(),
  inventory: createMemoryInventory({ stock }),
  warehouses: { main },
  locations: [{ id: 'main', warehouse: 'main' }],
  clock,
});

beforeAll(async () => {
  fake = await startFakeShopify({ restoreRate: 1000 });
  fake.seedOrder({
    id: ORDER,
    updatedAt: '2026-11-27T04:00:05-05:00',
    lines: [
      { id: LINE_1, sku: 'TEE-M', quantity: 3, price: '99.99' },
      { id: LINE_2, sku: 'MUG', quantity: 1, price: '60.00' },
    ],
  });
  const store = createShopifyStore({
    shop: SHOP,
    accessToken: fake.token,
    endpoint: fake.endpoint,
  });
  const server = createApp({
    opsToken: 'ops_token_0123456789abcdef',
    engine,
    shopifySecrets: [SECRET],
    fulfillmentOrders: store,
    shopifyLocations: parseLocations('{"gid://shopify/Location/1001": "main"}'),
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(async () => {
  close();
  await fake.close();
});

let n = 0;
const post = (topic: string, body: string) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': `ex-${++n}`,
      'x-shopify-event-id': `ex-ev-${n}`,
    },
  });
const status = async () => (await engine.get(ID))?.status;

describe('the example host understands what merchants do in the Shopify admin', () => {
  it('hold → the warehouse is told to cancel; release → routed again; fulfilled by hand → shipped', async () => {
    expect((await post('orders/create', shopifyOrderText({ id: ORDER }))).status).toBe(200);
    expect(await status()).toBe('submitted');
    const hold = fake.merchant.placeHold(ORDER, 'INCORRECT_ADDRESS', 'wrong zip');
    expect((await post('fulfillment_orders/placed_on_hold', hold)).status).toBe(200);
    expect(await status()).toBe('on_hold');
    expect(main.orders().map((o) => o.status)).toEqual(['cancelled']);
    await post('fulfillment_orders/hold_released', fake.merchant.releaseHolds(ORDER));
    expect(await status()).toBe('submitted');
    const byHand = fake.merchant.fulfill(
      ORDER,
      { [LINE_1]: 3, [LINE_2]: 1 },
      { company: 'USPS', number: '9400100000000000000001' },
    );
    expect((await post('fulfillments/create', byHand)).status).toBe(200);
    expect(await status()).toBe('shipped');
    const explained = (await (
      await fetch(`${url}/orders/${encodeURIComponent(ID)}`, {
        headers: { authorization: 'Bearer ops_token_0123456789abcdef' },
      })
    ).json()) as {
      history: { summary: string }[];
    };
    expect(explained.history.map((h) => h.summary.split(':')[0])).toEqual([
      'order.received',
      'warehouse.accepted',
      'store.fulfillment_changed',
      'store.fulfillment_changed',
      'warehouse.accepted',
      'store.fulfillment_changed',
    ]);
  });

  it('SHOPIFY_LOCATIONS is checked', () => {
    expect(parseLocations(undefined)).toBeUndefined();
    expect(parseLocations('{"1001": "main"}')).toEqual({ '1001': 'main' });
    expect(() => parseLocations('[1]')).toThrow(/SHOPIFY_LOCATIONS: must be a JSON object/);
    expect(() => parseLocations('{"main": "main"}')).toThrow(
      /"main": keys must be Shopify location ids/,
    );
    expect(() => parseLocations('{')).toThrow(/SHOPIFY_LOCATIONS: not JSON/);
  });
});
