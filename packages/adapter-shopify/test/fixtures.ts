/** Realistic Shopify webhook payloads as raw JSON text (ids are 19-digit literals). */

export const SHOP = 'acme-outdoor.myshopify.com';
export const ORDER_ID = '5813624569912345678';
export const LINE_1 = '1421098765432109876';
export const LINE_2 = '1421098765432109877';
export const CUSTOMER_ID = '7340032819283746501';

/** Options that vary a payload. */
export interface OrderTextOptions {
  id?: string;
  updatedAt?: string;
  financialStatus?: string;
  tags?: string;
  note?: string | null;
  customer?: boolean;
  shippingAddress?: boolean;
  nullSku?: boolean;
  cancelledAt?: string | null;
  currency?: string;
  /** SKU of the second line. Default `MUG`. */
  mugSku?: string;
}

/** An `orders/create`-style order payload, as Shopify sends it (2025-07 REST shape). */
export function orderText(o: OrderTextOptions = {}): string {
  const id = o.id ?? ORDER_ID;
  const currency = o.currency ?? 'USD';
  const customer =
    o.customer === false
      ? ''
      : `"customer": {"id": ${CUSTOMER_ID}, "email": "ada@example.com", "phone": null, "tags": "vip, wholesale ,", "currency": "${currency}", "admin_graphql_api_id": "gid://shopify/Customer/${CUSTOMER_ID}"},`;
  const address =
    o.shippingAddress === false
      ? ''
      : `"shipping_address": {"first_name": "Ada", "last_name": "Lovelace", "address1": "1 Main St", "address2": null, "city": "Brooklyn", "province": "New York", "province_code": "NY", "zip": "11201", "country": "United States", "country_code": "US", "phone": "+1 555 0100", "company": null, "latitude": 40.69, "longitude": -73.99, "name": "Ada Lovelace"},`;
  return `{
  "id": ${id},
  "admin_graphql_api_id": "gid://shopify/Order/${id}",
  "app_id": 580111,
  "browser_ip": "203.0.113.7",
  "buyer_accepts_marketing": false,
  "cancel_reason": ${o.cancelledAt ? '"customer"' : 'null'},
  "cancelled_at": ${o.cancelledAt ? `"${o.cancelledAt}"` : 'null'},
  "client_details": {"accept_language": "en-US", "browser_ip": "203.0.113.7", "user_agent": "Mozilla/5.0"},
  "confirmation_number": "XPAV284CT",
  "contact_email": "ada@example.com",
  "created_at": "2026-11-27T04:00:00-05:00",
  "currency": "${currency}",
  "current_subtotal_price": "${currency === 'JPY' ? '35997' : '359.97'}",
  "current_total_discounts": "0.00",
  "current_total_price": "${currency === 'JPY' ? '38497' : '384.97'}",
  "current_total_tax": "15.00",
  "email": "ada@example.com",
  "financial_status": "${o.financialStatus ?? 'paid'}",
  "fulfillment_status": null,
  "name": "#1001",
  "note": ${o.note === undefined ? '"Please gift wrap. Leave at back door."' : JSON.stringify(o.note)},
  "note_attributes": [{"name": "gift", "value": "yes"}, {"name": "count", "value": 3}],
  "order_number": 1001,
  "phone": null,
  "subtotal_price": "359.97",
  "tags": "${o.tags ?? ' rush,  b2b ,,gift'}",
  "test": false,
  "total_price": "384.97",
  "total_shipping_price_set": {"shop_money": {"amount": "10.00", "currency_code": "${currency}"}, "presentment_money": {"amount": "10.00", "currency_code": "${currency}"}},
  "total_tax": "15.00",
  "updated_at": "${o.updatedAt ?? '2026-11-27T04:00:05-05:00'}",
  ${customer}
  ${address}
  "billing_address": null,
  "line_items": [
    {"id": ${LINE_1}, "admin_graphql_api_id": "gid://shopify/LineItem/${LINE_1}", "current_quantity": 3, "fulfillable_quantity": 3, "gift_card": false, "name": "Trail Tee - M", "price": "${currency === 'JPY' ? '9999' : '99.99'}", "product_id": 7513594151012345678, "properties": [{"name": "engraving", "value": "AL"}], "quantity": 3, "requires_shipping": true, "sku": ${o.nullSku ? 'null' : '"TEE-M"'}, "title": "Trail Tee", "variant_id": 42589310812345678, "variant_title": "M", "vendor": "Acme"},
    {"id": ${LINE_2}, "admin_graphql_api_id": "gid://shopify/LineItem/${LINE_2}", "current_quantity": 1, "fulfillable_quantity": 1, "gift_card": false, "name": "Camp Mug", "price": "${currency === 'JPY' ? '6000' : '60.00'}", "product_id": 7513594151012345679, "properties": [], "quantity": 1, "requires_shipping": true, "sku": "${o.mugSku ?? 'MUG'}", "title": "Camp Mug", "variant_id": null, "vendor": "Acme"}
  ],
  "shipping_lines": [{"id": 4412345678901234567, "code": "Express", "price": "10.00", "title": "Express Shipping"}]
}`;
}
