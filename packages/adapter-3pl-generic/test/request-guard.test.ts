import { FulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneric3plWarehouse, type Generic3plConfig } from '../src';
import { type FakeRequest, startFakeHttp } from './fakes/fake-http';

const LINES = [{ sku: 'TEE-M', quantity: 1 }];

/** A vendor that records every request and answers ids that a test chooses. */
async function startVendor(vendorId = 'V-1') {
  const seen: FakeRequest[] = [];
  const fake = await startFakeHttp({
    fault: () => ({ status: 500 }),
    route(req) {
      seen.push(req);
      if (req.method === 'GET') return { status: 200, body: [{ id: vendorId }] };
      return { status: 200, body: { id: vendorId } };
    },
  });
  return { ...fake, seen };
}

function config(baseUrl: string, extra: Partial<Generic3plConfig['operations']> = {}) {
  return {
    name: 'guarded',
    baseUrl: `${baseUrl}/api/v1`,
    auth: { type: 'none' },
    retry: { retries: 4, minDelayMs: 1, maxDelayMs: 2 },
    operations: {
      submit: {
        method: 'POST',
        path: '/orders/{reference}',
        headers: { 'x-order': '{orderId}' },
        body: [{ to: 'ref', from: 'reference' }],
        response: { warehouseOrderId: 'id' },
      },
      getOrder: {
        method: 'GET',
        path: '/orders',
        query: { ref: '{reference}' },
        response: { each: '$', warehouseOrderId: 'id' },
      },
      cancel: { method: 'POST', path: '/{warehouseOrderId}/cancel' },
      ...extra,
    },
  } satisfies Generic3plConfig;
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function world(vendorId?: string) {
  const vendor = await startVendor(vendorId);
  const adapter = createGeneric3plWarehouse(config(vendor.url));
  closers.push(vendor.close, adapter.close);
  return { vendor, adapter };
}

async function refusal(p: Promise<unknown>): Promise<FulfilError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FulfilError);
  const f = err as FulfilError;
  expect(f.code).toBe('INVALID_INPUT');
  expect(f.details.retryable).toBe(false);
  return f;
}

describe('path templates: every value is one segment, dot segments refused', () => {
  for (const id of ['..', '.']) {
    it(`a shipment id "${id}" is refused before sending (it would address another endpoint)`, async () => {
      const { vendor, adapter } = await world();
      const req = makeShipmentRequest({
        orderId: 'o1',
        shipmentId: id,
        locationId: 'main',
        lines: LINES,
      });
      const err = await refusal(adapter.submit(req, 'k1'));
      expect(err.message).toMatch(/path segment/);
      expect(vendor.seen).toEqual([]);
    });
  }

  it('a vendor id ".." does not turn a cancel into POST /api/v1/cancel', async () => {
    const { vendor, adapter } = await world('..');
    const req = makeShipmentRequest({
      orderId: 'o2',
      shipmentId: 's2',
      locationId: 'main',
      lines: LINES,
    });
    await refusal(adapter.submit(req, 'k2').then(() => adapter.cancel!('s2', 'c2')));
    expect(vendor.seen.filter((r) => r.path.endsWith('/cancel'))).toEqual([]);
  });

  it('"%2e%2e", a slash or a query character stay inside their one segment (checked through fetch)', async () => {
    const { vendor, adapter } = await world();
    for (const [i, id] of ['%2e%2e', 'a/../b', 'x?y#z'].entries()) {
      const req = makeShipmentRequest({
        orderId: `o${i}`,
        shipmentId: id,
        locationId: 'main',
        lines: LINES,
      });
      const out = await adapter.submit(req, `k-${i}`);
      expect(out.status).toBe('accepted');
    }
    expect(vendor.seen.map((r) => r.path)).toEqual([
      '/api/v1/orders/%252e%252e',
      '/api/v1/orders/a%2F..%2Fb',
      '/api/v1/orders/x%3Fy%23z',
    ]);
  });
});

describe('header values built from templates are checked before sending', () => {
  for (const [label, orderId] of [
    ['non-ASCII', 'Café-42'],
    ['CR/LF', 'o1\r\nx-evil: 1'],
    ['above U+00FF', '订单-7'],
  ] as const) {
    it(`a ${label} value is a non-retryable INVALID_INPUT, not five futile network errors`, async () => {
      const { vendor, adapter } = await world();
      const req = makeShipmentRequest({ orderId, locationId: 'main', lines: LINES });
      const err = await refusal(adapter.submit(req, 'k-h'));
      expect(err.message).toMatch(/x-order/);
      expect(vendor.seen).toEqual([]);
    });
  }

  it('a static header or token that cannot be sent is CONFIG_INVALID at creation', () => {
    const bad = { ...config('http://127.0.0.1:9'), headers: { 'x-shop': 'Crème' } };
    expect(() => createGeneric3plWarehouse(bad)).toThrow(/CONFIG_INVALID: headers.x-shop/);
    const token = { ...config('http://127.0.0.1:9'), auth: { type: 'bearer', token: 'a\nb' } };
    expect(() => createGeneric3plWarehouse(token as Generic3plConfig)).toThrow(/auth.token/);
  });
});
