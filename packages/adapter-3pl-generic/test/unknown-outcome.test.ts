import { FulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneric3plWarehouse } from '../src';
import { startFakeHttp } from './fakes/fake-http';
import { type ExtensivWorld, extensivWorld, type ShipbobWorld, shipbobWorld } from './setups';

let worlds: (ShipbobWorld | ExtensivWorld)[] = [];
afterEach(async () => {
  for (const w of worlds) await w.setup.cleanup?.();
  worlds = [];
});

const request = (orderId: string, locationId: string) =>
  makeShipmentRequest({ orderId, locationId, lines: [{ sku: 'TEE-M', quantity: 2 }] });

async function retryableFailure(p: Promise<unknown>): Promise<FulfilError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FulfilError);
  expect((err as FulfilError).details).toMatchObject({
    retryable: true,
    reason: 'unknown_outcome',
  });
  return err as FulfilError;
}

const vendors = [
  ['ShipBob', async () => shipbobWorld(), 'loc-cicero'],
  ['Extensiv', async () => extensivWorld(), 'loc-reno'],
] as const;

for (const [vendor, make, locationId] of vendors) {
  describe(`a 2xx submit whose body cannot be read (${vendor})`, () => {
    it('the vendor created the order: read back by reference → accepted with its id, no duplicate', async () => {
      const w = await make();
      worlds.push(w);
      const req = request(`uo-1-${vendor}`, locationId);
      w.fake.failNext('garbled_after');
      const out = await w.adapter.submit(req, 'key-1');
      expect(w.fake.orders).toHaveLength(1);
      expect(out.status).toBe('accepted');
      const id = out.status === 'accepted' ? out.warehouseOrderId : '';
      expect(id).toBe((await w.adapter.getOrder(req.shipment.id))?.warehouseOrderId);
      // The engine's retry (same key) finds the same order.
      expect(await w.adapter.submit(req, 'key-1')).toEqual(out);
      expect(w.fake.orders).toHaveLength(1);
    });

    it('the vendor did not create it: a retryable error, and the retry creates exactly one order', async () => {
      const w = await make();
      worlds.push(w);
      const req = request(`uo-2-${vendor}`, locationId);
      w.fake.failNext('garbled');
      await retryableFailure(w.adapter.submit(req, 'key-2'));
      expect(w.fake.orders).toHaveLength(0);
      const out = await w.adapter.submit(req, 'key-2');
      expect(out.status).toBe('accepted');
      expect(w.fake.orders).toHaveLength(1);
    });
  });
}

describe('a 2xx cancel whose body cannot be read (ShipBob)', () => {
  it('the order was cancelled: read back, status Cancelled → done', async () => {
    const w = await shipbobWorld();
    worlds.push(w);
    const req = request('uo-c1', 'loc-cicero');
    await w.adapter.submit(req, 'key-c1');
    w.fake.failNext('garbled_after');
    await w.adapter.cancel!(req.shipment.id, 'cancel-c1');
    expect(w.fake.orderFor(req.shipment.id)?.status).toBe('Cancelled');
  });

  it('the order was not cancelled: a retryable error, then the retry cancels it', async () => {
    const w = await shipbobWorld();
    worlds.push(w);
    const req = request('uo-c2', 'loc-cicero');
    await w.adapter.submit(req, 'key-c2');
    w.fake.failNext('garbled');
    await retryableFailure(w.adapter.cancel!(req.shipment.id, 'cancel-c2'));
    expect(w.fake.orderFor(req.shipment.id)?.status).not.toBe('Cancelled');
    await w.adapter.cancel!(req.shipment.id, 'cancel-c2');
    expect(w.fake.orderFor(req.shipment.id)?.status).toBe('Cancelled');
  });
});

describe('a 2xx submit without the configured id (a custom vendor)', () => {
  it('is read back by reference: accepted with the id the vendor holds, one order', async () => {
    const orders = new Map<string, string>();
    const vendor = await startFakeHttp({
      fault: () => ({ status: 500 }),
      route(req) {
        if (req.method === 'POST') {
          const ref = (req.json as { ref: string }).ref;
          if (!orders.has(ref)) orders.set(ref, `V-${orders.size + 1}`);
          return { status: 200, body: { ok: true } }; // no id where the config reads it
        }
        const id = orders.get(req.query.get('ref') ?? '');
        return { status: 200, body: id ? [{ id }] : [] };
      },
    });
    const adapter = createGeneric3plWarehouse({
      name: 'shapeless',
      baseUrl: vendor.url,
      auth: { type: 'none' },
      operations: {
        submit: {
          method: 'POST',
          path: '/orders',
          body: [{ to: 'ref', from: 'reference' }],
          response: { warehouseOrderId: 'order.id' },
        },
        getOrder: {
          method: 'GET',
          path: '/orders',
          query: { ref: '{reference}' },
          response: { each: '$', warehouseOrderId: 'id' },
        },
      },
    });
    try {
      const req = request('uo-s1', 'main');
      expect(await adapter.submit(req, 'key-s1')).toEqual({
        status: 'accepted',
        warehouseOrderId: 'V-1',
      });
      expect(orders.size).toBe(1);
    } finally {
      await adapter.close();
      await vendor.close();
    }
  });
});
