import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide';
import { reservationKey } from '../../src/decide/reservations';
import type { DecisionFacts } from '../../src/model/facts';
import type { OrderRecord } from '../../src/model/record';
import { ev, HOUR, makeConfig, order, received, T0 } from './helpers';

const config = makeConfig([]);
/** The InventorySource saw 5 TEE and 3 MUG at east; 1 TEE there is reserved by another order. */
const facts: DecisionFacts = {
  inventory: { east: { TEE: 4, MUG: 3 }, west: { TEE: 0, MUG: 0 }, north: {} },
  stock: {
    available: { east: { TEE: 5, MUG: 3 }, west: { TEE: 0, MUG: 0 }, north: {} },
    basis: 41,
  },
};
const o = order({
  lines: [
    { id: 'l1', sku: 'TEE', quantity: 2, unitPrice: 2500 },
    { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 },
    { id: 'l3', sku: 'TEE', quantity: 1, unitPrice: 2500 },
  ],
});

function routed(): OrderRecord {
  const d = decide(undefined, received(o), facts, config, T0);
  if (!d.record) throw new Error('not routed');
  return d.record;
}

describe('decide: stock reservations', () => {
  it('a new shipment takes its units per SKU against the raw stock, with the watermark', () => {
    const d = decide(undefined, received(o), facts, config, T0);
    const s = d.record?.shipments[0];
    expect(s?.locationId).toBe('east');
    expect(d.reservations).toEqual({
      take: [
        {
          key: reservationKey(s!.id, 'TEE'),
          locationId: 'east',
          sku: 'TEE',
          quantity: 3,
          available: 5,
        },
        {
          key: reservationKey(s!.id, 'MUG'),
          locationId: 'east',
          sku: 'MUG',
          quantity: 1,
          available: 3,
        },
      ],
      release: [],
      basis: 41,
    });
  });

  it('no stock basis (storage without reservations) or reservations off: nothing is taken', () => {
    expect(
      decide(undefined, received(o), { inventory: facts.inventory }, config, T0).reservations,
    ).toBeUndefined();
    const off = { ...config, reservations: undefined };
    expect(decide(undefined, received(o), facts, off, T0).reservations).toBeUndefined();
  });

  it('accepted releases (default); with releaseOn shipped, shipped releases', () => {
    const record = routed();
    const s = record.shipments[0]!;
    const keys = [reservationKey(s.id, 'TEE'), reservationKey(s.id, 'MUG')];
    const accepted = decide(
      record,
      ev('warehouse.accepted', { shipmentId: s.id, warehouseOrderId: 'W1' }),
      {},
      config,
      T0 + 1000,
    );
    expect(accepted.reservations).toEqual({ take: [], release: keys });

    const late = { ...config, reservations: { releaseOn: 'shipped' as const } };
    const kept = decide(
      record,
      ev('warehouse.accepted', { shipmentId: s.id, warehouseOrderId: 'W1' }),
      {},
      late,
      T0 + 1000,
    );
    expect(kept.reservations).toBeUndefined();
    const shipped = decide(
      kept.record!,
      ev('warehouse.shipped', { shipmentId: s.id, tracking: { carrier: 'SimPost', number: '1Z' } }),
      {},
      late,
      T0 + 2 * HOUR,
    );
    expect(shipped.reservations).toEqual({ take: [], release: keys });
  });

  it('cancelling releases every pending shipment; a rejection releases and re-routes with a new take', () => {
    const record = routed();
    const s = record.shipments[0]!;
    const cancelled = decide(
      record,
      ev('order.cancelled', { reason: 'fraud' }),
      {},
      config,
      T0 + 1000,
    );
    expect(cancelled.reservations?.release).toEqual([
      reservationKey(s.id, 'TEE'),
      reservationKey(s.id, 'MUG'),
    ]);

    const stock = { east: { TEE: 5, MUG: 3 }, west: { TEE: 9, MUG: 9 }, north: {} };
    const rejected = decide(
      record,
      ev('warehouse.rejected', { shipmentId: s.id, reason: 'damaged stock' }),
      { inventory: stock, stock: { available: stock, basis: 50 } },
      config,
      T0 + 1000,
    );
    const next = rejected.record?.shipments[1];
    expect(next?.locationId).toBe('west');
    expect(rejected.reservations).toEqual({
      take: [
        {
          key: reservationKey(next!.id, 'TEE'),
          locationId: 'west',
          sku: 'TEE',
          quantity: 3,
          available: 9,
        },
        {
          key: reservationKey(next!.id, 'MUG'),
          locationId: 'west',
          sku: 'MUG',
          quantity: 1,
          available: 9,
        },
      ],
      release: [reservationKey(s.id, 'TEE'), reservationKey(s.id, 'MUG')],
      basis: 50,
    });
  });

  it('routes on the net figure: units reserved by others are not promised again', () => {
    const short = order({ lines: [{ id: 'l1', sku: 'TEE', quantity: 5, unitPrice: 2500 }] });
    const d = decide(undefined, received(short), facts, config, T0);
    // 5 seen at east but 1 reserved: 4 ship, 1 is backordered (no other location has TEE).
    expect(d.record?.shipments.map((s) => [s.locationId, s.lines[0]?.quantity])).toEqual([
      ['east', 4],
    ]);
    expect(d.record?.backordered.map((l) => l.quantity)).toEqual([1]);
    expect(d.reservations?.take.map((t) => [t.quantity, t.available])).toEqual([[4, 5]]);
  });
});
