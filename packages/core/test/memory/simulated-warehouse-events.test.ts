import { describe, expect, it } from 'vitest';
import {
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import { OrderEvent } from '../../src/model';
import { makeShipmentRequest } from '../../src/testing';

const HOUR = 3_600_000;

function setup() {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { east: { TEE: 10, MUG: 10 } };
  const warehouse = createSimulatedWarehouse({
    name: 'east',
    clock,
    locations: ['east'],
    stock,
    shipAfterMs: 2 * HOUR,
    deliverAfterMs: 48 * HOUR,
    carrier: 'UPS',
  });
  const request = () =>
    makeShipmentRequest({
      locationId: 'east',
      lines: [
        { sku: 'TEE', quantity: 3, lineId: 'l1' },
        { sku: 'MUG', quantity: 1, lineId: 'l2' },
      ],
    });
  return { clock, warehouse, stock, request };
}

describe('createSimulatedWarehouse: events', () => {
  it('ships after shipAfterMs with tracking and every line, then delivers, each once', async () => {
    const { clock, warehouse, request } = setup();
    const req = request();
    await warehouse.submit(req, 'k1');
    clock.advance(2 * HOUR - 1);
    expect(await warehouse.pollEvents(0)).toEqual([]);
    clock.advance(1);
    const [shipped] = await warehouse.pollEvents(0);
    expect(shipped).toEqual({
      type: 'warehouse.shipped',
      idempotencyKey: 'east/east-000001/shipped/1',
      occurredAt: '2026-11-27T11:00:00.000Z',
      orderId: req.orderId,
      shipmentId: req.shipment.id,
      tracking: {
        carrier: 'UPS',
        number: 'SIMEAST00000001',
        url: 'https://tracking.example.com/UPS/SIMEAST00000001',
      },
      lines: [
        { lineId: 'l1', quantity: 3 },
        { lineId: 'l2', quantity: 1 },
      ],
    });
    expect(OrderEvent.parse(shipped)).toEqual(shipped);
    const watermark = Date.parse(shipped!.occurredAt);
    expect(await warehouse.pollEvents(watermark)).toEqual([]);
    clock.advance(48 * HOUR);
    const later = await warehouse.pollEvents(watermark);
    expect(later).toEqual([
      expect.objectContaining({
        type: 'warehouse.delivered',
        occurredAt: '2026-11-29T11:00:00.000Z',
      }),
    ]);
    expect(await warehouse.pollEvents(0)).toEqual([shipped, later[0]]);
    expect(warehouse.orders()[0]?.status).toBe('delivered');
  });

  it('events that fall due together get strictly increasing times, oldest first', async () => {
    const { clock, warehouse, request } = setup();
    await warehouse.submit(request(), 'k1');
    await warehouse.submit(request(), 'k2');
    clock.advance(100 * HOUR);
    const events = await warehouse.pollEvents(0);
    expect(events.map((e) => e.type)).toEqual([
      'warehouse.shipped',
      'warehouse.shipped',
      'warehouse.delivered',
      'warehouse.delivered',
    ]);
    const times = events.map((e) => Date.parse(e.occurredAt));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    const keys = new Set(events.map((e) => e.idempotencyKey));
    expect(keys.size).toBe(4);
  });

  it('partialShip ships some units now; the rest ship on time with their own tracking', async () => {
    const { clock, warehouse, request } = setup();
    const req = request();
    await warehouse.submit(req, 'k1');
    clock.advance(HOUR);
    const partial = warehouse.partialShip(req.shipment.id, [{ lineId: 'l1', quantity: 2 }]);
    expect(partial).toMatchObject({
      lines: [{ lineId: 'l1', quantity: 2 }],
      occurredAt: '2026-11-27T10:00:00.000Z',
    });
    expect(warehouse.orders()[0]?.status).toBe('partially_shipped');
    clock.advance(HOUR);
    const events = await warehouse.pollEvents(0);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      lines: [
        { lineId: 'l1', quantity: 1 },
        { lineId: 'l2', quantity: 1 },
      ],
      idempotencyKey: 'east/east-000001/shipped/2',
    });
    expect(events[1]).not.toMatchObject({ tracking: { number: partial.tracking.number } });
  });

  it('partialShip rejects lines the shipment does not have with INVALID_INPUT', async () => {
    const { warehouse, request } = setup();
    const req = request();
    await warehouse.submit(req, 'k1');
    expect(() => warehouse.partialShip(req.shipment.id, [{ lineId: 'l1', quantity: 4 }])).toThrow(
      /INVALID_INPUT/,
    );
    expect(() => warehouse.partialShip(req.shipment.id, [{ lineId: 'nope', quantity: 1 }])).toThrow(
      /INVALID_INPUT/,
    );
    expect(() => warehouse.partialShip('unknown', [{ lineId: 'l1', quantity: 1 }])).toThrow(
      /INVALID_INPUT/,
    );
  });

  it('cancelling a partly shipped shipment returns only the unshipped units', async () => {
    const { warehouse, stock, request } = setup();
    const req = request();
    await warehouse.submit(req, 'k1');
    warehouse.partialShip(req.shipment.id, [{ lineId: 'l1', quantity: 2 }]);
    await warehouse.cancel(req.shipment.id, 'c1');
    expect(stock.east).toEqual({ TEE: 8, MUG: 10 });
  });

  it('shares its stock table with a memory inventory', async () => {
    const { warehouse, stock, request } = setup();
    const inventory = createMemoryInventory({ stock });
    await warehouse.submit(request(), 'k1');
    expect(await inventory.available(['TEE'])).toEqual({ east: { TEE: 7 } });
    inventory.set('east', 'MUG', 0);
    const result = await warehouse.submit(request(), 'k2');
    expect(result).toMatchObject({ status: 'rejected' });
    expect(await warehouse.inventory(['TEE', 'MUG'])).toEqual({ east: { TEE: 7, MUG: 0 } });
  });
});
