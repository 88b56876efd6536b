import type { MemoryStorage } from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler, signShopifyWebhook, toFetchHandler } from '../src';
import { ORDER_ID, orderText, SHOP } from './fixtures';
import { createTestEngine, startWebhookApp } from './world';

const SECRET = 'shpss_new_secret';
const OLD_SECRET = 'shpss_old_secret';
const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;

let world: ReturnType<typeof createTestEngine>;
let app: Awaited<ReturnType<typeof startWebhookApp>>;
beforeAll(async () => {
  world = createTestEngine();
  app = await startWebhookApp({ secrets: [SECRET, OLD_SECRET], engine: world.engine });
});
afterAll(() => app.close());

let seq = 0;
/** Posts a webhook as Shopify does: raw bytes, signed, with its headers. */
async function deliver(
  body: string | Buffer,
  o: {
    topic?: string;
    secret?: string | null;
    headers?: Record<string, string>;
    webhookId?: string;
    eventId?: string;
  } = {},
) {
  const n = ++seq;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': o.topic ?? 'orders/create',
    'x-shopify-shop-domain': SHOP,
    'x-shopify-api-version': '2025-07',
    'x-shopify-webhook-id': o.webhookId ?? `wh-${n}`,
    'x-shopify-event-id': o.eventId ?? `ev-${n}`,
    'x-shopify-triggered-at': new Date().toISOString(),
    ...(o.secret === null
      ? {}
      : { 'x-shopify-hmac-sha256': signShopifyWebhook(body, o.secret ?? SECRET) }),
    ...o.headers,
  };
  const res = await fetch(`${app.url}/webhooks/shopify`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const storage = () => world.storage as MemoryStorage;
const stored = async () => (await storage().listOrders({})).length;
const alive = async () => expect((await fetch(`${app.url}/ok`)).status).toBe(200);

describe('Shopify webhooks into a real Express app', () => {
  it("Shopify's test vector passes verification (then 400: not an order payload)", async () => {
    const res = await fetch(`${app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
      },
      body: '{"foo": "bar"}',
    });
    // signed with test_secret_key, which this app does not hold
    expect(res.status).toBe(401);
    const withVector = await startWebhookApp({
      secrets: ['test_secret_key'],
      engine: createTestEngine().engine,
    });
    const ok = await fetch(`${withVector.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
      },
      body: '{"foo": "bar"}',
    });
    expect(ok.status).toBe(400);
    expect(((await ok.json()) as { reason: string }).reason).toMatch(/body\.id/);
    await withVector.close();
  });

  it('tampered body, wrong secret, missing header → 401 and nothing stored', async () => {
    const body = orderText();
    const sig = signShopifyWebhook(body, SECRET);
    const tampered = await deliver(body.replace('"TEE-M"', '"TEE-L"'), {
      headers: { 'x-shopify-hmac-sha256': sig },
    });
    const wrong = await deliver(body, { secret: 'not-the-secret' });
    const missing = await deliver(body, { secret: null });
    expect([tampered.status, wrong.status, missing.status]).toEqual([401, 401, 401]);
    expect(missing.body.reason).toBe('missing_signature');
    expect(await stored()).toBe(0);
    expect(storage().inbox()).toEqual([]);
  });

  it('malformed JSON, wrong content type, empty body, 10 MB body → 400/415/400/413; still serving', async () => {
    const bad = await deliver('{"id": 1, ');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/invalid JSON/);
    const form = await deliver('id=1', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const empty = await deliver('');
    expect(empty.status).toBe(400);
    expect(empty.body.reason).toMatch(/empty body/);
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const big = await deliver(huge);
    expect(big.status).toBe(413);
    expect(await stored()).toBe(0);
    await alive();
  });

  it('a realistic orders/create becomes a routed order with exact ids (old secret too)', async () => {
    const res = await deliver(orderText(), { secret: OLD_SECRET });
    expect(res).toEqual({
      status: 200,
      body: { ok: true, topic: 'orders/create', events: 1, orderId: ORDER },
    });
    const record = await world.engine.get(ORDER);
    expect(record?.order.source.externalId).toBe(`gid://shopify/Order/${ORDER_ID}`);
    expect(record?.order.lines.map((l) => l.id)).toEqual([
      '1421098765432109876',
      '1421098765432109877',
    ]);
    expect(record?.status).not.toBe('received');
    expect(world.east.orders().length).toBeGreaterThan(0);
  });

  it('duplicate deliveries (same event) are processed once', async () => {
    const before = (await world.engine.get(ORDER))!.version;
    const body = orderText({ updatedAt: '2026-11-27T04:30:00-05:00', tags: 'rush' });
    const first = await deliver(body, {
      topic: 'orders/updated',
      webhookId: 'dup-w',
      eventId: 'dup-e',
    });
    const again = await deliver(body, {
      topic: 'orders/updated',
      webhookId: 'dup-w',
      eventId: 'dup-e',
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect((await world.engine.get(ORDER))!.version).toBe(before + 1);
    expect(world.engine.metrics().counters).toBeDefined();
  });

  it('deliveries in reverse order end in the state of the newest', async () => {
    const w = createTestEngine();
    const a = await startWebhookApp({ secrets: [SECRET], engine: w.engine });
    const post = (body: string, topic: string, n: number) =>
      fetch(`${a.url}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-shop-domain': SHOP,
          'x-shopify-webhook-id': `r-${n}`,
          'x-shopify-event-id': `re-${n}`,
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        },
        body,
      });
    const v3 = orderText({ updatedAt: '2026-11-27T06:00:00-05:00', tags: 'v3', note: 'third' });
    const v2 = orderText({ updatedAt: '2026-11-27T05:00:00-05:00', tags: 'v2', note: 'second' });
    const v1 = orderText({ updatedAt: '2026-11-27T04:00:05-05:00', tags: 'v1', note: 'first' });
    expect((await post(v3, 'orders/updated', 3)).status).toBe(200);
    expect((await post(v2, 'orders/updated', 2)).status).toBe(200);
    expect((await post(v1, 'orders/create', 1)).status).toBe(200);
    const record = await w.engine.get(ORDER);
    expect(record?.order.tags).toEqual(['v3']);
    expect(record?.order.note).toBe('third');
    expect(record?.upstreamUpdatedAt).toBe('2026-11-27T06:00:00-05:00');
    await a.close();
  });

  it('an ingest failure answers 500 (Shopify retries) and the retry then succeeds', async () => {
    let fail = true;
    const w = createTestEngine();
    const a = await startWebhookApp({
      secrets: [SECRET],
      ingest: async (events) => {
        if (fail) throw new Error('storage down');
        for (const e of events) await w.engine.ingest(e);
      },
    });
    const body = orderText();
    const send = () =>
      fetch(`${a.url}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': SHOP,
          'x-shopify-webhook-id': 'same',
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        },
        body,
      });
    expect((await send()).status).toBe(500);
    expect(await w.engine.get(ORDER)).toBeUndefined();
    fail = false;
    expect((await send()).status).toBe(200);
    expect(await w.engine.get(ORDER)).toBeDefined();
    await a.close();
  });

  it('the handler answers 405 to other methods, and works as a Fetch handler', async () => {
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      engine: createTestEngine().engine,
    });
    expect((await handle({ method: 'GET', headers: {}, rawBody: '' })).status).toBe(405);
    const throwing = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: async () => undefined,
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect((await throwing({ method: 'POST', headers: {}, rawBody: '{}' })).status).toBe(500);
    const fetchHandler = toFetchHandler(handle);
    const body = orderText();
    const res = await fetchHandler(
      new Request('http://localhost/webhooks', {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': SHOP,
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        },
      }),
    );
    expect(res.status).toBe(200);
    const guarded = toFetchHandler(handle, 1024);
    const big = await guarded(
      new Request('http://localhost/webhooks', {
        method: 'POST',
        body: 'x'.repeat(2048),
        headers: { 'content-length': '2048' },
      }),
    );
    expect(big.status).toBe(413);
  });
});
