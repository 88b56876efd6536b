/**
 * ShipStation submits and cancels whose 2xx answer cannot be read (cut short, or not the
 * documented shape), before or after ShipStation did the work, against the package's fake
 * (a real HTTP server on 127.0.0.1). A dispatcher-like loop retries what the adapter throws
 * as retryable. Expected: every shipment ends as exactly one ShipStation order, accepted with
 * that order's id; no rejection; every cancel ends cancelled.
 */

import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { type FakeFault, startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import { isFulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordTrial, soak, trials } from './report';

const FAULTS: (FakeFault | 'none')[] = [
  'none',
  'broken_body',
  'broken_body_after_write',
  'wrong_shape_after_write',
];
const WRITE = { method: 'POST', path: '/orders/createorder' };

let fake: Awaited<ReturnType<typeof startFakeShipStation>>;
let adapter: ReturnType<typeof createShipStationWarehouse>;
beforeAll(async () => {
  // A roomy window: the limiter is not under test here.
  fake = await startFakeShipStation({
    limit: 10_000,
    windowMs: 1000,
    resetPrecision: 'milliseconds',
  });
  adapter = createShipStationWarehouse({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    warehouseIds: { east: 1 },
    rateLimit: { limit: 10_000, windowMs: 1000 },
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  });
});
afterAll(async () => {
  await adapter.close();
  await fake.close();
});

/** Runs `op` as the engine's dispatcher would: retryable failures are tried again (≤ 6 times). */
async function dispatch<T>(
  op: () => Promise<T>,
): Promise<{ value?: T; attempts: number; permanent?: unknown }> {
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await op(), attempts };
    } catch (err) {
      const retryable = isFulfilError(err) && err.details.retryable !== false;
      if (!retryable || attempts >= 6) return { attempts, permanent: err };
    }
  }
}

it(
  'submit and cancel with unreadable 2xx answers: one order each, accepted, then cancelled',
  async () => {
    const n = trials(40, 1000);
    let seed = 13;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return FAULTS[(seed >>> 16) % FAULTS.length]!;
    };
    let retried = 0;
    let wrong = 0;
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const req = makeShipmentRequest({
        orderId: `rel-ss-${i}`,
        locationId: 'east',
        lines: [{ sku: 'TEE-M', quantity: 1 }],
      });
      const submitFault = pick();
      seen.set(`submit ${submitFault}`, (seen.get(`submit ${submitFault}`) ?? 0) + 1);
      if (submitFault !== 'none') fake.failNext(submitFault, 1, WRITE);
      const submitted = await dispatch(() => adapter.submit(req, `rel-ss-key-${i}`));
      const mine = () => fake.findOrders((o) => o.advancedOptions.customField2 === req.shipment.id);
      const orders = mine();
      const ok =
        submitted.permanent === undefined &&
        submitted.value?.status === 'accepted' &&
        orders.length === 1 &&
        submitted.value.warehouseOrderId === String(orders[0]!.orderId);
      const cancelFault = pick();
      seen.set(`cancel ${cancelFault}`, (seen.get(`cancel ${cancelFault}`) ?? 0) + 1);
      if (cancelFault !== 'none') fake.failNext(cancelFault, 1, WRITE);
      const cancelled = await dispatch(() => adapter.cancel(req.shipment.id, `rel-ss-cancel-${i}`));
      const after = mine();
      const cancelOk =
        cancelled.permanent === undefined &&
        after.length === 1 &&
        after[0]!.orderStatus === 'cancelled';
      if (!ok || !cancelOk) wrong++;
      retried += submitted.attempts - 1 + (cancelled.attempts - 1);
      fake.clearFaults();
    }
    const ok = wrong === 0;
    recordTrial({
      area: 'adapter-shipstation',
      fault:
        'createorder (submit, cancel) answered 2xx with a body cut short or of the wrong shape, before or after the write',
      trials: n,
      result: `${n - wrong}/${n} shipments one order, accepted then cancelled; ${retried} dispatcher retries; 0 rejections`,
      ok,
    });
    expect(wrong).toBe(0);
    // Every fault was tried on both operations.
    expect(seen.size).toBe(2 * FAULTS.length);
  },
  soak ? 900_000 : 30_000,
);
