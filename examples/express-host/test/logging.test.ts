/**
 * Logs: one JSON line per event (pino); client errors (4xx) with a code and a short
 * message, never a stack trace or a validation dump; server errors (5xx) with the stack.
 */
import type { AddressInfo } from 'node:net';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import type { Engine } from '@fulfil/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createLogger } from '../src/logging';

const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const chunks: string[] = [];
const logs = () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>);
// An engine whose storage is down: every read and write fails.
const down = new Error('connection terminated unexpectedly');
const engine = {
  ingest: async () => {
    throw down;
  },
  get: async () => {
    throw down;
  },
} as unknown as Engine;

let url = '';
let close = () => {};
beforeAll(async () => {
  const logger = createLogger({ destination: { write: (s: string) => void chunks.push(s) } });
  const server = createApp({
    engine,
    shopifySecrets: [SECRET],
    opsToken: OPS_TOKEN,
    logger,
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const deliver = (body: string) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': SHOP,
    },
  });

it('every log write is exactly one JSON line', async () => {
  await fetch(`${url}/healthz`);
  expect(chunks.length).toBeGreaterThan(0);
  for (const c of chunks) {
    expect(c.endsWith('\n')).toBe(true);
    expect(c.slice(0, -1)).not.toContain('\n');
  }
  expect(logs().at(-1)).toMatchObject({
    event: 'http',
    method: 'GET',
    path: '/healthz',
    status: 200,
  });
});

it('an invalid payload (400) logs its code and a short message: no stack, no zod dump', async () => {
  chunks.length = 0;
  // Valid JSON, signed, but not an order (line_items must be an array, no dates).
  const res = await deliver('{"id": 12, "line_items": "none", "currency": 7}');
  expect(res.status).toBe(400);
  const line = logs().find((l) => l.event === 'webhook_rejected');
  expect(line).toMatchObject({ level: 40, status: 400, error: { code: 'INVALID_INPUT' } });
  const text = chunks.join('');
  expect(text).not.toMatch(/"stack"|\n\s+at |ZodError|"issues"/);
  const logged = line?.error as { message: string } | undefined;
  expect(logged?.message.length).toBeLessThanOrEqual(301);
  expect(logs().find((l) => l.event === 'http')).toMatchObject({ level: 40, status: 400 });
});

it('a bad signature (401) and a malformed path (400) log no stack either', async () => {
  chunks.length = 0;
  const unsigned = await fetch(`${url}/webhooks/shopify`, { method: 'POST', body: '{}' });
  expect(unsigned.status).toBe(401);
  const malformed = await fetch(`${url}/orders/%E0%A4%A`, {
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  });
  expect(malformed.status).toBe(400);
  expect(logs().map((l) => [l.event, l.status])).toEqual([
    ['webhook_rejected', 401],
    ['http', 401],
    ['http', 400],
  ]);
  expect(chunks.join('')).not.toMatch(/"stack"|\n\s+at /);
});

it('a server error (500) logs the error with its stack', async () => {
  chunks.length = 0;
  const res = await deliver(shopifyOrderText());
  expect(res.status).toBe(500);
  const rejected = logs().find((l) => l.event === 'webhook_rejected');
  expect(rejected).toMatchObject({ level: 50, status: 500 });
  expect(JSON.stringify(rejected)).toContain('connection terminated unexpectedly');
  expect(JSON.stringify(rejected)).toMatch(/"stack":"Error: connection terminated/);

  chunks.length = 0;
  const lookup = await fetch(`${url}/orders/%231001`, {
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  });
  expect(lookup.status).toBe(500);
  expect(await lookup.json()).toEqual({
    error: 'INTERNAL',
    message: 'internal error; see the server logs',
  });
  const failed = logs().find((l) => l.event === 'request_failed') as { err?: { stack?: string } };
  expect(failed?.err?.stack).toMatch(/^Error: connection terminated unexpectedly\n\s+at /);
});
