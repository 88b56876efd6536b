import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
  type Engine,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOptions, createApp } from '../src/app';
import { chunked, filler, rawRequest } from './raw-http';

// Issue 13, item 9: the operations routes need a token, bodies are read with a limit,
// and no error answer shows a stack trace.
const SECRET = 'test_secret_key';
const TOKEN = 'ops_token_0123456789abcdef';
const MiB = 1024 * 1024;
const ID = `shopify:acme:${ORDER_ID}`;
const servers: Server[] = [];

function engine(): Engine {
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
  });
}

async function start(options: Partial<AppOptions> = {}) {
  const server = createApp({ engine: engine(), shopifySecrets: [SECRET], ...options }).listen(
    0,
    '127.0.0.1',
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}` };
}
afterAll(() => {
  for (const server of servers) server.close();
});

const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });
const webhookHeaders = (hmac: string) => ({
  'content-type': 'application/json',
  'x-shopify-hmac-sha256': hmac,
  'x-shopify-topic': 'orders/create',
  'x-shopify-shop-domain': 'acme.myshopify.com',
  'x-shopify-webhook-id': 'wh-hardening',
  'x-shopify-api-version': '2025-07',
});
const postOrder = (url: string) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body,
    headers: webhookHeaders(signShopifyWebhook(body, SECRET)),
  });

/** A JSON answer with no trace of a stack, an HTML page or an internal message. */
function expectCleanJson(contentType: string | null | undefined, text: string) {
  expect(contentType).toMatch(/^application\/json/);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|<html|<pre|\.ts:\d+|\.js:\d+/i);
  expect(() => JSON.parse(text)).not.toThrow();
}

describe('ops routes need the bearer token', () => {
  let url = '';
  beforeAll(async () => {
    ({ url } = await start({ opsToken: TOKEN }));
    expect((await postOrder(url)).status).toBe(200);
  });

  for (const path of [`/orders/${encodeURIComponent(ID)}`, '/metrics']) {
    it(`GET ${path.split('/')[1]}: none or a wrong token → 401; the token → 200`, async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
        const res = await fetch(`${url}${path}`, {
          headers: authorization ? { authorization } : {},
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const text = await res.text();
        expect(text).not.toMatch(/@|TEE-M|acme/);
        expectCleanJson(res.headers.get('content-type'), text);
      }
      const ok = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
    });
  }

  it('without a configured token the ops routes do not exist (404); webhooks still work', async () => {
    const open = await start();
    expect((await postOrder(open.url)).status).toBe(200);
    for (const path of [`/orders/${encodeURIComponent(ID)}`, '/metrics']) {
      const res = await fetch(`${open.url}${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/@|TEE-M/);
    }
  });

  it('a token shorter than 16 characters is a configuration error', () => {
    expect(() =>
      createApp({ engine: engine(), shopifySecrets: [SECRET], opsToken: 'short' }),
    ).toThrow(/CONFIG_INVALID: opsToken must be at least 16/);
  });
});

describe('webhook bodies are read with a limit (maxBodyBytes, default 1 MiB)', () => {
  let port = 0;
  beforeAll(async () => {
    ({ port } = await start());
  });
  const head = (extra: string) =>
    `POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\nx-shopify-hmac-sha256: AAAA\r\n${extra}\r\n`;

  it('a Content-Length over the limit is answered 413 before the body is sent', async () => {
    // 2 MiB declared, 64 KiB sent, the socket left open: the answer must not wait for the rest.
    const res = await rawRequest(
      port,
      head(`content-length: ${2 * MiB}\r\n`),
      filler(1, 64 * 1024),
    );
    expect(res.status).toBe(413);
    expect(res.sentBeforeResponse).toBeLessThanOrEqual(64 * 1024);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
    expect(res.headers.connection).toBe('close');
    expect(res.closed).toBe(true);
  });

  it('a chunked body is stopped once it passes the limit', async () => {
    // 64 KiB chunks, never terminated: a server buffering to 32 MB would never answer.
    const res = await rawRequest(
      port,
      head('transfer-encoding: chunked\r\n'),
      filler(40, 64 * 1024, chunked),
      { timeoutMs: 10_000 },
    );
    expect(res.status).toBe(413);
    expect(res.sentBeforeResponse).toBeGreaterThan(MiB);
    expect(res.sentBeforeResponse).toBeLessThan(2 * MiB);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
    expect(res.closed).toBe(true);
  });

  it('a body at the limit is read (then refused for its signature); one byte more is 413', async () => {
    const small = await start({ maxBodyBytes: 4096 });
    const post = (size: number) =>
      fetch(`${small.url}/webhooks/shopify`, {
        method: 'POST',
        body: Buffer.alloc(size, 0x20),
        headers: webhookHeaders('AAAA'),
      });
    expect((await post(4096)).status).toBe(401);
    expect((await post(4097)).status).toBe(413);
  });
});

describe('errors are JSON without stack traces', () => {
  let url = '';
  let port = 0;
  const logged: unknown[] = [];
  beforeAll(async () => {
    const failing = engine();
    // The storage is down: the order lookup's first read fails.
    failing.get = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (password=hunter2)');
    };
    ({ url, port } = await start({
      engine: failing,
      opsToken: TOKEN,
      onError: (err) => logged.push(err),
    }));
  });

  it('a 50 MB body: 413 JSON, no HTML stack', async () => {
    const res = await rawRequest(
      port,
      `POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${50 * MiB}\r\n\r\n`,
      filler(1, 1024),
    );
    expect(res.status).toBe(413);
    expectCleanJson(res.headers['content-type'], res.body);
  });

  it('GET /orders/% (malformed percent-encoding) → 400 JSON', async () => {
    for (const path of ['/orders/%', '/orders/%E0%A4%A', '/orders/abc%zz']) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(400);
      const text = await res.text();
      expectCleanJson(res.headers.get('content-type'), text);
      expect(JSON.parse(text)).toMatchObject({ error: 'BAD_REQUEST' });
    }
  });

  it('a failing route → 500 JSON with no internal message (the details go to onError)', async () => {
    const res = await fetch(`${url}/orders/x`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expectCleanJson(res.headers.get('content-type'), text);
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.5/);
    expect(String(logged.at(-1))).toContain('ECONNREFUSED');
  });

  it('unknown routes and compressed bodies → JSON 404 / 415', async () => {
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    expectCleanJson(missing.headers.get('content-type'), await missing.text());
    const gz = await fetch(`${url}/webhooks/shopify`, {
      method: 'POST',
      body: body,
      headers: { ...webhookHeaders('AAAA'), 'content-encoding': 'gzip' },
    });
    expect(gz.status).toBe(415);
    expectCleanJson(gz.headers.get('content-type'), await gz.text());
  });
});
