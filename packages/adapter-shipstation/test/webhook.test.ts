import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../src';
import { connect, createWorld, ordersOf, TOKEN, webhookRequest } from './world';

let world: Awaited<ReturnType<typeof createWorld>>;
/** A server that is not ShipStation: it must never be called. */
let stranger: {
  url: string;
  hits: { url: string; authorization?: string }[];
  close(): Promise<void>;
};
beforeAll(async () => {
  world = await createWorld();
  const hits: { url: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', authorization: req.headers.authorization });
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

const request = () =>
  makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });

async function shippedBatch() {
  const req = request();
  await world.adapter.submit(req, `wh-${req.shipment.id}`);
  const [label] = await world.fake.shipAll();
  return { req, body: world.fake.shipNotifyBody(label!.batchId) };
}

describe('webhook authentication (ShipStation signs nothing: a token in the URL)', () => {
  it.each([
    ['a wrong token', 'wrong-token-0123456789'],
    ['an empty token', ''],
    ['a token that is a prefix of the right one', TOKEN.slice(0, -1)],
    ['no token', null],
  ])('%s → 401, no event, ShipStation not called', async (_what, token) => {
    const { body } = await shippedBatch();
    const before = world.fake.requests.length;
    const result = await world.adapter.handleWebhook(webhookRequest(body, token));
    expect(result).toMatchObject({ status: 401, events: [] });
    expect(result.reason).toMatch(/token/);
    expect(world.fake.requests.length).toBe(before);
  });

  it('an adapter without a webhookToken refuses every call', async () => {
    const { body } = await shippedBatch();
    const open = connect(world.fake, { webhookToken: undefined });
    expect(await open.handleWebhook(webhookRequest(body))).toMatchObject({
      status: 401,
      events: [],
    });
    await open.close();
  });

  it('compares tokens in constant time, by content', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });
});

describe('the body is only a hint', () => {
  it('a resource_url on another host is refused and never fetched with our credentials', async () => {
    await shippedBatch();
    for (const resource_url of [
      `${stranger.url}/shipments?batchId=1`,
      `${world.fake.url.replace('127.0.0.1', 'localhost')}/shipments?batchId=1`,
      `${world.fake.url.replace('http:', 'https:')}/shipments?batchId=1`,
    ]) {
      const result = await world.adapter.handleWebhook(
        webhookRequest({ resource_url, resource_type: 'SHIP_NOTIFY' }),
      );
      expect(result).toMatchObject({ status: 400, events: [] });
      expect(result.reason).toMatch(/not fetched/);
    }
    expect(stranger.hits).toEqual([]);
  });

  it('a resource_url on ShipStation but not the shipments endpoint is refused', async () => {
    const before = world.fake.requests.length;
    const result = await world.adapter.handleWebhook(
      webhookRequest({ resource_url: `${world.fake.url}/orders/1`, resource_type: 'SHIP_NOTIFY' }),
    );
    expect(result).toMatchObject({ status: 400, events: [] });
    expect(world.fake.requests.length).toBe(before);
  });

  it('other resource types answer 200 with nothing to do; unreadable bodies 400', async () => {
    const ok = await world.adapter.handleWebhook(
      webhookRequest({
        resource_url: `${world.fake.url}/orders?importBatch=1`,
        resource_type: 'ORDER_NOTIFY',
      }),
    );
    expect(ok).toMatchObject({ status: 200, events: [] });
    const bad = await world.adapter.handleWebhook({
      ...webhookRequest({}),
      body: '{"resource_url":',
    });
    expect(bad).toMatchObject({ status: 400, events: [] });
    const missing = await world.adapter.handleWebhook(
      webhookRequest({ resource_type: 'SHIP_NOTIFY' }),
    );
    expect(missing).toMatchObject({
      status: 400,
      events: [],
      reason: expect.stringContaining('resource_url'),
    });
  });

  it('follows the hint with items included, whatever the URL said', async () => {
    const req = makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 3 }] });
    await world.adapter.submit(req, 'wh-items');
    const label = await world.fake.ship(ordersOf(world.fake, req)[0]!.orderId, [
      { lineItemKey: 'line-1', quantity: 2 },
    ]);
    const body = world.fake.shipNotifyBody(label.batchId);
    expect(body.resource_url).toContain('includeShipmentItems=False');
    const result = await world.adapter.handleWebhook(webhookRequest(body));
    expect(result.events).toEqual([
      expect.objectContaining({
        shipmentId: req.shipment.id,
        lines: [{ lineId: 'line-1', quantity: 2 }],
      }),
    ]);
  });
});

describe('shipments we cannot attribute', () => {
  it('a label for an order entered by hand is reported as unmatched, next to our events', async () => {
    const req = request();
    await world.adapter.submit(req, 'wh-mixed');
    const manual = world.fake.addManualOrder('PHONE-ORDER-7');
    const labels = await world.fake.shipAll();
    const result = await world.adapter.handleWebhook(
      webhookRequest(world.fake.shipNotifyBody(labels[0]!.batchId)),
    );
    expect(result.status).toBe(200);
    expect(result.events.map((e) => 'shipmentId' in e && e.shipmentId)).toContain(req.shipment.id);
    expect(result.unmatched).toEqual([
      {
        reason: 'order was not created by this adapter',
        details: expect.objectContaining({
          orderId: manual.orderId,
          orderNumber: 'PHONE-ORDER-7',
          shipmentId: labels.find((l) => l.orderId === manual.orderId)!.shipmentId,
          trackingNumber: expect.any(String),
        }),
      },
    ]);
  });
});
