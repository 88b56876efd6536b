import { isFulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { isUnknownOutcome } from '@fulfil/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderKeyOf, orderNumberOf } from '../src';
import { createWorld, ordersOf } from './world';

// A 2xx whose body cannot be read (cut short, or not the documented shape) says nothing about
// whether ShipStation did the work. The adapter reads back before retrying or giving up:
// never a rejection (the order would go to review while the warehouse holds it), never a
// second order.

/** Faults aimed at the write itself (cancel lists the orders first). */
const WRITE = { method: 'POST', path: '/orders/createorder' };

let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const request = () =>
  makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 2 }] });
const readBacks = (since: number, shipmentId: string) =>
  world.fake.requests
    .slice(since)
    .filter(
      (r) =>
        r.method === 'GET' &&
        r.url.startsWith('/orders?') &&
        new URL(r.url, 'http://x').searchParams.get('orderNumber') === orderNumberOf(shipmentId),
    );

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('submit: an unreadable 2xx after ShipStation created the order', () => {
  it.each([
    ['a body cut short', 'broken_body_after_write'],
    ['valid JSON that is not an order', 'wrong_shape_after_write'],
  ] as const)(
    '%s → read back by orderKey: accepted with its orderId, one order',
    async (_w, fault) => {
      const req = request();
      const before = world.fake.requests.length;
      world.fake.failNext(fault);
      const result = await world.adapter.submit(req, `unknown-${fault}`);
      const orders = ordersOf(world.fake, req);
      expect(orders).toHaveLength(1);
      expect(orders[0]!.orderKey).toBe(orderKeyOf(`unknown-${fault}`));
      expect(result).toEqual({ status: 'accepted', warehouseOrderId: String(orders[0]!.orderId) });
      expect(readBacks(before, req.shipment.id)).toHaveLength(1);
      // The dispatcher's later retry (same key) is the same order.
      expect(await world.adapter.submit(req, `unknown-${fault}`)).toEqual(result);
      expect(ordersOf(world.fake, req)).toHaveLength(1);
    },
  );
});

describe('submit: an unreadable 2xx and no order at ShipStation', () => {
  it('reads back, finds nothing, throws a retryable unknown outcome; the retry creates one order', async () => {
    const req = request();
    const before = world.fake.requests.length;
    world.fake.failNext('broken_body');
    const err = await thrown(world.adapter.submit(req, 'unknown-none'));
    expect(isUnknownOutcome(err)).toBe(true);
    expect(isFulfilError(err, 'ADAPTER_FAILED')).toBe(true);
    expect((err as { details: Record<string, unknown> }).details).toMatchObject({
      retryable: true,
      outcome: 'unknown',
      readBack: 'not_found',
      shipmentId: req.shipment.id,
      orderKey: orderKeyOf('unknown-none'),
    });
    expect(readBacks(before, req.shipment.id)).toHaveLength(1);
    expect(ordersOf(world.fake, req)).toHaveLength(0);
    const retried = await world.adapter.submit(req, 'unknown-none');
    expect(retried.status).toBe('accepted');
    expect(ordersOf(world.fake, req)).toHaveLength(1);
  });
});

describe('cancel: an unreadable 2xx', () => {
  it('after ShipStation cancelled the order → read back: done', async () => {
    const req = request();
    await world.adapter.submit(req, 'cancel-unknown-done');
    world.fake.failNext('broken_body_after_write', 1, WRITE);
    await world.adapter.cancel!(req.shipment.id, 'cancel-1');
    expect(ordersOf(world.fake, req).map((o) => o.orderStatus)).toEqual(['cancelled']);
  });

  it('without cancelling → read back: still open, a retryable unknown outcome; the retry cancels', async () => {
    const req = request();
    await world.adapter.submit(req, 'cancel-unknown-open');
    const before = world.fake.requests.length;
    world.fake.failNext('broken_body', 1, WRITE);
    const err = await thrown(world.adapter.cancel!(req.shipment.id, 'cancel-2'));
    expect(isUnknownOutcome(err)).toBe(true);
    expect((err as { details: Record<string, unknown> }).details).toMatchObject({
      retryable: true,
      readBack: 'not_applied',
    });
    expect(readBacks(before, req.shipment.id).length).toBeGreaterThanOrEqual(2);
    expect(ordersOf(world.fake, req).map((o) => o.orderStatus)).toEqual(['awaiting_shipment']);
    await world.adapter.cancel!(req.shipment.id, 'cancel-2');
    expect(ordersOf(world.fake, req).map((o) => o.orderStatus)).toEqual(['cancelled']);
  });
});
