import {
  all,
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
  fact,
  hold,
  type RuleInput,
  review,
  rule,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyStore, signShopifyWebhook } from '../src';
import { startFakeShopify } from './fake-shopify';
import { LINE_1, LINE_2, orderText, SHOP } from './fixtures';
import { startWebhookApp } from './world';

const SECRET = 'shpss_store_changes';
const LOCATIONS = { 'gid://shopify/Location/1001': 'east', 'gid://shopify/Location/2002': 'west' };
const HOUR = 3_600_000;

let fake: Awaited<ReturnType<typeof startFakeShopify>>;
beforeAll(async () => {
  fake = await startFakeShopify({ restoreRate: 1000 });
});
afterAll(() => fake.close());

/** An engine (east and west, warehouses ship 2 h after accepting) behind a real Express app. */
async function world(rules: RuleInput[] = []) {
  const clock = createSimulatedClock(Date.parse('2026-11-27T10:00:00Z'));
  const stock = { east: { 'TEE-M': 100, MUG: 100 }, west: { 'TEE-M': 100, MUG: 100 } };
  const wh = (name: string, loc: string) =>
    createSimulatedWarehouse({ name, clock, locations: [loc], stock, shipAfterMs: 2 * HOUR });
  const east = wh('east-wh', 'east');
  const west = wh('west-wh', 'west');
  const store = createShopifyStore({
    shop: SHOP,
    accessToken: fake.token,
    endpoint: fake.endpoint,
  });
  const alerts = createMemoryAlerts();
  const engine = createEngine({
    storage: createMemoryStorage(),
    store,
    alerts,
    clock,
    inventory: createMemoryInventory({ stock }),
    warehouses: { 'east-wh': east, 'west-wh': west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    rules,
  });
  const app = await startWebhookApp({
    secrets: [SECRET],
    engine,
    fulfillmentOrders: store,
    locations: LOCATIONS,
  });
  let n = 0;
  /** Posts a signed webhook as Shopify does. */
  const deliver = async (topic: string, body: string) => {
    const res = await fetch(`${app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': `sc-${++n}-${Math.random()}`,
        'x-shopify-event-id': `sc-ev-${n}-${Math.random()}`,
        'x-shopify-triggered-at': new Date(clock.now()).toISOString(),
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      },
      body,
    });
    // The handler answers once the events are stored; let the dispatch it started finish.
    await engine.idle();
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { engine, clock, east, west, store, alerts, app, deliver };
}

let orderSeq = 0;
/** A new order in the fake shop (two lines, fulfillment order at Location/1001) and its create payload. */
function newOrder(financialStatus = 'paid') {
  const id = `58136245699${String(++orderSeq).padStart(8, '0')}`;
  fake.seedOrder({
    id,
    updatedAt: '2026-11-27T04:00:05-05:00',
    lines: [
      { id: LINE_1, sku: 'TEE-M', quantity: 3, price: '99.99' },
      { id: LINE_2, sku: 'MUG', quantity: 1, price: '60.00' },
    ],
  });
  return {
    id,
    engineId: `shopify:acme-outdoor:${id}`,
    created: orderText({ id, financialStatus }),
    paid: orderText({ id, financialStatus: 'paid', updatedAt: '2026-11-27T05:00:00-05:00' }),
  };
}

describe('store-side changes through signed webhooks, a real engine and the fake Shopify', () => {
  it('a merchant hold keeps the order from the warehouse, even once paid; the release routes it', async () => {
    const w = await world();
    const o = newOrder('pending');
    expect((await w.deliver('orders/create', o.created)).status).toBe(200);
    expect((await w.engine.get(o.engineId))?.status).toBe('awaiting_payment');
    const held = await w.deliver(
      'fulfillment_orders/placed_on_hold',
      fake.merchant.placeHold(o.id, 'INCORRECT_ADDRESS', 'apartment number missing'),
    );
    expect(held).toEqual({
      status: 200,
      body: {
        ok: true,
        topic: 'fulfillment_orders/placed_on_hold',
        events: 1,
        orderId: o.engineId,
      },
    });
    expect((await w.engine.get(o.engineId))?.status).toBe('on_hold');
    await w.deliver('orders/paid', o.paid);
    expect((await w.engine.get(o.engineId))?.status).toBe('on_hold');
    expect(w.east.orders()).toHaveLength(0);
    await w.deliver('fulfillment_orders/hold_released', fake.merchant.releaseHolds(o.id));
    const record = await w.engine.get(o.engineId);
    expect(record?.status).toBe('submitted');
    expect(w.east.orders()).toHaveLength(1);
    // the engine never touched the merchant's hold
    const foCalls = fake.calls.filter(
      (c) => c.operation.startsWith('fulfillmentOrder') && c.operation !== 'fulfillmentOrder',
    );
    expect(foCalls).toEqual([]);
    await w.app.close();
  });

  it('a merchant hold after submission cancels at the warehouse, notes it in Shopify, and re-routes on release', async () => {
    const w = await world();
    const o = newOrder();
    await w.deliver('orders/create', o.created);
    expect((await w.engine.get(o.engineId))?.status).toBe('submitted');
    await w.deliver(
      'fulfillment_orders/placed_on_hold',
      fake.merchant.placeHold(o.id, 'HIGH_RISK_OF_FRAUD', 'chargeback risk'),
    );
    const held = await w.engine.get(o.engineId);
    expect(held?.status).toBe('on_hold');
    expect(w.east.orders().map((u) => u.status)).toEqual(['cancelled']);
    expect(w.alerts.alerts().map((a) => a.title)).toContain(
      'Order #1001 held in the store after submission',
    );
    const note = fake.order(o.id)?.metafields?.['fulfil.timeline']?.value ?? '';
    expect(note).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\dZ fulfil: held in the store \(HIGH_RISK_OF_FRAUD: chargeback risk\) after submission: asked the warehouse to cancel .* #k[0-9a-f]{10}$/,
    );
    await w.deliver('fulfillment_orders/hold_released', fake.merchant.releaseHolds(o.id));
    expect((await w.engine.get(o.engineId))?.status).toBe('submitted');
    expect(w.east.orders().map((u) => u.status)).toEqual(['cancelled', 'accepted']);
    await w.app.close();
  });

  it("the engine's own hold, release and fulfillment echo back and change nothing", async () => {
    const rules = [
      rule('verify-rush')
        .at('received')
        .when(all(fact('order.tags').contains('rush')))
        .do(hold({ for: { hours: 2 }, reason: 'verify address', storeHold: 'incorrect_address' }))
        .build(),
    ];
    const w = await world(rules);
    const o = newOrder();
    await w.deliver('orders/create', o.created);
    const held = await w.engine.get(o.engineId);
    expect(held?.status).toBe('on_hold');
    expect(fake.order(o.id)?.fulfillmentOrders[0]?.holds).toHaveLength(1);
    const echo = await w.deliver(
      'fulfillment_orders/placed_on_hold',
      fake.merchant.placedOnHoldBody(o.id),
    );
    expect(echo.body.events).toBe(0);
    // the hold expires: the engine releases its store hold and submits
    w.clock.advance(2 * HOUR);
    await w.engine.runDue();
    const released = await w.engine.get(o.engineId);
    expect(released?.status).toBe('submitted');
    expect(fake.order(o.id)?.fulfillmentOrders[0]?.status).toBe('OPEN');
    const releaseEcho = await w.deliver(
      'fulfillment_orders/hold_released',
      JSON.stringify({
        fulfillment_order: { id: fake.order(o.id)!.fulfillmentOrders[0]!.id, status: 'open' },
      }),
    );
    expect(releaseEcho.status).toBe(200);
    expect((await w.engine.get(o.engineId))?.version).toBe(released?.version);
    // the warehouse ships; the engine creates the fulfillment in Shopify; its echo is ignored
    w.clock.advance(2 * HOUR);
    await w.engine.pollWarehouses();
    const shipped = await w.engine.get(o.engineId);
    expect(shipped?.status).toBe('shipped');
    expect(fake.order(o.id)?.fulfillments).toHaveLength(1);
    await w.deliver('fulfillments/create', fake.merchant.echoOfFulfillment(o.id));
    expect((await w.engine.get(o.engineId))?.version).toBe(shipped?.version);
    await w.app.close();
  });

  it('units fulfilled in the Shopify admin settle the order: partially shipped, then shipped', async () => {
    const w = await world();
    const o = newOrder();
    await w.deliver('orders/create', o.created);
    const mug = await w.deliver(
      'fulfillments/create',
      fake.merchant.fulfill(o.id, { [LINE_2]: 1 }, { company: 'UPS', number: '1ZMUG0001' }),
    );
    expect(mug.body.events).toBe(1);
    const part = await w.engine.get(o.engineId);
    expect(part?.status).toBe('partially_shipped');
    expect(part?.shipments[0]?.shipped).toEqual({ [LINE_2]: 1 });
    await w.deliver(
      'fulfillments/create',
      fake.merchant.fulfill(o.id, { [LINE_1]: 3 }, { company: 'UPS', number: '1ZTEE0001' }),
    );
    const done = await w.engine.get(o.engineId);
    expect(done?.status).toBe('shipped');
    // at the mapped location (Location/1001 = east): the warehouse's own report, no alert
    expect(w.alerts.alerts()).toEqual([]);
    await w.app.close();
  });

  it('a move in the admin before payment forces routing to the mapped location', async () => {
    const w = await world();
    const o = newOrder('pending');
    await w.deliver('orders/create', o.created);
    const moved = await w.deliver(
      'fulfillment_orders/moved',
      fake.merchant.move(o.id, 'gid://shopify/Location/2002'),
    );
    expect(moved.body.events).toBe(1);
    expect((await w.engine.get(o.engineId))?.policy.force).toBe('west');
    await w.deliver('orders/paid', o.paid);
    expect(w.west.orders()).toHaveLength(1);
    expect(w.east.orders()).toHaveLength(0);
    await w.app.close();
  });

  it('review notes land in the order metafield once; concurrent writers are retried; unknown orders fail for good', async () => {
    const w = await world([
      rule('b2b-check')
        .at('received')
        .when(all(fact('order.tags').contains('b2b')))
        .do(review('b2b order: check the terms'))
        .build(),
    ]);
    const o = newOrder();
    await w.deliver('orders/create', o.created);
    expect((await w.engine.get(o.engineId))?.status).toBe('needs_review');
    const note = fake.order(o.id)?.metafields?.['fulfil.timeline'];
    expect(note?.type).toBe('multi_line_text_field');
    expect(note?.value).toMatch(
      new RegExp(
        `fulfil: needs review: b2b-check: b2b order: check the terms \\(https://admin\\.shopify\\.com/store/acme-outdoor/orders/${o.id}\\) #k`,
      ),
    );
    const ref = { orderId: o.engineId, externalId: `gid://shopify/Order/${o.id}`, store: SHOP };
    fake.staleMetafieldWrites(1);
    await w.store.addNote(ref, 'second line', 'note-2');
    await w.store.addNote(ref, 'second line', 'note-2');
    const lines = fake.order(o.id)?.metafields?.['fulfil.timeline']?.value.split('\n') ?? [];
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/ second line #k[0-9a-f]{10}$/);
    await expect(
      w.store.addNote({ ...ref, externalId: 'gid://shopify/Order/1' }, 'x', 'k'),
    ).rejects.toMatchObject({ vendorCode: 'ORDER_NOT_FOUND', retryable: false });
    await w.app.close();
  });

  it('fulfillment-order webhooks: a failed lookup answers 500 (Shopify retries); without a lookup, 200 and onError', async () => {
    const { engine } = await world();
    const errors: unknown[] = [];
    const failing = await startWebhookApp({
      secrets: [SECRET],
      engine,
      fulfillmentOrders: {
        fulfillmentOrder: async () => {
          throw new Error('Shopify down');
        },
      },
    });
    const without = await startWebhookApp({
      secrets: [SECRET],
      engine,
      onError: (e) => errors.push(e),
    });
    const body = JSON.stringify({
      fulfillment_order: { id: 'gid://shopify/FulfillmentOrder/1', status: 'open' },
    });
    const post = (url: string) =>
      fetch(`${url}/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'fulfillment_orders/hold_released',
          'x-shopify-shop-domain': SHOP,
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
        },
        body,
      });
    expect((await post(failing.url)).status).toBe(500);
    const ok = await post(without.url);
    expect(ok.status).toBe(200);
    expect(errors).toEqual([expect.objectContaining({ code: 'CONFIG_INVALID' })]);
    await failing.close();
    await without.close();
  });
});
