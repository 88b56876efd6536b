import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  type Engine,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, startWebhookApp, subscribe, TOKEN } from './world';

let world: Awaited<ReturnType<typeof createWorld>>;
let engine: Engine;
let app: Awaited<ReturnType<typeof startWebhookApp>>;
beforeAll(async () => {
  world = await createWorld();
  engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock: { east: { 'TEE-M': 100, MUG: 100 } } }),
    warehouses: { shipstation: world.adapter },
    locations: [{ id: 'east', warehouse: 'shipstation' }],
  });
  app = await startWebhookApp(world.adapter, (event) => engine.ingest(event));
});
afterAll(async () => {
  await app.close();
  await world.close();
});

/** Ingests a paid order for 3 T-shirts and a mug; returns its id once ShipStation has it. */
async function orderSubmitted(id: string) {
  const order = makeOrder({
    id,
    lines: [
      { id: `${id}-tee`, sku: 'TEE-M', title: 'T-shirt (M)', quantity: 3, unitPrice: 2500 },
      { id: `${id}-mug`, sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: 1200 },
    ],
  });
  await engine.ingest({
    type: 'order.received',
    idempotencyKey: `recv-${id}`,
    occurredAt: new Date().toISOString(),
    order,
  });
  const record = await engine.get(id);
  expect(record?.status).toBe('submitted');
  const [shipment] = record!.shipments;
  const upstream = world.fake.findOrders((o) => o.advancedOptions.customField1 === id);
  expect(upstream).toHaveLength(1);
  expect(String(upstream[0]!.orderId)).toBe(shipment!.warehouseOrderId);
  return { shipment: shipment!, upstream: upstream[0]! };
}

describe('engine → ShipStation → shipped, through the real client', () => {
  it('by polling: a partial shipment makes the order partially_shipped, the rest ships it', async () => {
    const { shipment, upstream } = await orderSubmitted('e2e-poll');
    await world.fake.ship(upstream.orderId, [{ lineItemKey: 'e2e-poll-tee', quantity: 2 }]);
    expect(await engine.pollWarehouses()).toBe(1);
    let record = await engine.get('e2e-poll');
    expect(record?.status).toBe('partially_shipped');
    expect(record?.shipments[0]?.shipped).toEqual({ 'e2e-poll-tee': 2 });

    await world.fake.shipAll();
    expect(await engine.pollWarehouses()).toBe(1);
    record = await engine.get('e2e-poll');
    expect(record?.status).toBe('shipped');
    const labels = world.fake.shipments().map((s) => s.trackingNumber);
    expect(record?.shipments[0]).toMatchObject({
      id: shipment.id,
      status: 'shipped',
      shipped: { 'e2e-poll-tee': 3, 'e2e-poll-mug': 1 },
      tracking: [
        { carrier: 'usps', number: labels.at(-2) },
        { carrier: 'usps', number: labels.at(-1) },
      ],
    });
    expect(await engine.pollWarehouses()).toBe(0); // nothing twice
  });

  it('by webhook: ShipStation calls the Express endpoint (token in the URL) and the order ships', async () => {
    await subscribe(world.fake, `${app.url}/webhooks/shipstation?token=${TOKEN}`);
    const { upstream } = await orderSubmitted('e2e-hook');
    await world.fake.ship(upstream.orderId, [{ lineItemKey: 'e2e-hook-mug', quantity: 1 }]);
    expect(world.fake.deliveries.at(-1)).toMatchObject({ status: 200 });
    expect((await engine.get('e2e-hook'))?.status).toBe('partially_shipped');

    await world.fake.shipAll();
    expect(world.fake.deliveries.at(-1)).toMatchObject({ status: 200 });
    const record = await engine.get('e2e-hook');
    expect(record?.status).toBe('shipped');
    expect(record?.shipments[0]?.tracking).toHaveLength(2);
    // a redelivery of the same webhook changes nothing
    const again = await fetch(`${app.url}/webhooks/shipstation?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(world.fake.deliveries.at(-1)!.body),
    });
    expect(again.status).toBe(200);
    expect((await engine.get('e2e-hook'))?.version).toBe(record?.version);
  });

  it('a forged call to the endpoint is refused with 401 and ingests nothing', async () => {
    const res = await fetch(`${app.url}/webhooks/shipstation?token=guess-${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(world.fake.deliveries.at(-1)!.body),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ events: 0, unmatched: [] });
  });

  it('a createorder answered 200 with a cut body after ShipStation stored it: submitted with that order, one order, no review', async () => {
    world.fake.failNext('broken_body_after_write', 1, {
      method: 'POST',
      path: '/orders/createorder',
    });
    const { shipment, upstream } = await orderSubmitted('e2e-cut');
    expect(shipment.warehouseOrderId).toBe(String(upstream.orderId));
    expect(
      world.fake.requests.some((r) => r.status === 200 && r.url === '/orders/createorder'),
    ).toBe(true);
  });
});

describe('SHIP_NOTIFY naming a ShipStation API host (ssapi6), delivered to the Express endpoint', () => {
  it('is read from the configured ShipStation and ships the order', async () => {
    const w = await createWorld({ resourceOrigin: 'https://ssapi6.shipstation.com' });
    const e = createEngine({
      storage: createMemoryStorage(),
      inventory: createMemoryInventory({ stock: { east: { 'TEE-M': 5 } } }),
      warehouses: { shipstation: w.adapter },
      locations: [{ id: 'east', warehouse: 'shipstation' }],
    });
    const a = await startWebhookApp(w.adapter, (event) => e.ingest(event));
    await subscribe(w.fake, `${a.url}/webhooks/shipstation?token=${TOKEN}`);
    await e.ingest({
      type: 'order.received',
      idempotencyKey: 'recv-e2e-ssapi6',
      occurredAt: new Date().toISOString(),
      order: makeOrder({
        id: 'e2e-ssapi6',
        lines: [{ id: 'l1', sku: 'TEE-M', title: 'T-shirt', quantity: 1, unitPrice: 2500 }],
      }),
    });
    await w.fake.shipAll();
    const delivery = w.fake.deliveries.at(-1)!;
    expect((delivery.body as { resource_url: string }).resource_url).toMatch(
      /^https:\/\/ssapi6\.shipstation\.com\/shipments\?/,
    );
    expect(delivery.status).toBe(200);
    expect((await e.get('e2e-ssapi6'))?.status).toBe('shipped');
    await a.close();
    await w.close();
  });
});
