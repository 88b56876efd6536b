import {
  createEngine,
  createMemoryAlerts,
  createMemoryStorage,
  handleWarehouseWebhook,
} from '@fulfil/core';

import { makeOrder } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcmeWarehouse } from '../src/acme-warehouse';
import { ACME_API_KEY, ACME_WEBHOOK_SECRET, type FakeAcme, startFakeAcme } from './fake-acme';

describe('Acme through the engine', () => {
  let acme: FakeAcme;
  beforeAll(async () => {
    acme = await startFakeAcme({ RNO1: { 'TEE-M': 100 } });
  });
  afterAll(() => acme.close());

  function setup() {
    const adapter = createAcmeWarehouse({
      baseUrl: acme.url,
      apiKey: ACME_API_KEY,
      webhookSecrets: [ACME_WEBHOOK_SECRET],
      warehouses: { 'loc-reno': 'RNO1' },
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
    });
    const alerts = createMemoryAlerts();
    const engine = createEngine({
      storage: createMemoryStorage(),
      warehouses: { acme: adapter },
      locations: [{ id: 'loc-reno', warehouse: 'acme' }],
      alerts,
    });
    return { adapter, engine, alerts };
  }

  it('submits a routed order, then a partial and a final shipment webhook settle it', async () => {
    const { adapter, engine } = setup();
    const order = makeOrder({
      id: 'o-acme-1',
      lines: [{ id: 'l1', sku: 'TEE-M', quantity: 3, unitPrice: 1500, requiresShipping: true }],
    });
    const received = await engine.ingest({
      type: 'order.received',
      idempotencyKey: 'recv-o-acme-1',
      occurredAt: new Date().toISOString(),
      order,
    });
    expect(received.status).toBe('submitted');
    const upstream = acme.orders.find((o) => o.external_order_id === 'o-acme-1');
    expect(upstream?.items).toEqual([{ line_ref: 'l1', sku: 'TEE-M', qty: 3 }]);

    const first = acme.ship(upstream!.external_shipment_id, [{ lineId: 'l1', quantity: 1 }]);
    const hook = (s: typeof first) => {
      const { body, signature } = acme.webhook(s);
      return {
        method: 'POST',
        url: '/hooks/acme',
        headers: { 'x-acme-signature': signature },
        body,
      };
    };
    const out1 = await handleWarehouseWebhook(engine, adapter, hook(first));
    expect(out1.status).toBe(200);
    expect((await engine.get('o-acme-1'))?.status).toBe('partially_shipped');

    const rest = acme.ship(upstream!.external_shipment_id, [{ lineId: 'l1', quantity: 2 }]);
    await handleWarehouseWebhook(engine, adapter, hook(rest));
    const record = await engine.get('o-acme-1');
    expect(record?.status).toBe('shipped');
    expect(record?.shipments[0]?.tracking.map((t) => t.number)).toEqual([
      first.tracking_number,
      rest.tracking_number,
    ]);
  });

  it('alerts on a shipment for an order @fulfil never created, and answers 200', async () => {
    const { adapter, engine, alerts } = setup();
    const { body, signature } = acme.webhook({
      id: 'SH-manual',
      shipped_at: '2026-11-27T10:00:00Z',
      carrier: 'UPS',
      tracking_number: '1ZMANUAL',
      items: [{ line_ref: 'x', qty: 1 }],
      order: { reference: 'typed-in-by-hand' },
    });
    const out = await handleWarehouseWebhook(
      engine,
      adapter,
      { method: 'POST', url: '/hooks/acme', headers: { 'x-acme-signature': signature }, body },
      { alerts },
    );
    expect(out.status).toBe(200);
    expect(out.unmatched).toEqual([
      {
        reason: 'shipment for an order not created by @fulfil',
        details: { acmeShipmentId: 'SH-manual', reference: 'typed-in-by-hand' },
      },
    ]);
    expect(alerts.alerts()).toHaveLength(1);
  });

  it('rejects bad options with the path of the bad field', () => {
    expect(() =>
      createAcmeWarehouse({
        baseUrl: 'not a url',
        apiKey: 'k',
        webhookSecrets: ['short'],
        warehouses: {},
      }),
    ).toThrow(/acme\.baseUrl.*acme\.webhookSecrets\[0\]|acme\.webhookSecrets\[0\].*acme\.baseUrl/s);
  });
});
