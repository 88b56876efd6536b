import { ORDER_ID } from '@fulfil/adapter-shopify/testing';
import { describe, expect, it } from 'vitest';
import { createLambdaHost } from '../src/host';
import { base64Event, postShopifyOrder, SECRET, TOKEN, testEngine } from './helpers';

// Issue 13, item 9 applied to the Lambda host: the order lookup needs the ops token,
// bodies over the limit are 413 before decoding, a malformed path is 400 (not 500).
const ID = `shopify:acme:${ORDER_ID}`;

async function hostWithOrder(opsToken?: string) {
  const e = testEngine();
  const host = createLambdaHost({
    engine: async () => e,
    shopifySecrets: [SECRET],
    ...(opsToken ? { opsToken } : {}),
  });
  await postShopifyOrder(host, 'wh-lambda-hardening', base64Event);
  return host;
}

describe('Lambda host hardening', () => {
  const path = `/orders/${encodeURIComponent(ID)}`;

  it('GET /orders/{id}: none or a wrong token → 401, the token → 200', async () => {
    const host = await hostWithOrder(TOKEN);
    for (const authorization of [undefined, 'Bearer nope', TOKEN]) {
      const res = await host.http(base64Event('GET', path, authorization ? { authorization } : {}));
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toMatch(/@|TEE-M/);
    }
    const ok = await host.http(base64Event('GET', path, { authorization: `Bearer ${TOKEN}` }));
    expect(ok.statusCode).toBe(200);
  });

  it('without a configured token the order lookup does not exist (404)', async () => {
    const host = await hostWithOrder();
    const res = await host.http(base64Event('GET', path, { authorization: `Bearer ${TOKEN}` }));
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toMatch(/@|TEE-M/);
  });

  it('a malformed path is 400, not 500', async () => {
    const logged: unknown[] = [];
    const host = createLambdaHost({
      engine: async () => testEngine(),
      shopifySecrets: [SECRET],
      opsToken: TOKEN,
      onError: (err) => logged.push(err),
    });
    for (const bad of ['/orders/%', '/orders/%E0%A4%A', '/webhooks/warehouses/%zz']) {
      const method = bad.startsWith('/orders') ? 'GET' : 'POST';
      const res = await host.http(base64Event(method, bad, { authorization: `Bearer ${TOKEN}` }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'BAD_REQUEST' });
    }
    expect(logged).toEqual([]);
  });

  it('a body over maxBodyBytes is 413 on every route, before it is decoded', async () => {
    const host = createLambdaHost({
      engine: async () => testEngine(),
      shopifySecrets: [SECRET],
      maxBodyBytes: 1024,
      warehouses: {},
    });
    const big = 'x'.repeat(1025);
    for (const route of ['/webhooks/shopify', '/webhooks/warehouses/main']) {
      const res = await host.http(base64Event('POST', route, {}, big));
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
    }
    const atLimit = await host.http(base64Event('POST', '/webhooks/shopify', {}, 'x'.repeat(1024)));
    expect(atLimit.statusCode).toBe(401); // read, then refused for its signature
  });

  it('a warehouse key naming an Object prototype property is an unknown warehouse (404)', async () => {
    const host = createLambdaHost({
      engine: async () => testEngine(),
      shopifySecrets: [SECRET],
      warehouses: {},
      onError: () => {},
    });
    for (const key of ['constructor', '__proto__', 'toString']) {
      const res = await host.http(base64Event('POST', `/webhooks/warehouses/${key}`, {}, '{}'));
      expect(res.statusCode).toBe(404);
    }
  });
});
