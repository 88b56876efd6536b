import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultQueue, type FakeFault, type FaultTarget } from './fake-faults';
import {
  createFakeOrders,
  FakeError,
  type FakeOrder,
  type FakeShipment,
  fromPacificText,
  pacificStamp,
} from './fake-orders';

export type { FakeFault, FaultTarget } from './fake-faults';
export type { FakeItem, FakeOrder, FakeShipment } from './fake-orders';

/** One request the fake received. */
export interface FakeRequest {
  method: string;
  /** Path and query. */
  url: string;
  status: number;
  /** `Date.now()` when it arrived. */
  at: number;
  /** The rate-limit window it fell in (0 = the first after start). */
  window: number;
}

/** Options of {@link startFakeShipStation}. */
export interface FakeShipStationOptions {
  /** Credentials to require (Basic auth). Default `fake-key` / `fake-secret`. */
  apiKey?: string;
  apiSecret?: string;
  /** Requests per window. Default 40. */
  limit?: number;
  /** Window length. Default 60 000 ms; compress it in tests and benchmarks. */
  windowMs?: number;
  /**
   * `X-Rate-Limit-Reset` precision: whole seconds (rounded up) as ShipStation
   * sends, or milliseconds (`1.234`) for compressed windows. Default `seconds`.
   */
  resetPrecision?: 'seconds' | 'milliseconds';
  /** Known warehouse ids (`advancedOptions.warehouseId`). Default: any. */
  warehouses?: number[];
  /** Carrier code of labels. Default `usps`. */
  carrierCode?: string;
  /** The `storeID` in webhook resource URLs. Default 12345. */
  storeId?: number;
  /**
   * The origin SHIP_NOTIFY `resource_url`s name. Default: the fake's own URL. Real accounts
   * get one of ShipStation's hosts (`https://ssapi.shipstation.com`,
   * `https://ssapi6.shipstation.com`, ...): set one to test that an adapter whose `baseUrl`
   * points at this fake reads such URLs from it.
   */
  resourceOrigin?: string;
  /**
   * Answers `POST /shipments/getrates` (the documented Rate objects: `serviceName`,
   * `serviceCode`, `shipmentCost`, `otherCost`) for a request body. Default: a USPS-like table
   * from the documented request fields, cost rising with weight and with the distance between
   * the first digits of the postal codes.
   */
  rates?: (request: Record<string, unknown>) => Record<string, unknown>[];
}

/**
 * The default getrates answer. Request fields (`carrierCode`, `serviceCode`, `fromPostalCode`,
 * `toPostalCode`, `toCountry`, `weight.value` / `weight.units`) and Rate fields as in the
 * ShipStation API v1 reference (Shipments → Get Rates; the same shapes as the RateRequest and
 * Rate schemas of api-evangelist/shipstation's JSON schemas).
 */
export function defaultRates(request: Record<string, unknown>): Record<string, unknown>[] {
  const weight = request.weight as { value?: number; units?: string } | undefined;
  const ounces = weight?.units === 'pounds' ? (weight.value ?? 0) * 16 : (weight?.value ?? 0);
  const digit = (v: unknown) => Number(String(v ?? '0').charAt(0)) || 0;
  const zones = 1 + Math.abs(digit(request.fromPostalCode) - digit(request.toPostalCode));
  const ground = 4 + 0.35 * zones + 0.12 * ounces;
  const all = [
    {
      serviceName: 'USPS Ground Advantage - Package',
      serviceCode: 'usps_ground_advantage',
      shipmentCost: round2(ground),
      otherCost: 0,
    },
    {
      serviceName: 'USPS Priority Mail - Package',
      serviceCode: 'usps_priority_mail',
      shipmentCost: round2(ground * 1.6),
      otherCost: 0.5,
    },
  ];
  return request.serviceCode ? all.filter((r) => r.serviceCode === request.serviceCode) : all;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

const OPEN_TO_SHIP = new Set(['awaiting_shipment', 'on_hold']);

/**
 * Starts a fake ShipStation API v1 on 127.0.0.1 (random port), close enough for
 * the adapter's real client: Basic auth (401), a fixed window per key with
 * `X-Rate-Limit-Limit/Remaining/Reset` on every answer and 429 past the limit,
 * `POST /orders/createorder` (upsert by `orderKey`; shipped and cancelled orders
 * refuse updates), `POST /orders/holduntil`, `GET /orders/{id}`, `GET /orders`
 * (`orderNumber` starts-with), `GET /shipments` (filters, `includeShipmentItems`,
 * paging), `POST /webhooks/subscribe` with real SHIP_NOTIFY calls to subscribers,
 * fault injection and a request log.
 *
 * @example
 * ```ts
 * const fake = await startFakeShipStation({ windowMs: 2000, resetPrecision: 'milliseconds' });
 * const shipstation = createShipStationWarehouse({ baseUrl: fake.url, apiKey: fake.apiKey,
 *   apiSecret: fake.apiSecret, warehouseIds: { east: 1 }, rateLimit: { windowMs: 2000 } });
 * await shipstation.submit(request, 'key-1');
 * await fake.shipAll(); // labels for every open order, SHIP_NOTIFY to subscribers
 * ```
 */
export async function startFakeShipStation(options: FakeShipStationOptions = {}) {
  const apiKey = options.apiKey ?? 'fake-key';
  const apiSecret = options.apiSecret ?? 'fake-secret';
  const limit = options.limit ?? 40;
  const windowMs = options.windowMs ?? 60_000;
  const storeId = options.storeId ?? 12345;
  const auth = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
  const started = Date.now();
  const data = createFakeOrders({
    warehouses: options.warehouses,
    carrierCode: options.carrierCode,
    now: Date.now,
  });
  const requests: FakeRequest[] = [];
  const perWindow = new Map<number, number>();
  const faults = createFaultQueue();
  const subscribers: { id: number; target_url: string; event: string }[] = [];
  const deliveries: { target: string; status: number; body: unknown }[] = [];
  let url = '';

  const windowOf = (now: number) => Math.floor((now - started) / windowMs);
  const rateHeaders = (now: number, used: number) => {
    const left = (started + (windowOf(now) + 1) * windowMs - now) / 1000;
    return {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, limit - used)),
      'X-Rate-Limit-Reset':
        options.resetPrecision === 'milliseconds' ? left.toFixed(3) : String(Math.ceil(left)),
    };
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const now = Date.now();
    const method = req.method ?? 'GET';
    const record: FakeRequest = {
      method,
      url: req.url ?? '/',
      status: 0,
      at: now,
      window: windowOf(now),
    };
    requests.push(record);
    const sendText = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      sendText(status, JSON.stringify(body), headers);
    if (req.headers.authorization !== auth) {
      return send(401, { Message: 'Authorization has been denied for this request.' });
    }
    const win = windowOf(now);
    const used = perWindow.get(win) ?? 0;
    const fault =
      used >= limit
        ? undefined
        : faults.take(method, new URL(req.url ?? '/', 'http://fake').pathname.replace(/\/+$/, ''));
    if (used >= limit || fault === 'rate_limited') {
      return send(429, { Message: 'Too Many Requests' }, rateHeaders(now, limit));
    }
    perWindow.set(win, used + 1);
    const headers = rateHeaders(now, used + 1);
    if (fault === 'server_error') return send(500, { Message: 'An error has occurred.' }, headers);
    if (fault === 'bad_request') {
      return send(
        400,
        {
          Message: 'The request is invalid.',
          ModelState: { 'apiOrder.shipTo.country': ['The country code is invalid.'] },
        },
        headers,
      );
    }
    if (fault === 'broken_body') return sendText(200, '{"orderId":', headers);
    try {
      const body =
        chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const [status, answer] = route(method, new URL(req.url ?? '/', 'http://fake'), body);
      if (fault === 'broken_body_after_write') {
        const text = JSON.stringify(answer);
        return sendText(status, text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers);
      }
      if (fault === 'wrong_shape_after_write') return send(status, {}, headers);
      send(status, answer, headers);
    } catch (err) {
      if (err instanceof FakeError) return send(err.status, err.body, headers);
      if (err instanceof SyntaxError)
        return send(400, { Message: 'The request body is not JSON.' }, headers);
      send(500, { Message: 'An error has occurred.', ExceptionMessage: String(err) }, headers);
    }
  });

  function route(
    method: string,
    u: URL,
    body: Record<string, unknown> | undefined,
  ): [number, unknown] {
    const path = u.pathname.replace(/\/+$/, '');
    const q = u.searchParams;
    const int = (name: string, dflt: number) => {
      const v = Number(q.get(name) ?? dflt);
      return Number.isInteger(v) && v > 0 ? v : dflt;
    };
    const paged = <T>(list: T[], key: string) => {
      const pageSize = Math.min(500, int('pageSize', 100));
      const page = int('page', 1);
      return {
        [key]: list.slice((page - 1) * pageSize, page * pageSize),
        total: list.length,
        page,
        pages: Math.ceil(list.length / pageSize),
      };
    };
    if (method === 'POST' && path === '/orders/createorder') return [200, data.upsert(body ?? {})];
    if (method === 'POST' && path === '/orders/holduntil') {
      data.hold(Number(body?.orderId), String(body?.holdUntilDate ?? ''));
      return [200, { success: true, message: 'Order held successfully.' }];
    }
    const one = /^\/orders\/(\d+)$/.exec(path);
    if (method === 'GET' && one) {
      const order = data.orders.get(Number(one[1]));
      if (!order) throw new FakeError(404, { Message: `Order ${one[1]} was not found.` });
      return [200, order];
    }
    if (method === 'GET' && path === '/orders') {
      const number = q.get('orderNumber');
      const status = q.get('orderStatus');
      const modified = q.get('modifyDateStart');
      const since = modified ? fromPacificText(modified) : undefined;
      const list = [...data.orders.values()].filter(
        (o) =>
          (!number || o.orderNumber.startsWith(number)) &&
          (!status || o.orderStatus === status) &&
          (since === undefined || fromPacificText(String(o.modifyDate)) >= since),
      );
      if (q.get('sortBy') === 'ModifyDate') {
        list.sort(
          (a, b) => fromPacificText(String(a.modifyDate)) - fromPacificText(String(b.modifyDate)),
        );
      }
      return [200, paged(list, 'orders')];
    }
    if (method === 'GET' && path === '/shipments')
      return [200, paged(listShipments(q), 'shipments')];
    if (method === 'POST' && path === '/shipments/getrates') {
      for (const field of ['carrierCode', 'fromPostalCode', 'toPostalCode', 'toCountry', 'weight'])
        if (body?.[field] === undefined)
          throw new FakeError(400, { Message: `The request is invalid: ${field} is required.` });
      return [200, (options.rates ?? defaultRates)(body ?? {})];
    }
    if (method === 'POST' && path === '/webhooks/subscribe') {
      const id = subscribers.length + 7001;
      subscribers.push({ id, target_url: String(body?.target_url), event: String(body?.event) });
      return [201, { id }];
    }
    throw new FakeError(404, {
      Message: `No HTTP resource was found that matches ${method} ${path}.`,
    });
  }

  function listShipments(q: URLSearchParams): Record<string, unknown>[] {
    const since = q.get('createDateStart');
    const sinceMs = since ? fromPacificText(since) : undefined;
    const items = /^true$/i.test(q.get('includeShipmentItems') ?? '');
    const desc = /^desc$/i.test(q.get('sortDir') ?? '');
    const list = data.shipments
      .filter(
        (s) =>
          (!q.get('batchId') || String(s.batchId) === q.get('batchId')) &&
          (!q.get('orderId') || String(s.orderId) === q.get('orderId')) &&
          (!q.get('orderNumber') || s.orderNumber === q.get('orderNumber')) &&
          (sinceMs === undefined || s.createdMs >= sinceMs),
      )
      .sort((a, b) => (desc ? b.createdMs - a.createdMs : a.createdMs - b.createdMs));
    return list.map(({ createdMs: _c, batchId: _b, ...s }) => ({
      ...s,
      shipmentItems: items ? s.shipmentItems : null,
    }));
  }

  /** POSTs SHIP_NOTIFY for `batchId` to every subscriber (as ShipStation does after labels). */
  async function notify(batchId: number) {
    for (const sub of subscribers.filter((s) => s.event === 'SHIP_NOTIFY')) {
      const body = shipNotifyBody(batchId);
      try {
        const r = await fetch(sub.target_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'ShipStation-Webhook' },
          body: JSON.stringify(body),
        });
        deliveries.push({ target: sub.target_url, status: r.status, body });
      } catch {
        deliveries.push({ target: sub.target_url, status: 0, body });
      }
    }
  }

  function shipNotifyBody(batchId: number) {
    return {
      resource_url: `${options.resourceOrigin ?? url}/shipments?storeID=${storeId}&batchId=${batchId}&includeShipmentItems=False`,
      resource_type: 'SHIP_NOTIFY',
    };
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const today = () => pacificStamp(Date.now()).slice(0, 10);

  return {
    url,
    apiKey,
    apiSecret,
    limit,
    windowMs,
    /** When window 0 began (`Date.now()`); window `n` spans `startedAt + n * windowMs` onwards. */
    startedAt: started,
    /** Every request so far, oldest first. */
    requests,
    /** SHIP_NOTIFY calls made to subscribers. */
    deliveries,
    orders: () => [...data.orders.values()],
    order: (orderId: number) => data.orders.get(orderId),
    findOrders: (test: (o: FakeOrder) => boolean) => [...data.orders.values()].filter(test),
    shipments: (): FakeShipment[] => [...data.shipments],
    /** Labels for the whole of every shippable order (holds whose date came are released). One batch. */
    async shipAll(): Promise<FakeShipment[]> {
      const batch = data.nextBatch();
      const out: FakeShipment[] = [];
      for (const o of data.orders.values()) {
        if (!OPEN_TO_SHIP.has(o.orderStatus)) continue;
        if (o.orderStatus === 'on_hold') {
          if (typeof o.holdUntilDate !== 'string' || o.holdUntilDate > today()) continue;
          o.orderStatus = 'awaiting_shipment';
        }
        out.push(data.ship(o.orderId, undefined, batch));
      }
      if (out.length > 0) await notify(batch);
      return out;
    },
    /** A label for some units of an order (split as ShipStation does), or all when `items` is omitted. */
    async ship(orderId: number, items?: { lineItemKey: string; quantity: number }[]) {
      const shipment = data.ship(orderId, items);
      await notify(shipment.batchId);
      return shipment;
    },
    /** Voids a label (it stays listed with `voided: true`). */
    void(shipmentId: number) {
      const s = data.shipments.find((x) => x.shipmentId === shipmentId);
      if (s) Object.assign(s, { voided: true, voidDate: pacificStamp(Date.now()) });
    },
    /** Adds an order the way a person would in ShipStation's UI (no orderKey of ours). */
    addManualOrder(orderNumber: string, sku = 'TEE-M'): FakeOrder {
      return data.upsert({
        orderNumber,
        orderDate: new Date().toISOString(),
        orderStatus: 'awaiting_shipment',
        billTo: { name: 'Walk-in' },
        shipTo: { name: 'Walk-in', country: 'US' },
        items: [{ sku, name: sku, quantity: 1, lineItemKey: null }],
        advancedOptions: {},
      });
    },
    /** The SHIP_NOTIFY body ShipStation sends for a batch of labels. */
    shipNotifyBody,
    /**
     * The next `times` authenticated requests (or, with `only`, the next `times` requests
     * matching it) answer with `fault` (429s do not count against the window).
     * @example fake.failNext('broken_body_after_write', 1, { method: 'POST', path: '/orders/createorder' })
     */
    failNext(fault: FakeFault, times = 1, only?: FaultTarget) {
      faults.add(fault, times, only);
    },
    clearFaults() {
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fake's handle. */
export type FakeShipStation = Awaited<ReturnType<typeof startFakeShipStation>>;
