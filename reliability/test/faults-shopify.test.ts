/**
 * Store commands through faults: the engine ships orders through the real ShipStation adapter
 * (no faults there) and reports each shipment to Shopify with the real store adapter, pointed at
 * a fault proxy in front of the package's fake Admin GraphQL API. Every shipped order ends with
 * exactly one Shopify fulfillment covering its units (a second one would notify the customer
 * twice), or an alert about it; never lost, never stranded.
 */
import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { startFakeShipStation } from '@fulfil/adapter-shipstation/testing';
import { createShopifyStore } from '@fulfil/adapter-shopify';
import { makeOrder } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
// the package's own fake (a test file, not exported): imported by path
import { startFakeShopify } from '../../packages/adapter-shopify/test/fake-shopify';
import { type Fault, startFaultProxy } from '../src/fault-proxy';
import { ALL_FAULTS, cleanupAfterEach, faultEngine, runCleanup, TIMEOUT } from './faults-helpers';
import { recordTrial, trials } from './report';
import {
  describeFaults,
  describeOutcome,
  type Outcome,
  outcomeOk,
  runScenario,
  sumOutcomes,
} from './scenario';

const WAREHOUSE = 401;
/** Every fault kind but a plain delay. */
const FAULTS: Fault[] = ALL_FAULTS.filter((f) => f.kind !== 'delay');

const cleanup = cleanupAfterEach();

/** Shopify's numeric ids for order `i` and its line. */
const shopifyId = (i: number) => `58136245699${String(i).padStart(8, '0')}`;
const lineId = (i: number) => `14210987654${String(i).padStart(8, '0')}`;

describe('Shopify store commands behind a fault proxy', () => {
  it('fulfillments reported through 429/5xx/hang/reset/slow/invalid JSON: one Shopify fulfillment per shipped order, or an alert', {
    timeout: TIMEOUT,
  }, async () => {
    const runs = trials(1, 6);
    const orders = trials(12, 50);
    const outcomes: Outcome[] = [];
    const allWrong: string[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const shopify = await startFakeShopify({ maximumAvailable: 100_000, restoreRate: 100_000 });
      const endpoint = new URL(shopify.endpoint);
      const proxy = await startFaultProxy({
        target: endpoint.origin,
        schedule: { seed, rate: 0.4, faults: FAULTS },
        rateHeaders: { 'Retry-After': '0' },
      });
      const store = createShopifyStore({
        shop: shopify.shop,
        accessToken: shopify.token,
        endpoint: `${proxy.url}${endpoint.pathname}`,
        http: { timeoutMs: 250, retry: { retries: 1, minDelayMs: 5, maxDelayMs: 20 } },
      });
      const shipstation = await startFakeShipStation({
        limit: 100_000,
        resetPrecision: 'milliseconds',
        warehouses: [WAREHOUSE],
      });
      const warehouse = createShipStationWarehouse({
        baseUrl: shipstation.url,
        apiKey: shipstation.apiKey,
        apiSecret: shipstation.apiSecret,
        warehouseIds: { east: WAREHOUSE },
        rateLimit: { windowMs: 60_000, limit: 100_000 },
      });
      cleanup.push(
        () => shopify.close(),
        () => proxy.close(),
        () => shipstation.close(),
        () => warehouse.close(),
      );
      const { alerts, storage, engine } = faultEngine({
        warehouse: 'shipstation',
        adapter: warehouse,
        location: 'east',
        store,
      });
      const index = (id: string) => Number(id.split('-').at(-1));
      const outcome = await runScenario({
        engine,
        alerts,
        proxy,
        storage,
        prefix: `shopify:acme-outdoor:s${seed}`,
        orders,
        faultRounds: 8,
        pauseMs: 20,
        order: (id) => {
          const i = index(id);
          shopify.seedOrder({
            id: shopifyId(i),
            updatedAt: '2026-11-27T09:00:00Z',
            lines: [{ id: lineId(i), sku: 'TEE-M', quantity: 2, price: '25.00' }],
          });
          return makeOrder({
            id,
            source: {
              channel: 'shopify',
              store: shopify.shop,
              externalId: `gid://shopify/Order/${shopifyId(i)}`,
              name: `#${1000 + i}`,
            },
            lines: [
              { id: lineId(i), sku: 'TEE-M', title: 'T-shirt (M)', quantity: 2, unitPrice: 2500 },
            ],
          });
        },
        vendor: {
          ordersOf: (orderId) =>
            shipstation
              .findOrders((o) => o.advancedOptions.customField1 === orderId)
              .map((o) => ({
                key: String(o.orderKey),
                open: o.orderStatus === 'awaiting_shipment',
              })),
          shipAll: async () => void (await shipstation.shipAll()),
          collect: async (e) => void (await e.pollWarehouses()),
        },
      });
      const alerted = new Set(alerts.alerts().map((a) => a.orderId));
      const wrong: string[] = [];
      for (let i = 0; i < orders; i++) {
        const id = `shopify:acme-outdoor:s${seed}-${i}`;
        const shop = shopify.order(shopifyId(i));
        const fulfillments = shop?.fulfillments.length ?? 0;
        const remaining = shop?.fulfillmentOrders
          .flatMap((fo) => fo.lines)
          .reduce((n, l) => n + l.remaining, 0);
        if (fulfillments > 1) wrong.push(`${id}: ${fulfillments} fulfillments`);
        else if ((fulfillments !== 1 || remaining !== 0) && !alerted.has(id))
          wrong.push(`${id}: ${fulfillments} fulfillments, ${remaining} units open, no alert`);
      }
      outcomes.push(outcome);
      allWrong.push(...wrong);
      if (!outcomeOk(outcome) || wrong.length > 0 || seed === runs) {
        const sum = sumOutcomes(outcomes);
        recordTrial({
          area: 'adapter-shopify (store commands)',
          fault: `seeded mix of 429/5xx/hang/reset/slow body/invalid JSON on the Admin API, before and after forwarding, on 40% of requests (${outcomes.length} seeds × ${orders} orders)`,
          trials: sum.orders,
          result: `${describeOutcome(sum)}; ${allWrong.length} orders with a missing or doubled Shopify fulfillment and no alert; faults: ${describeFaults(sum)}`,
          ok: outcomeOk(sum) && allWrong.length === 0,
        });
      }
      expect(outcome, describeOutcome(outcome)).toMatchObject({
        lost: [],
        stuck: [],
        reviewWithoutAlert: [],
        duplicates: [],
      });
      expect(wrong).toEqual([]);
      expect(outcome.faults).toBeGreaterThan(3);
      await runCleanup(cleanup);
    }
    expect(sumOutcomes(outcomes).orders).toBe(runs * orders);
  });
});
