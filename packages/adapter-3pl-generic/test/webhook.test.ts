import type { AddressInfo } from 'node:net';
import type { OrderEvent, WarehouseWebhookResult } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneric3plWarehouse, shipbobPreset } from '../src';
import { startFakeShipbob } from './fakes/fake-shipbob';
import { type ExtensivWorld, extensivWorld, type ShipbobWorld, shipbobWorld } from './setups';

let worlds: (ShipbobWorld | ExtensivWorld)[] = [];
afterEach(async () => {
  for (const w of worlds) await w.setup.cleanup?.();
  worlds = [];
});
async function shipbob() {
  const w = await shipbobWorld();
  worlds.push(w);
  return w;
}

const request = (orderId: string, lines = [{ sku: 'TEE-M', quantity: 2 }]) =>
  makeShipmentRequest({ orderId, locationId: 'loc-cicero', lines });

describe('shipment webhooks (ShipBob preset)', () => {
  it('turns order.shipped into a shipped event with tracking', async () => {
    const { adapter, fake } = await shipbob();
    const req = request('wh-1');
    await adapter.submit(req, 'k1');
    fake.shipAll();
    const out = await adapter.handleWebhook!(fake.webhookFor(req.shipment.id));
    expect(out.status).toBe(200);
    expect(out.unmatched).toBeUndefined();
    expect(out.events).toEqual([
      expect.objectContaining({
        type: 'warehouse.shipped',
        orderId: 'wh-1',
        shipmentId: req.shipment.id,
        tracking: expect.objectContaining({
          carrier: 'USPS',
          number: expect.stringMatching(/^9400/),
        }),
        lines: [{ lineId: 'line-1', quantity: 2 }],
      }),
    ]);
  });

  it('a bad signature, a missing one or a replayed timestamp → 401 and no event', async () => {
    const { adapter, fake, setup } = await shipbob();
    const req = request('wh-2');
    await adapter.submit(req, 'k2');
    fake.shipAll();
    const valid = fake.webhookFor(req.shipment.id);
    const results: WarehouseWebhookResult[] = [
      await adapter.handleWebhook!(setup.forge!(valid)),
      await adapter.handleWebhook!({ ...valid, body: `${valid.body as string} ` }),
      await adapter.handleWebhook!({
        ...valid,
        headers: { ...valid.headers, 'webhook-signature': undefined },
      }),
      await adapter.handleWebhook!({
        ...valid,
        headers: {
          ...valid.headers,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600),
        },
      }),
      await adapter.handleWebhook!(
        fake.webhookFor(req.shipment.id, 'whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ=='),
      ),
    ];
    for (const r of results) {
      expect(r.status).toBe(401);
      expect(r.events).toEqual([]);
      expect(r.reason).toMatch(/\S/);
    }
    expect(results[2]!.reason).toMatch(/missing webhook-signature/);
    expect(results[3]!.reason).toMatch(/timestamp/);
  });

  it('secret rotation: old and new secrets both verify while both are configured', async () => {
    const oldSecret = 'whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZA==';
    const newSecret = 'whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldw==';
    const fake = await startFakeShipbob({ windowMs: 1000, webhookSecret: oldSecret });
    const make = (secrets: string[]) =>
      createGeneric3plWarehouse(
        shipbobPreset({ token: fake.token, baseUrl: fake.baseUrl, webhookSecret: secrets }),
      );
    const during = make([newSecret, oldSecret]);
    const after = make([newSecret]);
    try {
      const req = request('wh-rot');
      await during.submit(req, 'k-rot');
      fake.shipAll();
      const byOld = fake.webhookFor(req.shipment.id, oldSecret);
      const byNew = fake.webhookFor(req.shipment.id, newSecret);
      expect((await during.handleWebhook!(byOld)).events).toHaveLength(1);
      expect((await during.handleWebhook!(byNew)).events).toHaveLength(1);
      expect((await after.handleWebhook!(byNew)).status).toBe(200);
      expect(await after.handleWebhook!(byOld)).toMatchObject({ status: 401, events: [] });
    } finally {
      await during.close();
      await after.close();
      await fake.close();
    }
  });

  it('a shipment of an order we did not create is reported unmatched with details, not thrown', async () => {
    const { adapter, fake } = await shipbob();
    const out = await adapter.handleWebhook!(fake.foreignShipment());
    expect(out.status).toBe(200);
    expect(out.events).toEqual([]);
    expect(out.unmatched).toHaveLength(1);
    expect(out.unmatched![0]!.reason).toMatch(/no order or shipment id of ours/);
    expect(out.unmatched![0]!.details).toMatchObject({
      warehouseOrderId: expect.stringMatching(/^\d+$/),
      reference: expect.stringMatching(/^manual-/),
      trackingNumber: expect.stringMatching(/^9400/),
    });
  });

  it('a shipped SKU that was not in the shipment is unmatched; other topics and bad JSON are handled', async () => {
    const { adapter, fake } = await shipbob();
    const req = request('wh-3');
    await adapter.submit(req, 'k3');
    fake.shipPart(req.shipment.id, [{ sku: 'MUG', quantity: 1 }]);
    const odd = await adapter.handleWebhook!(fake.webhookFor(req.shipment.id));
    expect(odd.events).toEqual([]);
    expect(odd.unmatched?.[0]?.reason).toMatch(/SKU "MUG" is not in the shipment/);

    const valid = fake.webhookFor(req.shipment.id);
    const other = {
      ...valid,
      headers: { ...valid.headers, 'x-webhook-topic': 'order.shipment.delivered' },
    };
    expect(await adapter.handleWebhook!(other)).toMatchObject({ status: 200, events: [] });
    const body = 'not json';
    const signedBad = fake.signedRaw(body);
    expect(await adapter.handleWebhook!(signedBad)).toMatchObject({ status: 400, events: [] });
  });

  it('works behind a real Express route fed the raw body', async () => {
    const { adapter, fake } = await shipbob();
    const received: OrderEvent[] = [];
    const app = express();
    app.post('/webhooks/shipbob', express.raw({ type: () => true }), async (req, res) => {
      const out = await adapter.handleWebhook!({
        method: req.method,
        url: req.originalUrl,
        headers: req.headers,
        body: req.body as Buffer,
      });
      received.push(...out.events);
      res.status(out.status).json({ reason: out.reason, unmatched: out.unmatched?.length ?? 0 });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shipbob`;
      const req = request('wh-4');
      await adapter.submit(req, 'k4');
      fake.shipAll();
      expect((await fake.deliver(url, req.shipment.id)).status).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ orderId: 'wh-4', shipmentId: req.shipment.id });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('shipment webhooks (Extensiv preset)', () => {
  it('verifies the sha256= hex signature and reads packages as shipments', async () => {
    const w = await extensivWorld();
    worlds.push(w);
    const req = makeShipmentRequest({
      orderId: 'ex-1',
      locationId: 'loc-reno',
      lines: [
        { sku: 'TEE-M', quantity: 3 },
        { sku: 'MUG', quantity: 1 },
      ],
    });
    await w.adapter.submit(req, 'ex-k1');
    w.fake.shipPart(req.shipment.id, [{ sku: 'TEE-M', quantity: 2 }]);
    const out = await w.adapter.handleWebhook!(w.fake.webhookFor(req.shipment.id));
    expect(out.events).toHaveLength(1);
    expect(out.events[0]).toMatchObject({
      orderId: 'ex-1',
      tracking: { carrier: 'UPS' },
      lines: [{ lineId: 'line-1', quantity: 2 }],
    });
    const forged = await w.adapter.handleWebhook!(
      w.setup.forge!(w.fake.webhookFor(req.shipment.id)),
    );
    expect(forged).toMatchObject({ status: 401, events: [] });
  });
});
