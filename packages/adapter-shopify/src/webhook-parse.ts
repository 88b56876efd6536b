import { createHash } from 'node:crypto';
import {
  FulfilError,
  type OrderEvent,
  OrderEvent as OrderEventSchema,
  parseOrThrow,
} from '@fulfil/core';
import { type HeadersLike, shopifyHeaderOf } from './headers';
import { parseLosslessJson } from './lossless-json';
import { defaultOrderId, normalizeShopifyOrder, numericIdOf, type OrderNaming } from './normalize';
import { parseShopifyOrderPayload } from './payload';
import { type PendingStoreChanges, parseStoreTopic, STORE_TOPICS } from './store-webhooks';

/** Topics turned into events. Other topics parse to no events (acknowledge and drop). */
export const ORDER_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
] as const;

/** Options of {@link parseShopifyWebhook}. */
export interface ParseWebhookOptions {
  /** The shop when the request has no `shopify-shop-domain` / `X-Shopify-Shop-Domain` header. */
  shop?: string;
  /** Engine order id from shop and numeric id. Default `shopify:{handle}:{numericId}`. */
  orderId?: OrderNaming['orderId'];
  /**
   * Shopify location (gid or numeric id) → engine location id, so moves and
   * fulfillments in the store name the engine's locations. Unmapped locations are
   * reported by their Shopify id only.
   */
  locations?: Readonly<Record<string, string>>;
}

/** A verified webhook, parsed. */
export interface ParsedShopifyWebhook {
  topic: string;
  shop: string;
  /** `shopify-webhook-id` / `X-Shopify-Webhook-Id`: unique per delivery (retries share it). */
  webhookId: string | undefined;
  /** `shopify-event-id` / `X-Shopify-Event-Id`: shared by all deliveries of one merchant action. */
  eventId: string | undefined;
  /** `shopify-triggered-at` / `X-Shopify-Triggered-At`. */
  triggeredAt: string | undefined;
  /** `shopify-api-version` / `X-Shopify-API-Version`. */
  apiVersion: string | undefined;
  /** `shopify-name` / `X-Shopify-Name`: the subscription's name, when it has one. */
  name?: string | undefined;
  /**
   * What lenient parsing coerced or dropped in an order payload (a latitude written
   * as a string, an unreadable optional amount, ...). Empty when nothing was.
   */
  notes: string[];
  /** The normalized order (order topics). */
  order: import('@fulfil/core').Order | undefined;
  /** Events to ingest, in order. Empty for topics this adapter does not handle. */
  events: OrderEvent[];
  /**
   * Fulfillment-order topics do not name their order: these changes become events
   * once the fulfillment order is looked up (`resolvePendingChanges`; the handler
   * does it when given `fulfillmentOrders`).
   */
  pending?: PendingStoreChanges;
}

/**
 * Parses a (verified) Shopify webhook into core events. The body is parsed
 * losslessly: 19-digit ids stay exact strings.
 *
 * - `orders/create` → `order.received`;
 * - `orders/updated` and `orders/paid` → `order.updated` with `upstreamUpdatedAt` =
 *   the payload's `updated_at` (the payload is the whole order, so a paid or updated
 *   notice that arrives before `orders/create` still creates the order, and an
 *   older delivery arriving late is recognised as stale);
 * - `orders/cancelled`, and any order payload with `cancelled_at` set, adds an
 *   `order.cancelled` after the order event (keyed per order, so it runs once);
 * - fulfillment topics (`fulfillment_orders/placed_on_hold`, `hold_released`,
 *   `moved`, `cancelled`, `fulfillment_holds/added|released`, `fulfillments/create|update`)
 *   → `store.fulfillment_changed`; holds this app placed are left out (they echo
 *   back). Fulfillment-order topics come back as `pending` (their order is looked up).
 *
 * Headers are read under both names Shopify uses, `shopify-topic` and
 * `X-Shopify-Topic` (and so on, case-insensitively); when both are present the
 * unprefixed one wins, as in Shopify's own libraries.
 *
 * Idempotency keys: `shopify:{shop}:{topic}:{event id}` (all deliveries of one
 * action), else `…:webhook:{webhook id}`, else the order's gid and `updated_at` —
 * the same whichever header names carried them. Throws `INVALID_INPUT` (message
 * names the path) on invalid JSON or when what routing needs is invalid; optional
 * fields of the wrong type are coerced or dropped (see `notes`).
 *
 * @example
 * ```ts
 * const parsed = parseShopifyWebhook(rawBody, headers);
 * for (const event of parsed.events) await engine.ingest(event);
 * ```
 */
export function parseShopifyWebhook(
  rawBody: Uint8Array | string,
  headers: HeadersLike,
  options: ParseWebhookOptions = {},
): ParsedShopifyWebhook {
  const topic = canonicalTopic(shopifyHeaderOf(headers, 'topic'));
  if (!topic) {
    throw invalid('headers.x-shopify-topic', 'missing shopify-topic (or X-Shopify-Topic) header');
  }
  const shop = shopifyHeaderOf(headers, 'shopDomain') || options.shop;
  if (!shop) {
    throw invalid(
      'headers.x-shopify-shop-domain',
      'missing shopify-shop-domain (or X-Shopify-Shop-Domain) header',
    );
  }
  if (!SHOP_DOMAIN.test(shop)) {
    // It names the order and builds the admin link: `..`, `/`, a lone surrogate must not.
    throw invalid(
      'headers.x-shopify-shop-domain',
      'shop domain must be a host name such as acme.myshopify.com',
    );
  }
  const meta = {
    topic,
    shop,
    webhookId: shopifyHeaderOf(headers, 'webhookId'),
    eventId: shopifyHeaderOf(headers, 'eventId'),
    triggeredAt: shopifyHeaderOf(headers, 'triggeredAt'),
    apiVersion: shopifyHeaderOf(headers, 'apiVersion'),
    name: shopifyHeaderOf(headers, 'name'),
  };
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  if (text.trim() === '') throw invalid('body', 'empty body');
  let json: unknown;
  try {
    json = parseLosslessJson(text);
  } catch (cause) {
    throw invalid('body', `invalid JSON: ${(cause as Error).message}`, cause);
  }
  const base = `shopify:${shop}:${topic}`;
  const deliveryKey = meta.eventId
    ? `${base}:${meta.eventId}`
    : meta.webhookId
      ? `${base}:webhook:${meta.webhookId}`
      : undefined;
  if ((STORE_TOPICS as readonly string[]).includes(topic)) {
    const naming = options.orderId ?? defaultOrderId;
    const store = parseStoreTopic(
      {
        topic,
        shop,
        key: deliveryKey ?? `${base}:body:${createHash('sha256').update(text).digest('base64url')}`,
        occurredAt: validIso(meta.triggeredAt) ?? new Date().toISOString(),
        ...(options.locations ? { locations: options.locations } : {}),
        orderIdOf: (numericId) => naming(shop, numericId),
      },
      json,
    );
    return { ...meta, order: undefined, notes: [], ...store };
  }
  if (!(ORDER_TOPICS as readonly string[]).includes(topic)) {
    return { ...meta, order: undefined, notes: [], events: [] };
  }
  const { payload, notes } = parseShopifyOrderPayload(json, 'body');
  const order = normalizeShopifyOrder(payload, { shop, orderId: options.orderId }, notes);
  const key = deliveryKey ?? `${base}:${order.source.externalId}:${order.updatedAt}`;
  const occurredAt = validIso(meta.triggeredAt) ?? order.updatedAt;
  const events: unknown[] = [];
  if (topic === 'orders/create') {
    events.push({ type: 'order.received', idempotencyKey: key, occurredAt, order });
  } else {
    events.push({
      type: 'order.updated',
      idempotencyKey: key,
      occurredAt,
      order,
      upstreamUpdatedAt: order.updatedAt,
    });
  }
  if (topic === 'orders/cancelled' || payload.cancelled_at) {
    events.push({
      type: 'order.cancelled',
      idempotencyKey: `shopify:${shop}:cancelled:${order.source.externalId}`,
      occurredAt: validIso(payload.cancelled_at) ?? occurredAt,
      orderId: order.id,
      reason: payload.cancel_reason ?? undefined,
    });
  }
  return {
    ...meta,
    order,
    notes,
    events: events.map((e, i) => parseOrThrow(OrderEventSchema, e, `events[${i}]`)),
  };
}

/**
 * The engine order id an order webhook (`orders/*`) is about, read from its top-level `id`
 * without validating the rest (acknowledge-on-receipt answers name the order before it is
 * parsed). `undefined` for other topics, a missing shop or an unreadable body. Never throws.
 */
export function peekOrderId(
  rawBody: Uint8Array | string,
  headers: HeadersLike,
  options: ParseWebhookOptions = {},
): string | undefined {
  try {
    const topic = canonicalTopic(shopifyHeaderOf(headers, 'topic'));
    if (!(ORDER_TOPICS as readonly string[]).includes(topic ?? '')) return undefined;
    const shop = shopifyHeaderOf(headers, 'shopDomain') || options.shop;
    if (!shop || !SHOP_DOMAIN.test(shop)) return undefined;
    const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
    const id = (parseLosslessJson(text) as { id?: unknown } | null)?.id;
    if ((typeof id !== 'string' && typeof id !== 'number') || !/^\d+$/.test(numericIdOf(id)))
      return undefined;
    return (options.orderId ?? defaultOrderId)(shop, numericIdOf(id));
  } catch {
    return undefined;
  }
}

const KNOWN_TOPICS = new Map(
  [...ORDER_TOPICS, ...STORE_TOPICS].map((t) => [t.replace(/\//g, '_'), t] as const),
);

/**
 * A handled topic in Shopify's header form (`orders/create`), whatever its case or
 * separator (`ORDERS_CREATE`, as Shopify's libraries store topics); others as given.
 */
function canonicalTopic(topic: string | undefined): string | undefined {
  if (!topic) return topic;
  return KNOWN_TOPICS.get(topic.toLowerCase().replace(/\//g, '_')) ?? topic;
}

function validIso(s: string | null | undefined): string | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A DNS host name (`acme.myshopify.com`), as Shopify sends in the shop-domain header. */
const SHOP_DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

function invalid(path: string, message: string, cause?: unknown): FulfilError {
  return new FulfilError('INVALID_INPUT', `${path}: ${message}`, { cause, details: { path } });
}
