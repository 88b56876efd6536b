import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import {
  Amount,
  BooleanLike,
  Count,
  collectNotes,
  lenient,
  lenientList,
  NumberLike,
  NumericId,
  note,
  Text,
} from './lenient';

/**
 * Shopify's REST order payload (webhooks, REST), as the adapter reads it.
 *
 * Only what routing needs rejects an order: `id`, `line_items` (at least one, each
 * with its `id` and a whole `quantity`), and — checked when normalizing — a known
 * `currency`, a readable line price and a timestamp. Every other field is lenient: a
 * wrong type is coerced when the intent is plain (latitude `"45.41634"`, zip `40202`,
 * `orders_count` `"3"`, `requires_shipping` `"true"`) or dropped, and noted.
 */

const Str = (label: string) => lenient(Text, label);
const Money = (label: string) => lenient(Amount, label);
/** Timestamps are text only: `cancelled_at: false` must not read as a cancellation. */
const Time = (label: string) => lenient(z.string(), label);
const MoneySet = (label: string) =>
  lenient(
    z
      .object({ shop_money: z.object({ amount: Amount, currency_code: Text.nullish() }).loose() })
      .loose(),
    label,
  );
const NameValue = z
  .object({ name: Text, value: z.unknown() })
  .loose()
  .transform((p) => ({ name: p.name, value: p.value }));
const Tags = (label: string) =>
  lenient(
    z.union([
      z.string(),
      z.array(Text.nullish()).transform((l) => l.flatMap((t) => (t ? [t] : []))),
    ]),
    label,
  );

const address = (label: string) =>
  lenient(
    z
      .object({
        name: Str(`${label}.name`),
        first_name: Str(`${label}.first_name`),
        last_name: Str(`${label}.last_name`),
        company: Str(`${label}.company`),
        address1: Str(`${label}.address1`),
        address2: Str(`${label}.address2`),
        city: Str(`${label}.city`),
        province_code: Str(`${label}.province_code`),
        province: Str(`${label}.province`),
        zip: Str(`${label}.zip`),
        country_code: Str(`${label}.country_code`),
        phone: Str(`${label}.phone`),
        latitude: lenient(NumberLike.pipe(z.number().min(-90).max(90)), `${label}.latitude`),
        longitude: lenient(NumberLike.pipe(z.number().min(-180).max(180)), `${label}.longitude`),
      })
      .loose(),
    label,
  );
const ShopifyAddress = address('address');
export type ShopifyAddress = NonNullable<z.output<typeof ShopifyAddress>>;

const LineItem = z
  .object({
    id: NumericId,
    quantity: Count,
    sku: Str('line_items[].sku'),
    title: Str('line_items[].title'),
    name: Str('line_items[].name'),
    current_quantity: lenient(Count, 'line_items[].current_quantity'),
    requires_shipping: lenient(BooleanLike, 'line_items[].requires_shipping'),
    price: z.unknown().optional(),
    price_set: MoneySet('line_items[].price_set'),
    properties: lenientList(NameValue, 'line_items[].properties'),
  })
  .loose();

/** The parts of Shopify's REST order payload (webhooks, REST) the adapter reads. */
export const ShopifyOrderPayload = z
  .object({
    id: NumericId,
    admin_graphql_api_id: Str('admin_graphql_api_id'),
    name: Str('name'),
    email: Str('email'),
    contact_email: Str('contact_email'),
    phone: Str('phone'),
    currency: Str('currency'),
    presentment_currency: Str('presentment_currency'),
    created_at: Time('created_at'),
    updated_at: Time('updated_at'),
    cancelled_at: Time('cancelled_at'),
    cancel_reason: Str('cancel_reason'),
    financial_status: Str('financial_status'),
    fulfillment_status: Str('fulfillment_status'),
    tags: Tags('tags'),
    note: Str('note'),
    note_attributes: lenientList(NameValue, 'note_attributes'),
    browser_ip: Str('browser_ip'),
    client_details: lenient(
      z.object({ browser_ip: Str('client_details.browser_ip') }).loose(),
      'client_details',
    ),
    test: lenient(BooleanLike, 'test'),
    subtotal_price: Money('subtotal_price'),
    subtotal_price_set: MoneySet('subtotal_price_set'),
    current_subtotal_price: Money('current_subtotal_price'),
    current_subtotal_price_set: MoneySet('current_subtotal_price_set'),
    total_price: Money('total_price'),
    total_price_set: MoneySet('total_price_set'),
    current_total_price: Money('current_total_price'),
    current_total_price_set: MoneySet('current_total_price_set'),
    total_tax: Money('total_tax'),
    total_tax_set: MoneySet('total_tax_set'),
    current_total_tax: Money('current_total_tax'),
    current_total_tax_set: MoneySet('current_total_tax_set'),
    total_discounts: Money('total_discounts'),
    total_discounts_set: MoneySet('total_discounts_set'),
    current_total_discounts: Money('current_total_discounts'),
    current_total_discounts_set: MoneySet('current_total_discounts_set'),
    current_shipping_price_set: MoneySet('current_shipping_price_set'),
    total_shipping_price_set: MoneySet('total_shipping_price_set'),
    customer: lenient(
      z
        .object({
          id: lenient(NumericId, 'customer.id'),
          email: Str('customer.email'),
          phone: Str('customer.phone'),
          tags: Tags('customer.tags'),
          orders_count: lenient(Count, 'customer.orders_count'),
        })
        .loose(),
      'customer',
    ),
    shipping_address: address('shipping_address'),
    billing_address: address('billing_address'),
    shipping_lines: lenientList(
      z
        .object({
          title: Str('shipping_lines[].title'),
          code: Str('shipping_lines[].code'),
          price: Money('shipping_lines[].price'),
          price_set: MoneySet('shipping_lines[].price_set'),
        })
        .loose(),
      'shipping_lines',
    ),
    line_items: z.array(LineItem).min(1, 'an order needs at least one line item'),
  })
  .loose();
export type ShopifyOrderPayload = z.output<typeof ShopifyOrderPayload>;
/** What {@link ShopifyOrderPayload} accepts (e.g. built from a GraphQL order). */
export type ShopifyOrderPayloadInput = z.input<typeof ShopifyOrderPayload>;

/**
 * Parses an order payload leniently (see {@link ShopifyOrderPayload}). A REST-style
 * wrapper (`{"order": {...}}`, or `{"orders": [...]}` holding one order) is unwrapped.
 * Throws `INVALID_INPUT` naming the path (`body.line_items[0].quantity: ...`) when what
 * routing needs is missing or wrong; `notes` lists what was coerced or dropped.
 */
export function parseShopifyOrderPayload(
  json: unknown,
  path = 'body',
): { payload: ShopifyOrderPayload; notes: string[] } {
  const { value, notes } = collectNotes(() =>
    parseOrThrow(ShopifyOrderPayload, unwrap(json), path),
  );
  return { payload: value, notes };
}

function unwrap(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || 'id' in json) return json;
  const o = json as Record<string, unknown>;
  if (typeof o.order === 'object' && o.order !== null) {
    note('body: unwrapped the REST wrapper {"order": ...}');
    return o.order;
  }
  if (Array.isArray(o.orders) && o.orders.length === 1) {
    note('body: unwrapped the REST wrapper {"orders": [...]}');
    return o.orders[0];
  }
  return json;
}
