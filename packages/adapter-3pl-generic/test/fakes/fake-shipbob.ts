import { createHmac, randomBytes } from 'node:crypto';
import type { WarehouseWebhookRequest } from '@fulfil/core';
import { type FakeReply, type FakeRequest, type Fault, h, startFakeHttp } from './fake-http';
import {
  canceledView,
  orderView,
  page,
  type SbOrder,
  type SbShipment,
  shipmentView,
} from './fake-shipbob-shapes';

/** Options of {@link startFakeShipbob}. */
export interface FakeShipbobOptions {
  token?: string;
  /** Requests per window (sliding). Default 150. */
  limit?: number;
  /** Default 60 000 ms; tests and the bench compress it. */
  windowMs?: number;
  /** Units per fulfillment center id per SKU. */
  stock?: Record<string, Record<string, number>>;
  /** The Standard Webhooks secret (`whsec_` + base64). Default: a random one. */
  webhookSecret?: string;
  /** `x-retry-after` of an injected `rate_limited` fault, seconds. Default 0.05. */
  faultRetryAfterSeconds?: number;
  /** Ship 2+ units of a product from two lots (two `inventory_items`), as lot-tracked stock ships. */
  splitLots?: boolean;
}

const API = '/2025-07';

/**
 * A fake ShipBob 2025-07 API on 127.0.0.1, answering the documented shapes
 * (fake-shipbob-shapes.ts): bearer auth, a 150/min sliding window answering 429
 * with `x-retry-after` (seconds), `POST /order` with a unique `reference_id`
 * (a duplicate is a 422 "already exists"), `GET /order` (filters
 * `ReferenceIds`, `HasTracking`, `LastUpdateStartDate`, `Limit`),
 * `POST /order/{id}:cancel`, `GET /shipment/{id}`, paged `GET /inventory` and
 * `GET /inventory-level/locations`, and signed webhooks (Standard Webhooks).
 */
export async function startFakeShipbob(options: FakeShipbobOptions = {}) {
  const token = options.token ?? 'sb_pat_test';
  const secret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64')}`;
  const stock = options.stock ?? { '1': { 'TEE-M': 100, MUG: 50 } };
  const centers = Object.keys(stock);
  const orders: SbOrder[] = [];
  let seq = 100_000_000;
  let msg = 0;
  const nowIso = () => new Date().toISOString();
  const fcName = (id: number) => `FC ${id}`;
  const known = (sku: string) => centers.some((c) => stock[c]![sku] !== undefined);
  const skus = () => [...new Set(centers.flatMap((c) => Object.keys(stock[c]!)))].sort();

  function create(req: FakeRequest): FakeReply {
    const b = (req.json ?? {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    const recipient = (b.recipient ?? {}) as Record<string, unknown>;
    const address = (recipient.address ?? {}) as Record<string, unknown>;
    if (typeof b.reference_id !== 'string' || b.reference_id === '')
      errors.ReferenceId = ['The ReferenceId field is required.'];
    if (!recipient.name) errors['Recipient.Name'] = ['The Name field is required.'];
    for (const f of ['address1', 'city', 'country'])
      if (!address[f]) errors[`Recipient.Address.${f}`] = [`The ${f} field is required.`];
    const products = Array.isArray(b.products) ? (b.products as Record<string, unknown>[]) : [];
    if (products.length === 0) errors.Products = ['At least one product is required.'];
    products.forEach((p, i) => {
      if (!known(String(p.reference_id)))
        errors[`Products[${i}].ReferenceId`] = [
          `No product found with reference id '${String(p.reference_id)}'.`,
        ];
      if (!Number.isInteger(p.quantity) || Number(p.quantity) <= 0)
        errors[`Products[${i}].Quantity`] = ['Quantity must be a positive integer.'];
    });
    // Documented 400 body: `{ [field]: string[] }`; 422: `{ errors: string[] }`.
    if (Object.keys(errors).length > 0) return { status: 400, body: errors };
    if (orders.some((o) => o.reference_id === b.reference_id))
      return {
        status: 422,
        body: { errors: [`Order with reference id '${String(b.reference_id)}' already exists.`] },
      };
    const id = ++seq;
    const order: SbOrder = {
      channel: { id: Number(h(req, 'shipbob_channel_id') ?? 0), name: 'API' },
      created_date: nowIso(),
      ...(typeof b.gift_message === 'string' ? { gift_message: b.gift_message } : {}),
      id,
      ...(typeof b.order_number === 'string' ? { order_number: b.order_number } : {}),
      products: products.map((p, i) => ({
        id: id * 10 + i,
        quantity: Number(p.quantity),
        reference_id: String(p.reference_id),
        sku: String(p.reference_id),
        ...(typeof p.unit_price === 'number' ? { unit_price: p.unit_price } : {}),
      })),
      recipient,
      reference_id: String(b.reference_id),
      shipments: [],
      shipping_method: String(b.shipping_method ?? 'Standard'),
      status: 'Processing',
      tags: Array.isArray(b.tags) ? (b.tags as SbOrder['tags']) : [],
      type: String(b.type ?? 'DTC'),
      _location: Number(b.location_id ?? centers[0]),
      _updated: Date.now(),
    };
    const fc = stock[String(order._location)] ?? stock[centers[0]!]!;
    for (const p of order.products) fc[p.reference_id] = (fc[p.reference_id] ?? 0) - p.quantity;
    orders.push(order);
    return { status: 201, body: orderView(order) };
  }

  function cancel(id: number): FakeReply {
    const order = orders.find((o) => o.id === id);
    if (!order) return { status: 404 };
    if (order.shipments.length > 0)
      return {
        status: 422,
        body: { Order: [`Order ${id} cannot be cancelled: it has already shipped.`] },
      };
    if (order.status !== 'Cancelled') {
      order.status = 'Cancelled';
      order._updated = Date.now();
      const fc = stock[String(order._location)] ?? stock[centers[0]!]!;
      for (const p of order.products) fc[p.reference_id] = (fc[p.reference_id] ?? 0) + p.quantity;
    }
    return { status: 200, body: canceledView(order, []) };
  }

  function list(q: URLSearchParams): FakeReply {
    let out = orders;
    const refs = q.get('ReferenceIds');
    if (refs) out = out.filter((o) => refs.split(',').includes(o.reference_id));
    if (q.get('HasTracking') === 'true') out = out.filter((o) => o.shipments.length > 0);
    const since = q.get('LastUpdateStartDate');
    if (since) out = out.filter((o) => o._updated >= Date.parse(since));
    return { status: 200, body: out.slice(0, Number(q.get('Limit') ?? 50)).map(orderView) };
  }

  /** `Inventory.InventoryQuantityFcResponse` per SKU, one location per fulfillment center. */
  const levels = () =>
    skus().map((sku, i) => ({
      inventory_id: 5000 + i,
      locations: centers.map((c) => ({
        awaiting_quantity: 0,
        committed_quantity: 0,
        fulfillable_quantity: Math.max(0, stock[c]![sku] ?? 0),
        internal_transfer_quantity: 0,
        location_id: Number(c),
        name: fcName(Number(c)),
        on_hand_quantity: Math.max(0, stock[c]![sku] ?? 0),
      })),
      name: sku,
      sku,
    }));

  const http = await startFakeHttp({
    limit: {
      kind: 'sliding',
      limit: options.limit ?? 150,
      windowMs: options.windowMs ?? 60_000,
      retryHeader: 'x-retry-after',
      remainingHeader: 'x-remaining-calls',
      body: (s) => ({ message: `Rate limit is exceeded. Try again in ${s} seconds.` }),
    },
    authorize: (req) =>
      h(req, 'authorization') === `Bearer ${token}` ? undefined : { status: 401 },
    fault: (fault: Fault) =>
      fault === 'rate_limited'
        ? {
            status: 429,
            headers: { 'x-retry-after': String(options.faultRetryAfterSeconds ?? 0.05) },
            body: { message: 'Rate limit is exceeded. Try again in 1 seconds.' },
          }
        : fault === 'server_error'
          ? { status: 500 }
          : {
              status: 400,
              body: { 'Recipient.Address.Address1': ['The Address1 field is required.'] },
            },
    route(req) {
      const p = req.path.startsWith(API) ? req.path.slice(API.length) : req.path;
      if (req.method === 'POST' && p === '/order') return create(req);
      if (req.method === 'GET' && p === '/order') return list(req.query);
      let m = /^\/order\/(\d+)$/.exec(p);
      if (req.method === 'GET' && m) {
        const o = orders.find((x) => x.id === Number(m![1]));
        return o ? { status: 200, body: orderView(o) } : { status: 404 };
      }
      m = /^\/order\/(\d+):cancel$/.exec(p);
      if (req.method === 'POST' && m) return cancel(Number(m[1]));
      m = /^\/shipment\/(\d+)$/.exec(p);
      if (req.method === 'GET' && m) {
        const s = orders.flatMap((o) => o.shipments).find((x) => x.id === Number(m![1]));
        return s ? { status: 200, body: structuredClone(s) } : { status: 404 };
      }
      if (req.method === 'GET' && p === '/inventory-level/locations')
        return { status: 200, body: page(levels(), `${API}${p}`, req.query) };
      if (req.method === 'GET' && p === '/inventory') {
        const items = levels().map(({ inventory_id, name, sku }) => ({ inventory_id, name, sku }));
        return { status: 200, body: page(items, `${API}${p}`, req.query) };
      }
      return { status: 404 };
    },
  });

  /** The order created for a core shipment (found by its tag). */
  const orderFor = (shipmentId: string) =>
    orders.find((o) =>
      o.tags.some((t) => t.name === 'fulfil_shipment_id' && t.value === shipmentId),
    );

  function ship(order: SbOrder, items: { sku: string; quantity: number }[]): SbShipment {
    const shipment = shipmentView(order, items, {
      id: order.id * 10 + order.shipments.length + 1,
      location: { id: order._location, name: fcName(order._location) },
      splitLots: options.splitLots ?? false,
    });
    order.shipments.push(shipment);
    const shipped = (sku: string) =>
      order.shipments
        .flatMap((s) => s.products)
        .filter((p) => p.reference_id === sku)
        .flatMap((p) => p.inventory_items)
        .reduce((s, x) => s + x.quantity, 0);
    const done = order.products.every((p) => shipped(p.reference_id) >= p.quantity);
    order.status = done ? 'Fulfilled' : 'PartiallyFulfilled';
    order._updated = Date.now();
    return shipment;
  }

  const unshipped = (o: SbOrder) =>
    o.products
      .map((p) => ({
        sku: p.reference_id,
        quantity:
          p.quantity -
          o.shipments
            .flatMap((s) => s.products)
            .filter((x) => x.reference_id === p.reference_id)
            .flatMap((x) => x.inventory_items)
            .reduce((s, x) => s + x.quantity, 0),
      }))
      .filter((x) => x.quantity > 0);

  /** Signs a body as ShipBob does (Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body`). */
  function signed(
    body: string,
    topic: Record<string, string>,
    key = secret,
  ): WarehouseWebhookRequest {
    const id = `msg_${++msg}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const raw = Buffer.from(key.replace(/^whsec_/, ''), 'base64');
    const sig = createHmac('sha256', raw).update(`${id}.${ts}.${body}`).digest('base64');
    return {
      method: 'POST',
      url: '/webhooks/shipbob',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': `v1,${sig}`,
        ...topic,
      },
      body,
    };
  }
  const CURRENT = { 'x-webhook-topic': 'order.shipped' };
  const LEGACY = { 'shipbob-topic': 'order_shipped' };
  const must = (shipmentId: string) => {
    const o = orderFor(shipmentId);
    if (!o) throw new Error(`fake shipbob: no order for shipment ${shipmentId}`);
    return o;
  };

  return {
    ...http,
    token,
    webhookSecret: secret,
    baseUrl: `${http.url}${API}`,
    orders,
    stock,
    orderFor,
    /** Ships everything not shipped yet of every open order (one shipment each). */
    shipAll() {
      for (const o of orders) {
        if (o.status === 'Cancelled') continue;
        const left = unshipped(o);
        if (left.length > 0) ship(o, left);
      }
    },
    /** Ships these units of the order made for `shipmentId`. */
    shipPart: (shipmentId: string, items: { sku: string; quantity: number }[]) =>
      ship(must(shipmentId), items),
    /** Ships an order entered by hand in ShipBob (no tags of ours) and returns its webhook. */
    foreignShipment(): WarehouseWebhookRequest {
      const id = ++seq;
      const o: SbOrder = {
        channel: { id: 0, name: 'ShipBob' },
        created_date: nowIso(),
        id,
        products: [{ id: id * 10, quantity: 1, reference_id: 'TEE-M', sku: 'TEE-M' }],
        recipient: { name: 'Walk-in' },
        reference_id: `manual-${id}`,
        shipments: [],
        shipping_method: 'Standard',
        status: 'Processing',
        tags: [],
        type: 'DTC',
        _location: Number(centers[0]),
        _updated: Date.now(),
      };
      orders.push(o);
      return signed(JSON.stringify(ship(o, unshipped(o))), CURRENT);
    },
    /**
     * The `order.shipped` webhook for the latest shipment of the order of
     * `shipmentId`: the shipment (`Orders.ShipmentViewModel`, which does not
     * carry the order's tags), `x-webhook-topic: order.shipped`.
     */
    webhookFor: (shipmentId: string, key = secret) =>
      signed(JSON.stringify(must(shipmentId).shipments.at(-1)), CURRENT, key),
    /** A legacy (v1/v2 subscription) `order_shipped` webhook: the whole order, `shipbob-topic`. */
    legacyWebhookFor: (shipmentId: string, key = secret) =>
      signed(JSON.stringify(orderView(must(shipmentId))), LEGACY, key),
    /** Sends the webhook for `shipmentId` to `url` (a real POST). */
    async deliver(url: string, shipmentId: string) {
      const w = this.webhookFor(shipmentId);
      const res = await fetch(url, {
        method: 'POST',
        headers: w.headers as Record<string, string>,
        body: w.body as string,
      });
      return { status: res.status, text: await res.text() };
    },
    /** Any body, signed as ShipBob signs webhooks (`order.shipped`). */
    signedRaw: (body: string, key?: string) => signed(body, CURRENT, key),
    /** Accepted `POST /order` calls (2xx). */
    submissions: () =>
      http.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/order') && c.status < 300),
  };
}

export type FakeShipbob = Awaited<ReturnType<typeof startFakeShipbob>>;
