/**
 * A fake Acme 3PL: a real HTTP server on 127.0.0.1 that speaks Acme's protocol
 * closely enough for the adapter's real client (auth, dedupe by reference,
 * 422 refusals, 429 with Retry-After, shipments, signed webhooks).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WarehouseFault } from '@fulfil/core/testing';

interface AcmeOrder {
  id: string;
  reference: string;
  warehouse: string;
  external_order_id: string;
  external_shipment_id: string;
  items: { line_ref: string; sku: string; qty: number }[];
  status: 'open' | 'cancelled' | 'shipped';
}

interface AcmeShipment {
  id: string;
  shipped_at: string;
  carrier: string;
  tracking_number: string;
  items: { line_ref: string; qty: number }[];
  order: { reference: string; external_order_id?: string; external_shipment_id?: string };
}

export interface FakeAcme {
  url: string;
  orders: AcmeOrder[];
  shipments: AcmeShipment[];
  requests: number;
  /** The next `times` requests fail with `fault`. */
  failNext(fault: WarehouseFault, times: number): void;
  /** Ships these units of the order for `shipmentId` (all of it without `lines`). */
  ship(shipmentId: string, lines?: { lineId: string; quantity: number }[]): AcmeShipment;
  /** A signed `shipment.created` webhook body and headers, as Acme would send it. */
  webhook(shipment: AcmeShipment, secret?: string): { body: string; signature: string };
  close(): Promise<void>;
}

const API_KEY = 'acme-test-key';
export const ACME_WEBHOOK_SECRET = 'acme-webhook-secret';
export { API_KEY as ACME_API_KEY };

export async function startFakeAcme(stock: Record<string, Record<string, number>>) {
  const orders: AcmeOrder[] = [];
  const shipments: AcmeShipment[] = [];
  const faults: WarehouseFault[] = [];
  let clock = Date.parse('2026-11-27T09:00:00Z');
  const state = { requests: 0 };

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
  };

  const server = createServer(async (req, res) => {
    state.requests++;
    const fault = faults.shift();
    if (fault === 'rate_limited')
      return send(res, 429, { error: { code: 'rate_limited' } }, { 'retry-after': '0.05' });
    if (fault === 'server_error') return send(res, 503, { error: { code: 'unavailable' } });
    if (fault === 'bad_request')
      return send(res, 422, {
        error: { code: 'invalid_address', message: 'ship_to is not deliverable' },
      });
    if (req.headers['x-api-key'] !== API_KEY)
      return send(res, 401, { error: { code: 'unauthorized' } });
    const url = new URL(req.url ?? '/', 'http://acme');
    const cancel = url.pathname.match(/^\/v1\/orders\/by-shipment\/([^/]+)\/cancel$/);

    if (req.method === 'POST' && url.pathname === '/v1/orders') {
      const body = (await readJson(req)) as Omit<AcmeOrder, 'id' | 'status'>;
      const existing = orders.find((o) => o.reference === body.reference);
      if (existing) return send(res, 200, existing);
      const unknown = body.items.find((i) => stock[body.warehouse]?.[i.sku] === undefined);
      if (unknown)
        return send(res, 422, {
          error: { code: 'unknown_sku', message: `no such SKU: ${unknown.sku}` },
        });
      const order: AcmeOrder = { ...body, id: `AC-${orders.length + 1}`, status: 'open' };
      orders.push(order);
      return send(res, 201, order);
    }
    if (req.method === 'POST' && cancel) {
      const order = orders.find((o) => o.external_shipment_id === decodeURIComponent(cancel[1]!));
      if (!order) return send(res, 404, { error: { code: 'not_found' } });
      if (order.status === 'shipped') return send(res, 409, { error: { code: 'already_shipped' } });
      order.status = 'cancelled';
      return send(res, 200, order);
    }
    if (req.method === 'GET' && url.pathname === '/v1/inventory') {
      const skus = (url.searchParams.get('sku') ?? '').split(',');
      const levels = Object.entries(stock).flatMap(([warehouse, perSku]) =>
        skus.filter((s) => s in perSku).map((sku) => ({ warehouse, sku, available: perSku[sku] })),
      );
      return send(res, 200, { levels });
    }
    if (req.method === 'GET' && url.pathname === '/v1/shipments') {
      const after = Number(url.searchParams.get('after') ?? 0);
      return send(res, 200, {
        shipments: shipments.filter((s) => Date.parse(s.shipped_at) > after),
      });
    }
    send(res, 404, { error: { code: 'not_found' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeAcme = {
    url: `http://127.0.0.1:${port}`,
    orders,
    shipments,
    get requests() {
      return state.requests;
    },
    failNext: (fault, times) => {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    ship(shipmentId, lines) {
      const order = orders.find(
        (o) => o.external_shipment_id === shipmentId && o.status === 'open',
      );
      if (!order) throw new Error(`fake acme: no open order for shipment ${shipmentId}`);
      clock += 60_000;
      const items = lines
        ? lines.map((l) => ({ line_ref: l.lineId, qty: l.quantity }))
        : order.items.map((i) => ({ line_ref: i.line_ref, qty: i.qty }));
      const shipment: AcmeShipment = {
        id: `SH-${shipments.length + 1}`,
        shipped_at: new Date(clock).toISOString(),
        carrier: 'UPS',
        tracking_number: `1Z${String(shipments.length + 1).padStart(8, '0')}`,
        items,
        order: {
          reference: order.reference,
          external_order_id: order.external_order_id,
          external_shipment_id: order.external_shipment_id,
        },
      };
      shipments.push(shipment);
      const shipped = shipments
        .filter((s) => s.order.reference === order.reference)
        .flatMap((s) => s.items)
        .reduce((n, i) => n + i.qty, 0);
      if (shipped >= order.items.reduce((n, i) => n + i.qty, 0)) order.status = 'shipped';
      return shipment;
    },
    webhook(shipment, secret = ACME_WEBHOOK_SECRET) {
      const body = JSON.stringify({ type: 'shipment.created', shipment });
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      return { body, signature };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
