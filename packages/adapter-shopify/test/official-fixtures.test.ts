import { readFileSync } from 'node:fs';
import type { Order, OrderEvent } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { createShopifyWebhookHandler, signShopifyWebhook } from '../src';

/**
 * Order payloads from Shopify's own libraries, copied verbatim (sources, paths and
 * commits in `official/SOURCES.md`), delivered through the webhook handler as every
 * order topic. Before the lenient payload schema, the Python and Ruby fixtures were
 * answered 400 (`latitude`/`longitude` are strings there).
 */

const SHOP = 'bob-norman.myshopify.com';
const SECRET = 'official-fixtures-secret';
const TOPICS = ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled'] as const;
const read = (name: string) => readFileSync(new URL(`official/${name}`, import.meta.url), 'utf8');

interface Expected {
  file: string;
  /** The body as stored (REST-wrapped) and the bare order, as a webhook carries it. */
  bodies: () => string[];
  check: (order: Order) => void;
}

const bare = (text: string, key: 'order' | 'orders') => {
  const json = JSON.parse(text) as { order?: unknown; orders?: unknown[] };
  return JSON.stringify(key === 'order' ? json.order : json.orders?.[0]);
};

const bobAddress = {
  name: 'Bob Norman',
  line1: 'Chestnut Street 92',
  city: 'Louisville',
  province: 'KY',
  postalCode: '40202',
  country: 'US',
  lat: 45.41634,
  lon: -75.6868,
};

function pythonCheck(order: Order) {
  expect(order.id).toBe('shopify:bob-norman:450789469');
  expect(order.source.externalId).toBe('gid://shopify/Order/450789469');
  expect(order.source.name).toBe('#1001');
  expect(order.lines.map((l) => [l.id, l.sku, l.quantity, l.unitPrice])).toEqual([
    ['466157049', 'IPOD2008GREEN', 1, 19900],
    ['518995019', 'IPOD2008RED', 1, 19900],
    ['703073504', 'IPOD2008BLACK', 1, 19900],
  ]);
  expect(order.lines[0]?.properties).toEqual([
    { name: 'Custom Engraving', value: 'Happy Birthday' },
  ]);
  expect(order.currency).toBe('USD');
  expect(order.totals).toEqual({
    subtotal: 39800,
    shipping: 0,
    tax: 1194,
    discounts: 0,
    total: 40994,
  });
  expect(order.paymentStatus).toBe('authorized');
  expect(order.shippingAddress).toMatchObject(bobAddress);
  expect(order.billingAddress).toMatchObject(bobAddress);
  expect(order.customer).toMatchObject({
    id: '207119551',
    email: 'bob.norman@hostmail.com',
    ordersCount: 0,
    tags: [],
  });
  expect(order.noteAttributes).toEqual([
    { name: 'custom engraving', value: 'Happy Birthday' },
    { name: 'colour', value: 'green' },
  ]);
  expect(order.clientIp).toBe('0.0.0.0');
  expect(order.shipping.method).toBe('Free Shipping');
  expect(order.createdAt).toBe('2008-01-10T11:00:00-05:00');
  expect(order.updatedAt).toBe('2008-01-10T11:00:00-05:00');
}

const FIXTURES: Expected[] = [
  {
    file: 'python-order.json',
    bodies: () => [read('python-order.json'), bare(read('python-order.json'), 'order')],
    check: pythonCheck,
  },
  {
    file: 'ruby-order.json',
    bodies: () => [read('ruby-order.json'), bare(read('ruby-order.json'), 'order')],
    check: (order) => {
      // the same order as the Python fixture, with a note
      pythonCheck(order);
      expect(order.note).toBe('Test note');
    },
  },
  {
    file: 'ruby-order-with-properties.json',
    bodies: () => [
      read('ruby-order-with-properties.json'),
      bare(read('ruby-order-with-properties.json'), 'order'),
    ],
    check: (order) => {
      expect(order.id).toBe('shopify:bob-norman:450789469');
      expect(order.lines.map((l) => [l.id, l.sku, l.quantity, l.unitPrice])).toEqual([
        ['466157049', null, 1, 4500],
        ['641254555689', null, 1, 2400],
      ]);
      expect(order.lines[0]?.properties).toHaveLength(4);
      // a property whose value is an object is kept, as JSON text
      expect(order.lines[1]?.properties[0]).toEqual({
        name: 'By default may label with "Roasted for ',
        value: JSON.stringify({
          'Your First Name': {
            '". If you want something specific on the label, enter it here:': '',
          },
        }),
      });
      expect(order.note).toBe('Test note');
      expect(order.totals).toEqual({
        subtotal: 39800,
        shipping: 0,
        tax: 1194,
        discounts: 0,
        total: 40994,
      });
      expect(order.shippingAddress).toMatchObject(bobAddress);
    },
  },
  {
    file: 'python-orders.json',
    bodies: () => [read('python-orders.json'), bare(read('python-orders.json'), 'orders')],
    check: (order) => {
      expect(order.id).toBe('shopify:bob-norman:450789469');
      expect(order.source.externalId).toBe('gid://shopify/Order/450789469');
      expect(order.lines.map((l) => [l.id, l.sku, l.quantity, l.unitPrice])).toEqual([
        ['466157049', 'IPOD2008GREEN', 1, 19900],
        ['518995019', 'IPOD2008RED', 1, 19900],
        ['703073504', 'IPOD2008BLACK', 1, 19900],
      ]);
      expect(order.lines[0]?.properties).toEqual([
        { name: 'Custom Engraving Front', value: 'Happy Birthday' },
        { name: 'Custom Engraving Back', value: 'Merry Christmas' },
      ]);
      expect(order.totals).toEqual({
        subtotal: 59700,
        shipping: 0,
        tax: 1194,
        discounts: 1000,
        total: 59894,
      });
      expect(order.paymentStatus).toBe('partially_refunded');
      expect(order.customer).toMatchObject({
        id: '207119551',
        ordersCount: 1,
        phone: '+16136120707',
      });
      expect(order.shippingAddress).toMatchObject(bobAddress);
    },
  },
  {
    file: 'js-2025-07-orders.json',
    bodies: () => [read('js-2025-07-orders.json'), bare(read('js-2025-07-orders.json'), 'orders')],
    check: (order) => {
      // ids are quoted strings in the 2025-07 docs example
      expect(order.id).toBe('shopify:bob-norman:450789469');
      expect(order.source.externalId).toBe('gid://shopify/Order/450789469');
      // two of the three lines were removed by an edit (current_quantity 0)
      expect(order.lines.map((l) => [l.id, l.sku, l.quantity, l.unitPrice])).toEqual([
        ['518995019', 'IPOD2008RED', 1, 19900],
      ]);
      expect(order.totals).toEqual({
        subtotal: 19567,
        shipping: 0,
        tax: 398,
        discounts: 333,
        total: 19965,
      });
      expect(order.paymentStatus).toBe('partially_refunded');
      expect(order.customer).toMatchObject({
        id: '207119551',
        email: 'bob.norman@mail.example.com',
        phone: '+16136120707',
        tags: ['Léon', 'Noël'],
      });
      expect(order.shippingAddress).toMatchObject({ ...bobAddress, phone: '+1(502)-459-2181' });
    },
  },
];

async function deliver(body: string, topic: string, n: number, unprefixed: boolean) {
  const events: OrderEvent[] = [];
  const handle = createShopifyWebhookHandler({
    secrets: [SECRET],
    ingest: async (batch) => {
      events.push(...batch);
    },
  });
  const p = unprefixed ? 'shopify-' : 'X-Shopify-';
  const response = await handle({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [`${p}Hmac-Sha256`]: signShopifyWebhook(body, SECRET),
      [`${p}Topic`]: topic,
      [`${p}Shop-Domain`]: SHOP,
      [`${p}API-Version`]: '2025-07',
      [`${p}Webhook-Id`]: `wh-${n}`,
      [`${p}Event-Id`]: `ev-${n}`,
      [`${p}Triggered-At`]: '2026-11-27T09:00:06.123Z',
    },
    rawBody: Buffer.from(body, 'utf8'),
  });
  return { response, events };
}

describe("Shopify's own order fixtures through the webhook handler", () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.file}: every order topic, wrapped and bare, old and new header names`, async () => {
      let n = 0;
      for (const body of fixture.bodies()) {
        for (const topic of TOPICS) {
          const { response, events } = await deliver(body, topic, n++, n % 2 === 0);
          expect(response.status, `${topic}: ${response.body}`).toBe(200);
          const [first, ...rest] = events;
          expect(first?.type).toBe(topic === 'orders/create' ? 'order.received' : 'order.updated');
          const order = (first as Extract<OrderEvent, { type: 'order.received' }>).order;
          fixture.check(order);
          expect(rest.map((e) => e.type)).toEqual(
            topic === 'orders/cancelled' ? ['order.cancelled'] : [],
          );
        }
      }
    });
  }
});

describe("Shopify's own fulfillment fixture as fulfillments/create", () => {
  it('python-fulfillment.json: wrapped and bare, the shipped line and its tracking', async () => {
    const text = read('python-fulfillment.json');
    const bodies = [
      text,
      JSON.stringify((JSON.parse(text) as { fulfillment: unknown }).fulfillment),
    ];
    for (const [i, body] of bodies.entries()) {
      const { response, events } = await deliver(body, 'fulfillments/create', 100 + i, i === 0);
      expect(response.status, response.body).toBe(200);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'store.fulfillment_changed',
        orderId: 'shopify:bob-norman:450789469',
        change: {
          kind: 'fulfilled',
          fulfillmentId: 'gid://shopify/Fulfillment/255858046',
          lines: [{ lineId: '466157049', quantity: 1 }],
          tracking: [
            {
              carrier: 'null-company',
              number: '1Z2345',
              url: 'http://www.google.com/search?q=1Z2345',
            },
          ],
        },
      });
    }
  });
});
