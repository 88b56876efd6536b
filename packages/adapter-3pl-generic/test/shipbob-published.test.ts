import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FulfilError, type WarehouseWebhookRequest } from '@fulfil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneric3plWarehouse, encodeLineMap, SHIPBOB_TAGS, shipbobPreset } from '../src';
import { type FakeRequest, startFakeHttp } from './fakes/fake-http';

// biome-ignore lint/suspicious/noExplicitAny: the vendor's JSON, edited field by field
type VendorJson = any;

/** ShipBob's own examples (fixtures/shipbob/*.json name their source). */
const published = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/shipbob/${name}.json`, import.meta.url), 'utf8'))
    .example;

const SECRET = `whsec_${Buffer.from('published-example-secret').toString('base64')}`;
const SHIPMENT_ID = 'po-1001-s1';
const LINES = [{ lineId: 'line-1', sku: 'TShirtBlueM', quantity: 2 }];

/**
 * The documented order, as it would come back for an order this adapter
 * created: our reference and tags, and shipped units in the documented
 * `inventory_items[].quantity` (the example's placeholders are 0). Nothing else
 * is changed and no field is added.
 */
function ourOrder(lots: number[] = [2]) {
  const order = structuredClone(published('order-created')) as VendorJson;
  order.reference_id = SHIPMENT_ID;
  order.tags = [
    { name: SHIPBOB_TAGS.orderId, value: 'po-1001' },
    { name: SHIPBOB_TAGS.shipmentId, value: SHIPMENT_ID },
    { name: SHIPBOB_TAGS.lines, value: encodeLineMap(LINES) },
  ];
  const shipment = order.shipments[0];
  shipment.reference_id = SHIPMENT_ID;
  const item = shipment.products[0].inventory_items[0];
  shipment.products[0].inventory_items = lots.map((quantity, i) => ({ ...item, id: i, quantity }));
  return order;
}

function signed(body: unknown, topic: Record<string, string>): WarehouseWebhookRequest {
  const raw = JSON.stringify(body);
  const id = 'msg_2x1';
  const ts = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest('base64');
  return {
    method: 'POST',
    url: '/hooks/shipbob',
    headers: {
      'webhook-id': id,
      'webhook-timestamp': ts,
      'webhook-signature': `v1,${sig}`,
      ...topic,
    },
    body: raw,
  };
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

/** A server answering ShipBob's routes from `route`, and the preset pointed at it. */
async function world(route: (req: FakeRequest) => { status: number; body?: unknown }) {
  const seen: FakeRequest[] = [];
  const server = await startFakeHttp({
    fault: () => ({ status: 500 }),
    route: (req) => {
      seen.push(req);
      return route(req);
    },
  });
  const adapter = createGeneric3plWarehouse(
    shipbobPreset({
      token: 't',
      baseUrl: `${server.url}/2025-07`,
      webhookSecret: SECRET,
      locations: { '0': 'loc-cicero', '7': 'loc-reno' },
      retry: { retries: 0 },
    }),
  );
  closers.push(server.close, adapter.close);
  return { adapter, seen };
}

const expected = {
  type: 'warehouse.shipped',
  orderId: 'po-1001',
  shipmentId: SHIPMENT_ID,
  tracking: {
    carrier: 'USPS',
    number: '860C8CDC8F0B4FC7AB69AC86C20539EC',
    url: 'https://www.example.com/tracking?id=860C8CDC8F0B4FC7AB69AC86C20539EC',
  },
  occurredAt: '2019-08-24T14:15:22.000Z',
  lines: [{ lineId: 'line-1', quantity: 2 }],
};

describe("ShipBob's published 2025-07 shapes", () => {
  it('an order-shaped shipped webhook (legacy order_shipped): quantities from inventory_items', async () => {
    const { adapter } = await world(() => ({ status: 404 }));
    const out = await adapter.handleWebhook!(
      signed(ourOrder(), { 'shipbob-topic': 'order_shipped' }),
    );
    expect(out.unmatched).toBeUndefined();
    expect(out.events).toEqual([expect.objectContaining(expected)]);
  });

  it('units shipped from two lots of one product are added up', async () => {
    const { adapter } = await world(() => ({ status: 404 }));
    const out = await adapter.handleWebhook!(
      signed(ourOrder([1, 1]), { 'x-webhook-topic': 'order.shipped' }),
    );
    expect(out.events).toEqual([expect.objectContaining(expected)]);
  });

  it('a shipment-shaped order.shipped (the documented ShipmentViewModel) is read through its order', async () => {
    const order = ourOrder();
    const { adapter, seen } = await world((req) =>
      req.path === '/2025-07/order' && req.query.get('ReferenceIds') === SHIPMENT_ID
        ? { status: 200, body: [order] }
        : { status: 404 },
    );
    const shipment = structuredClone(published('shipment')) as VendorJson;
    shipment.reference_id = SHIPMENT_ID;
    const out = await adapter.handleWebhook!(
      signed(shipment, { 'x-webhook-topic': 'order.shipped' }),
    );
    expect(out.unmatched).toBeUndefined();
    expect(out.events).toEqual([expect.objectContaining(expected)]);
    expect(seen.map((r) => r.path)).toEqual(['/2025-07/order']);
  });

  it('a shipment-shaped webhook whose order lookup is refused stays unmatched; a 5xx fails the delivery', async () => {
    const shipment = structuredClone(published('shipment')) as VendorJson;
    shipment.reference_id = SHIPMENT_ID;
    const hook = signed(shipment, { 'x-webhook-topic': 'order.shipped' });
    const refused = await world(() => ({ status: 400, body: { ReferenceIds: ['invalid'] } }));
    const out = await refused.adapter.handleWebhook!(hook);
    expect(out).toMatchObject({ status: 200, events: [] });
    expect(out.unmatched?.[0]?.details).toMatchObject({ reference: SHIPMENT_ID });
    const down = await world(() => ({ status: 503 }));
    await expect(down.adapter.handleWebhook!(hook)).rejects.toMatchObject({ retryable: true });
  });

  it('polling GET /order reads the documented order list', async () => {
    const { adapter } = await world(() => ({ status: 200, body: [ourOrder()] }));
    const events = await adapter.pollEvents!(0);
    expect(events).toEqual([expect.objectContaining(expected)]);
  });

  it('inventory: the documented paged inventory-level/locations, pages followed, per location', async () => {
    const pageOf = (sku: string, at: [number, number][], next: string | null) => {
      const body = structuredClone(published('inventory-level-locations')) as VendorJson;
      const location = body.items[0].locations[0];
      body.items[0].sku = sku;
      body.items[0].locations = at.map(([location_id, fulfillable_quantity]) => ({
        ...location,
        location_id,
        fulfillable_quantity,
      }));
      body.next = next;
      return body;
    };
    const { adapter, seen } = await world((req) => {
      if (req.path !== '/2025-07/inventory-level/locations') return { status: 404 };
      const cursor = req.query.get('Cursor');
      if (cursor === null)
        return {
          status: 200,
          body: pageOf(
            'TShirtBlueM',
            [
              [0, 7],
              [7, 3],
            ],
            'string',
          ),
        };
      if (cursor === 'string')
        return {
          status: 200,
          body: pageOf('MUG', [[0, 4]], '/2025-07/inventory-level/locations?Cursor=p3'),
        };
      return { status: 200, body: pageOf('CAP', [[7, 9]], null) };
    });
    expect(await adapter.inventory!(['TShirtBlueM', 'MUG', 'CAP'])).toEqual({
      'loc-cicero': { TShirtBlueM: 7, MUG: 4 },
      'loc-reno': { TShirtBlueM: 3, CAP: 9 },
    });
    expect(seen.map((r) => r.query.get('Cursor'))).toEqual([null, 'string', 'p3']);
  });

  for (const [label, body] of [
    ['GET /inventory (items without quantities)', published('inventory')],
    [
      'the pre-2025-07 array',
      [
        {
          sku: 'MUG',
          fulfillable_quantity_by_fulfillment_center: [{ id: 0, fulfillable_quantity: 1 }],
        },
      ],
    ],
  ] as const) {
    it(`inventory: ${label} is a clear FulfilError, never {}`, async () => {
      const { adapter } = await world(() => ({ status: 200, body }));
      const err = await adapter.inventory!(['MUG']).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FulfilError);
      expect((err as FulfilError).code).toBe('ADAPTER_FAILED');
      expect((err as FulfilError).details).toMatchObject({ reason: 'unreadable_inventory' });
    });
  }

  it('inventory: a next-page link to another host is not followed', async () => {
    const body = structuredClone(published('inventory-level-locations')) as VendorJson;
    body.next = 'https://evil.example/2025-07/inventory-level/locations?Cursor=2';
    const { adapter, seen } = await world(() => ({ status: 200, body }));
    await expect(adapter.inventory!(['string'])).rejects.toThrow(/not followed/);
    expect(seen).toHaveLength(1);
  });
});
