import { type FulfilError, isFulfilError } from '@fulfil/core';
import { expectCode, expectConfigInvalid, makeShipmentRequest } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShipStationWarehouse, orderKeyOf, orderNumberOf } from '../src';
import { connect, createWorld, EAST_WAREHOUSE, ordersOf } from './world';

let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const request = (lines = [{ sku: 'TEE-M', quantity: 2 }]) =>
  makeShipmentRequest({ locationId: 'east', lines });

async function thrown(promise: Promise<unknown>): Promise<FulfilError> {
  try {
    await promise;
  } catch (err) {
    if (isFulfilError(err)) return err;
    throw err;
  }
  throw new Error('expected a FulfilError');
}

describe('configuration', () => {
  const valid = { apiKey: 'k', apiSecret: 's', warehouseIds: { east: 1 } };
  it.each([
    [{ ...valid, warehouseIds: { east: -4 } }, 'warehouseIds.east'],
    [{ ...valid, warehouseIds: {} }, 'warehouseIds'],
    [{ ...valid, apiSecret: '' }, 'apiSecret'],
    [{ ...valid, baseUrl: 'ftp://ssapi.shipstation.com' }, 'baseUrl'],
    [{ ...valid, webhookToken: 'short' }, 'webhookToken'],
    [{ ...valid, rateLimit: { limit: 0 } }, 'rateLimit.limit'],
    [{ ...valid, pageSize: 501 }, 'pageSize'],
    [{ ...valid, apiSecret: undefined }, 'apiSecret'],
    [{ apiKey: 'k', apiSecret: 's' }, 'warehouseIds'],
    [{ ...valid, warehouseId: { east: 1 } }, 'warehouseId'],
    [{ ...valid, rateLimit: { limt: 40 } }, 'rateLimit.limt'],
  ])('a bad option is CONFIG_INVALID naming its path (%#)', (options, path) => {
    let error: unknown;
    try {
      createShipStationWarehouse(options as never);
    } catch (err) {
      error = err;
    }
    expect(isFulfilError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as FulfilError).details.path).toBe(path);
    expect((error as FulfilError).message).toContain(path);
  });

  it('a misspelt option gets a suggestion; each required option missing in turn is named', () => {
    expectConfigInvalid(
      () =>
        createShipStationWarehouse({
          apiKey: 'k',
          apiSecrte: 's',
          warehouseIds: { east: 1 },
        } as never),
      'apiSecrte',
      /did you mean "apiSecret"\?.*apiSecret: required/,
    );
    for (const key of ['apiKey', 'apiSecret', 'warehouseIds'] as const) {
      const { [key]: _dropped, ...rest } = valid;
      expectConfigInvalid(() => createShipStationWarehouse(rest as never), key, /required/);
    }
    expectConfigInvalid(
      () => createShipStationWarehouse(undefined as never),
      'apiKey',
      /called without options; required: apiKey, apiSecret, warehouseIds/,
    );
  });

  it('declares webhooks only with a token', () => {
    expect(createShipStationWarehouse(valid).capabilities).toEqual({
      cancel: true,
      holdUntil: true,
      inventory: false,
      shipmentEvents: true,
      webhooks: false,
    });
    expect(world.adapter.capabilities.webhooks).toBe(true);
  });
});

describe('submit', () => {
  it('sends the whole order: keys, warehouse, custom fields, notes, gift, kit components', async () => {
    const req = {
      ...request([
        { sku: 'TEE-M', quantity: 2 },
        { sku: 'GIFT-BOX', quantity: 1 },
      ]),
      instructions: ['Gift: leave all prices off the packing slip', 'Fragile: pack with care'],
      note: 'Happy birthday, Ada!',
      service: 'usps_priority_mail',
    };
    req.lines[1] = { ...req.lines[1]!, unitPrice: 4599, components: [{ sku: 'MUG', quantity: 2 }] };
    const result = await world.adapter.submit(req, 'idem-mapping-1');
    expect(result.status).toBe('accepted');
    const [order] = ordersOf(world.fake, req);
    expect(result).toEqual({ status: 'accepted', warehouseOrderId: String(order!.orderId) });
    expect(order).toMatchObject({
      orderKey: orderKeyOf('idem-mapping-1'),
      orderNumber: orderNumberOf(req.shipment.id),
      orderStatus: 'awaiting_shipment',
      gift: true,
      giftMessage: 'Happy birthday, Ada!',
      customerNotes: 'Happy birthday, Ada!',
      internalNotes: 'Gift: leave all prices off the packing slip\nFragile: pack with care',
      requestedShippingService: 'usps_priority_mail',
      shipTo: {
        name: 'Ada Lovelace',
        street1: '1 Main St',
        city: 'Springfield',
        state: 'IL',
        country: 'US',
      },
      advancedOptions: {
        warehouseId: EAST_WAREHOUSE,
        customField1: req.orderId,
        customField2: req.shipment.id,
        customField3: req.orderName,
      },
      items: [
        { lineItemKey: 'line-1', sku: 'TEE-M', quantity: 2, unitPrice: 10, options: [] },
        {
          lineItemKey: 'line-2',
          sku: 'GIFT-BOX',
          quantity: 1,
          unitPrice: 45.99,
          options: [{ name: 'Component MUG', value: '2' }],
        },
      ],
    });
  });

  it('the same key again updates the same upstream order and returns the same result', async () => {
    const req = request();
    const before = world.fake.orders().length;
    const first = await world.adapter.submit(req, 'idem-twice');
    // another process (a second adapter on the same key) retries it
    const second = await connect(world.fake).submit(req, 'idem-twice');
    expect(second).toEqual(first);
    expect(world.fake.orders().length).toBe(before + 1);
  });

  it('the same key after ShipStation shipped the order still answers the same result', async () => {
    const req = request();
    const first = await world.adapter.submit(req, 'idem-after-ship');
    await world.fake.ship(ordersOf(world.fake, req)[0]!.orderId);
    expect(await world.adapter.submit(req, 'idem-after-ship')).toEqual(first);
    expect(ordersOf(world.fake, req)).toHaveLength(1);
  });

  it('a location without a ShipStation warehouse is rejected with a reason', async () => {
    const req = makeShipmentRequest({ locationId: 'west', lines: [{ sku: 'TEE-M', quantity: 1 }] });
    const result = await world.adapter.submit(req, 'idem-west');
    expect(result).toEqual({ status: 'rejected', reason: expect.stringContaining('"west"') });
  });

  it('a 400 is rejected with ShipStation’s reason, a 401 throws non-retryable and is not retried', async () => {
    world.fake.failNext('bad_request');
    const rejected = await world.adapter.submit(request(), 'idem-400');
    expect(rejected).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('apiOrder.shipTo.country: The country code is invalid.'),
    });
    const wrong = connect(world.fake, { apiSecret: 'not-the-secret' });
    const before = world.fake.requests.length;
    const error = await thrown(wrong.submit(request(), 'idem-401'));
    expect(error.code).toBe('ADAPTER_FAILED');
    expect(error.details).toMatchObject({ status: 401, retryable: false, reason: 'unauthorized' });
    expect(error.message).toMatch(/apiKey and apiSecret/);
    expect(error.message).not.toContain('not-the-secret');
    expect(world.fake.requests.length - before).toBe(1);
  });
});

describe('cancel, hold and read back', () => {
  it('cancel sets the order cancelled, once; a shipped one throws already_shipped', async () => {
    const open = request();
    await world.adapter.submit(open, 'idem-cancel-open');
    await world.adapter.cancel(open.shipment.id, 'c-1');
    await world.adapter.cancel(open.shipment.id, 'c-1');
    expect((await world.adapter.getOrders(open.shipment.id)).map((o) => o.orderStatus)).toEqual([
      'cancelled',
    ]);

    const shipped = request();
    await world.adapter.submit(shipped, 'idem-cancel-shipped');
    await world.fake.ship(ordersOf(world.fake, shipped)[0]!.orderId);
    const error = await thrown(world.adapter.cancel(shipped.shipment.id, 'c-2'));
    expect(error.code).toBe('ADAPTER_FAILED');
    expect(error.details).toMatchObject({ reason: 'already_shipped', retryable: false });
  });

  it('cancel after a partial shipment cancels the rest only', async () => {
    const req = request([{ sku: 'TEE-M', quantity: 3 }]);
    await world.adapter.submit(req, 'idem-cancel-partial');
    await world.fake.ship(ordersOf(world.fake, req)[0]!.orderId, [
      { lineItemKey: 'line-1', quantity: 1 },
    ]);
    await world.adapter.cancel(req.shipment.id, 'c-3');
    const orders = await world.adapter.getOrders(req.shipment.id);
    expect(orders.map((o) => [o.orderStatus, o.items[0]?.quantity]).sort()).toEqual([
      ['cancelled', 2],
      ['shipped', 1],
    ]);
  });

  it('holdUntil holds to the first Pacific day not before the date; unknown shipments throw', async () => {
    const req = request();
    await world.adapter.submit(req, 'idem-hold');
    // 09:00Z on 1 Dec is 01:00 in Los Angeles: held until 2 Dec
    await world.adapter.holdUntil(req.shipment.id, '2026-12-01T09:00:00Z');
    expect(ordersOf(world.fake, req)[0]).toMatchObject({
      orderStatus: 'on_hold',
      holdUntilDate: '2026-12-02',
    });
    // 08:00Z is midnight in Los Angeles (PST): that day
    await world.adapter.holdUntil(req.shipment.id, '2026-12-01T08:00:00Z');
    expect(ordersOf(world.fake, req)[0]).toMatchObject({ holdUntilDate: '2026-12-01' });
    const error = await thrown(world.adapter.holdUntil('no-such-shipment', '2026-12-01T08:00:00Z'));
    expect(error.details).toMatchObject({ reason: 'unknown_shipment', retryable: false });
    await expectCode(world.adapter.holdUntil(req.shipment.id, 'next tuesday'), 'INVALID_INPUT');
  });

  it('getOrders reads the order back as ShipStation has it', async () => {
    const req = request();
    const result = await world.adapter.submit(req, 'idem-read');
    const [order] = await world.adapter.getOrders(req.shipment.id);
    expect(result).toEqual({ status: 'accepted', warehouseOrderId: String(order?.orderId) });
    expect(order?.items.map((i) => [i.lineItemKey, i.sku, i.quantity])).toEqual([
      ['line-1', 'TEE-M', 2],
    ]);
    expect(await world.adapter.getOrders('never-submitted')).toEqual([]);
  });
});
