import { createHmac, randomBytes } from 'node:crypto';
import type { WarehouseWebhookRequest } from '@fulfil/core';
import { type FakeReply, type FakeRequest, type Fault, h, startFakeHttp } from './fake-http';

const REL = 'http://api.3plCentral.com/rels/orders/order';

/** Options of {@link startFakeExtensiv}. */
export interface FakeExtensivOptions {
  clientId?: string;
  clientSecret?: string;
  customerId?: number;
  /** Token lifetime the token endpoint announces (and enforces). Default 3600 s. */
  tokenLifetimeSeconds?: number;
  /** Requests per fixed window. Default 100 per 60 s. */
  limit?: number;
  windowMs?: number;
  /** Units per facility id per SKU. */
  stock?: Record<string, Record<string, number>>;
  webhookSecret?: string;
  /** `Retry-After` of an injected `rate_limited` fault, seconds. Default 0.05. */
  faultRetryAfterSeconds?: number;
}

/**
 * A package as Extensiv documents it on an order (`detail=Packages`/`All`):
 * its contents name the order item (`orderItemId`) and `qty`, not a SKU (see the
 * order and package schemas/samples of singer-io/tap-3plcentral,
 * tap_3plcentral/schemas/orders.json and samples/order_packages.json). The
 * carrier is the order's `routingInfo.carrier`.
 */
interface ExPackage {
  packageId: number;
  trackingNumber: string;
  createDate: string;
  packageContents: {
    packageContentId: number;
    packageId: number;
    orderItemId: number;
    qty: number;
  }[];
}

interface ExOrder {
  readOnly: {
    orderId: number;
    status: number;
    isClosed: boolean;
    creationDate: string;
    processDate: string | null;
    lastModifiedDate: string;
  };
  customerIdentifier: { id: number };
  facilityIdentifier: { id: number };
  referenceNum: string;
  poNum?: string;
  notes?: string;
  shipTo: Record<string, unknown>;
  routingInfo: { carrier?: string; mode?: string };
  orderItems: { readOnly: { orderItemId: number }; itemIdentifier: { sku: string }; qty: number }[];
  savedElements: { name: string; value: string }[];
  packages: ExPackage[];
}

/**
 * A fake Extensiv 3PL Warehouse Manager API on 127.0.0.1: an OAuth2 token
 * endpoint (Basic client credentials, JSON body) issuing bearer tokens that
 * really expire (and can be expired at will), a fixed-window limit answering
 * 429 with `Retry-After`, `POST /orders` deduplicated by `referenceNum`,
 * `{ErrorCode, Hint}` validation errors, RQL lookups, the canceler, stock
 * summaries per facility, packages with tracking, and HMAC-signed
 * `OrderShipped` webhooks.
 */
export async function startFakeExtensiv(options: FakeExtensivOptions = {}) {
  const clientId = options.clientId ?? 'ext-client';
  const clientSecret = options.clientSecret ?? 'ext-secret';
  const customerId = options.customerId ?? 12;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const secret = options.webhookSecret ?? randomBytes(16).toString('hex');
  const stock = options.stock ?? { '3': { 'TEE-M': 100, MUG: 50 } };
  const tokens = new Map<string, number>(); // token → expires at (ms)
  const orders: ExOrder[] = [];
  let seq = 5000;
  let tokenRequests = 0;
  let refuseAllTokens = false;
  const nowIso = () => new Date().toISOString();
  const invalid = (hint: string, status = 400): FakeReply => ({
    status,
    body: { ErrorCode: 'Validation', Hint: hint, Properties: [] },
  });

  function token(req: FakeRequest): FakeReply {
    tokenRequests++;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const body = (req.json ?? {}) as Record<string, unknown>;
    if (h(req, 'authorization') !== basic)
      return { status: 401, body: { error: 'invalid_client' } };
    if (body.grant_type !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    const t = randomBytes(18).toString('base64url');
    tokens.set(t, Date.now() + lifetime * 1000);
    return {
      status: 200,
      body: {
        access_token: t,
        token_type: 'Bearer',
        expires_in: lifetime,
        refresh_token: null,
        scope: null,
      },
    };
  }

  function create(req: FakeRequest): FakeReply {
    const b = (req.json ?? {}) as Record<string, unknown>;
    const cust = (b.customerIdentifier as { id?: unknown } | undefined)?.id;
    const fac = String((b.facilityIdentifier as { id?: unknown } | undefined)?.id);
    if (cust !== customerId) return invalid(`Customer ${String(cust)} does not exist.`);
    if (!stock[fac]) return invalid(`Facility ${fac} does not exist for customer ${customerId}.`);
    if (typeof b.referenceNum !== 'string' || b.referenceNum === '')
      return invalid('ReferenceNum is required.');
    if (b.referenceNum.length > 50) return invalid('ReferenceNum may not exceed 50 characters.');
    const shipTo = (b.shipTo ?? {}) as Record<string, unknown>;
    for (const f of ['name', 'address1', 'city', 'country'])
      if (!shipTo[f]) return invalid(`ShipTo.${f} is required.`);
    const items = Array.isArray(b.orderItems) ? (b.orderItems as Record<string, unknown>[]) : [];
    if (items.length === 0) return invalid('An order needs at least one order item.');
    for (const it of items) {
      const sku = String((it.itemIdentifier as { sku?: unknown } | undefined)?.sku);
      if (stock[fac]![sku] === undefined)
        return invalid(`Item sku '${sku}' does not exist for customer ${customerId}.`);
      if (!Number.isInteger(it.qty) || Number(it.qty) <= 0) return invalid('Qty must be > 0.');
    }
    const existing = orders.find((o) => o.referenceNum === b.referenceNum);
    if (existing) return { status: 200, body: existing };
    const order: ExOrder = {
      readOnly: {
        orderId: ++seq,
        status: 0,
        isClosed: false,
        creationDate: nowIso(),
        processDate: null,
        lastModifiedDate: nowIso(),
      },
      customerIdentifier: { id: customerId },
      facilityIdentifier: { id: Number(fac) },
      referenceNum: b.referenceNum,
      poNum: b.poNum as string | undefined,
      notes: b.notes as string | undefined,
      shipTo,
      routingInfo: (b.routingInfo ?? {}) as ExOrder['routingInfo'],
      orderItems: items.map((it, i) => ({
        readOnly: { orderItemId: seq * 100 + i },
        itemIdentifier: { sku: String((it.itemIdentifier as { sku: string }).sku) },
        qty: Number(it.qty),
      })),
      savedElements: Array.isArray(b.savedElements)
        ? (b.savedElements as ExOrder['savedElements'])
        : [],
      packages: [],
    };
    for (const it of order.orderItems) stock[fac]![it.itemIdentifier.sku]! -= it.qty;
    orders.push(order);
    return { status: 201, body: order };
  }

  function cancel(id: number): FakeReply {
    const o = orders.find((x) => x.readOnly.orderId === id);
    if (!o) return { status: 404, body: { ErrorCode: 'NotFound', Hint: `Order ${id} not found.` } };
    if (o.packages.length > 0)
      return {
        status: 409,
        body: {
          ErrorCode: 'InvalidState',
          Hint: `Order ${id} has shipped and cannot be canceled.`,
        },
      };
    if (o.readOnly.status !== 2) {
      o.readOnly.status = 2;
      o.readOnly.isClosed = true;
      for (const it of o.orderItems)
        stock[String(o.facilityIdentifier.id)]![it.itemIdentifier.sku]! += it.qty;
    }
    return { status: 200, body: o };
  }

  function find(rql: string | null): FakeReply {
    let out = orders;
    const ref = /^referenceNum==(.*)$/.exec(rql ?? '');
    const processed = /^readOnly\.processDate=gt=(.*)$/.exec(rql ?? '');
    if (ref) out = out.filter((o) => o.referenceNum === ref[1]);
    else if (processed) {
      const since = Date.parse(processed[1]!);
      out = out.filter((o) => o.readOnly.processDate && Date.parse(o.readOnly.processDate) > since);
    }
    return { status: 200, body: { totalResults: out.length, _embedded: { [REL]: out } } };
  }

  function summaries(rql: string | null): FakeReply {
    const m = /^itemIdentifier\.sku=in=\((.*)\)$/.exec(rql ?? '');
    const wanted = m ? m[1]!.split(',') : undefined;
    const rows = Object.entries(stock).flatMap(([fac, skus]) =>
      Object.entries(skus)
        .filter(([sku]) => !wanted || wanted.includes(sku))
        .map(([sku, units]) => ({
          facilityId: Number(fac),
          itemIdentifier: { id: sku.length, sku },
          totalReceived: units,
          allocated: 0,
          available: Math.max(0, units),
          onHand: Math.max(0, units),
        })),
    );
    return { status: 200, body: { totalResults: rows.length, summaries: rows } };
  }

  const http = await startFakeHttp({
    limit: {
      kind: 'fixed',
      limit: options.limit ?? 100,
      windowMs: options.windowMs ?? 60_000,
      retryHeader: 'retry-after',
      body: (s) => ({ ErrorCode: 'TooManyRequests', Hint: `Retry in ${s} seconds.` }),
    },
    exempt: (req) => req.path === '/AuthServer/api/Token',
    authorize(req) {
      if (req.path === '/AuthServer/api/Token') return undefined;
      const auth = h(req, 'authorization') ?? '';
      const t = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      const exp = tokens.get(t);
      if (refuseAllTokens || exp === undefined || exp <= Date.now())
        return {
          status: 401,
          body: { ErrorCode: 'Unauthorized', Hint: 'The access token is invalid or expired.' },
        };
      return undefined;
    },
    fault: (fault: Fault) =>
      fault === 'rate_limited'
        ? {
            status: 429,
            headers: { 'retry-after': String(options.faultRetryAfterSeconds ?? 0.05) },
            body: { ErrorCode: 'TooManyRequests', Hint: 'Retry later.' },
          }
        : fault === 'server_error'
          ? { status: 503, body: { ErrorCode: 'ServiceUnavailable', Hint: 'Try again.' } }
          : invalid('ShipTo.Address1 is required.'),
    route(req) {
      if (req.path === '/AuthServer/api/Token' && req.method === 'POST') return token(req);
      if (req.method === 'POST' && req.path === '/orders') return create(req);
      if (req.method === 'GET' && req.path === '/orders') return find(req.query.get('rql'));
      const m = /^\/orders\/(\d+)\/canceler$/.exec(req.path);
      if (req.method === 'POST' && m) return cancel(Number(m[1]));
      if (req.method === 'GET' && req.path === '/inventory/stocksummaries')
        return summaries(req.query.get('rql'));
      return { status: 404, body: { ErrorCode: 'NotFound', Hint: `No route ${req.path}` } };
    },
  });

  const orderFor = (shipmentId: string) =>
    orders.find((o) =>
      o.savedElements.some((e) => e.name === 'fulfilShipmentId' && e.value === shipmentId),
    );

  function ship(o: ExOrder, items: { sku: string; quantity: number }[]): ExPackage {
    const pkg: ExPackage = {
      packageId: o.readOnly.orderId * 10 + o.packages.length + 1,
      trackingNumber: `1Z999AA1${String(o.readOnly.orderId).padStart(6, '0')}${o.packages.length + 1}`,
      createDate: nowIso(),
      packageContents: [],
    };
    pkg.packageContents = items.map((i, n) => ({
      packageContentId: pkg.packageId * 10 + n,
      packageId: pkg.packageId,
      // A SKU the order does not have ships as an order item id of no line (a pick exception).
      orderItemId:
        o.orderItems.find((x) => x.itemIdentifier.sku === i.sku)?.readOnly.orderItemId ?? -1,
      qty: i.quantity,
    }));
    o.packages.push(pkg);
    o.readOnly.processDate = pkg.createDate;
    o.readOnly.lastModifiedDate = pkg.createDate;
    return pkg;
  }
  const unshipped = (o: ExOrder) =>
    o.orderItems
      .map((it) => ({
        sku: it.itemIdentifier.sku,
        quantity:
          it.qty -
          o.packages
            .flatMap((p) => p.packageContents)
            .filter((c) => c.orderItemId === it.readOnly.orderItemId)
            .reduce((s, c) => s + c.qty, 0),
      }))
      .filter((x) => x.quantity > 0);

  function signed(order: ExOrder, key = secret): WarehouseWebhookRequest {
    const body = JSON.stringify({ eventType: 'OrderShipped', occurredAt: nowIso(), order });
    const sig = createHmac('sha256', key).update(body).digest('hex');
    return {
      method: 'POST',
      url: '/webhooks/extensiv',
      headers: { 'content-type': 'application/json', 'x-extensiv-signature': `sha256=${sig}` },
      body,
    };
  }

  return {
    ...http,
    clientId,
    clientSecret,
    customerId,
    webhookSecret: secret,
    tokenUrl: `${http.url}/AuthServer/api/Token`,
    orders,
    stock,
    orderFor,
    get tokenRequests() {
      return tokenRequests;
    },
    /** Expires every token issued so far (the next API call answers 401). */
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    /** While on, every API call answers 401, fresh tokens included. */
    refuseTokens(on: boolean) {
      refuseAllTokens = on;
    },
    shipAll() {
      for (const o of orders) {
        if (o.readOnly.status === 2) continue;
        const left = unshipped(o);
        if (left.length > 0) ship(o, left);
      }
    },
    shipPart(shipmentId: string, items: { sku: string; quantity: number }[]) {
      const o = orderFor(shipmentId);
      if (!o) throw new Error(`fake extensiv: no order for shipment ${shipmentId}`);
      return ship(o, items);
    },
    webhookFor(shipmentId: string, key = secret): WarehouseWebhookRequest {
      const o = orderFor(shipmentId);
      if (!o) throw new Error(`fake extensiv: no order for shipment ${shipmentId}`);
      return signed(o, key);
    },
    /** API requests (the token endpoint excluded). */
    apiCalls: () => http.calls.filter((c) => c.path !== '/AuthServer/api/Token'),
  };
}

export type FakeExtensiv = Awaited<ReturnType<typeof startFakeExtensiv>>;
