import { describe, expect, it } from 'vitest';
import {
  parseLosslessJson,
  parseShopifyWebhook,
  signShopifyWebhook,
  splitTags,
  toMinorUnits,
  verifyShopifyWebhook,
} from '../src';
import { CUSTOMER_ID, LINE_1, LINE_2, ORDER_ID, orderText, SHOP } from './fixtures';

const headers = (topic: string, extra: Record<string, string> = {}) => ({
  'x-shopify-topic': topic,
  'x-shopify-shop-domain': SHOP,
  'x-shopify-webhook-id': 'wh-1',
  'x-shopify-event-id': 'ev-1',
  'x-shopify-triggered-at': '2026-11-27T09:00:06.123Z',
  ...extra,
});

describe('verifyShopifyWebhook', () => {
  it("passes Shopify's published test vector", () => {
    const h = { 'X-Shopify-Hmac-Sha256': 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=' };
    expect(verifyShopifyWebhook('{"foo": "bar"}', h, ['test_secret_key'])).toEqual({
      ok: true,
      secretIndex: 0,
    });
    expect(
      verifyShopifyWebhook(Buffer.from('{"foo": "bar"}'), new Headers(h), ['test_secret_key']).ok,
    ).toBe(true);
    expect(signShopifyWebhook('{"foo": "bar"}', 'test_secret_key')).toBe(
      h['X-Shopify-Hmac-Sha256'],
    );
  });

  it('rejects a tampered body, a wrong secret, a missing or malformed header', () => {
    const sig = { 'x-shopify-hmac-sha256': signShopifyWebhook('{"foo": "bar"}', 's1') };
    expect(verifyShopifyWebhook('{"foo": "baz"}', sig, ['s1'])).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyShopifyWebhook('{"foo": "bar"}', sig, ['other'])).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyShopifyWebhook('{"foo": "bar"}', {}, ['s1'])).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      verifyShopifyWebhook('{"foo": "bar"}', { 'x-shopify-hmac-sha256': 'abc' }, ['s1']).ok,
    ).toBe(false);
    expect(verifyShopifyWebhook('{"foo": "bar"}', sig, [])).toEqual({
      ok: false,
      reason: 'no_secrets',
    });
  });

  it('accepts the old and the new secret during a rotation, headers in any case', () => {
    const body = '{"id": 1}';
    const oldSig = { 'X-SHOPIFY-HMAC-SHA256': signShopifyWebhook(body, 'old') };
    const newSig = { 'x-Shopify-Hmac-sha256': signShopifyWebhook(body, 'new') };
    expect(verifyShopifyWebhook(body, oldSig, ['new', 'old'])).toEqual({
      ok: true,
      secretIndex: 1,
    });
    expect(verifyShopifyWebhook(body, newSig, ['new', 'old'])).toEqual({
      ok: true,
      secretIndex: 0,
    });
  });
});

describe('parseShopifyWebhook', () => {
  it('turns a realistic orders/create into order.received with exact 19-digit ids', () => {
    const parsed = parseShopifyWebhook(orderText({ mugSku: '' }), headers('orders/create'));
    expect(parsed).toMatchObject({
      topic: 'orders/create',
      shop: SHOP,
      webhookId: 'wh-1',
      eventId: 'ev-1',
    });
    const [event] = parsed.events;
    expect(parsed.events).toHaveLength(1);
    expect(event).toMatchObject({
      type: 'order.received',
      idempotencyKey: `shopify:${SHOP}:orders/create:ev-1`,
      occurredAt: '2026-11-27T09:00:06.123Z',
    });
    const order = parsed.order!;
    expect(order.id).toBe(`shopify:acme-outdoor:${ORDER_ID}`);
    expect(order.source).toEqual({
      channel: 'shopify',
      store: SHOP,
      externalId: `gid://shopify/Order/${ORDER_ID}`,
      name: '#1001',
      adminUrl: `https://admin.shopify.com/store/acme-outdoor/orders/${ORDER_ID}`,
    });
    expect(order.lines.map((l) => l.id)).toEqual([LINE_1, LINE_2]);
    expect(order.customer?.id).toBe(CUSTOMER_ID);
    expect(order.customer?.tags).toEqual(['vip', 'wholesale']);
    expect(order.tags).toEqual(['rush', 'b2b', 'gift']);
    expect(order.lines[0]).toMatchObject({ sku: 'TEE-M', quantity: 3, unitPrice: 9999 });
    expect(order.lines[0]?.properties).toEqual([{ name: 'engraving', value: 'AL' }]);
    expect(order.lines[1]?.sku).toBeNull(); // empty SKU
    expect(order.totals).toEqual({
      subtotal: 35997,
      shipping: 1000,
      tax: 1500,
      discounts: 0,
      total: 38497,
    });
    expect(order.noteAttributes).toEqual([
      { name: 'gift', value: 'yes' },
      { name: 'count', value: '3' },
    ]);
    expect(order.shippingAddress).toMatchObject({
      name: 'Ada Lovelace',
      province: 'NY',
      country: 'US',
      postalCode: '11201',
    });
    expect(order.shipping).toEqual({ method: 'Express Shipping', expedited: true });
    expect(order.clientIp).toBe('203.0.113.7');
    expect(order.paymentStatus).toBe('paid');
    // JSON.parse would have corrupted them:
    expect(String((JSON.parse(orderText()) as { id: number }).id)).not.toBe(ORDER_ID);
  });

  it('handles no customer, no shipping address, no note and a null SKU', () => {
    const { order } = parseShopifyWebhook(
      orderText({ customer: false, shippingAddress: false, note: null, nullSku: true }),
      headers('orders/create'),
    );
    expect(order?.customer).toEqual({ email: 'ada@example.com', tags: [] });
    expect(order?.shippingAddress).toBeUndefined();
    expect(order?.note).toBeNull();
    expect(order?.lines[0]?.sku).toBeNull();
  });

  it('orders/updated and orders/paid become order.updated with upstreamUpdatedAt', () => {
    for (const topic of ['orders/updated', 'orders/paid']) {
      const [event] = parseShopifyWebhook(
        orderText({ updatedAt: '2026-11-27T05:00:00-05:00' }),
        headers(topic),
      ).events;
      expect(event).toMatchObject({
        type: 'order.updated',
        upstreamUpdatedAt: '2026-11-27T05:00:00-05:00',
      });
    }
  });

  it('orders/cancelled adds one order.cancelled keyed per order', () => {
    const a = parseShopifyWebhook(
      orderText({ cancelledAt: '2026-11-27T06:00:00-05:00' }),
      headers('orders/cancelled'),
    );
    const b = parseShopifyWebhook(
      orderText({ cancelledAt: '2026-11-27T06:00:00-05:00' }),
      headers('orders/updated', { 'x-shopify-event-id': 'ev-2' }),
    );
    expect(a.events.map((e) => e.type)).toEqual(['order.updated', 'order.cancelled']);
    expect(a.events[1]).toMatchObject({
      reason: 'customer',
      orderId: `shopify:acme-outdoor:${ORDER_ID}`,
    });
    expect(a.events[1]?.idempotencyKey).toBe(b.events[1]?.idempotencyKey);
  });

  it('falls back to the webhook id, then to gid + updated_at, for the dedupe key', () => {
    const h = headers('orders/create');
    const { 'x-shopify-event-id': _e, ...noEvent } = h;
    expect(parseShopifyWebhook(orderText(), noEvent).events[0]?.idempotencyKey).toBe(
      `shopify:${SHOP}:orders/create:webhook:wh-1`,
    );
    const { 'x-shopify-webhook-id': _w, ...neither } = noEvent;
    expect(parseShopifyWebhook(orderText(), neither).events[0]?.idempotencyKey).toContain(
      `gid://shopify/Order/${ORDER_ID}`,
    );
  });

  it('other topics parse to no events', () => {
    expect(parseShopifyWebhook('{"id": 1}', headers('products/update')).events).toEqual([]);
  });

  it('fails with INVALID_INPUT naming the path', () => {
    expect(() => parseShopifyWebhook('{"id":', headers('orders/create'))).toThrow(
      /INVALID_INPUT: body: invalid JSON/,
    );
    expect(() => parseShopifyWebhook('', headers('orders/create'))).toThrow(/body: empty body/);
    const noLines = orderText().replace(/"line_items": \[[\s\S]*?\n {2}\],/, '"line_items": [],');
    expect(() => parseShopifyWebhook(noLines, headers('orders/create'))).toThrow(/body.line_items/);
    const noTopic = { ...headers('x'), 'x-shopify-topic': '' };
    expect(() => parseShopifyWebhook('{}', noTopic)).toThrow(/x-shopify-topic/);
  });
});

describe('helpers', () => {
  it('money: decimal strings to minor units by the currency digits, no floats', () => {
    expect(toMinorUnits('359.97', 'USD')).toBe(35997);
    expect(toMinorUnits('0.1', 'USD')).toBe(10);
    expect(toMinorUnits('1000', 'JPY')).toBe(1000);
    expect(toMinorUnits('1000.00', 'JPY')).toBe(1000);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('19.999', 'USD')).toBe(2000);
    expect(() => toMinorUnits('1e3', 'USD')).toThrow(/INVALID_INPUT: amount/);
  });

  it('JPY orders keep whole yen', () => {
    const { order } = parseShopifyWebhook(orderText({ currency: 'JPY' }), headers('orders/create'));
    expect(order?.lines[0]?.unitPrice).toBe(9999);
    expect(order?.totals.total).toBe(38497);
  });

  it('tags: split, trimmed, empties and repeats dropped', () => {
    expect(splitTags(' a, b ,,a, ')).toEqual(['a', 'b']);
    expect(splitTags(null)).toEqual([]);
  });

  it('lossless JSON: unsafe integers become exact strings, nothing else changes', () => {
    expect(
      parseLosslessJson(
        '{"a": 9007199254740993, "b": 9007199254740991, "c": "12345678901234567890", "d": 1.25}',
      ),
    ).toEqual({
      a: '9007199254740993',
      b: 9007199254740991,
      c: '12345678901234567890',
      d: 1.25,
    });
  });
});
