import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryDeliveryQueue,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
  type DeliveryQueue,
  type Engine,
} from '@fulfil/core';
import { expect, it } from 'vitest';
import { type AppOptions, createApp } from '../src/app';
import { listen } from './serve';

const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const ORDER = `shopify:acme:${ORDER_ID}`;
const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });

function engineOnce() {
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

async function host(options: Omit<AppOptions, 'shopifySecrets' | 'opsToken'>) {
  const app = createApp({ ...options, shopifySecrets: [SECRET], opsToken: OPS_TOKEN });
  const { server, url } = await listen(app);
  return {
    app,
    post: async (webhookId: string) => {
      const res = await fetch(`${url}/webhooks/shopify`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': 'acme.myshopify.com',
          'x-shopify-webhook-id': webhookId,
        },
      });
      return { status: res.status, body: await res.json() };
    },
    order: async () => {
      const res = await fetch(`${url}/orders/${encodeURIComponent(ORDER)}`, {
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
      });
      return res.status === 200
        ? ((await res.json()) as { record: { status: string } })
        : res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

it('with a queue, the host answers 200 queued before the engine runs, and ingests after', async () => {
  const engine = engineOnce();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow = {
    ...engine,
    async ingest(...args: Parameters<Engine['ingest']>) {
      await gate;
      return engine.ingest(...args);
    },
  } as Engine;
  const h = await host({ engine: slow, queue: createMemoryDeliveryQueue() });
  const out = await Promise.race([
    h.post('ack-1'),
    new Promise<'no answer'>((resolve) => setTimeout(resolve, 1500, 'no answer')),
  ]);
  release(); // whatever happened, let the engine go
  expect(out).toEqual({ status: 200, body: { ok: true, queued: true, orderId: ORDER } });
  expect(await h.post('ack-1')).toEqual({
    status: 200,
    body: { ok: true, duplicate: true, orderId: ORDER },
  });
  await h.app.webhooks.idle();
  await engine.idle();
  expect(await h.order()).toMatchObject({ record: { status: 'submitted' } });
  await h.close();
});

it("the host's drain picks up what the background drain could not (a queue blip)", async () => {
  const engine = engineOnce();
  const memory = createMemoryDeliveryQueue();
  let blips = 1;
  const queue: DeliveryQueue = {
    enqueue: (d) => memory.enqueue(d),
    claim: async (o) => {
      if (blips-- > 0) throw new Error('connection reset');
      return memory.claim(o);
    },
    complete: (k, t) => memory.complete(k, t),
    fail: (k, t, o) => memory.fail(k, t, o),
    stats: () => memory.stats(),
  };
  const errors: number[] = [];
  const h = await host({ engine, queue, onWebhookError: (_e, status) => errors.push(status) });
  expect((await h.post('blip-1')).status).toBe(200);
  await h.app.webhooks.idle();
  expect(errors).toEqual([500]);
  expect(await h.order()).toBe(404);
  // What server.ts does every 5 s:
  expect(await h.app.webhooks.drain()).toEqual({ processed: 1, failed: 0, dead: 0 });
  await engine.idle();
  expect(await h.order()).toMatchObject({ record: { status: 'submitted' } });
  await h.close();
});

it('without a queue the host answers once committed, as before; its drain has nothing to do', async () => {
  const engine = engineOnce();
  const h = await host({ engine });
  expect(await h.post('sync-1')).toEqual({
    status: 200,
    body: { ok: true, topic: 'orders/create', events: 1, orderId: ORDER },
  });
  expect(await h.order()).toMatchObject({ record: { status: 'submitted' } });
  expect(await h.app.webhooks.drain()).toEqual({ processed: 0, failed: 0, dead: 0 });
  await engine.idle();
  await h.close();
});
