/**
 * The engine with the generic 3PL adapter's ShipBob preset, pointed at a fault proxy in front
 * of the package's fake ShipBob (its `x-retry-after` 429s, 5xx, hangs, resets, slow bodies, 2xx
 * with invalid JSON; before and after the fake did the work). ShipBob refuses a second order
 * with the same `reference_id` (422), so a duplicate would show as a refused submit and a
 * shipment in review: every order must end shipped, in review with an alert, or cancelled.
 */
import { createGeneric3plWarehouse, shipbobPreset } from '@fulfil/adapter-3pl-generic';
import { describe, expect, it } from 'vitest';
// the package's own fake (a test file, not exported): imported by path
import {
  type FakeShipbob,
  startFakeShipbob,
} from '../../packages/adapter-3pl-generic/test/fakes/fake-shipbob';
import { startFaultProxy } from '../src/fault-proxy';
import {
  ALL_FAULTS,
  cleanupAfterEach,
  faultEngine,
  garbledAfterTrial,
  runCleanup,
  TIMEOUT,
} from './faults-helpers';
import type { VendorView } from './scenario';
import { seededMix } from './seeded-mix';

const TAG = { order: 'fulfil_order_id', shipment: 'fulfil_shipment_id' };

const cleanup = cleanupAfterEach();

async function world(seed: number, rate: number) {
  const fake = await startFakeShipbob({ limit: 100_000, windowMs: 60_000 });
  const proxy = await startFaultProxy({
    target: fake.url,
    schedule: { seed, rate, faults: ALL_FAULTS },
    rateHeaders: { 'x-retry-after': '0.02', 'x-remaining-calls': '0' },
  });
  const adapter = createGeneric3plWarehouse({
    ...shipbobPreset({
      token: fake.token,
      channelId: 100102,
      baseUrl: `${proxy.url}${new URL(fake.baseUrl).pathname}`,
      webhookSecret: fake.webhookSecret,
      locations: { '1': 'loc-cicero' },
      rateLimit: { kind: 'sliding-window', limit: 100_000, windowMs: 60_000 },
      retry: { retries: 1, minDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 200 },
    }),
    timeoutMs: 250,
  });
  const { alerts, storage, engine } = faultEngine({
    warehouse: 'shipbob',
    adapter,
    location: 'loc-cicero',
  });
  cleanup.push(
    () => fake.close(),
    () => proxy.close(),
    () => adapter.close(),
  );
  return { fake, proxy, alerts, engine, storage, vendor: vendorView(fake, adapter) };
}

const tag = (o: { tags: { name: string; value: string }[] }, name: string) =>
  o.tags.find((t) => t.name === name)?.value;

function vendorView(
  fake: FakeShipbob,
  adapter: ReturnType<typeof createGeneric3plWarehouse>,
): VendorView {
  return {
    ordersOf: (orderId) =>
      fake.orders
        .filter((o) => tag(o, TAG.order) === orderId)
        .map((o) => ({
          key: o.reference_id,
          open: o.status !== 'Cancelled' && o.shipments.length === 0,
        })),
    shipAll: async () => fake.shipAll(),
    // ShipBob's order.shipped webhook for every shipped order, as the host's endpoint receives it
    async collect(engine) {
      for (const o of fake.orders) {
        const shipmentId = tag(o, TAG.shipment);
        if (!shipmentId || o.shipments.length === 0) continue;
        const hook = await adapter.handleWebhook!(fake.webhookFor(shipmentId));
        for (const event of hook.events) await engine.ingest(event);
      }
    },
  };
}

describe('ShipBob (generic 3PL preset) behind a fault proxy', () => {
  it('every fault kind at random (seeded), before and after forwarding: no order stranded, lost or doubled', {
    timeout: TIMEOUT,
  }, async () => {
    await seededMix({
      area: 'adapter-3pl-generic (ShipBob)',
      prefix: 'sb',
      world,
      cleanup: () => runCleanup(cleanup),
    });
  });

  it('a 2xx with an unreadable body AFTER ShipBob created the order: the order is accepted (one ShipBob order), not sent to review', {
    timeout: TIMEOUT,
  }, async () => {
    const w = await world(0, 0);
    const { outcome, reviewed, orders } = await garbledAfterTrial(w, {
      area: 'adapter-3pl-generic (ShipBob)',
      vendor: 'ShipBob',
      prefix: 'sb-garbled',
      match: (r) => r.method === 'POST' && /\/order$/.test(r.url),
      fault: 'every POST /order answer garbled (2xx, invalid JSON) after ShipBob stored the order',
    });
    expect(outcome).toMatchObject({ lost: [], stuck: [], duplicates: [] });
    expect(reviewed.map((a) => a.orderId)).toEqual([]);
    expect(outcome.shipped).toBe(orders);
  });
});
