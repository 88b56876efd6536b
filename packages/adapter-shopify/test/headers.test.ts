import type { OrderEvent } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import {
  createShopifyWebhookHandler,
  parseShopifyWebhook,
  SHOPIFY_WEBHOOK_HEADERS,
  shopifyHeaderOf,
  signShopifyWebhook,
  verifyShopifyWebhook,
} from '../src';
import { ORDER_ID, orderText, SHOP } from './fixtures';

/**
 * Shopify's unprefixed webhook headers. Names as Shopify's own libraries read them:
 * - Shopify/shopify-app-js `packages/apps/shopify-api/lib/types.ts`
 *   (0bb7837eaa93cb750b5bdd4c70fba89462d01532): `ShopifyEventsHeader` =
 *   `shopify-hmac-sha256`, `shopify-topic`, `shopify-shop-domain`, `shopify-api-version`,
 *   `shopify-event-id`, `shopify-triggered-at`, ... next to `ShopifyHeader`
 *   (`X-Shopify-Hmac-Sha256`, `X-Shopify-Webhook-Id`, `X-Shopify-Name`, ...);
 *   `lib/webhooks/validate.ts` (1eb863d5cfce…): "events webhooks currently send both
 *   shopify-* and x-shopify-* headers", and reads the `shopify-*` family when
 *   `shopify-hmac-sha256` is present.
 * - Shopify/shopify_app `test/shopify_app/controller_concerns/webhook_verification_test.rb`
 *   (9228701a393b2af7eaf76f4fc7d666e4465559ec): "new header format takes precedence when
 *   both headers present", "shop_domain prefers new header over legacy header".
 * - Shopify/shopify-app-python `shopify_app/verify/webhook.py`
 *   (c814ef9688f5a8efd0542286b427dd87f267b9ee) and Shopify/shopify-app-php
 *   `src/Internal/Verify/Webhook.php`: accept `x-shopify-hmac-sha256` and
 *   `shopify-hmac-sha256` ("first present is used", the legacy one first).
 */

// Shopify's published test vector (@shopify/shopify-api validate.test.ts).
const VECTOR_BODY = '{"foo": "bar"}';
const VECTOR_SECRET = 'test_secret_key';
const VECTOR_HMAC = 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=';
const BAD_HMAC = signShopifyWebhook(VECTOR_BODY, 'another-secret');

const unprefixed = (topic: string, extra: Record<string, string> = {}) => ({
  'shopify-topic': topic,
  'shopify-shop-domain': SHOP,
  'shopify-api-version': '2025-07',
  'shopify-webhook-id': 'wh-1',
  'shopify-event-id': 'ev-1',
  'shopify-triggered-at': '2026-11-27T09:00:06.123Z',
  'shopify-name': 'fulfil-orders',
  ...extra,
});
const legacy = (topic: string) => ({
  'X-Shopify-Topic': topic,
  'X-Shopify-Shop-Domain': SHOP,
  'X-Shopify-API-Version': '2025-07',
  'X-Shopify-Webhook-Id': 'wh-1',
  'X-Shopify-Event-Id': 'ev-1',
  'X-Shopify-Triggered-At': '2026-11-27T09:00:06.123Z',
  'X-Shopify-Name': 'fulfil-orders',
});

describe('verifyShopifyWebhook: shopify-hmac-sha256', () => {
  it('accepts the unprefixed signature header alone (any casing, Fetch Headers too)', () => {
    for (const h of [
      { 'shopify-hmac-sha256': VECTOR_HMAC },
      { 'Shopify-Hmac-Sha256': VECTOR_HMAC },
      new Headers({ 'shopify-hmac-sha256': VECTOR_HMAC }),
      new Map([['Shopify-Hmac-SHA256', VECTOR_HMAC]]),
    ]) {
      expect(verifyShopifyWebhook(VECTOR_BODY, h, [VECTOR_SECRET])).toEqual({
        ok: true,
        secretIndex: 0,
      });
    }
    expect(
      verifyShopifyWebhook(VECTOR_BODY, { 'shopify-hmac-sha256': BAD_HMAC }, [VECTOR_SECRET]),
    ).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('both present: authentic when either carries a valid signature', () => {
    const check = (h: Record<string, string>) =>
      verifyShopifyWebhook(VECTOR_BODY, h, [VECTOR_SECRET]);
    // shopify_app: "new header format takes precedence when both headers present"
    expect(
      check({ 'shopify-hmac-sha256': VECTOR_HMAC, 'X-Shopify-Hmac-Sha256': 'invalid_hmac' }).ok,
    ).toBe(true);
    // shopify-app-python / -php read the legacy header first
    expect(
      check({ 'shopify-hmac-sha256': BAD_HMAC, 'X-Shopify-Hmac-Sha256': VECTOR_HMAC }).ok,
    ).toBe(true);
    expect(
      check({ 'shopify-hmac-sha256': VECTOR_HMAC, 'X-Shopify-Hmac-Sha256': VECTOR_HMAC }).ok,
    ).toBe(true);
    // shopify-app-remix: "throws a 401 on invalid events HMAC" (both invalid)
    expect(
      check({ 'shopify-hmac-sha256': 'invalid_hmac', 'X-Shopify-Hmac-Sha256': 'invalid_hmac' }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ 'shopify-hmac-sha256': '', 'X-Shopify-Hmac-Sha256': '' })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });
});

describe('parseShopifyWebhook: unprefixed header names', () => {
  it('reads every header under its unprefixed name, with the same keys as the X- form', () => {
    const fresh = parseShopifyWebhook(orderText(), unprefixed('orders/create'));
    const old = parseShopifyWebhook(orderText(), legacy('orders/create'));
    expect(fresh).toMatchObject({
      topic: 'orders/create',
      shop: SHOP,
      apiVersion: '2025-07',
      webhookId: 'wh-1',
      eventId: 'ev-1',
      triggeredAt: '2026-11-27T09:00:06.123Z',
      name: 'fulfil-orders',
    });
    expect(fresh.events).toEqual(old.events);
    expect(fresh.events[0]).toMatchObject({
      idempotencyKey: `shopify:${SHOP}:orders/create:ev-1`,
      occurredAt: '2026-11-27T09:00:06.123Z',
    });
    // without an event id, the webhook id keys the delivery
    const { 'shopify-event-id': _, ...noEvent } = unprefixed('orders/paid');
    expect(parseShopifyWebhook(orderText(), noEvent).events[0]?.idempotencyKey).toBe(
      `shopify:${SHOP}:orders/paid:webhook:wh-1`,
    );
  });

  it('both forms present: the unprefixed one wins, header by header', () => {
    const parsed = parseShopifyWebhook(orderText(), {
      ...legacy('orders/create'),
      'shopify-topic': 'orders/updated',
      'shopify-shop-domain': 'new-shop.myshopify.com',
      'shopify-event-id': 'ev-new',
      'shopify-webhook-id': '',
    });
    expect(parsed).toMatchObject({
      topic: 'orders/updated',
      shop: 'new-shop.myshopify.com',
      eventId: 'ev-new',
      webhookId: 'wh-1', // empty unprefixed value: the X- one is used
    });
    expect(parsed.events[0]).toMatchObject({
      type: 'order.updated',
      idempotencyKey: 'shopify:new-shop.myshopify.com:orders/updated:ev-new',
    });
    expect(parsed.order?.id).toBe(`shopify:new-shop:${ORDER_ID}`);
  });

  it('store topics key on the unprefixed event id too', () => {
    const body = JSON.stringify({
      id: 255858046,
      order_id: 450789469,
      status: 'success',
      created_at: '2026-11-27T09:00:00-05:00',
      updated_at: '2026-11-27T09:00:00-05:00',
      tracking_company: 'UPS',
      tracking_number: '1Z2345',
      line_items: [{ id: 466157049, quantity: 1 }],
    });
    const parsed = parseShopifyWebhook(body, unprefixed('fulfillments/create'));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      type: 'store.fulfillment_changed',
      orderId: 'shopify:acme-outdoor:450789469',
    });
  });

  it('refuses a shop domain that is not a host name (found by fuzzing: a lone surrogate threw URIError)', () => {
    for (const shop of ['\ud800', '..', 'acme.myshopify.com/../x', 'a b.myshopify.com', '']) {
      const headers = { 'shopify-topic': 'orders/create', 'shopify-shop-domain': shop };
      if (shop === '') continue; // an empty header is absent: "missing", tested below
      expect(() => parseShopifyWebhook(orderText(), headers), shop).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    const ok = {
      'shopify-topic': 'orders/create',
      'shopify-shop-domain': 'Acme-Outdoor.myshopify.com',
    };
    expect(parseShopifyWebhook(orderText(), ok).events).toHaveLength(1);
  });

  it('names what is missing under both names', () => {
    expect(() => parseShopifyWebhook(orderText(), { 'shopify-shop-domain': SHOP })).toThrow(
      /shopify-topic \(or X-Shopify-Topic\)/,
    );
    expect(SHOPIFY_WEBHOOK_HEADERS.topic).toEqual(['shopify-topic', 'x-shopify-topic']);
    expect(shopifyHeaderOf({ 'X-Shopify-Topic': ' orders/paid ' }, 'topic')).toBe('orders/paid');
  });
});

describe('webhook handler: a delivery with unprefixed headers only', () => {
  it('is answered 200 and ingested (it was 401)', async () => {
    const events: OrderEvent[] = [];
    const handle = createShopifyWebhookHandler({
      secrets: [VECTOR_SECRET],
      ingest: async (batch) => {
        events.push(...batch);
      },
    });
    const body = orderText();
    const response = await handle({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'shopify-hmac-sha256': signShopifyWebhook(body, VECTOR_SECRET),
        ...unprefixed('orders/create'),
      },
      rawBody: Buffer.from(body),
    });
    expect(response.status, response.body).toBe(200);
    expect(events.map((e) => e.type)).toEqual(['order.received']);
    expect(events[0]?.idempotencyKey).toBe(`shopify:${SHOP}:orders/create:ev-1`);
  });
});

describe('topic spelling', () => {
  it('a handled topic in another case or in enum form is read as the header form', () => {
    for (const topic of ['ORDERS_CREATE', 'Orders/Create', 'orders_create']) {
      const parsed = parseShopifyWebhook(orderText(), unprefixed(topic));
      expect(parsed.topic).toBe('orders/create');
      expect(parsed.events[0]?.idempotencyKey).toBe(`shopify:${SHOP}:orders/create:ev-1`);
    }
    expect(parseShopifyWebhook('{}', unprefixed('products/update'))).toMatchObject({
      topic: 'products/update',
      events: [],
    });
  });
});
