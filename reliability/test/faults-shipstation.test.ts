/**
 * The engine with the real ShipStation adapter, pointed at a fault proxy in front of the
 * package's fake: 429 (ShipStation's rate headers), 5xx, hangs, resets, slow bodies and 2xx
 * with invalid JSON, before and after the fake did the work. Every order ends shipped, in
 * review with an alert, or cancelled; none lost; never two ShipStation orders for one order.
 */

import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { type FakeShipStation, startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import { describe, expect, it } from 'vitest';
import { type Fault, startFaultProxy } from '../src/fault-proxy';
import {
  ALL_FAULTS,
  cleanupAfterEach,
  faultEngine,
  garbledAfterTrial,
  runCleanup,
  TIMEOUT,
} from './faults-helpers';
import { recordTrial, trials } from './report';
import { describeOutcome, outcomeOk, runScenario, type VendorView } from './scenario';
import { seededMix } from './seeded-mix';

const WAREHOUSE = 401;

const cleanup = cleanupAfterEach();

/** A fake ShipStation, a fault proxy in front of it, and an engine on the real adapter. */
/** `wireAlerts: false` leaves the engine without the alert sink (to show the judge catches it). */
async function world(seed: number, rate: number, wireAlerts = true) {
  const fake = await startFakeShipStation({
    limit: 100_000,
    windowMs: 60_000,
    resetPrecision: 'milliseconds',
    warehouses: [WAREHOUSE],
  });
  const proxy = await startFaultProxy({
    target: fake.url,
    schedule: { seed, rate, faults: ALL_FAULTS },
    // ShipStation's own 429: no Retry-After, the window's reset in X-Rate-Limit-Reset
    rateHeaders: {
      'X-Rate-Limit-Limit': '40',
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Reset': '0.02',
    },
  });
  const adapter = createShipStationWarehouse({
    baseUrl: proxy.url,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    warehouseIds: { east: WAREHOUSE },
    rateLimit: { windowMs: 60_000, limit: 100_000 },
    retry: { retries: 1, minDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 250,
  });
  const { alerts, storage, engine } = faultEngine({
    warehouse: 'shipstation',
    adapter,
    location: 'east',
    wireAlerts,
  });
  cleanup.push(
    () => fake.close(),
    () => proxy.close(),
    () => adapter.close(),
  );
  return { fake, proxy, adapter, alerts, engine, storage, vendor: vendorView(fake) };
}

function vendorView(fake: FakeShipStation): VendorView {
  return {
    ordersOf: (orderId) =>
      fake
        .findOrders((o) => o.advancedOptions.customField1 === orderId)
        .map((o) => ({
          key: String(o.orderKey),
          open: o.orderStatus === 'awaiting_shipment' || o.orderStatus === 'on_hold',
        })),
    shipAll: async () => void (await fake.shipAll()),
    collect: async (engine) => void (await engine.pollWarehouses()),
  };
}

describe('ShipStation behind a fault proxy', () => {
  it('every fault kind at random (seeded), before and after forwarding: no order stranded, lost or doubled', {
    timeout: TIMEOUT,
  }, async () => {
    await seededMix({
      area: 'adapter-shipstation',
      prefix: 'ss',
      world,
      cleanup: () => runCleanup(cleanup),
    });
  });

  it('submits that fail every time (5xx, hang, reset before or after forwarding) end in review WITH an alert; the rest ship', {
    timeout: TIMEOUT,
  }, async () => {
    const w = await world(0, 0);
    const orders = trials(12, 48);
    const persistent: Fault[] = [
      { kind: 'server_error' },
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'reset', when: 'after' },
    ];
    const doomed = new Map<string, Fault>();
    for (let i = 0; i < orders; i += 3) doomed.set(`ss-doomed-${i}`, persistent[(i / 3) % 4]!);
    for (const [id, fault] of doomed) {
      w.proxy.inject({
        fault,
        match: (r) => r.url.includes('/orders/createorder') && r.body.includes(`"${id}"`),
        times: Number.POSITIVE_INFINITY,
      });
    }
    const outcome = await runScenario({
      ...w,
      prefix: 'ss-doomed',
      orders,
      faultRounds: 5,
      pauseMs: 30,
    });
    const alerted = new Set(w.alerts.alerts().map((a) => a.orderId));
    recordTrial({
      area: 'adapter-shipstation',
      fault:
        'every submit of some orders fails for good (5xx, hang, reset before or after forwarding)',
      trials: orders,
      result: `${describeOutcome(outcome)}; ${[...doomed.keys()].filter((id) => alerted.has(id)).length}/${doomed.size} doomed orders alerted`,
      ok: outcomeOk(outcome) && [...doomed.keys()].every((id) => alerted.has(id)),
    });
    expect(outcome).toMatchObject({
      lost: [],
      stuck: [],
      reviewWithoutAlert: [],
      duplicates: [],
    });
    for (const id of doomed.keys()) expect(alerted.has(id), id).toBe(true);
    // the reset-after ones reached ShipStation and shipped once faults stopped; the others stay in review
    expect(outcome.shipped + outcome.review).toBe(orders);
    expect(outcome.review).toBeGreaterThanOrEqual((doomed.size * 3) / 4 - 1);
  });

  it('the judge is not blind: with no alert sink wired, orders in review are reported as unalerted', {
    timeout: TIMEOUT,
  }, async () => {
    const w = await world(0, 0, false);
    w.proxy.inject({
      fault: { kind: 'server_error' },
      match: (r) => r.url.includes('/orders/createorder') && r.body.includes('"ss-blind-0"'),
      times: Number.POSITIVE_INFINITY,
    });
    const outcome = await runScenario({
      ...w,
      prefix: 'ss-blind',
      orders: 3,
      faultRounds: 5,
      pauseMs: 30,
      quietRounds: 3,
    });
    expect(outcome.reviewWithoutAlert).toEqual(['ss-blind-0']);
    expect(outcomeOk(outcome)).toBe(false);
    expect(describeOutcome(outcome)).toMatch(/FAILED$/);
  });

  it('a 2xx with an unreadable body AFTER ShipStation created the order: the order is accepted (re-checked by key), not sent to review', {
    timeout: TIMEOUT,
  }, async () => {
    const w = await world(0, 0);
    const { outcome, reviewed, orders } = await garbledAfterTrial(w, {
      area: 'adapter-shipstation',
      vendor: 'ShipStation',
      prefix: 'ss-garbled',
      match: (r) => r.method === 'POST' && r.url.includes('/orders/createorder'),
      fault:
        'every createorder answer garbled (2xx, invalid JSON) after ShipStation stored the order',
    });
    expect(outcome).toMatchObject({ lost: [], stuck: [], duplicates: [] });
    expect(reviewed.map((a) => a.orderId)).toEqual([]);
    expect(outcome.shipped).toBe(orders);
  });
});
