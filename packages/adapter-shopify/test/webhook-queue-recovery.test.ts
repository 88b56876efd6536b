import { createSimulatedClock, type OrderEvent } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler, type FulfillmentOrderInfo } from '../src';
import { placedOnHoldPayload } from '../src/testing';
import { createQueueDouble } from './delivery-queue-double';
import { ORDER_ID, orderText, SHOP } from './fixtures';
import { errorsOf, gate, recordingIngest, SECRET, signed } from './queue-helpers';
import { createTestEngine } from './world';

const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;

describe('Shopify webhook queue: crashes, order and fulfillment-order topics', () => {
  it('a process that dies after ingesting but before completing: another handler takes the delivery after the lease; the order is ingested once', async () => {
    const world = createTestEngine();
    const clock = createSimulatedClock('2026-11-27T15:00:00Z');
    const { queue } = createQueueDouble();
    const crash = gate();
    const errorsA: unknown[] = [];
    // Handler A commits the event, then "dies" (never reaches `complete`).
    const a = createShopifyWebhookHandler({
      secrets: [SECRET],
      queue,
      clock,
      leaseMs: 30_000,
      ingest: async (events) => {
        for (const e of events) await world.engine.ingest(e, { dispatch: 'background' });
        await crash.promise;
      },
      onError: (e) => errorsA.push(e),
    });
    const out = await a(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-c' }));
    expect(JSON.parse(out.body)).toEqual({ ok: true, queued: true, orderId: ORDER });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    // A new process on the same queue: the claim is A's until its lease runs out.
    const b = createShopifyWebhookHandler({
      secrets: [SECRET],
      queue,
      clock,
      engine: world.engine,
    });
    expect(await b.drain()).toEqual({ processed: 0, failed: 0, dead: 0 });
    clock.advance(30_000);
    expect(await b.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
    // A wakes up late: its claim is lost, which is no error and changes nothing.
    crash.open();
    await a.idle();
    expect(errorsA).toEqual([]);
    await world.engine.idle();
    const explained = await world.engine.explain(ORDER);
    expect(explained.history.filter((h) => h.eventType === 'order.received')).toHaveLength(1);
    expect(world.east.orders()).toHaveLength(1);
  });

  it('a delivery enqueued by a process that died before draining is drained by the next one', async () => {
    const world = createTestEngine();
    const { queue } = createQueueDouble();
    const never = gate();
    const a = createShopifyWebhookHandler({
      secrets: [SECRET],
      queue: { ...queue, claim: () => never.promise.then(() => []) }, // dies before its claim
      engine: world.engine,
    });
    await a(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-d' }));
    const b = createShopifyWebhookHandler({ secrets: [SECRET], queue, engine: world.engine });
    expect(await b.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    never.open();
    await a.idle();
  });

  it('autoDrain: false only acknowledges; a worker on the same queue drains', async () => {
    const world = createTestEngine();
    const { queue } = createQueueDouble();
    const web = createShopifyWebhookHandler({
      secrets: [SECRET],
      queue,
      engine: world.engine,
      autoDrain: false,
    });
    const out = await web(signed(orderText(), 'orders/create', { 'x-shopify-webhook-id': 'w-w' }));
    expect(JSON.parse(out.body)).toEqual({ ok: true, queued: true, orderId: ORDER });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await web.idle();
    expect(await queue.stats()).toEqual({ pending: 1, dead: 0 });
    expect(await world.engine.get(ORDER)).toBeUndefined();
    const worker = createShopifyWebhookHandler({ secrets: [SECRET], queue, engine: world.engine });
    expect(await worker.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
    expect((await world.engine.get(ORDER))?.status).toBe('submitted');
    await world.engine.idle();
  });

  it('many deliveries arriving while the drain runs are ingested once each, in arrival order, one at a time', async () => {
    const { queue } = createQueueDouble();
    const rec = recordingIngest();
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      drainBatch: 3,
    });
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `58136245699${String(i).padStart(8, '0')}`;
      const updatedAt = `2026-11-27T04:00:${String(10 + i).padStart(2, '0')}-05:00`;
      const topic = i % 2 === 0 ? 'orders/create' : 'orders/updated';
      const out = await handle(
        signed(orderText({ id, updatedAt }), topic, { 'x-shopify-webhook-id': `w-o-${i}` }),
      );
      expect(out.status).toBe(200);
      sent.push(`shopify:acme-outdoor:${id}`);
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 2)); // let it run
    }
    await handle.idle();
    expect(rec.events.map((e) => (e as OrderEvent & { order: { id: string } }).order.id)).toEqual(
      sent,
    );
    expect(rec.state.maxActive).toBe(1);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
  });

  it('fulfillment-order topics go through the queue: looked up in the drain, retried when the lookup fails', async () => {
    const clock = createSimulatedClock('2026-11-27T15:00:00Z');
    const { queue } = createQueueDouble();
    const rec = recordingIngest();
    const errors: { error: unknown; status: number; info?: unknown }[] = [];
    let lookups = 0;
    const info: FulfillmentOrderInfo = {
      id: FO,
      status: 'ON_HOLD',
      orderId: `gid://shopify/Order/${ORDER_ID}`,
      holds: [
        {
          id: 'gid://shopify/FulfillmentHold/2',
          reason: 'HIGH_RISK_OF_FRAUD',
          handle: '',
          heldByRequestingApp: false,
        },
      ],
    };
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      clock,
      fulfillmentOrders: {
        async fulfillmentOrder(id) {
          if (++lookups === 1) throw new Error('Shopify unreachable');
          return id === FO ? info : undefined;
        },
      },
      onError: (error, status, i) => errors.push({ error, status, info: i }),
    });
    const out = await handle(
      signed(placedOnHold, 'fulfillment_orders/placed_on_hold', { 'x-shopify-webhook-id': 'w-fo' }),
    );
    expect(JSON.parse(out.body)).toEqual({ ok: true, queued: true });
    // (a fulfillment-order topic does not name its order: it is looked up in the drain)
    await handle.idle();
    expect(errors.map((e) => [e.status, e.info])).toEqual([
      [500, { key: `shopify:${SHOP}:w-fo`, attempts: 1, dead: false, retryAt: clock.now() + 1000 }],
    ]);
    clock.advance(1000);
    expect(await handle.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
    expect(rec.events).toEqual([
      expect.objectContaining({
        type: 'store.fulfillment_changed',
        orderId: ORDER,
        change: expect.objectContaining({ kind: 'hold_placed' }),
      }),
    ]);
    // Without a lookup the delivery is completed with no events and onError told, as before.
    const without: { error: unknown; status: number; info?: unknown }[] = [];
    const bare = createShopifyWebhookHandler({
      secrets: [SECRET],
      ingest: rec.ingest,
      queue,
      onError: (error, status, i) => without.push({ error, status, info: i }),
    });
    await bare(
      signed(placedOnHold, 'fulfillment_orders/placed_on_hold', {
        'x-shopify-webhook-id': 'w-fo2',
      }),
    );
    await bare.idle();
    expect(errorsOf(without)).toEqual([{ code: 'CONFIG_INVALID', status: 200, info: undefined }]);
    expect(await queue.stats()).toEqual({ pending: 0, dead: 0 });
  });
});

const FO = 'gid://shopify/FulfillmentOrder/6035914129657123456';
/** `fulfillment_orders/placed_on_hold`: a merchant's hold (the shape of store-webhooks.test.ts). */
const placedOnHold = JSON.stringify(placedOnHoldPayload(FO));
