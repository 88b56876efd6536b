import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  type Engine,
  type InventorySource,
  type WarehouseAdapter,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExtensivWorld, extensivWorld, type ShipbobWorld, shipbobWorld } from './setups';

let worlds: (ShipbobWorld | ExtensivWorld)[] = [];
afterEach(async () => {
  for (const w of worlds) await w.setup.cleanup?.();
  worlds = [];
});

/** An engine on memory storage whose only warehouse is `adapter`, serving `locationId`. */
function engineWith(
  key: string,
  adapter: WarehouseAdapter,
  locationId: string,
  inventory?: InventorySource,
): Engine {
  return createEngine({
    ...(inventory ? { inventory } : {}),
    storage: createMemoryStorage(),
    clock: createSimulatedClock(Date.parse('2026-11-27T10:00:00Z')),
    warehouses: { [key]: adapter },
    locations: [{ id: locationId, warehouse: key }],
    dispatch: { maxAttempts: 3, backoffMs: 10 },
  });
}

const received = (orderId: string, quantity: number) => {
  const order = makeOrder({
    id: orderId,
    lines: [{ id: 'l1', sku: 'TEE-M', title: 'T-shirt (M)', quantity, unitPrice: 2500 }],
    totals: { subtotal: 2500 * quantity, shipping: 500, tax: 0, total: 2500 * quantity + 500 },
  });
  return {
    type: 'order.received',
    idempotencyKey: `recv-${orderId}`,
    occurredAt: order.createdAt,
    order,
  };
};

describe('end to end with an engine (memory storage)', () => {
  it('ShipBob: an order is submitted to the fake, ships, and comes back shipped with tracking', async () => {
    const w = await shipbobWorld();
    worlds.push(w);
    const engine = engineWith('shipbob', w.adapter, 'loc-cicero');
    const result = await engine.ingest(received('e2e-1', 1));
    expect(result.status).toBe('submitted');
    expect(w.fake.orders).toHaveLength(1);
    const upstream = w.fake.orders[0]!;
    expect(upstream.products).toEqual([
      expect.objectContaining({ reference_id: 'TEE-M', quantity: 1 }),
    ]);
    expect(upstream.recipient).toMatchObject({
      name: 'Ada Lovelace',
      address: {
        address1: '1 Main St',
        city: 'Springfield',
        state: 'IL',
        zip_code: '62701',
        country: 'US',
      },
    });
    const record = await engine.get('e2e-1');
    const shipment = record!.shipments[0]!;
    expect(shipment.warehouseOrderId).toBe(String(upstream.id));
    expect(upstream.reference_id).toBe(shipment.id);

    w.fake.shipAll();
    const hook = await w.adapter.handleWebhook!(w.fake.webhookFor(shipment.id));
    for (const event of hook.events) await engine.ingest(event);
    const after = await engine.get('e2e-1');
    expect(after?.status).toBe('shipped');
    expect(after?.shipments[0]?.tracking).toEqual([
      expect.objectContaining({
        carrier: 'USPS',
        number: upstream.shipments[0]!.tracking.tracking_number,
      }),
    ]);
    // a redelivered webhook changes nothing
    const again = await w.adapter.handleWebhook!(w.fake.webhookFor(shipment.id));
    expect((await engine.ingest(again.events[0])).outcome).toBe('duplicate');
  });

  it('ShipBob: a partial shipment moves the order to partially_shipped, the rest to shipped', async () => {
    const w = await shipbobWorld();
    worlds.push(w);
    const engine = engineWith('shipbob', w.adapter, 'loc-cicero');
    await engine.ingest(received('e2e-2', 3));
    const shipmentId = (await engine.get('e2e-2'))!.shipments[0]!.id;
    w.fake.shipPart(shipmentId, [{ sku: 'TEE-M', quantity: 1 }]);
    for (const e of (await w.adapter.handleWebhook!(w.fake.webhookFor(shipmentId))).events)
      await engine.ingest(e);
    const partial = await engine.get('e2e-2');
    expect(partial?.status).toBe('partially_shipped');
    expect(partial?.shipments[0]).toMatchObject({
      status: 'partially_shipped',
      shipped: { l1: 1 },
    });
    w.fake.shipAll();
    // the order webhook now lists both shipments: the first is a duplicate, the second ships the rest
    for (const e of (await w.adapter.handleWebhook!(w.fake.webhookFor(shipmentId))).events)
      await engine.ingest(e);
    const done = await engine.get('e2e-2');
    expect(done?.status).toBe('shipped');
    expect(done?.shipments[0]?.tracking).toHaveLength(2);
  });

  it('Extensiv: polling (engine.pollWarehouses) brings the shipment back', async () => {
    const w = await extensivWorld();
    worlds.push(w);
    const engine = engineWith('extensiv', w.adapter, 'loc-reno');
    expect((await engine.ingest(received('e2e-3', 2))).status).toBe('submitted');
    const upstream = w.fake.orders[0]!;
    expect(upstream.orderItems).toEqual([
      expect.objectContaining({ itemIdentifier: { sku: 'TEE-M' }, qty: 2 }),
    ]);
    expect(upstream.referenceNum).toMatch(/^[0-9a-f]{32}$/);
    w.fake.shipAll();
    expect(await engine.pollWarehouses()).toBe(1);
    const after = await engine.get('e2e-3');
    expect(after?.status).toBe('shipped');
    expect(after?.shipments[0]?.tracking[0]).toMatchObject({ carrier: 'UPS' });
    expect(await engine.pollWarehouses()).toBe(0);
  });

  it('a vendor 4xx on submit becomes a rejected shipment carrying the vendor reason, not a retry', async () => {
    const w = await shipbobWorld();
    worlds.push(w);
    // stock from memory, so the injected fault meets the submit
    const stock = createMemoryInventory({ stock: { 'loc-cicero': { 'TEE-M': 10 } } });
    const engine = engineWith('shipbob', w.adapter, 'loc-cicero', stock);
    w.fake.failNext('bad_request', 1);
    await engine.ingest(received('e2e-4', 1));
    const record = await engine.get('e2e-4');
    const rejected = record!.shipments.find((s) => s.status === 'rejected');
    expect(rejected?.rejectReason).toMatch(/Address1 field is required/);
    const posts = w.fake.calls.filter((c) => c.method === 'POST');
    expect(posts[0]?.status).toBe(400);
    expect(posts.filter((c) => c.status === 400)).toHaveLength(1);
  });
});
