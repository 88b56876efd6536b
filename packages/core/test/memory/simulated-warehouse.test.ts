import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { createSimulatedClock, createSimulatedWarehouse, type StockTable } from '../../src/memory';
import { expectCode, makeShipmentRequest } from '../../src/testing';

const HOUR = 3_600_000;

function setup(stock: StockTable = { east: { TEE: 5, MUG: 1 } }) {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const warehouse = createSimulatedWarehouse({
    name: 'east',
    clock,
    locations: ['east'],
    stock,
    shipAfterMs: 2 * HOUR,
    deliverAfterMs: 48 * HOUR,
  });
  const request = (lines: { sku: string; quantity: number }[], locationId = 'east') =>
    makeShipmentRequest({ locationId, lines });
  return { clock, warehouse, stock, request };
}

describe('createSimulatedWarehouse: submit', () => {
  it('accepts what it has stock for and allocates the units', async () => {
    const { warehouse, stock, request } = setup();
    const result = await warehouse.submit(request([{ sku: 'TEE', quantity: 2 }]), 'k1');
    expect(result).toEqual({ status: 'accepted', warehouseOrderId: 'east-000001' });
    expect(stock.east?.TEE).toBe(3);
    expect(warehouse.orders()).toMatchObject([{ idempotencyKey: 'k1', status: 'accepted' }]);
  });

  it('rejects unknown SKUs, short stock and unserved locations with reasons', async () => {
    const { warehouse, stock, request } = setup();
    const r1 = await warehouse.submit(
      request([
        { sku: 'NOPE', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ]),
      'k1',
    );
    expect(r1).toEqual({
      status: 'rejected',
      reason: 'unknown SKU "NOPE"; insufficient stock for "MUG" at "east": need 2, have 1',
    });
    const r2 = await warehouse.submit(request([{ sku: 'TEE', quantity: 1 }], 'west'), 'k2');
    expect(r2).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not served/) });
    expect(stock.east).toEqual({ TEE: 5, MUG: 1 });
    expect(warehouse.orders()).toEqual([]);
  });

  it('is idempotent on the key and counts duplicates', async () => {
    const { warehouse, stock, request } = setup();
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    const first = await warehouse.submit(req, 'k1');
    expect(await warehouse.submit(req, 'k1')).toEqual(first);
    expect(warehouse.duplicateSubmits).toBe(1);
    expect(warehouse.orders()).toHaveLength(1);
    expect(stock.east?.TEE).toBe(4);
    expect(warehouse.calls.submit).toBe(2);
  });

  it('rejectNext rejects the next new submission, and that result sticks to its key', async () => {
    const { warehouse, request } = setup();
    warehouse.rejectNext('address undeliverable');
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    expect(await warehouse.submit(req, 'k1')).toEqual({
      status: 'rejected',
      reason: 'address undeliverable',
    });
    expect(await warehouse.submit(req, 'k1')).toMatchObject({ status: 'rejected' });
    expect(await warehouse.submit(req, 'k2')).toMatchObject({ status: 'accepted' });
  });

  it('failNext throws n times with ADAPTER_FAILED, then recovers', async () => {
    const { warehouse, request } = setup();
    warehouse.failNext(2);
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    await expectCode(warehouse.submit(req, 'k1'), 'ADAPTER_FAILED');
    await expectCode(warehouse.submit(req, 'k1'), 'ADAPTER_FAILED');
    expect(await warehouse.submit(req, 'k1')).toMatchObject({ status: 'accepted' });
    expect(warehouse.calls.submit).toBe(3);
    expect(warehouse.orders()).toHaveLength(1);
  });

  it('failNext with afterEffect loses the response: the retry creates no second order', async () => {
    const { warehouse, request } = setup();
    warehouse.failNext(1, 'gateway timeout', { afterEffect: true });
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    const error = await warehouse.submit(req, 'k1').catch((e) => e);
    expect(isFulfilError(error, 'ADAPTER_FAILED')).toBe(true);
    expect(error.message).toMatch(/gateway timeout/);
    expect(await warehouse.submit(req, 'k1')).toMatchObject({ status: 'accepted' });
    expect(warehouse.orders()).toHaveLength(1);
  });

  it('failNext can target another method and throw a given error', async () => {
    const { warehouse } = setup();
    const boom = new Error('socket hang up');
    warehouse.failNext(1, boom, { method: 'pollEvents' });
    await expect(warehouse.pollEvents(0)).rejects.toBe(boom);
    expect(await warehouse.pollEvents(0)).toEqual([]);
  });

  it('failAlways makes every method throw until turned off', async () => {
    const { warehouse, request } = setup();
    warehouse.failAlways(true);
    await expectCode(
      warehouse.submit(request([{ sku: 'TEE', quantity: 1 }]), 'k1'),
      'ADAPTER_FAILED',
    );
    await expectCode(warehouse.inventory(['TEE']), 'ADAPTER_FAILED');
    await expectCode(warehouse.pollEvents(0), 'ADAPTER_FAILED');
    warehouse.failAlways(false);
    expect(await warehouse.inventory(['TEE', 'NOPE'])).toEqual({ east: { TEE: 5 } });
  });

  it('validates its options with CONFIG_INVALID and requests with INVALID_INPUT', async () => {
    const clock = createSimulatedClock(0);
    expect(() =>
      createSimulatedWarehouse({ name: '', clock, locations: [], shipAfterMs: -1 }),
    ).toThrow(/CONFIG_INVALID: .*name.*locations.*shipAfterMs/);
    const { warehouse, request } = setup();
    const bad = request([{ sku: 'TEE', quantity: 1 }]);
    bad.lines[0]!.quantity = 0;
    await expectCode(warehouse.submit(bad, 'k1'), 'INVALID_INPUT');
  });
});

describe('createSimulatedWarehouse: cancel and hold', () => {
  it('cancel returns the stock, is idempotent, and ignores unknown shipments', async () => {
    const { warehouse, stock, request } = setup();
    const req = request([{ sku: 'TEE', quantity: 2 }]);
    await warehouse.submit(req, 'k1');
    await warehouse.cancel(req.shipment.id, 'c1');
    await warehouse.cancel(req.shipment.id, 'c1');
    await warehouse.cancel(req.shipment.id, 'c2');
    await warehouse.cancel('unknown', 'c3');
    expect(stock.east?.TEE).toBe(5);
    expect(warehouse.orders()[0]?.status).toBe('cancelled');
  });

  it('cancel after shipping throws ADAPTER_FAILED (already shipped)', async () => {
    const { warehouse, clock, request } = setup();
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    await warehouse.submit(req, 'k1');
    clock.advance(2 * HOUR);
    await expectCode(warehouse.cancel(req.shipment.id, 'c1'), 'ADAPTER_FAILED');
  });

  it('holdUntil delays shipping until the hold ends', async () => {
    const { warehouse, clock, request } = setup();
    const req = request([{ sku: 'TEE', quantity: 1 }]);
    await warehouse.submit(req, 'k1');
    await warehouse.holdUntil(req.shipment.id, '2026-11-28T09:00:00Z');
    clock.advance(3 * HOUR);
    expect(await warehouse.pollEvents(0)).toEqual([]);
    clock.set('2026-11-28T09:00:00Z');
    const [event] = await warehouse.pollEvents(0);
    expect(event).toMatchObject({
      type: 'warehouse.shipped',
      occurredAt: '2026-11-28T09:00:00.000Z',
    });
    await expectCode(warehouse.holdUntil('unknown', '2026-12-01T00:00:00Z'), 'ADAPTER_FAILED');
    await expectCode(warehouse.holdUntil(req.shipment.id, 'soon'), 'INVALID_INPUT');
  });
});

describe('createSimulatedWarehouse without stock', () => {
  it('accepts any SKU at its locations, ships at once by default, and declares no inventory', async () => {
    const clock = createSimulatedClock('2026-11-27T09:00:00Z');
    const warehouse = createSimulatedWarehouse({ name: 'main', clock, locations: ['east'] });
    expect(warehouse.capabilities.inventory).toBe(false);
    const req = makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'ANY', quantity: 50 }] });
    expect(await warehouse.submit(req, 'k1')).toMatchObject({ status: 'accepted' });
    const west = makeShipmentRequest({ locationId: 'west', lines: [{ sku: 'ANY', quantity: 1 }] });
    expect(await warehouse.submit(west, 'k2')).toMatchObject({ status: 'rejected' });
    expect(await warehouse.pollEvents(0)).toMatchObject([{ type: 'warehouse.shipped' }]);
    expect(warehouse.stock).toEqual({});
  });
});
