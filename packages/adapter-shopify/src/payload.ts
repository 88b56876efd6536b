import { z } from 'zod';

/** A Shopify numeric id as parsed losslessly: a safe number or a string of digits. */
const NumericId = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/, 'must be a numeric id'),
]);
const Money = z.union([z.string(), z.number()]);
const Str = z.string().nullish();
const NameValue = z.object({ name: z.union([z.string(), z.number()]), value: z.unknown() });

const ShopifyAddress = z
  .object({
    name: Str,
    first_name: Str,
    last_name: Str,
    company: Str,
    address1: Str,
    address2: Str,
    city: Str,
    province_code: Str,
    province: Str,
    zip: Str,
    country_code: Str,
    phone: Str,
    latitude: z.number().nullish(),
    longitude: z.number().nullish(),
  })
  .loose();
export type ShopifyAddress = z.infer<typeof ShopifyAddress>;

const MoneySet = z
  .object({ shop_money: z.object({ amount: Money, currency_code: Str }).loose() })
  .loose()
  .nullish();

/** The parts of Shopify's REST order payload (webhooks, REST) the adapter reads. */
export const ShopifyOrderPayload = z
  .object({
    id: NumericId,
    admin_graphql_api_id: z.string().startsWith('gid://shopify/Order/').optional(),
    name: Str,
    email: Str,
    contact_email: Str,
    phone: Str,
    currency: z.string().length(3, 'must be a 3-letter ISO 4217 code'),
    created_at: z.string(),
    updated_at: z.string(),
    cancelled_at: Str,
    cancel_reason: Str,
    financial_status: Str,
    fulfillment_status: Str,
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    note: Str,
    note_attributes: z.array(NameValue).nullish(),
    browser_ip: Str,
    client_details: z.object({ browser_ip: Str }).loose().nullish(),
    test: z.boolean().nullish(),
    subtotal_price: Money.nullish(),
    current_subtotal_price: Money.nullish(),
    total_price: Money.nullish(),
    current_total_price: Money.nullish(),
    total_tax: Money.nullish(),
    current_total_tax: Money.nullish(),
    total_discounts: Money.nullish(),
    current_total_discounts: Money.nullish(),
    total_shipping_price_set: MoneySet,
    customer: z
      .object({
        id: NumericId.nullish(),
        email: Str,
        phone: Str,
        tags: z.union([z.string(), z.array(z.string())]).nullish(),
        orders_count: z.number().int().nonnegative().nullish(),
      })
      .loose()
      .nullish(),
    shipping_address: ShopifyAddress.nullish(),
    billing_address: ShopifyAddress.nullish(),
    shipping_lines: z
      .array(z.object({ title: Str, code: Str, price: Money.nullish() }).loose())
      .nullish(),
    line_items: z
      .array(
        z
          .object({
            id: NumericId,
            sku: Str,
            title: Str,
            name: Str,
            quantity: z.number().int().nonnegative(),
            current_quantity: z.number().int().nonnegative().nullish(),
            requires_shipping: z.boolean().nullish(),
            price: Money,
            properties: z.array(NameValue).nullish(),
          })
          .loose(),
      )
      .min(1, 'an order needs at least one line item'),
  })
  .loose();
export type ShopifyOrderPayload = z.infer<typeof ShopifyOrderPayload>;
