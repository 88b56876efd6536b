/**
 * Fuzzing of the ShipStation webhook path (`handleWarehouseWebhook` with the ShipStation
 * warehouse): hostile webhook requests (URLs, tokens, methods, bodies of bytes and Unicode),
 * and hostile answers to the `GET /shipments` the webhook triggers, served by a loopback
 * server: the package's own fake's shipment page (`@fulfil/adapter-shipstation/testing`,
 * built from ShipStation's docs) with fields removed, retyped or replaced, any JSON, any
 * bytes. Expected: a 2xx (events stored, storable) or 4xx answer, or a typed `FulfilError`
 * (ShipStation unreadable: the host answers 5xx and ShipStation retries). Never another error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  handleWarehouseWebhook,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
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

import { T0, webhookWorld } from './fuzz-world';
import { trials } from './report';

const TOKEN = 'fuzz-token-0123456789';

let fake: Awaited<ReturnType<typeof startFakeShipStation>>;
let server: Server;
let serverUrl = '';
/** What the loopback ShipStation answers next to `GET /shipments`. */
let next: { status: number; body: Uint8Array } = { status: 200, body: utf8('{}') };
/** What it answers to `GET /orders/{id}` (the webhook looks a shipment's order up). */
let nextOrder: Uint8Array = utf8('{}');
/** A valid `GET /shipments` page, read from the fake after it shipped one order. */
let validPage: Record<string, unknown>;
/** The fake's answer to that order's `POST /orders/createorder` (the order as stored). */
let validOrder: unknown;

beforeAll(async () => {
  fake = await startFakeShipStation();
  const clock = createSimulatedClock(T0);
  const ss = createShipStationWarehouse({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    warehouseIds: { east: 1 },
  });
  const engine = createEngine({
    storage: createMemoryStorage(),
    clock,
    inventory: createMemoryInventory({ stock: { east: { 'TEE-M': 10 } } }),
    warehouses: { ss },
    locations: [{ id: 'east', warehouse: 'ss' }],
  });
  await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'k1',
    occurredAt: new Date(T0).toISOString(),
    order: makeOrder({ id: 'o-1' }),
  });
  await fake.shipAll();
  const auth = Buffer.from(`${fake.apiKey}:${fake.apiSecret}`).toString('base64');
  const res = await fetch(new URL('shipments?includeShipmentItems=true', fake.url), {
    headers: { authorization: `Basic ${auth}` },
  });
  validPage = (await res.json()) as Record<string, unknown>;
  expect((validPage.shipments as unknown[]).length).toBe(1);
  const orders = await fetch(new URL('orders', fake.url), {
    headers: { authorization: `Basic ${auth}` },
  });
  validOrder = ((await orders.json()) as { orders: unknown[] }).orders[0];
  server = createServer((req, res) => {
    req.resume();
    const order = req.method === 'GET' && req.url?.startsWith('/orders/');
    res.writeHead(order ? 200 : next.status, { 'content-type': 'application/json' });
    res.end(order ? nextOrder : next.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  await fake?.close();
});

function setup() {
  const ss = createShipStationWarehouse({
    baseUrl: serverUrl,
    apiKey: 'k',
    apiSecret: 's',
    warehouseIds: { east: 1 },
    webhookToken: TOKEN,
    rateLimit: { limit: 1_000_000, windowMs: 1000 },
    retry: { retries: 0 },
    timeoutMs: 5000,
  });
  const { storage, engine } = webhookWorld('ss', ss, 10);
  return { storage, ss, engine };
}

/** Calls the webhook; returns the status, or undefined when a typed error was thrown. */
async function call(w: ReturnType<typeof setup>, request: Record<string, unknown>) {
  try {
    const out = await handleWarehouseWebhook(w.engine, w.ss, request as never);
    return out.status;
  } catch (err) {
    typedOnly(err);
    return undefined;
  }
}

describe('fuzz: ShipStation webhooks', () => {
  it('hostile webhook requests: 2xx/4xx or a typed error', async () => {
    const w = setup();
    next = {
      status: 200,
      body: utf8(JSON.stringify({ shipments: [], total: 0, page: 1, pages: 0 })),
    };
    const body = fc.oneof(
      fc
        .record({
          resource_url: fc.oneof(
            hostileText,
            fc.constantFrom('', 'shipments', 'https://ssapi.shipstation.com/shipments'),
            hostileText.map((q) => `${serverUrl}shipments?${q}`),
            hostileText.map((p) => `${serverUrl}${p}`),
          ),
          resource_type: fc.oneof(
            fc.constantFrom('SHIP_NOTIFY', 'ITEM_SHIP_NOTIFY', 'ORDER_NOTIFY'),
            hostileText,
          ),
        })
        .chain((b) => fc.oneof(fc.constant(b), mutated(b)))
        .map((b) => utf8(jsonText(b))),
      hostileBytes,
      hostileText,
    );
    const url = fc.oneof(
      fc.constant(`/hooks/ss?token=${TOKEN}`),
      hostileText.map((t) => `/hooks/ss?token=${t}`),
      hostileText,
    );
    await fuzz(
      {
        area: 'adapter-shipstation',
        fault: 'webhook requests: hostile URLs, tokens, methods, bodies of bytes and Unicode',
        result: '2xx/4xx or a typed error; no other error',
      },
      fc.asyncProperty(url, fc.constantFrom('POST', 'GET', 'post'), body, async (u, method, b) => {
        const status = await call(w, { method, url: u, headers: {}, body: b });
        if (status !== undefined) expect(status).toBeLessThan(500);
      }),
      trials(300, 5_000),
    );
  });

  it('hostile answers to GET /shipments: 2xx (stored, storable), 4xx, or a typed error', async () => {
    const w = setup();
    await w.engine.ingest({
      type: 'order.received',
      idempotencyKey: 'k1',
      occurredAt: new Date(T0).toISOString(),
      order: makeOrder({ id: 'o-1' }),
    });
    // The loopback accepts the submit as the fake did, so the order waits for its shipment.
    next = { status: 200, body: utf8(JSON.stringify(validOrder)) };
    nextOrder = utf8(JSON.stringify(validOrder));
    await w.engine.dispatch();
    expect((await w.engine.get('o-1'))?.status).toBe('submitted');
    const request = {
      method: 'POST',
      url: `/hooks/ss?token=${TOKEN}`,
      headers: { 'content-type': 'application/json' },
      body: utf8(
        JSON.stringify({
          resource_url: `${serverUrl}shipments?batchId=1`,
          resource_type: 'SHIP_NOTIFY',
        }),
      ),
    };
    let shipped = 0;
    const answer = fc.oneof(
      { weight: 6, arbitrary: mutated(validPage).map((v) => utf8(jsonText(v))) },
      { weight: 1, arbitrary: hostileJson.map((v) => utf8(jsonText(v))) },
      { weight: 1, arbitrary: hostileBytes },
    );
    await fuzz(
      {
        area: 'adapter-shipstation',
        fault:
          "GET /shipments and GET /orders/{id} answers: the fake's mutated, any JSON, any bytes",
        result: '2xx (storable) or 4xx or a typed error; no other error',
      },
      fc.asyncProperty(
        answer,
        fc.constantFrom(200, 200, 200, 400, 500),
        fc.oneof({ weight: 3, arbitrary: fc.constant(validOrder) }, mutated(validOrder)),
        async (bytes, status, order) => {
          next = { status, body: bytes };
          nextOrder = utf8(jsonText(order));
          const out = await call(w, request);
          if (out !== undefined) expect(out).toBeLessThan(500);
          for (const r of await w.storage.listOrders({})) expect(storable(r)).toBe(true);
          const history = await w.storage.history('o-1');
          expect(storable(history)).toBe(true);
          shipped = history.filter((h) => h.eventType === 'warehouse.shipped').length;
        },
      ),
      trials(150, 5_000),
    );
    // The valid shape got through at least once: the properties above reached the engine.
    expect(shipped).toBeGreaterThan(0);
  });
});
