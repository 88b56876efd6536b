/**
 * Request headers as frameworks hand them over: a Fetch `Headers`, Node's
 * `IncomingHttpHeaders` (lower-case keys, arrays for repeats) or a plain object
 * with any casing (AWS Lambda).
 */
export type HeadersLike =
  | Headers
  | Record<string, string | string[] | undefined>
  | ReadonlyMap<string, string>;

/** Reads one header case-insensitively; the first value when repeated. */
export function headerOf(headers: HeadersLike, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (typeof (headers as Headers).get === 'function') {
    const h = headers as Headers | ReadonlyMap<string, string>;
    if (h instanceof Map) {
      for (const [k, v] of h) if (k.toLowerCase() === lower) return v;
      return undefined;
    }
    return (h as Headers).get(lower) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[lower] ?? record[name];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The Shopify webhook headers this adapter reads, each under both names Shopify uses:
 * the unprefixed form (`shopify-topic`, sent by Shopify's newer deliveries and read
 * first by its own libraries: `ShopifyEventsHeader` in `@shopify/shopify-api`,
 * `shopify_app`'s webhook verification) and the legacy `X-Shopify-*` form. The
 * unprefixed name comes first: when both are present and non-empty, it wins.
 */
export const SHOPIFY_WEBHOOK_HEADERS = {
  hmac: ['shopify-hmac-sha256', 'x-shopify-hmac-sha256'],
  topic: ['shopify-topic', 'x-shopify-topic'],
  shopDomain: ['shopify-shop-domain', 'x-shopify-shop-domain'],
  apiVersion: ['shopify-api-version', 'x-shopify-api-version'],
  webhookId: ['shopify-webhook-id', 'x-shopify-webhook-id'],
  eventId: ['shopify-event-id', 'x-shopify-event-id'],
  triggeredAt: ['shopify-triggered-at', 'x-shopify-triggered-at'],
  name: ['shopify-name', 'x-shopify-name'],
  subTopic: ['shopify-sub-topic', 'x-shopify-sub-topic'],
} as const satisfies Record<string, readonly [string, string]>;

/** A header {@link SHOPIFY_WEBHOOK_HEADERS} names. */
export type ShopifyWebhookHeader = keyof typeof SHOPIFY_WEBHOOK_HEADERS;

/**
 * Reads a Shopify webhook header under either name, trimmed: `shopify-{name}` when
 * present and non-empty, else `X-Shopify-{name}`; `undefined` when neither has a value.
 *
 * @example
 * ```ts
 * shopifyHeaderOf({ 'shopify-topic': 'orders/create' }, 'topic'); // 'orders/create'
 * shopifyHeaderOf({ 'X-Shopify-Topic': 'orders/paid' }, 'topic'); // 'orders/paid'
 * ```
 */
export function shopifyHeaderOf(
  headers: HeadersLike,
  header: ShopifyWebhookHeader,
): string | undefined {
  for (const name of SHOPIFY_WEBHOOK_HEADERS[header]) {
    const value = headerOf(headers, name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Every non-empty value of a Shopify webhook header, unprefixed name first (no repeats). */
export function shopifyHeaderValues(headers: HeadersLike, header: ShopifyWebhookHeader): string[] {
  const out: string[] = [];
  for (const name of SHOPIFY_WEBHOOK_HEADERS[header]) {
    const value = headerOf(headers, name)?.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}
