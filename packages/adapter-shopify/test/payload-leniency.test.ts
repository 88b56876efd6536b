import { isFulfilError } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import {
  createShopifyWebhookHandler,
  parseLosslessJson,
  parseShopifyWebhook,
  signShopifyWebhook,
} from '../src';
import { LINE_1, ORDER_ID, orderText, SHOP } from './fixtures';

type Json = Record<string, unknown> & { line_items: Record<string, unknown>[] };

const headers = (topic = 'orders/create') => ({
  'x-shopify-topic': topic,
  'x-shopify-shop-domain': SHOP,
  'x-shopify-event-id': 'ev-1',
});
/** The realistic payload, changed by `edit` (ids stay exact digit strings). */
const edited = (edit: (o: Json) => void, text = orderText()) => {
  const o = parseLosslessJson(text) as Json;
  edit(o);
  return JSON.stringify(o);
};
const parse = (body: string) => parseShopifyWebhook(body, headers());
const rejection = (body: string) => {
  try {
    parse(body);
  } catch (err) {
    if (isFulfilError(err, 'INVALID_INPUT')) return err.message;
    throw err;
  }
  throw new Error('expected INVALID_INPUT');
};

describe('optional extras never reject an order', () => {
  it('coerces plain intents: latitude as a string, zip as a number, counts as digits', () => {
    const parsed = parse(
      edited((o) => {
        const a = o.shipping_address as Record<string, unknown>;
        a.latitude = '45.41634';
        a.longitude = '-75.6868';
        a.zip = 40202;
        (o.customer as Record<string, unknown>).orders_count = '3';
        o.line_items[0]!.requires_shipping = 'false';
        o.line_items[0]!.current_quantity = '2';
        o.test = 'true';
      }),
    );
    const order = parsed.order!;
    expect(order.shippingAddress).toMatchObject({
      lat: 45.41634,
      lon: -75.6868,
      postalCode: '40202',
    });
    expect(order.customer?.ordersCount).toBe(3);
    expect(order.lines[0]).toMatchObject({ requiresShipping: false, quantity: 2 });
    expect(parsed.notes).toEqual([]);
  });

  it('drops what cannot be read, notes it, and keeps the order', () => {
    const parsed = parse(
      edited((o) => {
        const a = o.shipping_address as Record<string, unknown>;
        a.latitude = 'north';
        a.longitude = 500;
        a.phone = { mobile: '555' };
        const c = o.customer as Record<string, unknown>;
        c.id = 'not-a-number';
        c.orders_count = -1;
        c.tags = 42;
        o.client_details = 'Mozilla';
        o.note_attributes = [{ name: null, value: 'x' }, { name: 'gift', value: 'yes' }, 'junk'];
        o.line_items[0]!.properties = 'engraving: AL';
        o.tags = { rush: true };
        o.financial_status = 7;
        o.total_price = 'three hundred';
        o.current_total_price = 'three hundred';
        o.total_tax = [];
        o.current_total_tax = true;
        o.admin_graphql_api_id = 'gid://shopify/Order/1';
        o.created_at = 'yesterday';
        o.shipping_lines = [{ title: null, price: 'free' }];
        o.total_shipping_price_set = { shop_money: 'ten' };
      }),
    );
    const order = parsed.order!;
    expect(order.id).toBe(`shopify:acme-outdoor:${ORDER_ID}`);
    expect(order.source.externalId).toBe(`gid://shopify/Order/${ORDER_ID}`);
    expect(order.shippingAddress).toMatchObject({ country: 'US', city: 'Brooklyn' });
    expect(order.shippingAddress?.lat).toBeUndefined();
    expect(order.shippingAddress?.lon).toBeUndefined();
    expect(order.customer).toMatchObject({ email: 'ada@example.com', tags: [] });
    expect(order.customer?.id).toBeUndefined();
    expect(order.noteAttributes).toEqual([{ name: 'gift', value: 'yes' }]);
    expect(order.lines[0]?.properties).toEqual([]);
    expect(order.tags).toEqual([]);
    expect(order.paymentStatus).toBe('pending');
    expect(order.clientIp).toBe('203.0.113.7'); // top-level browser_ip
    expect(order.createdAt).toBe(order.updatedAt);
    // unreadable totals fall back: tax 0, shipping 0, total = subtotal + shipping + tax
    expect(order.totals).toEqual({
      subtotal: 35997,
      shipping: 0,
      tax: 0,
      discounts: 0,
      total: 35997,
    });
    expect(parsed.notes.join('\n')).toMatch(/shipping_address\.latitude: dropped "north"/);
    expect(parsed.notes.join('\n')).toMatch(/total_price: ignored unreadable amount/);
    expect(parsed.notes.join('\n')).toMatch(/created_at: ignored unreadable date/);
    expect(parsed.notes.join('\n')).toMatch(/admin_graphql_api_id/);
  });

  it('leaves out an address without an ISO country code, cuts a huge note, converts odd dates', () => {
    const parsed = parse(
      edited((o) => {
        (o.shipping_address as Record<string, unknown>).country_code = 'USA';
        o.note = 'x'.repeat(25_000);
        o.updated_at = '2026-11-27 09:00:05 UTC';
      }),
    );
    expect(parsed.order?.shippingAddress).toBeUndefined();
    expect(parsed.order?.note).toHaveLength(20_000);
    expect(parsed.order?.updatedAt).toBe('2026-11-27T09:00:05.000Z');
    expect(parsed.notes.join('\n')).toMatch(/shipping_address: left out/);
  });

  it('the webhook handler answers 200 for such a payload (it was 400)', async () => {
    const body = edited((o) => {
      (o.shipping_address as Record<string, unknown>).latitude = '40.69';
      (o.billing_address as unknown) = { country_code: 'CA', latitude: '', longitude: 'n/a' };
    });
    let stored = 0;
    const handle = createShopifyWebhookHandler({
      secrets: ['s'],
      ingest: async (events) => {
        stored += events.length;
      },
    });
    const res = await handle({
      method: 'POST',
      headers: {
        ...headers(),
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, 's'),
      },
      rawBody: body,
    });
    expect(res.status, res.body).toBe(200);
    expect(stored).toBe(1);
  });
});

describe('what routing needs still rejects, naming the path', () => {
  it.each([
    ['no id', (o: Json) => delete o.id, /body\.id/],
    ['a non-numeric id', (o: Json) => (o.id = 'abc'), /body\.id: must be a numeric id/],
    [
      'no line items',
      (o: Json) => (o.line_items = []),
      /body\.line_items: an order needs at least one line item/,
    ],
    ['a line without id', (o: Json) => delete o.line_items[0]!.id, /body\.line_items\[0\]\.id/],
    [
      'a fractional quantity',
      (o: Json) => (o.line_items[0]!.quantity = 1.5),
      /body\.line_items\[0\]\.quantity/,
    ],
    [
      'a quantity in words',
      (o: Json) => (o.line_items[1]!.quantity = 'two'),
      /body\.line_items\[1\]\.quantity/,
    ],
    [
      'an unreadable line price',
      (o: Json) => (o.line_items[0]!.price = 'free'),
      /body\.line_items\[0\]\.price: not a decimal amount/,
    ],
    [
      'a price that is an object',
      (o: Json) => (o.line_items[0]!.price = {}),
      /body\.line_items\[0\]\.price: not a money amount/,
    ],
    [
      'no currency',
      (o: Json) => delete o.currency,
      /body\.currency: must be a 3-letter ISO 4217 code/,
    ],
    [
      'no timestamps',
      (o: Json) => {
        delete o.created_at;
        delete o.updated_at;
      },
      /body\.updated_at/,
    ],
  ])('%s', (_, edit, message) => {
    expect(rejection(edited(edit as (o: Json) => void))).toMatch(message);
  });

  it('a line with a valid price_set but no price takes the price_set', () => {
    const parsed = parse(
      edited((o) => {
        delete o.line_items[0]!.price;
        o.line_items[0]!.price_set = { shop_money: { amount: '12.50', currency_code: 'USD' } };
      }),
    );
    expect(parsed.order?.lines[0]).toMatchObject({ id: LINE_1, unitPrice: 1250 });
  });
});

describe('fulfillment payloads: descriptive fields are lenient too', () => {
  const fulfillment = (extra: Record<string, unknown>) =>
    JSON.stringify({
      id: 255858046,
      order_id: 450789469,
      status: 'success',
      line_items: [{ id: 466157049, quantity: 1 }],
      ...extra,
    });
  const parseTopic = (body: string) => parseShopifyWebhook(body, headers('fulfillments/create'));

  it('odd tracking, status, location and gid values do not reject the fulfillment', () => {
    const { events } = parseTopic(
      fulfillment({
        admin_graphql_api_id: 'not-a-gid',
        tracking_company: 42,
        tracking_numbers: ['1Z2345', null, { n: 1 }],
        tracking_urls: 'https://example.com/track',
        location_id: 'warehouse',
        created_at: 17,
      }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      change: {
        kind: 'fulfilled',
        fulfillmentId: 'gid://shopify/Fulfillment/255858046',
        tracking: [{ carrier: '42', number: '1Z2345' }],
      },
    });
  });

  it('the order id and the lines still reject, naming the path', () => {
    expect(() => parseTopic(fulfillment({ order_id: 'abc' }))).toThrow(/body\.order_id/);
    expect(() => parseTopic(fulfillment({ line_items: [{ id: 1, quantity: 'one' }] }))).toThrow(
      /body\.line_items\[0\]\.quantity/,
    );
  });
});

describe('timestamps are never coerced from other types', () => {
  it('cancelled_at: false is no cancellation; a date string is', () => {
    const notCancelled = parse(edited((o) => (o.cancelled_at = false)));
    expect(notCancelled.events.map((e) => e.type)).toEqual(['order.received']);
    expect(notCancelled.notes.join('\n')).toMatch(/cancelled_at: dropped false/);
    const cancelled = parse(edited((o) => (o.cancelled_at = '2026-11-27T10:00:00-05:00')));
    expect(cancelled.events.map((e) => e.type)).toEqual(['order.received', 'order.cancelled']);
  });
});
