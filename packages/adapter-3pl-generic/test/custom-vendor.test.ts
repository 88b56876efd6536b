import { createHmac } from 'node:crypto';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneric3plWarehouse, type Generic3plConfig } from '../src';
import { type FakeRequest, h, startFakeHttp } from './fakes/fake-http';

/** The "Acme 3PL" configuration the README walks through (baseUrl and limits filled in per test). */
function acmeConfig(baseUrl: string, extra: Partial<Generic3plConfig> = {}): Generic3plConfig {
  return {
    name: 'acme',
    baseUrl,
    auth: { type: 'basic', username: 'acme-user', password: 'acme-pass' },
    idempotency: { reference: { from: 'shipmentId' }, header: 'Idempotency-Key' },
    rejection: {
      statuses: [400, 422],
      reasonPaths: ['error.reason'],
      body: { path: 'ok', equals: false },
    },
    operations: {
      submit: {
        method: 'POST',
        path: '/v1/shipments',
        body: [
          { to: 'ref', from: 'reference' },
          { to: 'order_ref', from: 'orderId' },
          { to: 'address.country', from: 'shipTo.country' },
          { to: 'address.postcode', from: 'shipTo.postalCode' },
          {
            to: 'lines',
            each: 'lines',
            fields: [
              { to: 'line_ref', from: 'lineId' },
              { to: 'sku', from: 'sku' },
              { to: 'qty', from: 'quantity' },
              { to: 'price', from: 'unitPrice', transform: 'minorToDecimal' },
            ],
          },
        ],
        response: { warehouseOrderId: 'shipment.id' },
      },
      cancel: { method: 'DELETE', path: '/v1/shipments/by-ref/{reference}', notFound: [404] },
    },
    webhook: {
      signature: {
        header: 'x-acme-signature',
        algorithm: 'sha1',
        encoding: 'base64',
        secrets: ['acme-hook'],
      },
      topic: { path: 'event', accept: ['parcel.shipped'] },
      shipments: {
        each: 'parcel',
        orderId: 'order_ref',
        shipmentId: 'ref',
        carrier: 'carrier',
        trackingNumber: 'tracking',
        shippedAt: 'shipped_at',
        vendorShipmentId: 'id',
        lines: { each: 'lines', lineId: 'line_ref', quantity: 'qty' },
      },
    },
    ...extra,
  };
}

/** A small Acme-like vendor: Basic auth, Idempotency-Key dedupe, `{ok:false}` rejections, 4 requests / 400 ms. */
async function startAcme() {
  const byKey = new Map<string, unknown>();
  const shipments = new Map<string, { id: string; body: Record<string, unknown> }>();
  let n = 0;
  const fake = await startFakeHttp({
    limit: {
      kind: 'sliding',
      limit: 4,
      windowMs: 400,
      retryHeader: 'retry-after',
      body: () => ({ ok: false, error: { reason: 'slow down' } }),
    },
    authorize: (req) =>
      h(req, 'authorization') === `Basic ${Buffer.from('acme-user:acme-pass').toString('base64')}`
        ? undefined
        : { status: 401, body: { ok: false } },
    fault: () => ({ status: 500, body: { ok: false } }),
    route(req: FakeRequest) {
      if (req.method === 'POST' && req.path === '/v1/shipments') {
        const key = h(req, 'idempotency-key') ?? '';
        if (byKey.has(key)) return { status: 200, body: byKey.get(key) };
        const b = req.json as { ref: string; lines: { sku: string }[] };
        const bad = b.lines.find((l) => !['TEE-M', 'MUG'].includes(l.sku));
        const body = bad
          ? { ok: false, error: { reason: `SKU ${bad.sku} is not stocked` } }
          : { ok: true, shipment: { id: `AC-${++n}` } };
        if (!bad) shipments.set(b.ref, { id: `AC-${n}`, body: b as never });
        byKey.set(key, body);
        return { status: 200, body };
      }
      const m = /^\/v1\/shipments\/by-ref\/(.+)$/.exec(req.path);
      if (req.method === 'DELETE' && m) {
        const ref = decodeURIComponent(m[1]!);
        if (!shipments.delete(ref)) return { status: 404, body: { ok: false } };
        return { status: 200, body: { ok: true } };
      }
      return { status: 404, body: { ok: false } };
    },
  });
  return { ...fake, shipments };
}

let close: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of close) await c();
  close = [];
});

const request = (orderId: string, sku = 'TEE-M') =>
  makeShipmentRequest({ orderId, locationId: 'main', lines: [{ sku, quantity: 2 }] });

describe('a vendor described from zero in configuration (the README example)', () => {
  it('submits, deduplicates by header, rejects through the body rule, cancels and reads webhooks', async () => {
    const acme = await startAcme();
    const adapter = createGeneric3plWarehouse(
      acmeConfig(acme.url, { rateLimit: { kind: 'sliding-window', limit: 3, windowMs: 400 } }),
    );
    close.push(() => adapter.close(), acme.close);
    const req = request('acme-1');
    const first = await adapter.submit(req, 'key-1');
    expect(first).toEqual({ status: 'accepted', warehouseOrderId: 'AC-1' });
    expect(await adapter.submit(req, 'key-1')).toEqual(first);
    expect(acme.shipments.size).toBe(1);
    expect(acme.shipments.get(req.shipment.id)?.body).toMatchObject({
      order_ref: 'acme-1',
      address: { country: 'US', postcode: '62701' },
      lines: [{ line_ref: 'line-1', sku: 'TEE-M', qty: 2, price: 10 }],
    });
    expect(await adapter.submit(request('acme-2', 'NOPE'), 'key-2')).toEqual({
      status: 'rejected',
      reason: 'acme: SKU NOPE is not stocked',
    });
    await adapter.cancel!(req.shipment.id, 'c-1');
    await adapter.cancel!(req.shipment.id, 'c-1'); // 404 now: no effect, no error
    expect(acme.shipments.size).toBe(0);

    const body = JSON.stringify({
      event: 'parcel.shipped',
      parcel: {
        id: 'P-9',
        ref: req.shipment.id,
        order_ref: 'acme-1',
        carrier: 'DPD',
        tracking: '0155123',
        shipped_at: '2026-11-27T15:00:00Z',
        lines: [{ line_ref: 'line-1', qty: 1 }],
      },
    });
    const signature = createHmac('sha1', 'acme-hook').update(body).digest('base64');
    const out = await adapter.handleWebhook!({
      method: 'POST',
      url: '/hooks/acme',
      headers: { 'X-Acme-Signature': signature },
      body: Buffer.from(body),
    });
    expect(out).toEqual({
      status: 200,
      events: [
        {
          type: 'warehouse.shipped',
          idempotencyKey: `acme:shipped:${req.shipment.id}:P-9`,
          occurredAt: '2026-11-27T15:00:00.000Z',
          orderId: 'acme-1',
          shipmentId: req.shipment.id,
          tracking: { carrier: 'DPD', number: '0155123' },
          lines: [{ lineId: 'line-1', quantity: 1 }],
        },
      ],
    });
  });

  it('without a client-side limit, the vendor 429s are waited out (Retry-After) and nothing fails', async () => {
    const acme = await startAcme();
    const adapter = createGeneric3plWarehouse(
      acmeConfig(acme.url, { retry: { retries: 8, minDelayMs: 5, maxDelayMs: 20 } }),
    );
    close.push(() => adapter.close(), acme.close);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => adapter.submit(request(`burst-${i}`), `burst-${i}`)),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(acme.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(acme.shipments.size).toBe(8);
  });

  it('with the sliding-window limit configured, the same burst draws no 429', async () => {
    const acme = await startAcme();
    const adapter = createGeneric3plWarehouse(
      acmeConfig(acme.url, { rateLimit: { kind: 'sliding-window', limit: 3, windowMs: 400 } }),
    );
    close.push(() => adapter.close(), acme.close);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => adapter.submit(request(`calm-${i}`), `calm-${i}`)),
    );
    expect(acme.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(acme.shipments.size).toBe(8);
  });
});
