import { createSimulatedClock, type Engine, FulfilError } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler } from '../src';
import { createQueueDouble } from './delivery-queue-double';
import { ORDER_ID, orderText, SHOP } from './fixtures';
import { errorsOf, gate, recordingIngest, SECRET, signed } from './queue-helpers';
import { createTestEngine } from './world';

const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;
type Reported = { error: unknown; status: number; info?: unknown };

describe('Shopify webhook handler with a delivery queue: acknowledged on receipt', () => {
  it('answers 200 queued while the engine ingest hangs; the order is ingested after the answer', async () => {
    const world = createTestEngine();
    const hang = gate();
    const started: unknown[] = [];
    const engine = {
      async ingest(event: unknown, options?: { dispatch?: 'wait' | 'background' | 'none' }) {
        started.push(event);
        await hang.promise;
        return world.engine.ingest(event, options);
      },
    };
    const { queue, rows } = createQueueDouble();
    const handle = createShopifyWebhookHandler({ secrets: [SECRET], engine, queue });
    const t0 = performance.now();
    const answer = handle(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-1' }));
    const late = new Promise<'no answer'>((resolve) => setTimeout(resolve, 1500, 'no answer'));
    const out = await Promise.race([answer, late]);
    if (out === 'no answer') hang.open(); // do not leave the old behaviour hanging
    expect(out).toMatchObject({ status: 200 });
    // The answer names the order (read from the body's id) before anything is parsed.
    const body = out === 'no answer' ? undefined : JSON.parse(out.body);
    expect(body).toEqual({ ok: true, queued: true, orderId: ORDER });
    expect(performance.now() - t0).toBeLessThan(1000);
    // Stored as received under `shopify:{shop}:{webhook id}`, with only the parser's headers.
    const row = rows().find((r) => r.key === `shopify:${SHOP}:w-1`);
    expect(row?.delivery?.source).toBe('shopify');
    expect(Buffer.from(row!.delivery!.body).toString()).toBe(orderText());
    expect(row?.delivery?.headers).toEqual({
      'shopify-topic': 'orders/create',
      'shopify-shop-domain': SHOP,
      'shopify-webhook-id': 'w-1',
      'shopify-triggered-at': '2026-11-27T15:00:00Z',
    });
    expect(await world.engine.get(ORDER)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toHaveLength(1); // the drain started by itself, and waits on the engine
    hang.open();
    await handle.idle();
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
  });

  it('a repeated delivery (same webhook id, either header name) is answered duplicate and ingested once', async () => {
    const { queue } = createQueueDouble();
    const rec = recordingIngest();
    const handle = createShopifyWebhookHandler({ secrets: [SECRET], ingest: rec.ingest, queue });
    const body = orderText();
    const first = await handle(signed(body, 'orders/create', { 'x-shopify-webhook-id': 'w-2' }));
    const again = await handle(
      signed(body, 'orders/create', {
        'x-shopify-topic': undefined,
        'shopify-topic': 'orders/create',
        'shopify-webhook-id': 'w-2',
      }),
    );
    expect(JSON.parse(first.body)).toEqual({ ok: true, queued: true, orderId: ORDER });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ ok: true, duplicate: true, orderId: ORDER });
    // Without a webhook id the key is the SHA-256 of topic and body.
    const noId1 = await handle(signed(body, 'orders/updated'));
    const noId2 = await handle(signed(body, 'orders/updated'));
    const otherTopic = await handle(signed(body, 'orders/paid'));
    expect([noId1.body, noId2.body, otherTopic.body].map((b) => JSON.parse(b))).toEqual([
      { ok: true, queued: true, orderId: ORDER },
      { ok: true, duplicate: true, orderId: ORDER },
      { ok: true, queued: true, orderId: ORDER },
    ]);
    await handle.idle();
    expect(rec.events.map((e) => e.type)).toEqual([
      'order.received',
      'order.updated',
      'order.updated',
    ]);
  });

  it('a failed enqueue answers 500 (Shopify retries) and stores nothing; the retry is ingested', async () => {
    const world = createTestEngine();
    const double = createQueueDouble();
    const errors: Reported[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      engine: world.engine,
      queue: double.queue,
      onError: (error, status, info) => errors.push({ error, status, info }),
    });
    const request = signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-3' });
    double.failNext();
    const failed = await handle(request);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ error: 'enqueue_failed' });
    expect(errors).toEqual([{ error: expect.any(Error), status: 500, info: undefined }]);
    await handle.idle();
    expect(double.rows()).toEqual([]);
    expect(await world.engine.get(ORDER)).toBeUndefined();
    // Shopify's retry carries the same webhook id.
    expect(JSON.parse((await handle(request)).body)).toEqual({
      ok: true,
      queued: true,
      orderId: ORDER,
    });
    await handle.idle();
    await world.engine.idle();
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    expect(world.east.orders()).toHaveLength(1);
  });

  it('an invalid payload is acknowledged, then kept dead and reported to onError (400)', async () => {
    const { queue } = createQueueDouble();
    const rec = recordingIngest();
    const errors: Reported[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      onError: (error, status, info) => errors.push({ error, status, info }),
    });
    const key = `shopify:${SHOP}:w-bad`;
    const bad = await handle(
      signed('{"id": ', 'orders/create', { 'x-shopify-webhook-id': 'w-bad' }),
    );
    expect(bad.status).toBe(200);
    await handle.idle();
    expect(errorsOf(errors)).toEqual([
      { code: 'INVALID_INPUT', status: 400, info: { key, attempts: 1, dead: true } },
    ]);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 1 });
    expect(await handle.drain()).toEqual({ processed: 0, failed: 0, dead: 0 }); // never again
    expect(rec.state.calls).toBe(0);
    // An event the engine refuses (INVALID_INPUT from ingest) is dead as well.
    const refusing = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: async () => {
        throw new FulfilError('INVALID_INPUT', 'event.order.lines: refused');
      },
      queue,
    });
    await refusing(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-refused' }));
    await refusing.idle();
    expect(await queue.stats()).toEqual({ pending: 0, dead: 2 });
  });

  it('header text a queue cannot store (NUL, lone surrogate) is repaired; the parser then refuses the shop (dead), never a 500 loop', async () => {
    const double = createQueueDouble();
    const errors: Reported[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: recordingIngest().ingest,
      queue: double.queue,
      onError: (error, status, info) => errors.push({ error, status, info }),
    });
    const out = await handle(
      signed(orderText(), 'orders/create', {
        'x-shopify-shop-domain': 'acme\ud800.myshopify.com', // a Lambda's JSON headers can hold it
        'x-shopify-webhook-id': 'w\u0000-7',
      }),
    );
    expect(out.body).toBe('{"ok":true,"queued":true}');
    await handle.idle();
    const key = 'shopify:acme\ufffd.myshopify.com:w-7';
    expect(double.rows().map((r) => [r.key, r.status])).toEqual([[key, 'dead']]);
    expect(errorsOf(errors)).toEqual([
      { code: 'INVALID_INPUT', status: 400, info: { key, attempts: 1, dead: true } },
    ]);
  });

  it('a transient ingest failure is retried with a doubling, capped backoff, then completed', async () => {
    const clock = createSimulatedClock('2026-11-27T15:00:00Z');
    const t0 = clock.now();
    const { queue } = createQueueDouble();
    const down = () => new Error('storage down');
    const rec = recordingIngest([down(), down(), down()]);
    const errors: Reported[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      clock,
      retry: { baseMs: 1000, maxMs: 3000 },
      onError: (error, status, info) => errors.push({ error, status, info }),
    });
    await handle(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-4' }));
    await handle.idle(); // the background drain: first failure
    expect(await handle.drain()).toEqual({ processed: 0, failed: 0, dead: 0 }); // not due yet
    clock.advance(1000);
    expect(await handle.drain()).toEqual({ processed: 0, failed: 1, dead: 0 });
    clock.advance(2000);
    expect(await handle.drain()).toEqual({ processed: 0, failed: 1, dead: 0 });
    clock.advance(2999);
    expect(await handle.drain()).toEqual({ processed: 0, failed: 0, dead: 0 });
    clock.advance(1);
    expect(await handle.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
    const key = `shopify:${SHOP}:w-4`;
    expect(errors.map((e) => [e.status, e.info])).toEqual([
      [500, { key, attempts: 1, dead: false, retryAt: t0 + 1000 }],
      [500, { key, attempts: 2, dead: false, retryAt: t0 + 1000 + 2000 }],
      [500, { key, attempts: 3, dead: false, retryAt: t0 + 3000 + 3000 }], // capped (not 4000)
    ]);
    expect(rec.events.map((e) => e.type)).toEqual(['order.received']);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
  });

  it('after maxAttempts a failing delivery is dead and reported; a throwing onError stops nothing', async () => {
    const clock = createSimulatedClock('2026-11-27T15:00:00Z');
    const { queue } = createQueueDouble();
    const rec = recordingIngest([new Error('down'), new Error('down')]);
    const seen: unknown[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      clock,
      retry: { maxAttempts: 2 },
      onError: (_error, status, info) => {
        seen.push([status, info]);
        throw new Error('hook bug');
      },
    });
    await handle(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-5' }));
    await handle.idle();
    clock.advance(60_000);
    expect(await handle.drain()).toEqual({ processed: 0, failed: 0, dead: 1 });
    expect(seen.at(-1)).toEqual([500, { key: `shopify:${SHOP}:w-5`, attempts: 2, dead: true }]);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 1 });
  });

  it('without a queue nothing changes: the answer waits for the store, and drain() has nothing to do', async () => {
    const world = createTestEngine();
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      engine: world.engine as Engine,
    });
    const out = await handle(
      signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-6' }),
    );
    expect(JSON.parse(out.body)).toEqual({
      ok: true,
      topic: 'orders/create',
      events: 1,
      orderId: ORDER,
    });
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    expect(await handle.drain()).toEqual({ processed: 0, failed: 0, dead: 0 });
    await handle.idle();
    await world.engine.idle();
  });
});
