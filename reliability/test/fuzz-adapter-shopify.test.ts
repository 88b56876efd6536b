/**
 * Fuzzing of the Shopify webhook boundary: `parseShopifyWebhook` and the handler, with
 * arbitrary bytes, arbitrary Unicode, and the package's own valid order payloads
 * (`@fulfil/adapter-shopify/testing`) with fields removed, retyped or replaced by hostile
 * text. Bodies are signed with the secret, so they get past the HMAC check. Expected: a
 * typed `FulfilError` from the parser; from the handler a 2xx (the order stored, storable)
 * or a 4xx, never a 500 (Shopify would retry a bad payload forever).
 */
import {
  createShopifyWebhookHandler,
  ORDER_TOPICS,
  parseLosslessJson,
  parseShopifyWebhook,
  STORE_TOPICS,
  signShopifyWebhook,
} from '@fulfil/adapter-shopify';
import { SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  FUZZ_TIMEOUT,
  fuzz,
  hostileBytes,
  hostileJson,
  hostileText,
  jsonText,
  mutated,
  storable,
  typedOnly,
  utf8,
} from './fuzz-helpers';

vi.setConfig({ testTimeout: FUZZ_TIMEOUT });

import { STORE_TOPIC_SEEDS } from './fuzz-shopify-seeds';
import { world } from './fuzz-world';
import { trials } from './report';

const SECRET = 'fuzz-secret';
const TOPICS = [...ORDER_TOPICS, ...STORE_TOPICS, 'app/uninstalled'];
const VALID = parseLosslessJson(shopifyOrderText()) as Record<string, unknown>;

/** Bodies: the valid order mutated (most), any JSON, any text, any bytes. */
const body: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 5, arbitrary: mutated(VALID).map((v) => utf8(jsonText(v))) },
  { weight: 2, arbitrary: hostileJson.map((v) => utf8(jsonText(v))) },
  { weight: 1, arbitrary: hostileText.map(utf8) },
  { weight: 1, arbitrary: hostileBytes },
);

/** A fulfillment topic with its own valid body mutated (and an order to apply it to). */
const storeDelivery = fc.constantFrom(...Object.keys(STORE_TOPIC_SEEDS)).chain((topic) =>
  fc.tuple(
    fc.constant(topic),
    mutated(STORE_TOPIC_SEEDS[topic]).map((v) => utf8(jsonText(v))),
  ),
);

const headersFor = (topic: string, raw: Uint8Array, id: string) => ({
  'content-type': 'application/json',
  'x-shopify-topic': topic,
  'x-shopify-shop-domain': SHOP,
  'x-shopify-webhook-id': id,
  'x-shopify-hmac-sha256': signShopifyWebhook(raw, SECRET),
});

describe('fuzz: Shopify webhooks', () => {
  it('parseShopifyWebhook: a typed error or parsed events, for every topic', async () => {
    await fuzz(
      {
        area: 'adapter-shopify',
        fault: 'parseShopifyWebhook: bytes, Unicode, mutated order payloads, every topic',
        result: 'parsed or INVALID_INPUT; no other error',
      },
      fc.property(fc.constantFrom(...TOPICS), body, hostileText, (topic, raw, id) => {
        try {
          parseShopifyWebhook(raw, headersFor(topic, raw, id || 'w'));
        } catch (err) {
          typedOnly(err);
        }
      }),
      trials(400, 10_000),
    );
  });

  // Fails until adapter-shopify is fixed (found by this property): a lone surrogate in the
  // shop domain makes `shopifyAdminUrl`'s encodeURIComponent throw `URIError: URI malformed`
  // out of parseShopifyWebhook (the handler answers 500 internal_error).
  it('parseShopifyWebhook: hostile header values', async () => {
    const raw = utf8(shopifyOrderText());
    await fuzz(
      {
        area: 'adapter-shopify',
        fault: 'parseShopifyWebhook: hostile topic, shop, webhook id, event id, triggered-at',
        result: 'parsed or INVALID_INPUT; no other error',
      },
      fc.property(
        fc.record({
          'x-shopify-topic': fc.oneof(fc.constantFrom(...TOPICS), hostileText),
          'x-shopify-shop-domain': hostileText,
          'x-shopify-webhook-id': hostileText,
          'x-shopify-event-id': hostileText,
          'x-shopify-triggered-at': fc.oneof(
            hostileText,
            fc.date().map((d) => String(d)),
          ),
        }),
        (headers) => {
          try {
            parseShopifyWebhook(raw, headers);
          } catch (err) {
            typedOnly(err);
          }
        },
      ),
      trials(300, 10_000),
    );
  });

  it('the handler: 2xx with the order stored (storable) or 4xx, never 5xx', async () => {
    const w = world();
    let n = 0;
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      engine: w.engine,
      fulfillmentOrders: {
        fulfillmentOrder: async (id) => ({
          id,
          status: 'open',
          orderId: 'gid://shopify/Order/5813624569912345678',
          holds: [],
        }),
      },
    });
    await fuzz(
      {
        area: 'adapter-shopify',
        fault: 'webhook handler: signed bodies of bytes, Unicode, mutated orders, every topic',
        result: 'every answer 2xx (stored, storable) or 4xx; no 5xx',
      },
      fc.asyncProperty(fc.constantFrom(...TOPICS), body, async (topic, raw) => {
        const out = await handle({
          method: 'POST',
          headers: headersFor(topic, raw, `w-${++n}`),
          rawBody: raw,
        });
        expect(out.status < 500, `status ${out.status}: ${out.body}`).toBe(true);
        if (out.status < 300) {
          for (const r of await w.storage.listOrders({})) expect(storable(r)).toBe(true);
        }
      }),
      trials(300, 5_000),
    );
  });

  it('fulfillment topics: their valid bodies mutated, through the handler onto a stored order', async () => {
    const w = world();
    let n = 0;
    const handle = createShopifyWebhookHandler({
      secrets: [SECRET],
      engine: w.engine,
      fulfillmentOrders: {
        fulfillmentOrder: async (id) => ({
          id,
          status: 'open',
          orderId: 'gid://shopify/Order/5813624569912345678',
          holds: [],
        }),
      },
    });
    const order = utf8(shopifyOrderText());
    const created = await handle({
      method: 'POST',
      headers: headersFor('orders/create', order, 'w-0'),
      rawBody: order,
    });
    expect(created.status).toBe(200);
    await fuzz(
      {
        area: 'adapter-shopify',
        fault: 'fulfillment topics: valid bodies with 1-4 fields mutated, parsed and handled',
        result: 'parser: events or INVALID_INPUT; handler: 2xx (storable) or 4xx, no 5xx',
      },
      fc.asyncProperty(storeDelivery, async ([topic, raw]) => {
        const headers = headersFor(topic, raw, `w-${++n}`);
        try {
          parseShopifyWebhook(raw, headers);
        } catch (err) {
          typedOnly(err);
        }
        const out = await handle({ method: 'POST', headers, rawBody: raw });
        expect(out.status < 500, `status ${out.status}: ${out.body}`).toBe(true);
        for (const r of await w.storage.listOrders({})) expect(storable(r)).toBe(true);
      }),
      trials(300, 5_000),
    );
  });

  it('the handler: unsigned or wrongly signed bodies are 401 (or 405/413/415), never processed', async () => {
    const w = world();
    const handle = createShopifyWebhookHandler({ secrets: [SECRET], engine: w.engine });
    await fuzz(
      {
        area: 'adapter-shopify',
        fault: 'webhook handler: bodies with a forged or missing signature, any method',
        result: 'every answer 401/405/413; nothing stored',
      },
      fc.asyncProperty(
        body,
        fc.option(hostileText),
        fc.constantFrom('POST', 'GET', 'post', 'PUT'),
        async (raw, hmac, method) => {
          const out = await handle({
            method,
            headers: {
              'content-type': 'application/json',
              'x-shopify-topic': 'orders/create',
              'x-shopify-shop-domain': SHOP,
              ...(hmac === null ? {} : { 'x-shopify-hmac-sha256': hmac }),
            },
            rawBody: raw,
          });
          expect([401, 405, 413]).toContain(out.status);
        },
      ),
      trials(200, 5_000),
    );
    expect(await w.storage.listOrders({})).toEqual([]);
  });
});
