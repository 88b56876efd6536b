import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPacific, toPacificDate, toPacificFilter } from '../src';
import { connect, createWorld, ordersOf } from './world';

let world: Awaited<ReturnType<typeof createWorld>>;
const unmatched: { reason: string; details: Record<string, unknown> }[] = [];
let adapter: ReturnType<typeof connect>;
beforeAll(async () => {
  world = await createWorld();
  adapter = connect(world.fake, {
    pageSize: 2, // forces paging
    onUnmatched: (u) => unmatched.push(u),
    trackingUrl: (n, c) => `https://track.example.com/${c}/${n}`,
  });
});
afterAll(async () => {
  await adapter.close();
  await world.close();
});

const request = (quantity = 1) =>
  makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity }] });

describe('pollEvents', () => {
  it('pages through shipments, skips voided labels, reports strangers, keeps a watermark', async () => {
    const reqs = [request(), request(), request(), request(2)];
    for (const [i, r] of reqs.entries()) await adapter.submit(r, `poll-${i}`);
    const manual = world.fake.addManualOrder('WALK-IN-1');
    const voided = await world.fake.ship(ordersOf(world.fake, reqs[0]!)[0]!.orderId);
    world.fake.void(voided.shipmentId);
    await world.fake.ship(manual.orderId);
    await world.fake.shipAll();

    const events = await adapter.pollEvents(0);
    // reqs[0]'s label was voided: no event for it
    expect(events.map((e) => e.type === 'warehouse.shipped' && e.shipmentId).sort()).toEqual(
      reqs
        .slice(1)
        .map((r) => r.shipment.id)
        .sort(),
    );
    const label = world.fake
      .shipments()
      .find((s) => ordersOf(world.fake, reqs[3]!).some((o) => o.orderId === s.orderId))!;
    expect(events.find((e) => 'shipmentId' in e && e.shipmentId === reqs[3]!.shipment.id)).toEqual({
      type: 'warehouse.shipped',
      idempotencyKey: `shipstation:shipment:${label.shipmentId}`,
      occurredAt: new Date(label.createdMs).toISOString(),
      orderId: reqs[3]!.orderId,
      shipmentId: reqs[3]!.shipment.id,
      tracking: {
        carrier: 'usps',
        number: label.trackingNumber,
        url: `https://track.example.com/usps/${label.trackingNumber}`,
      },
      lines: [{ lineId: 'line-1', quantity: 2 }],
    });
    expect(unmatched).toEqual([
      {
        reason: 'order was not created by this adapter',
        details: expect.objectContaining({ orderNumber: 'WALK-IN-1', orderId: manual.orderId }),
      },
    ]);
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // the orders behind the labels were learned from one listing, not one request each
    expect(world.fake.requests.filter((r) => /^\/orders\/\d+/.test(r.url))).toEqual([]);
    expect(world.fake.requests.some((r) => r.url.startsWith('/orders?orderStatus=shipped'))).toBe(
      true,
    );
    // paging: more shipments than one page of 2
    expect(
      world.fake.requests.some((r) => r.url.includes('/shipments') && r.url.includes('page=3')),
    ).toBe(true);
    expect(await adapter.pollEvents(times.at(-1)!)).toEqual([]);
    expect(await adapter.pollEvents(times[0]!)).toEqual(events.slice(1));
  });
});

describe('Pacific time (ShipStation v1 dates carry no offset)', () => {
  it('reads and writes wall-clock times across daylight saving', () => {
    expect(new Date(fromPacific('2026-11-27T01:00:00.1230000')).toISOString()).toBe(
      '2026-11-27T09:00:00.123Z',
    );
    expect(new Date(fromPacific('2026-07-01T10:00:00.0000000')).toISOString()).toBe(
      '2026-07-01T17:00:00.000Z',
    );
    expect(new Date(fromPacific('2026-03-08 03:30:00')).toISOString()).toBe(
      '2026-03-08T10:30:00.000Z',
    );
    expect(new Date(fromPacific('2026-11-27T09:00:00Z')).toISOString()).toBe(
      '2026-11-27T09:00:00.000Z',
    );
    expect(toPacificFilter(Date.parse('2026-07-01T17:00:09.900Z'))).toBe('2026-07-01 10:00:09');
    expect(toPacificDate(Date.parse('2026-12-01T07:59:59Z'))).toBe('2026-11-30');
    expect(Number.isNaN(fromPacific('yesterday'))).toBe(true);
  });
});
