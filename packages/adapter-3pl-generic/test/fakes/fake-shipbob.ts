import { createHmac, randomBytes } from 'node:crypto';
import type { WarehouseWebhookRequest } from '@fulfil/core';
import { type FakeReply, type FakeRequest, type Fault, h, startFakeHttp } from './fake-http';

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
}

interface SbShipment {
  id: number;
  order_id: number;
  reference_id: string;
  status: string;
  location: { id: number; name: string };
  tracking: { carrier: string; tracking_number: string; tracking_url: string };
  products: { reference_id: string; quantity: number }[];
  actual_fulfillment_date: string;
}

interface SbOrder {
  id: number;
  created_date: string;
  last_updated_date: string;
  reference_id: string;
  order_number?: string;
  status: string;
  type: string;
  shipping_method: string;
  location_id: number;
  recipient: Record<string, unknown>;
  products: { id: number; reference_id: string; name?: string; quantity: number }[];
  tags: { name: string; value: string }[];
  shipments: SbShipment[];
}

const API = '/2025-07';

/**
 * A fake ShipBob API on 127.0.0.1: bearer auth, a 150/min sliding window (the
 * window can be compressed) answering 429 with `x-retry-after` (seconds) and
 * `x-remaining-calls`, `POST /order` with a unique `reference_id` (a duplicate
 * is a 422 "already exists"), validation errors as ASP.NET problem details,
 * order lookup, cancel, inventory per fulfillment center, shipping (whole or
 * part) with tracking, and `order.shipped` webhooks signed with Standard Webhooks.
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
  const problem = (status: number, errors: Record<string, string[]>): FakeReply => ({
    status,
    body: {
      type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
      title: 'One or more validation errors occurred.',
      status,
      errors,
    },
  });
  const known = (sku: string) => centers.some((c) => stock[c]![sku] !== undefined);

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
    if (address.country && !/^[A-Z]{2}$/.test(String(address.country)))
      errors['Recipient.Address.Country'] = ['Country must be an ISO alpha-2 code.'];
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
    if (Object.keys(errors).length > 0) return problem(400, errors);
    if (orders.some((o) => o.reference_id === b.reference_id))
      return problem(422, {
        ReferenceId: [`Order with reference id '${String(b.reference_id)}' already exists.`],
      });
    const location = Number(b.location_id ?? centers[0]);
    const order: SbOrder = {
      id: ++seq,
      created_date: nowIso(),
      last_updated_date: nowIso(),
      reference_id: String(b.reference_id),
      order_number: b.order_number as string | undefined,
      status: 'Processing',
      type: String(b.type ?? 'DTC'),
      shipping_method: String(b.shipping_method ?? 'Standard'),
      location_id: location,
      recipient,
      products: products.map((p, i) => ({
        id: seq * 10 + i,
        reference_id: String(p.reference_id),
        name: p.name as string | undefined,
        quantity: Number(p.quantity),
      })),
      tags: Array.isArray(b.tags) ? (b.tags as SbOrder['tags']) : [],
      shipments: [],
    };
    const fc = stock[String(location)] ?? stock[centers[0]!]!;
    for (const p of order.products) fc[p.reference_id] = (fc[p.reference_id] ?? 0) - p.quantity;
    orders.push(order);
    return { status: 201, body: order };
  }

  function cancel(id: number): FakeReply {
    const order = orders.find((o) => o.id === id);
    if (!order) return { status: 404, body: { message: `Order ${id} not found.` } };
    if (order.shipments.length > 0)
      return {
        status: 422,
        body: { message: `Order ${id} cannot be cancelled: it has already shipped.` },
      };
    if (order.status !== 'Cancelled') {
      order.status = 'Cancelled';
      order.last_updated_date = nowIso();
      const fc = stock[String(order.location_id)] ?? stock[centers[0]!]!;
      for (const p of order.products) fc[p.reference_id] = (fc[p.reference_id] ?? 0) + p.quantity;
    }
    return { status: 200, body: { order_id: id, status: 'Success' } };
  }

  function list(q: URLSearchParams): FakeReply {
    let out = orders;
    const refs = q.get('ReferenceIds');
    if (refs) out = out.filter((o) => refs.split(',').includes(o.reference_id));
    if (q.get('HasTracking') === 'true') out = out.filter((o) => o.shipments.length > 0);
    const since = q.get('LastUpdateStartDate');
    if (since) out = out.filter((o) => Date.parse(o.last_updated_date) >= Date.parse(since));
    return { status: 200, body: out.slice(0, Number(q.get('Limit') ?? 50)) };
  }

  function inventory(q: URLSearchParams): FakeReply {
    const skus = new Set(centers.flatMap((c) => Object.keys(stock[c]!)));
    const wanted = q.get('sku')?.split(',').filter(Boolean);
    const items = [...skus]
      .filter((s) => !wanted || wanted.includes(s))
      .map((sku, i) => {
        const per = centers.map((c) => ({
          id: Number(c),
          name: `FC ${c}`,
          fulfillable_quantity: Math.max(0, stock[c]![sku] ?? 0),
          onhand_quantity: Math.max(0, stock[c]![sku] ?? 0),
          committed_quantity: 0,
        }));
        return {
          id: 5000 + i,
          name: sku,
          sku,
          is_active: true,
          total_fulfillable_quantity: per.reduce((s, p) => s + p.fulfillable_quantity, 0),
          fulfillable_quantity_by_fulfillment_center: per,
        };
      });
    return { status: 200, body: items };
  }

  const http = await startFakeHttp({
    limit: {
      kind: 'sliding',
      limit: options.limit ?? 150,
      windowMs: options.windowMs ?? 60_000,
      retryHeader: 'x-retry-after',
      remainingHeader: 'x-remaining-calls',
      body: (s) => ({
        statusCode: 429,
        message: `Rate limit is exceeded. Try again in ${s} seconds.`,
      }),
    },
    authorize: (req) =>
      h(req, 'authorization') === `Bearer ${token}`
        ? undefined
        : { status: 401, body: { message: 'Authorization has been denied for this request.' } },
    fault: (fault: Fault) =>
      fault === 'rate_limited'
        ? {
            status: 429,
            headers: { 'x-retry-after': String(options.faultRetryAfterSeconds ?? 0.05) },
            body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' },
          }
        : fault === 'server_error'
          ? { status: 500, body: { message: 'An error has occurred.' } }
          : problem(400, { 'Recipient.Address.Address1': ['The Address1 field is required.'] }),
    route(req) {
      const p = req.path.startsWith(API) ? req.path.slice(API.length) : req.path;
      if (req.method === 'POST' && p === '/order') return create(req);
      if (req.method === 'GET' && p === '/order') return list(req.query);
      let m = /^\/order\/(\d+)$/.exec(p);
      if (req.method === 'GET' && m) {
        const o = orders.find((x) => x.id === Number(m![1]));
        return o ? { status: 200, body: o } : { status: 404, body: { message: 'Not found' } };
      }
      m = /^\/order\/(\d+)\/cancel$/.exec(p);
      if (req.method === 'POST' && m) return cancel(Number(m[1]));
      if (req.method === 'GET' && p === '/inventory') return inventory(req.query);
      return { status: 404, body: { message: `No route ${req.method} ${req.path}` } };
    },
  });

  /** The order created for a core shipment (found by its tag). */
  const orderFor = (shipmentId: string) =>
    orders.find((o) =>
      o.tags.some((t) => t.name === 'fulfil_shipment_id' && t.value === shipmentId),
    );

  function ship(order: SbOrder, items: { sku: string; quantity: number }[]): SbShipment {
    const id = order.id * 10 + order.shipments.length + 1;
    const number = `9400${String(id).padStart(18, '0')}`;
    const shipment: SbShipment = {
      id,
      order_id: order.id,
      reference_id: order.reference_id,
      status: 'Completed',
      location: { id: order.location_id, name: `FC ${order.location_id}` },
      tracking: {
        carrier: 'USPS',
        tracking_number: number,
        tracking_url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}`,
      },
      products: items.map((i) => ({ reference_id: i.sku, quantity: i.quantity })),
      actual_fulfillment_date: nowIso(),
    };
    order.shipments.push(shipment);
    const shipped = (sku: string) =>
      order.shipments.flatMap((s) => s.products).filter((p) => p.reference_id === sku);
    const done = order.products.every(
      (p) => shipped(p.reference_id).reduce((s, x) => s + x.quantity, 0) >= p.quantity,
    );
    order.status = done ? 'Completed' : 'PartiallyFulfilled';
    order.last_updated_date = nowIso();
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
            .reduce((s, x) => s + x.quantity, 0),
      }))
      .filter((x) => x.quantity > 0);

  /** Signs a body as ShipBob does (Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body`). */
  function signed(body: string, key = secret): WarehouseWebhookRequest {
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
        'x-webhook-topic': 'order.shipped',
      },
      body,
    };
  }

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
    shipPart(shipmentId: string, items: { sku: string; quantity: number }[]) {
      const o = orderFor(shipmentId);
      if (!o) throw new Error(`fake shipbob: no order for shipment ${shipmentId}`);
      return ship(o, items);
    },
    /** Ships an order entered by hand in ShipBob (no tags of ours) and returns its webhook. */
    foreignShipment(): WarehouseWebhookRequest {
      const o: SbOrder = {
        id: ++seq,
        created_date: nowIso(),
        last_updated_date: nowIso(),
        reference_id: `manual-${seq}`,
        status: 'Processing',
        type: 'DTC',
        shipping_method: 'Standard',
        location_id: Number(centers[0]),
        recipient: { name: 'Walk-in' },
        products: [{ id: seq * 10, reference_id: 'TEE-M', quantity: 1 }],
        tags: [],
        shipments: [],
      };
      orders.push(o);
      ship(o, unshipped(o));
      return signed(JSON.stringify(o));
    },
    /** The `order.shipped` webhook ShipBob would send now for the order of `shipmentId`. */
    webhookFor(shipmentId: string, key = secret): WarehouseWebhookRequest {
      const o = orderFor(shipmentId);
      if (!o) throw new Error(`fake shipbob: no order for shipment ${shipmentId}`);
      return signed(JSON.stringify(o), key);
    },
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
    /** Any body, signed as ShipBob signs webhooks. */
    signedRaw: (body: string, key?: string) => signed(body, key),
    /** Accepted `POST /order` calls (2xx). */
    submissions: () =>
      http.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/order') && c.status < 300),
  };
}

export type FakeShipbob = Awaited<ReturnType<typeof startFakeShipbob>>;
