import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShipStationWarehouse } from '../src';
import { type OrderDirectory, shipmentsToEvents } from '../src/shipments';
import {
  DOCUMENTED_LABEL_WITHOUT_ORDER,
  DOCUMENTED_SHIPMENT,
  SHIP_NOTIFY_EXAMPLES,
  shipmentsPage,
} from './fixtures/shipstation-examples';
import { TOKEN, webhookRequest } from './world';

// The adapter against ShipStation's own published answers (see the fixture file for sources).

/** A loopback ShipStation serving the documented list; every order lookup is a 404. */
let server: { url: string; paths: string[]; close(): Promise<void> };
beforeAll(async () => {
  const paths: string[] = [];
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    paths.push(`${req.method} ${url.pathname}`);
    res.writeHead(url.pathname === '/shipments' ? 200 : 404, {
      'content-type': 'application/json; charset=utf-8',
    });
    res.end(
      JSON.stringify(
        url.pathname === '/shipments'
          ? shipmentsPage([DOCUMENTED_SHIPMENT, DOCUMENTED_LABEL_WITHOUT_ORDER])
          : { Message: 'Not found' },
      ),
    );
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  server = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise((r) => http.close(() => r())),
  };
});
afterAll(() => server.close());

describe('the documented GET /shipments answer', () => {
  it('is read row by row: a label without an order is reported, never a failed webhook', async () => {
    const adapter = createShipStationWarehouse({
      baseUrl: server.url,
      apiKey: 'k',
      apiSecret: 's',
      warehouseIds: { east: 1 },
      webhookToken: TOKEN,
      retry: { retries: 0 },
    });
    const body = {
      ...SHIP_NOTIFY_EXAMPLES.mainHost,
      resource_url: SHIP_NOTIFY_EXAMPLES.mainHost.resource_url.replace(
        'https://ssapi.shipstation.com',
        server.url,
      ),
    };
    const result = await adapter.handleWebhook(webhookRequest(body));
    expect(result).toMatchObject({ status: 200, events: [] });
    expect(result.unmatched).toEqual([
      {
        reason: 'order not found in ShipStation',
        details: {
          shipmentId: 33974374,
          orderId: 43945660,
          orderNumber: '100038-1',
          orderKey: '8061c220f0794a9b92460b8bae6837e4',
          trackingNumber: '9400111899561704681189',
        },
      },
      {
        reason: 'label without a ShipStation order',
        details: {
          shipmentId: 123456789,
          orderId: null,
          orderNumber: null,
          orderKey: null,
          trackingNumber: '782390443992',
        },
      },
    ]);
    expect(server.paths).toContain('GET /orders/43945660');
    await adapter.close();
  });
});

describe('documented shipments become events', () => {
  const ours: OrderDirectory = {
    async lookup(id) {
      return id === DOCUMENTED_SHIPMENT.orderId
        ? {
            ours: {
              orderId: 'ord-1',
              shipmentId: 'shp-1',
              lineOfSku: new Map([['SQ3785739', 'line-1']]),
            },
          }
        : { unmatched: 'order was not created by this adapter' };
    },
    async prefetch() {},
  };
  const ctx = { name: 'shipstation', directory: ours };
  const parse = (row: unknown) => JSON.parse(JSON.stringify(row));

  it('with items: tracking, Pacific createDate, lines by SKU when lineItemKey is null', async () => {
    const { events, unmatched } = await shipmentsToEvents([parse(DOCUMENTED_SHIPMENT)], ctx);
    expect(unmatched).toEqual([]);
    expect(events).toEqual([
      {
        type: 'warehouse.shipped',
        idempotencyKey: 'shipstation:shipment:33974374',
        // 2014-10-03T06:51:33.627 Pacific daylight time (UTC-7).
        occurredAt: '2014-10-03T13:51:33.627Z',
        orderId: 'ord-1',
        shipmentId: 'shp-1',
        tracking: { carrier: 'stamps_com', number: '9400111899561704681189' },
        lines: [{ lineId: 'line-1', quantity: 1 }],
      },
    ]);
  });

  it('shipmentItems null (includeShipmentItems=False): the whole shipment; voided: no event', async () => {
    const noItems = { ...parse(DOCUMENTED_SHIPMENT), shipmentItems: null };
    const voided = { ...parse(DOCUMENTED_SHIPMENT), shipmentId: 1, voided: true };
    const { events } = await shipmentsToEvents([noItems, voided], ctx);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('lines');
    expect(events[0]!.idempotencyKey).toBe('shipstation:shipment:33974374');
  });
});
