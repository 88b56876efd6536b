import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { type FakeShipStation, startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type Engine,
} from '@fulfil/core';
import { createPostgresStorage, migrate } from '@fulfil/storage-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHost, type HttpEvent } from '../src/host';

const SECRET = 'test_secret_key';
const ORDER = ORDER_ID; // above 2^53: must survive exactly
const SCHEMA = `lambda_${randomBytes(4).toString('hex')}`;
const clock = createSimulatedClock('2026-11-27T09:00:00Z');
const stock = { main: { 'TEE-M': 10 } };
const warehouse = createSimulatedWarehouse({
  name: 'main',
  clock,
  locations: ['main'],
  stock,
  shipAfterMs: 3_600_000,
});

let close: () => Promise<void>;
let engineOnce: Promise<Engine>;
let source: { pool: pg.Pool } | { pglite: PGlite };
let builds = 0;
beforeAll(async () => {
  // The real server in CI (DATABASE_URL), embedded PGlite on a fresh machine.
  const url = process.env.DATABASE_URL;
  const pool = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
  const pglite = pool ? undefined : new PGlite();
  source = pool ? { pool } : { pglite: pglite! };
  await migrate({ ...source, schema: SCHEMA });
  close = async () => {
    for (const schema of [SCHEMA, `${SCHEMA}_ss`]) {
      const sql = `DROP SCHEMA IF EXISTS "${schema}" CASCADE`;
      await (pool ? pool.query(sql) : pglite?.query(sql));
    }
    await (pool ? pool.end() : pglite?.close());
  };
  engineOnce = Promise.resolve().then(() => {
    builds++;
    return createEngine({
      storage: createPostgresStorage({ ...source, schema: SCHEMA, autoMigrate: false }),
      inventory: createMemoryInventory({ stock }),
      warehouses: { main: warehouse },
      locations: [{ id: 'main', warehouse: 'main' }],
      clock,
      autoDispatch: false,
    });
  });
}, 60_000);
afterAll(() => close());

const OPS_TOKEN = 'ops_token_0123456789abcdef';
const ops = { authorization: `Bearer ${OPS_TOKEN}` };
const host = createLambdaHost({
  engine: () => engineOnce,
  shopifySecrets: [SECRET],
  opsToken: OPS_TOKEN,
});

// One line, TEE-M × 2 at 25.00, no shipping or tax: a $50.00 order with a 19-digit id.
const body = shopifyOrderText({
  lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }],
  shippingPrice: '0.00',
  totalTax: '0.00',
});

/** An API Gateway HTTP API (payload 2.0) event, as Lambda receives it. */
function event(method: string, path: string, raw = '', headers: Record<string, string> = {}) {
  return {
    rawPath: path,
    headers,
    body: Buffer.from(raw).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method } },
  } satisfies HttpEvent;
}

const webhook = (raw: string, hmac: string) =>
  event('POST', '/webhooks/shopify', raw, {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': hmac,
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'acme.myshopify.com',
    'x-shopify-webhook-id': `wh-${randomBytes(3).toString('hex')}`,
    'x-shopify-api-version': '2025-07',
  });

const id = `shopify:acme:${ORDER}`;

describe('Lambda host', () => {
  it('a signed Shopify webhook is decided and stored; the scheduled run submits and polls it', async () => {
    const res = await host.http(webhook(body, signShopifyWebhook(body, SECRET)));
    expect(res.statusCode).toBe(200);
    const engine = await engineOnce;
    expect((await engine.get(id))?.status).toBe('submitted');
    expect(warehouse.orders()).toHaveLength(0); // autoDispatch off: the HTTP function only decided

    const first = await host.scheduled();
    expect(first).toMatchObject({ commandsDone: 1, commandsFailed: 0 });
    expect(warehouse.orders()).toHaveLength(1);

    clock.advance(3_600_000);
    const second = await host.scheduled();
    expect(second.shipmentEventsPolled).toBe(1);
    expect((await engine.get(id))?.status).toBe('shipped');
    expect(builds).toBe(1);
  });

  it('GET /orders/{id} explains the order; an unknown order is 404', async () => {
    const res = await host.http(event('GET', `/orders/${encodeURIComponent(id)}`, '', ops));
    expect(res.statusCode).toBe(200);
    const { record, history } = JSON.parse(res.body) as {
      record: { status: string };
      history: unknown[];
    };
    expect(record.status).toBe('shipped');
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect((await host.http(event('GET', '/orders/nope', '', ops))).statusCode).toBe(404);
  });

  it('refuses a bad signature (401), unknown routes and warehouses (404)', async () => {
    const bad = await host.http(webhook(body, signShopifyWebhook(body, 'wrong')));
    expect(bad.statusCode).toBe(401);
    expect((await host.http(event('POST', '/webhooks/warehouses/nope', '{}'))).statusCode).toBe(
      404,
    );
    expect((await host.http(event('GET', '/nowhere'))).statusCode).toBe(404);
  });

  it('answers 500 without internals when the engine cannot start', async () => {
    const broken = createLambdaHost({
      engine: async () => {
        throw new Error('password authentication failed for user "postgres"');
      },
      shopifySecrets: [SECRET],
      onError: (err) => logged.push(err),
    });
    const logged: unknown[] = [];
    // Liveness does not touch the engine; readiness reports it, without the driver's words.
    expect((await broken.http(event('GET', '/healthz'))).statusCode).toBe(200);
    const ready = await broken.http(event('GET', '/readyz'));
    expect(ready.statusCode).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      ok: false,
      error: 'NOT_READY',
      message: 'not ready; see the function logs',
    });
    const res = await broken.http(event('GET', '/metrics'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('password');
    expect(String(logged[0])).toContain('password');
  });
});

describe('Lambda host with ShipStation', () => {
  const TOKEN = 'whk_0123456789abcdef';
  let fake: FakeShipStation;
  beforeAll(async () => {
    fake = await startFakeShipStation({ windowMs: 1000, resetPrecision: 'milliseconds' });
    await migrate({ ...source, schema: `${SCHEMA}_ss` });
  });
  afterAll(() => fake.close());

  it('a Shopify order becomes a ShipStation order and comes back shipped with tracking', async () => {
    const shipstation = createShipStationWarehouse({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      apiSecret: fake.apiSecret,
      warehouseIds: { reno: 401 },
      webhookToken: TOKEN,
      rateLimit: { limit: fake.limit, windowMs: fake.windowMs },
      retry: { retries: 3, minDelayMs: 5, maxDelayMs: 40 },
    });
    const store = createMemoryStore();
    const engine = createEngine({
      storage: createPostgresStorage({ ...source, schema: `${SCHEMA}_ss`, autoMigrate: false }),
      store,
      inventory: createMemoryInventory({ stock: { reno: { 'TEE-M': 100 } } }),
      warehouses: { shipstation },
      locations: [{ id: 'reno', warehouse: 'shipstation' }],
      autoDispatch: false,
    });
    const ss = createLambdaHost({
      engine: async () => engine,
      shopifySecrets: [SECRET],
      warehouses: { shipstation },
    });
    expect((await ss.http(webhook(body, signShopifyWebhook(body, SECRET)))).statusCode).toBe(200);
    await ss.scheduled();
    const upstream = fake.findOrders((o) => o.advancedOptions.customField1 === id);
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({
      orderStatus: 'awaiting_shipment',
      advancedOptions: { warehouseId: 401 },
      items: [expect.objectContaining({ sku: 'TEE-M', quantity: 2 })],
    });

    const label = await fake.ship(upstream[0]!.orderId);
    const notify = JSON.stringify(fake.shipNotifyBody(label.batchId));
    const refused = await ss.http({
      ...event('POST', '/webhooks/warehouses/shipstation', notify),
      rawQueryString: 'token=wrong-token-0000000',
    });
    expect(refused.statusCode).toBe(401);
    const hook = await ss.http({
      ...event('POST', '/webhooks/warehouses/shipstation', notify, {
        'content-type': 'application/json',
      }),
      rawQueryString: `token=${TOKEN}`,
    });
    expect(hook.statusCode).toBe(200);
    const record = await engine.get(id);
    expect(record?.status).toBe('shipped');
    expect(record?.shipments[0]?.tracking[0]?.number).toBe(label.trackingNumber);

    // The store hears about it (fulfillment with tracking) from the outbox.
    await ss.scheduled();
    expect(store.order(id)?.fulfillments).toEqual([
      expect.objectContaining({
        tracking: expect.objectContaining({ number: label.trackingNumber }),
        lines: [{ lineId: expect.any(String), quantity: 2 }],
      }),
    ]);
  });
});
