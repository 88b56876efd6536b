/**
 * Fuzzing of @fulfil/adapter-3pl-generic's boundaries: `parseGeneric3plConfig` with the
 * package's own presets (ShipBob, Extensiv) mutated and with any JSON, and the vendor webhook
 * through `handleWarehouseWebhook`, with bodies signed by the configured Standard Webhooks
 * secret so they get past the signature check. The webhook seed is an order shaped by the
 * ShipBob preset's own mapping paths (`tags[name=…].value`, `shipments[*].tracking…`), then
 * mutated; plus any JSON, any Unicode, any bytes. Expected: a typed `FulfilError`, or a
 * 2xx (events stored, storable) / 4xx answer; never another error.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createGeneric3plWarehouse,
  extensivPreset,
  parseGeneric3plConfig,
  SHIPBOB_TAGS,
  shipbobPreset,
  signWebhook,
} from '@fulfil/adapter-3pl-generic';
import { handleWarehouseWebhook } from '@fulfil/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FUZZ_TIMEOUT,
  fuzz,
  hostileBytes,
  hostileJson,
  hostileText,
  jsonText,
  mutated,
  storable,
  typedOnly,
  utf8,
} from './fuzz-helpers';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

import { webhookWorld } from './fuzz-world';
import { trials } from './report';

const SECRET = `whsec_${Buffer.from('fuzz-secret-0123456789').toString('base64')}`;
const SHIPBOB = shipbobPreset({ token: 'tok', channelId: 1, webhookSecret: SECRET });
const EXTENSIV = extensivPreset({
  clientId: 'id',
  clientSecret: 'secret',
  customerId: 1,
  facilityId: 2,
});

describe('fuzz: generic 3PL configuration', () => {
  it('parseGeneric3plConfig: presets mutated, any JSON → CONFIG_INVALID or a config', async () => {
    const input = fc.oneof(
      { weight: 3, arbitrary: mutated(JSON.parse(JSON.stringify(SHIPBOB))) },
      { weight: 3, arbitrary: mutated(JSON.parse(JSON.stringify(EXTENSIV))) },
      { weight: 1, arbitrary: hostileJson },
    );
    await fuzz(
      {
        area: 'adapter-3pl-generic',
        fault:
          'parseGeneric3plConfig + createGeneric3plWarehouse: presets with 1-4 fields mutated, any JSON',
        result: 'a FulfilError or a warehouse; no other error',
      },
      fc.property(input, (config) => {
        try {
          parseGeneric3plConfig(config);
          createGeneric3plWarehouse(config as never);
        } catch (err) {
          typedOnly(err);
        }
      }),
      trials(400, 10_000),
    );
  });
});

/** An order in the shape the ShipBob preset's webhook mapping reads. */
const SEED = {
  id: 1001,
  reference_id: 'o-1-s1',
  tags: [
    { name: SHIPBOB_TAGS.orderId, value: 'o-1' },
    { name: SHIPBOB_TAGS.shipmentId, value: 'o-1-s1' },
    { name: SHIPBOB_TAGS.lines, value: 'line-1=TEE-M*1' },
  ],
  shipments: [
    {
      id: 5001,
      actual_fulfillment_date: '2026-11-27T10:00:00Z',
      tracking: {
        carrier: 'USPS',
        tracking_number: '9400100000000000000000',
        tracking_url: 'https://example.com/t',
      },
      products: [{ reference_id: 'TEE-M', quantity: 1 }],
    },
  ],
};

describe('fuzz: generic 3PL webhooks', () => {
  // A webhook may make the adapter read the order back (a bare shipment names its order by
  // reference id): that read goes to a loopback vendor that knows no order (404), never to
  // the real host, and is not retried.
  const vendor = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
  });
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/2025-07`;
  });
  afterAll(() => new Promise<void>((resolve) => vendor.close(() => resolve())));

  it('signed bodies: 2xx (stored, storable) or 4xx or a typed error', async () => {
    const config = { ...SHIPBOB, baseUrl, retry: { retries: 0 } };
    const resolved = parseGeneric3plConfig(config);
    const adapter = createGeneric3plWarehouse(config);
    const { storage, engine } = webhookWorld('sb', adapter, 5);
    const body = fc.oneof(
      { weight: 5, arbitrary: mutated(SEED).map((v) => utf8(jsonText(v))) },
      { weight: 1, arbitrary: hostileJson.map((v) => utf8(jsonText(v))) },
      { weight: 1, arbitrary: hostileText.map(utf8) },
      { weight: 1, arbitrary: hostileBytes },
    );
    const topic = fc.oneof(fc.constantFrom('order.shipped', 'order_shipped'), hostileText);
    let n = 0;
    await fuzz(
      {
        area: 'adapter-3pl-generic',
        fault:
          'vendor webhook (ShipBob preset): signed bodies mutated from its mapping, any JSON, bytes',
        result: '2xx (storable) or 4xx or a typed error; no other error',
      },
      fc.asyncProperty(body, topic, async (raw, t) => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'webhook-id': `msg_${++n}`,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-webhook-topic': t.replace(/[^\x20-\x7e]/g, ''),
        };
        headers['webhook-signature'] = signWebhook(
          resolved.webhook!.signature,
          raw,
          headers,
          SECRET,
        );
        try {
          const out = await handleWarehouseWebhook(engine, adapter, {
            method: 'POST',
            url: '/hooks/shipbob',
            headers,
            body: raw,
          });
          expect(out.status, out.body).toBeLessThan(500);
        } catch (err) {
          typedOnly(err);
        }
        for (const r of await storage.listOrders({})) expect(storable(r)).toBe(true);
      }),
      trials(300, 5_000),
    );
  });
});
