import type { MemoryStorage, StoreHoldReason } from '@fulfil/core';
import { UpstreamError } from '@fulfil/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyStore, HOLD_REASONS, type ShopifyStore } from '../src';
import { startFakeShopify } from './fake-shopify';
import { createTestEngine } from './world';

let fake: Awaited<ReturnType<typeof startFakeShopify>>;
let store: ShopifyStore;
const ID = (n: number) => `58136245699123456${String(n).padStart(2, '0')}`;
const LINE = (n: number, k: number) => `14210987654321${String(n).padStart(3, '0')}${k}0`;
const ref = (n: number) => ({
  orderId: `shopify:acme-outdoor:${ID(n)}`,
  externalId: `gid://shopify/Order/${ID(n)}`,
  store: 'acme-outdoor.myshopify.com',
});

beforeAll(async () => {
  fake = await startFakeShopify({ maximumAvailable: 1000, restoreRate: 1000 });
  for (let n = 1; n <= 12; n++) {
    fake.seedOrder({
      id: ID(n),
      updatedAt: `2026-11-27T09:${String(n).padStart(2, '0')}:00Z`,
      tags: ['existing'],
      lines: [
        { id: LINE(n, 1), sku: 'TEE-M', quantity: 2, price: '25.00' },
        { id: LINE(n, 2), sku: 'MUG', quantity: 1, price: '12.50' },
      ],
    });
  }
  store = createShopifyStore({
    shop: fake.shop,
    accessToken: fake.token,
    endpoint: fake.endpoint,
    pageSize: 5,
  });
});
afterAll(() => fake.close());

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as UpstreamError,
  );

describe('createShopifyStore', () => {
  it('addTags: tagsAdd, naturally idempotent; unknown order → UpstreamError', async () => {
    await store.addTags(ref(1), ['vip', 'rush'], 'k1');
    await store.addTags(ref(1), ['vip', 'rush'], 'k1');
    expect(fake.order(ID(1))?.tags).toEqual(['existing', 'vip', 'rush']);
    const err = await rejection(
      store.addTags({ ...ref(1), externalId: 'gid://shopify/Order/1' }, ['x'], 'k2'),
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      code: 'ADAPTER_FAILED',
      vendorCode: 'USER_ERROR',
      retryable: false,
    });
  });

  it('hold maps every reason and is idempotent on its key; releaseHold frees only our holds', async () => {
    const reasons: StoreHoldReason[] = [
      'fraud',
      'awaiting_payment',
      'out_of_stock',
      'incorrect_address',
      'other',
    ];
    for (const [i, reason] of reasons.entries()) {
      await store.hold(ref(2 + i), reason, `held: ${reason}`, `hold-${i}`);
      await store.hold(ref(2 + i), reason, `held: ${reason}`, `hold-${i}`);
      const fo = fake.order(ID(2 + i))!.fulfillmentOrders[0]!;
      expect(fo.status).toBe('ON_HOLD');
      expect(fo.holds.map((h) => h.reason)).toEqual([HOLD_REASONS[reason]]);
    }
    expect(HOLD_REASONS).toEqual({
      fraud: 'HIGH_RISK_OF_FRAUD',
      awaiting_payment: 'AWAITING_PAYMENT',
      out_of_stock: 'INVENTORY_OUT_OF_STOCK',
      incorrect_address: 'INCORRECT_ADDRESS',
      other: 'OTHER',
    });
    const fo = fake.order(ID(2))!.fulfillmentOrders[0]!;
    fo.holds.push({
      id: 'gid://shopify/FulfillmentHold/merchant',
      handle: null,
      reason: 'OTHER',
      notes: 'merchant',
    });
    await store.releaseHold(ref(2), 'rel-1');
    await store.releaseHold(ref(2), 'rel-1');
    expect(fo.holds.map((h) => h.id)).toEqual(['gid://shopify/FulfillmentHold/merchant']);
    await store.releaseHold(ref(3), 'rel-2');
    expect(fake.order(ID(3))!.fulfillmentOrders[0]!.status).toBe('OPEN');
  });

  it('fulfill: fulfillmentCreate with tracking and notifyCustomer, once per tracking number', async () => {
    const f = {
      shipmentId: 's1',
      tracking: { carrier: 'UPS', number: '1Z999AA10123456784', url: 'https://ups.example/1Z' },
      lines: [{ lineId: LINE(7, 1), quantity: 2 }],
      notifyCustomer: true,
    };
    await store.fulfill(ref(7), f, 'ful-1');
    await store.fulfill(ref(7), f, 'ful-1');
    const order = fake.order(ID(7))!;
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0]).toMatchObject({
      tracking: { company: 'UPS', number: '1Z999AA10123456784' },
      notifyCustomer: true,
    });
    expect(order.fulfillmentOrders[0]!.lines.map((l) => l.remaining)).toEqual([0, 1]);
  });

  it('fulfill on a held order surfaces the userError', async () => {
    await store.hold(ref(8), 'other', 'x', 'h8');
    const err = await rejection(
      store.fulfill(
        ref(8),
        {
          shipmentId: 's',
          tracking: { carrier: 'UPS', number: 'N8' },
          lines: [{ lineId: LINE(8, 1), quantity: 1 }],
          notifyCustomer: false,
        },
        'f8',
      ),
    );
    expect(err).toMatchObject({ vendorCode: 'USER_ERROR', retryable: false });
    expect(err?.message).toContain('on hold');
  });

  it('moveFulfillmentOrders moves open fulfillment orders once; a held one is skipped', async () => {
    await store.moveFulfillmentOrders(ref(10), '2002');
    await store.moveFulfillmentOrders(ref(10), 'gid://shopify/Location/2002');
    expect(fake.order(ID(10))!.fulfillmentOrders[0]!.locationId).toBe(
      'gid://shopify/Location/2002',
    );
    expect(fake.calls.filter((c) => c.operation === 'fulfillmentOrderMove')).toHaveLength(1);
    await store.hold(ref(11), 'other', 'x', 'h11');
    await store.moveFulfillmentOrders(ref(11), '2002'); // not OPEN: skipped, nothing to move
    expect(fake.order(ID(11))!.fulfillmentOrders[0]!.locationId).toBe(
      'gid://shopify/Location/1001',
    );
  });

  it('adminUrl and fetchOrder (exact ids, minor units); unknown → undefined', async () => {
    expect(store.adminUrl(ref(1))).toBe(
      `https://admin.shopify.com/store/acme-outdoor/orders/${ID(1)}`,
    );
    const order = await store.fetchOrder(`gid://shopify/Order/${ID(9)}`);
    expect(order).toMatchObject({
      id: `shopify:acme-outdoor:${ID(9)}`,
      currency: 'USD',
      totals: { subtotal: 6250 },
    });
    expect(order?.lines.map((l) => [l.id, l.sku, l.unitPrice])).toEqual([
      [LINE(9, 1), 'TEE-M', 2500],
      [LINE(9, 2), 'MUG', 1250],
    ]);
    expect(await store.fetchOrder('gid://shopify/Order/1')).toBeUndefined();
  });

  it('listOrdersUpdatedSince pages through every order, oldest first', async () => {
    const { orders, watermark } = await store.listOrdersUpdatedSince('2026-11-27T09:03:00Z');
    expect(orders.map((o) => o.source.externalId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `gid://shopify/Order/${ID(i + 3)}`),
    );
    expect(watermark).toBe('2026-11-27T09:12:00Z');
    expect(fake.calls.filter((c) => c.operation === 'orders').length).toBeGreaterThanOrEqual(2);
  });

  it('reconcile recovers orders whose webhooks were dropped; a second run changes nothing', async () => {
    const w = createTestEngine();
    // the webhook for order 10 arrived; 11 and 12 were dropped
    const known = await store.fetchOrder(ID(10));
    await w.engine.ingest({
      type: 'order.received',
      idempotencyKey: 'wh-10',
      occurredAt: '2026-11-27T09:10:00Z',
      order: known!,
    });
    const report = await store.reconcile('2026-11-27T09:10:00Z', (e) => w.engine.ingest(e));
    expect(report).toEqual({ scanned: 3, ingested: 3, watermark: '2026-11-27T09:12:00Z' });
    const ids = (await (w.storage as MemoryStorage).listOrders({})).map((r) => r.orderId).sort();
    expect(ids).toEqual([10, 11, 12].map((n) => `shopify:acme-outdoor:${ID(n)}`));
    const versions = await Promise.all(ids.map(async (id) => (await w.engine.get(id))!.version));
    await store.reconcile('2026-11-27T09:10:00Z', (e) => w.engine.ingest(e));
    expect(await Promise.all(ids.map(async (id) => (await w.engine.get(id))!.version))).toEqual(
      versions,
    );
  });

  it('reconcile cancels an order whose orders/cancelled webhook was dropped', async () => {
    const w = createTestEngine();
    const id = '5813624569912345699';
    fake.seedOrder({
      id,
      updatedAt: '2026-11-27T10:00:00Z',
      lines: [{ id: '1421098765432100001', sku: 'TEE-M', quantity: 1, price: '5.00' }],
    });
    await store.reconcile('2026-11-27T10:00:00Z', (e) => w.engine.ingest(e));
    expect((await w.engine.get(`shopify:acme-outdoor:${id}`))?.status).not.toBe('cancelled');
    const seed = fake.order(id)!.seed;
    seed.cancelledAt = '2026-11-27T10:05:00Z';
    seed.updatedAt = '2026-11-27T10:05:00Z';
    const report = await store.reconcile('2026-11-27T10:00:00Z', (e) => w.engine.ingest(e));
    expect(report.ingested).toBe(2);
    expect((await w.engine.get(`shopify:acme-outdoor:${id}`))?.status).toBe('cancelled');
  });
});
