import type { AddressInfo } from 'node:net';
import type { ShipmentRequest, WarehouseWebhookRequest } from '@fulfil/core';
import express from 'express';
import {
  createShipStationWarehouse,
  type ShipStationOptions,
  type ShipStationWarehouse,
} from '../src';
import {
  type FakeShipStation,
  type FakeShipStationOptions,
  startFakeShipStation,
} from '../src/testing';

/** The webhook token tests configure. */
export const TOKEN = 'whk_0123456789abcdef';
/** The ShipStation warehouse behind location `east`. */
export const EAST_WAREHOUSE = 401;

/** A fake with a short window (ms-precision reset) and an adapter on it with short backoffs. */
export async function createWorld(
  fakeOptions: FakeShipStationOptions = {},
  adapterOptions: Partial<ShipStationOptions> = {},
) {
  const windowMs = fakeOptions.windowMs ?? 300;
  const fake = await startFakeShipStation({
    windowMs,
    resetPrecision: 'milliseconds',
    warehouses: [EAST_WAREHOUSE],
    ...fakeOptions,
  });
  const adapter = connect(fake, { rateLimit: { windowMs, limit: fake.limit }, ...adapterOptions });
  return { fake, adapter, close: () => Promise.all([adapter.close(), fake.close()]) };
}

/** An adapter on `fake` (location `east` → {@link EAST_WAREHOUSE}). */
export function connect(
  fake: FakeShipStation,
  options: Partial<ShipStationOptions> = {},
): ShipStationWarehouse {
  return createShipStationWarehouse({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    warehouseIds: { east: EAST_WAREHOUSE },
    webhookToken: TOKEN,
    rateLimit: { windowMs: fake.windowMs, limit: fake.limit },
    retry: { retries: 4, minDelayMs: 5, maxDelayMs: 40 },
    ...options,
  });
}

/** The fake's orders for a core shipment (more than one after a split). */
export function ordersOf(fake: FakeShipStation, request: ShipmentRequest) {
  return fake.findOrders((o) => o.advancedOptions.customField2 === request.shipment.id);
}

/** A webhook call as the host received it: POST with the token in the query. */
export function webhookRequest(
  body: unknown,
  /** `null`: no token in the URL. */
  token: string | null = TOKEN,
): WarehouseWebhookRequest {
  return {
    method: 'POST',
    url:
      token === null
        ? '/webhooks/shipstation'
        : `/webhooks/shipstation?token=${encodeURIComponent(token)}`,
    headers: { 'content-type': 'application/json', 'user-agent': 'ShipStation-Webhook' },
    body: JSON.stringify(body),
  };
}

/** The SHIP_NOTIFY call ShipStation would make about the latest label of `request`'s orders. */
export function shipNotifyFor(fake: FakeShipStation, request: ShipmentRequest) {
  const ids = new Set(ordersOf(fake, request).map((o) => o.orderId));
  const label = fake
    .shipments()
    .filter((s) => ids.has(s.orderId))
    .at(-1);
  if (!label) throw new Error(`no label for shipment ${request.shipment.id}`);
  return webhookRequest(fake.shipNotifyBody(label.batchId));
}

/**
 * A real Express 5 app serving `POST /webhooks/shipstation` with the adapter's
 * handler (raw body), passing events to `ingest`: the README's mounting.
 */
export async function startWebhookApp(
  shipstation: ShipStationWarehouse,
  ingest: (event: unknown) => Promise<unknown>,
) {
  const app = express();
  app.post('/webhooks/shipstation', express.raw({ type: () => true }), async (req, res) => {
    const result = await shipstation.handleWebhook({
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : '',
    });
    for (const event of result.events) await ingest(event);
    res
      .status(result.status)
      .json({ events: result.events.length, unmatched: result.unmatched ?? [] });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Subscribes `targetUrl` to SHIP_NOTIFY through the fake's API (as a merchant would). */
export async function subscribe(fake: FakeShipStation, targetUrl: string) {
  const res = await fetch(`${fake.url}/webhooks/subscribe`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${fake.apiKey}:${fake.apiSecret}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ target_url: targetUrl, event: 'SHIP_NOTIFY', friendly_name: 'fulfil' }),
  });
  if (res.status !== 201) throw new Error(`subscribe: HTTP ${res.status}`);
}

/** A request that {@link vendorFetch} saw, as the adapter addressed it. */
export interface VendorCall {
  method: string;
  url: string;
  authorization: string | undefined;
}

/**
 * A `fetch` for an adapter left on the production `baseUrl`: requests to ShipStation's own
 * hosts (`https://*.shipstation.com`) are recorded as addressed, then served by `fake` on
 * loopback; any other destination is recorded and fails, so a test sees every leak.
 */
export function vendorFetch(fake: FakeShipStation) {
  const calls: VendorCall[] = [];
  const leaks: string[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    calls.push({
      method: init?.method ?? 'GET',
      url: url.toString(),
      authorization: headers.get('authorization') ?? undefined,
    });
    if (url.protocol !== 'https:' || !url.hostname.endsWith('.shipstation.com')) {
      leaks.push(url.toString());
      throw new TypeError(`vendorFetch: ${url.origin} is not ShipStation`);
    }
    return fetch(`${fake.url}${url.pathname}${url.search}`, init);
  }) as typeof fetch;
  return { fetch: impl, calls, leaks };
}
