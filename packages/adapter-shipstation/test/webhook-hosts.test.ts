import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isFulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipStationOrder } from '../src/types';
import { SHIP_NOTIFY_EXAMPLES } from './fixtures/shipstation-examples';
import { connect, createWorld, vendorFetch, webhookRequest } from './world';

// ShipStation posts SHIP_NOTIFY resource_urls on the account's own API host: ssapi, ssapi6,
// ssapi11, ... (https, *.shipstation.com). Tests talk to loopback only: an adapter whose
// baseUrl points at the fake reads those URLs from the fake; an adapter on the production
// baseUrl gets a fetch that serves ShipStation's hosts from the fake and records the rest.

const basic = (key: string, secret: string) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const ship = (world: Awaited<ReturnType<typeof createWorld>>) => async () => {
  const req = makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });
  await world.adapter.submit(req, `hosts-${req.shipment.id}`);
  const [label] = await world.fake.shipAll();
  return { req, label: label! };
};
/** ShipStation's sample body on API host `n`, for `batchId`. */
const sampleOn = (host: string, batchId: number) => ({
  ...SHIP_NOTIFY_EXAMPLES.sample,
  resource_url: SHIP_NOTIFY_EXAMPLES.sample.resource_url
    .replace('ssapiX.', `${host}.`)
    .replace('batchId=12345678', `batchId=${batchId}`),
});

/** resource_urls that must never be fetched, whatever the baseUrl. */
const HOSTILE = [
  'https://ssapi.shipstation.com.evil.com/shipments?batchId=1',
  'https://evilshipstation.com/shipments?batchId=1',
  'https://ssapi.shipstation.com@evil.com/shipments?batchId=1',
  'https://ssapi.shipstation.com%2eevil.com/shipments?batchId=1',
  'https://evil.com\\@ssapi.shipstation.com/shipments?batchId=1',
  'https://evil.com/shipments?next=https://ssapi.shipstation.com/shipments',
  'https://user:pass@ssapi.shipstation.com/shipments?batchId=1',
  'https://ssapi.shipstation.com:8443/shipments?batchId=1',
  'https://ssapi6.shipstation.com:444/shipments?batchId=1',
  'http://ssapi.shipstation.com/shipments?batchId=1',
  'http://ssapi6.shipstation.com/shipments?batchId=1',
  'https://ssapi.shipstation.com./shipments?batchId=1',
  'https://shipstation.com/shipments?batchId=1',
  'https://127.0.0.1/shipments?batchId=1',
  'https://[::1]/shipments?batchId=1',
  'https://2130706433/shipments?batchId=1',
  'https://169.254.169.254/shipments?batchId=1',
  'ftp://ssapi.shipstation.com/shipments?batchId=1',
  'https://ssapi6.shipstation.com/orders/1',
  'https://ssapi6.shipstation.com/shipments/../orders?x=1',
  '//ssapi.shipstation.com/shipments?batchId=1',
];

describe('SHIP_NOTIFY from ShipStation API hosts, adapter on a fake (baseUrl override)', () => {
  let world: Awaited<ReturnType<typeof createWorld>>;
  let stranger: { url: string; hits: string[]; close(): Promise<void> };
  beforeAll(async () => {
    world = await createWorld({ resourceOrigin: 'https://ssapi6.shipstation.com' });
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"shipments":[],"total":0,"page":1,"pages":0}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stranger = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      hits,
      close: () => new Promise((r) => server.close(() => r())),
    };
  });
  afterAll(async () => {
    await world.close();
    await stranger.close();
  });

  it('reads an ssapi6 resource_url from the configured fake: 200 and the shipment event', async () => {
    const { req, label } = await ship(world)();
    const body = world.fake.shipNotifyBody(label.batchId);
    expect(body.resource_url).toMatch(/^https:\/\/ssapi6\.shipstation\.com\/shipments\?/);
    const result = await world.adapter.handleWebhook(webhookRequest(body));
    expect(result).toMatchObject({ status: 200 });
    expect(result.events).toEqual([expect.objectContaining({ shipmentId: req.shipment.id })]);
  });

  it.each(['ssapi', 'ssapi11'])('reads ShipStation’s sample body on %s too', async (host) => {
    const { req, label } = await ship(world)();
    const result = await world.adapter.handleWebhook(webhookRequest(sampleOn(host, label.batchId)));
    expect(result.status).toBe(200);
    expect(result.events).toEqual([expect.objectContaining({ shipmentId: req.shipment.id })]);
  });

  it('refuses every hostile resource_url unread, and the override reaches no other host', async () => {
    const before = world.fake.requests.length;
    for (const resource_url of [
      ...HOSTILE,
      `${stranger.url}/shipments?batchId=1`,
      `${world.fake.url.replace('127.0.0.1', 'localhost')}/shipments?batchId=1`,
    ]) {
      const result = await world.adapter.handleWebhook(
        webhookRequest({ resource_url, resource_type: 'SHIP_NOTIFY' }),
      );
      expect(result, resource_url).toMatchObject({ status: 400, events: [] });
      expect(result.reason, resource_url).toMatch(/not fetched|credentials|not an absolute URL/);
    }
    expect(world.fake.requests.length).toBe(before);
    expect(stranger.hits).toEqual([]);
  });
});

describe('SHIP_NOTIFY on the production baseUrl', () => {
  let world: Awaited<ReturnType<typeof createWorld>>;
  let vendor: ReturnType<typeof vendorFetch>;
  let adapter: ReturnType<typeof connect>;
  beforeAll(async () => {
    world = await createWorld();
    vendor = vendorFetch(world.fake);
    adapter = connect(world.fake, { baseUrl: undefined, fetch: vendor.fetch });
  });
  afterAll(async () => {
    await adapter.close();
    await world.close();
  });

  it('GETs the resource_url on its own ssapiN host, with the same Basic auth', async () => {
    const req = makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });
    await adapter.submit(req, `prod-${req.shipment.id}`);
    const [label] = await world.fake.shipAll();
    vendor.calls.length = 0;
    const result = await adapter.handleWebhook(webhookRequest(sampleOn('ssapi6', label!.batchId)));
    expect(result.status).toBe(200);
    expect(result.events).toEqual([expect.objectContaining({ shipmentId: req.shipment.id })]);
    const list = vendor.calls.find((c) => new URL(c.url).pathname === '/shipments');
    expect(list).toBeDefined();
    const url = new URL(list!.url);
    expect(url.origin).toBe('https://ssapi6.shipstation.com');
    expect(url.searchParams.get('batchId')).toBe(String(label!.batchId));
    expect(url.searchParams.get('storeID')).toBe('123456');
    expect(url.searchParams.get('includeShipmentItems')).toBe('true');
    expect(list!.authorization).toBe(basic(world.fake.apiKey, world.fake.apiSecret));
    // Everything else stays on the configured host.
    for (const c of vendor.calls.filter((x) => x !== list))
      expect(new URL(c.url).origin).toBe('https://ssapi.shipstation.com');
    expect(vendor.leaks).toEqual([]);
  });

  it('reads the captured ssapi11 delivery as published', async () => {
    // That capture filters by storeID only: a fresh fake holds just this label.
    const lone = await createWorld();
    const v = vendorFetch(lone.fake);
    const a = connect(lone.fake, { baseUrl: undefined, fetch: v.fetch });
    const req = makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });
    await a.submit(req, 'captured-ssapi11');
    await lone.fake.shipAll();
    const result = await a.handleWebhook(webhookRequest(SHIP_NOTIFY_EXAMPLES.numberedHost));
    expect(result.events).toEqual([expect.objectContaining({ shipmentId: req.shipment.id })]);
    expect(
      v.calls.some((c) => c.url.startsWith('https://ssapi11.shipstation.com/shipments?')),
    ).toBe(true);
    await a.close();
    await lone.close();
  });

  it('refuses every hostile resource_url and sends nothing anywhere', async () => {
    vendor.calls.length = 0;
    for (const resource_url of HOSTILE) {
      const result = await adapter.handleWebhook(
        webhookRequest({ resource_url, resource_type: 'SHIP_NOTIFY' }),
      );
      expect(result, resource_url).toMatchObject({ status: 400, events: [] });
    }
    expect(vendor.calls).toEqual([]);
    expect(vendor.leaks).toEqual([]);
  });

  it('the client itself refuses any host outside ShipStation’s family', async () => {
    for (const origin of [
      'https://evil.com',
      'https://ssapi.shipstation.com.evil.com',
      'http://ssapi.shipstation.com',
      'https://ssapi.shipstation.com:8443',
      'https://127.0.0.1',
    ]) {
      const err = await adapter.client
        .callOn(origin, ShipStationOrder, { path: 'orders/1' })
        .catch((e: unknown) => e);
      expect(isFulfilError(err, 'INVALID_INPUT'), origin).toBe(true);
    }
    expect(vendor.calls).toEqual([]);
  });
});
