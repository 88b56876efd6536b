import { currencyDigits, toMinorUnits } from '../money';

/** The shop domain the fixtures are written for. */
export const SHOP = 'acme-outdoor.myshopify.com';
/** The default order id: 19 digits, above 2^53, so `JSON.parse` would corrupt it. */
export const ORDER_ID = '5813624569912345678';
/** Id of the first line item (19 digits); line `i` gets this id plus `i`. */
export const LINE_1 = '1421098765432109876';
/** Id of the second line item (19 digits). */
export const LINE_2 = '1421098765432109877';
/** Id of the default customer (19 digits). */
export const CUSTOMER_ID = '7340032819283746501';

const PRODUCT_ID = 7513594151012345678n;
const VARIANT_ID = 42589310812345678n;

/** One line item of {@link shopifyOrderText}. Omitted fields get realistic defaults. */
export interface ShopifyLineItemOptions {
  /** Numeric line item id (digits). Default {@link LINE_1} plus the line's index. */
  id?: string;
  /** SKU; `null` as Shopify sends for a product without one. Default `SKU-{n}`. */
  sku?: string | null;
  /** Ordered quantity (also `current_quantity` and `fulfillable_quantity`). Default 1. */
  quantity?: number;
  /** Unit price as Shopify writes it: a decimal string in the order's currency. Default 1000 minor units (10.00 USD). */
  price?: string;
  /** Product title. Default `Item {n}`. */
  title?: string;
  /** Variant title, e.g. `"M"`; `null` for none. Default `null`. */
  variantTitle?: string | null;
  /** Line item properties (`[{ name, value }]`). Default none. */
  properties?: { name: string; value: string }[];
  /** Default `true`. */
  requiresShipping?: boolean;
}

/** Options that vary a {@link shopifyOrderText} payload. Everything is optional. */
export interface ShopifyOrderTextOptions {
  /** Numeric order id (digits, written as a bare JSON number). Default {@link ORDER_ID}. */
  id?: string;
  /** Order name. Default `#1001`. */
  name?: string;
  /** `created_at`. Default `2026-11-27T04:00:00-05:00`. */
  createdAt?: string;
  /** `updated_at`. Default `2026-11-27T04:00:05-05:00`. */
  updatedAt?: string;
  /** `financial_status`. Default `paid`. */
  financialStatus?: string;
  /** Comma-separated `tags`, as Shopify sends them. Default `" rush,  b2b ,,gift"`. */
  tags?: string;
  /** `note`. Default `"Please gift wrap. Leave at back door."`. */
  note?: string | null;
  /** `false` leaves out the `customer` object. Default: a customer with id {@link CUSTOMER_ID}. */
  customer?: boolean;
  /** `false` leaves out the `shipping_address`. Default: an address in Brooklyn, NY, US. */
  shippingAddress?: boolean;
  /** `true` makes the first line's SKU `null`. */
  nullSku?: boolean;
  /** `cancelled_at` (with `cancel_reason: "customer"`). Default `null`. */
  cancelledAt?: string | null;
  /** ISO 4217 currency; amounts follow its minor units (`JPY` has none). Default `USD`. */
  currency?: string;
  /**
   * The line items. Default: two lines, `Trail Tee - M` (SKU `TEE-M`, 3 × 99.99, id
   * {@link LINE_1}) and `Camp Mug` (SKU `MUG`, 1 × 60.00, id {@link LINE_2}). Default
   * prices, shipping and tax are minor units in any currency (JPY: 9999, 6000, 1000, 1500).
   */
  lines?: ShopifyLineItemOptions[];
  /** SKU of the second default line (ignored with `lines`). Default `MUG`. */
  mugSku?: string;
  /** Shipping price, a decimal string in the order's currency. Default 1000 minor units (10.00 USD, 1000 JPY). */
  shippingPrice?: string;
  /** Total tax, a decimal string in the order's currency. Default 1500 minor units (15.00 USD, 1500 JPY). */
  totalTax?: string;
}

/**
 * A realistic Shopify order payload (the 2025-07 REST shape of `orders/create`,
 * `orders/updated`, `orders/paid` and `orders/cancelled` webhooks) as raw JSON text,
 * ready to sign and deliver. Ids are exact 19-digit literals, as Shopify sends them,
 * so only a lossless parser keeps them; money is decimal strings; subtotal and totals
 * are computed from the lines (`total = subtotal + shipping + tax`).
 *
 * The default order: `#1001`, paid, USD, two lines (TEE-M × 3 at 99.99, MUG × 1 at
 * 60.00), express shipping 10.00, tax 15.00, total 384.97, a customer, a shipping
 * address in Brooklyn, tags `" rush,  b2b ,,gift"`, a note and note attributes.
 *
 * @example
 * ```ts
 * import { signShopifyWebhook } from '@fulfil/adapter-shopify';
 * import { ORDER_ID, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
 *
 * // one line, TEE-M × 2 at 25.00: subtotal 50.00, total 75.00
 * const body = shopifyOrderText({ lines: [{ sku: 'TEE-M', quantity: 2, price: '25.00' }] });
 * const hmac = signShopifyWebhook(body, 'test_secret_key');
 * // POST body with X-Shopify-Hmac-Sha256: hmac, X-Shopify-Topic: orders/create, ...
 * // the order's id is `shopify:{shop handle}:${ORDER_ID}`
 * ```
 */
export function shopifyOrderText(o: ShopifyOrderTextOptions = {}): string {
  const id = digits(o.id ?? ORDER_ID, 'id');
  const currency = o.currency ?? 'USD';
  const format = (minor: number) => {
    const d = currencyDigits(currency);
    if (d === 0) return String(minor);
    const s = String(Math.abs(minor)).padStart(d + 1, '0');
    return `${minor < 0 ? '-' : ''}${s.slice(0, -d)}.${s.slice(-d)}`;
  };
  // Defaults are minor units in any currency: 1000 is 10.00 USD, 1000 JPY.
  const minorOf = (amount: string | undefined, fallback: number, path: string) =>
    amount === undefined ? fallback : toMinorUnits(amount, currency, path);

  const given: ShopifyLineItemOptions[] = o.lines ?? [
    {
      sku: 'TEE-M',
      quantity: 3,
      title: 'Trail Tee',
      variantTitle: 'M',
      properties: [{ name: 'engraving', value: 'AL' }],
    },
    { sku: o.mugSku ?? 'MUG', quantity: 1, title: 'Camp Mug' },
  ];
  const defaultPrices = o.lines ? [] : [9999, 6000];
  const specs = given.map((l, i) => ({
    id: l.id === undefined ? String(BigInt(LINE_1) + BigInt(i)) : digits(l.id, `lines[${i}].id`),
    sku: i === 0 && o.nullSku ? null : l.sku === undefined ? `SKU-${i + 1}` : l.sku,
    quantity: l.quantity ?? 1,
    price: minorOf(l.price, defaultPrices[i] ?? 1000, `lines[${i}].price`),
    title: l.title ?? `Item ${i + 1}`,
    variantTitle: l.variantTitle ?? null,
    properties: l.properties ?? [],
    requiresShipping: l.requiresShipping ?? true,
  }));
  const subtotal = specs.reduce((sum, l) => sum + l.quantity * l.price, 0);
  const shipping = minorOf(o.shippingPrice, 1000, 'shippingPrice');
  const tax = minorOf(o.totalTax, 1500, 'totalTax');
  const total = subtotal + shipping + tax;

  const lineItems = specs.map((l, i) => {
    const name = l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title;
    const props = l.properties
      .map((p) => `{"name": ${JSON.stringify(p.name)}, "value": ${JSON.stringify(p.value)}}`)
      .join(', ');
    const variant =
      l.variantTitle === null
        ? `"variant_id": null`
        : `"variant_id": ${VARIANT_ID + BigInt(i)}, "variant_title": ${JSON.stringify(l.variantTitle)}`;
    return `    {"id": ${l.id}, "admin_graphql_api_id": "gid://shopify/LineItem/${l.id}", "current_quantity": ${l.quantity}, "fulfillable_quantity": ${l.quantity}, "gift_card": false, "name": ${JSON.stringify(name)}, "price": "${format(l.price)}", "product_id": ${PRODUCT_ID + BigInt(i)}, "properties": [${props}], "quantity": ${l.quantity}, "requires_shipping": ${l.requiresShipping}, "sku": ${JSON.stringify(l.sku)}, "title": ${JSON.stringify(l.title)}, ${variant}, "vendor": "Acme"}`;
  });

  const customer =
    o.customer === false
      ? ''
      : `"customer": {"id": ${CUSTOMER_ID}, "email": "ada@example.com", "phone": null, "tags": "vip, wholesale ,", "currency": "${currency}", "admin_graphql_api_id": "gid://shopify/Customer/${CUSTOMER_ID}"},`;
  const address =
    o.shippingAddress === false
      ? ''
      : `"shipping_address": {"first_name": "Ada", "last_name": "Lovelace", "address1": "1 Main St", "address2": null, "city": "Brooklyn", "province": "New York", "province_code": "NY", "zip": "11201", "country": "United States", "country_code": "US", "phone": "+1 555 0100", "company": null, "latitude": 40.69, "longitude": -73.99, "name": "Ada Lovelace"},`;
  const money = (minor: number) =>
    `{"shop_money": {"amount": "${format(minor)}", "currency_code": "${currency}"}, "presentment_money": {"amount": "${format(minor)}", "currency_code": "${currency}"}}`;
  return `{
  "id": ${id},
  "admin_graphql_api_id": "gid://shopify/Order/${id}",
  "app_id": 580111,
  "browser_ip": "203.0.113.7",
  "buyer_accepts_marketing": false,
  "cancel_reason": ${o.cancelledAt ? '"customer"' : 'null'},
  "cancelled_at": ${o.cancelledAt ? JSON.stringify(o.cancelledAt) : 'null'},
  "client_details": {"accept_language": "en-US", "browser_ip": "203.0.113.7", "user_agent": "Mozilla/5.0"},
  "confirmation_number": "XPAV284CT",
  "contact_email": "ada@example.com",
  "created_at": ${JSON.stringify(o.createdAt ?? '2026-11-27T04:00:00-05:00')},
  "currency": "${currency}",
  "current_subtotal_price": "${format(subtotal)}",
  "current_total_discounts": "${format(0)}",
  "current_total_price": "${format(total)}",
  "current_total_tax": "${format(tax)}",
  "email": "ada@example.com",
  "financial_status": ${JSON.stringify(o.financialStatus ?? 'paid')},
  "fulfillment_status": null,
  "name": ${JSON.stringify(o.name ?? '#1001')},
  "note": ${o.note === undefined ? '"Please gift wrap. Leave at back door."' : JSON.stringify(o.note)},
  "note_attributes": [{"name": "gift", "value": "yes"}, {"name": "count", "value": 3}],
  "order_number": 1001,
  "phone": null,
  "subtotal_price": "${format(subtotal)}",
  "tags": ${JSON.stringify(o.tags ?? ' rush,  b2b ,,gift')},
  "test": false,
  "total_price": "${format(total)}",
  "total_shipping_price_set": ${money(shipping)},
  "total_tax": "${format(tax)}",
  "updated_at": ${JSON.stringify(o.updatedAt ?? '2026-11-27T04:00:05-05:00')},
  ${customer}
  ${address}
  "billing_address": null,
  "line_items": [
${lineItems.join(',\n')}
  ],
  "shipping_lines": [{"id": 4412345678901234567, "code": "Express", "price": "${format(shipping)}", "title": "Express Shipping"}]
}`;
}

function digits(id: string, path: string): string {
  if (!/^\d+$/.test(id)) throw new TypeError(`shopifyOrderText: ${path} must be digits: "${id}"`);
  return id;
}
