import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createLambdaHost, type HttpEvent } from '../src/host';

// Issue 13, item 9 applied to the Lambda host: the order lookup needs the ops token,
// bodies over the limit are 413 before decoding, a malformed path is 400 (not 500).
const SECRET = 'test_secret_key';
const TOKEN = 'ops_token_0123456789abcdef';
const ID = `shopify:acme:${ORDER_ID}`;

function engine() {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'TEE-M': 10 } };
  return createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: {
      main: createSimulatedWarehouse({ name: 'main', clock, locations: ['main'], stock }),
    },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    autoDispatch: false,
  });
}

const event = (method: string, path: string, headers: Record<string, string> = {}, body = '') =>
  ({
    rawPath: path,
    headers,
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method } },
  }) satisfies HttpEvent;

async function hostWithOrder(opsToken?: string) {
  const e = engine();
  const host = createLambdaHost({
    engine: async () => e,
    shopifySecrets: [SECRET],
    ...(opsToken ? { opsToken } : {}),
  });
  const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });
  const stored = await host.http(
    event(
      'POST',
      '/webhooks/shopify',
      {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'acme.myshopify.com',
        'x-shopify-webhook-id': 'wh-lambda-hardening',
        'x-shopify-api-version': '2025-07',
      },
      body,
    ),
  );
  expect(stored.statusCode).toBe(200);
  return host;
}

describe('Lambda host hardening', () => {
  const path = `/orders/${encodeURIComponent(ID)}`;

  it('GET /orders/{id}: none or a wrong token → 401, the token → 200', async () => {
    const host = await hostWithOrder(TOKEN);
    for (const authorization of [undefined, 'Bearer nope', TOKEN]) {
      const res = await host.http(event('GET', path, authorization ? { authorization } : {}));
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toMatch(/@|TEE-M/);
    }
    const ok = await host.http(event('GET', path, { authorization: `Bearer ${TOKEN}` }));
    expect(ok.statusCode).toBe(200);
  });

  it('without a configured token the order lookup does not exist (404)', async () => {
    const host = await hostWithOrder();
    const res = await host.http(event('GET', path, { authorization: `Bearer ${TOKEN}` }));
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toMatch(/@|TEE-M/);
  });

  it('a malformed path is 400, not 500', async () => {
    const logged: unknown[] = [];
    const host = createLambdaHost({
      engine: async () => engine(),
      shopifySecrets: [SECRET],
      opsToken: TOKEN,
      onError: (err) => logged.push(err),
    });
    for (const bad of ['/orders/%', '/orders/%E0%A4%A', '/webhooks/warehouses/%zz']) {
      const method = bad.startsWith('/orders') ? 'GET' : 'POST';
      const res = await host.http(event(method, bad, { authorization: `Bearer ${TOKEN}` }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'BAD_REQUEST' });
    }
    expect(logged).toEqual([]);
  });

  it('a body over maxBodyBytes is 413 on every route, before it is decoded', async () => {
    const host = createLambdaHost({
      engine: async () => engine(),
      shopifySecrets: [SECRET],
      maxBodyBytes: 1024,
      warehouses: {},
    });
    const big = 'x'.repeat(1025);
    for (const route of ['/webhooks/shopify', '/webhooks/warehouses/main']) {
      const res = await host.http(event('POST', route, {}, big));
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
    }
    const atLimit = await host.http(event('POST', '/webhooks/shopify', {}, 'x'.repeat(1024)));
    expect(atLimit.statusCode).toBe(401); // read, then refused for its signature
  });

  it('a warehouse key naming an Object prototype property is an unknown warehouse (404)', async () => {
    const host = createLambdaHost({
      engine: async () => engine(),
      shopifySecrets: [SECRET],
      warehouses: {},
      onError: () => {},
    });
    for (const key of ['constructor', '__proto__', 'toString']) {
      const res = await host.http(event('POST', `/webhooks/warehouses/${key}`, {}, '{}'));
      expect(res.statusCode).toBe(404);
    }
  });
});
