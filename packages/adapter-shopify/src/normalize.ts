import { type Order, type OrderInput, Order as OrderSchema, parseOrThrow } from '@fulfil/core';
import { toMinorUnits } from './money';
import type { ShopifyAddress, ShopifyOrderPayload } from './payload';

/** How an order is named to the engine and the admin. */
export interface OrderNaming {
  /** The shop's domain, e.g. `acme.myshopify.com`. */
  shop: string;
  /** Engine order id from the shop and the numeric order id. Default {@link defaultOrderId}. */
  orderId?: (shop: string, numericId: string) => string;
}

/** `shopify:{handle}:{numericId}`, e.g. `shopify:acme:820982911946154508`. */
export function defaultOrderId(shop: string, numericId: string): string {
  return `shopify:${shopHandle(shop)}:${numericId}`;
}

/** The store handle of a shop domain: `acme.myshopify.com` → `acme`. */
export function shopHandle(shop: string): string {
  return shop.replace(/^https?:\/\//, '').replace(/\.myshopify\.com\/?$/i, '');
}

/** `https://admin.shopify.com/store/{handle}/orders/{numericId}`. */
export function shopifyAdminUrl(shop: string, numericId: string): string {
  return `https://admin.shopify.com/store/${encodeURIComponent(shopHandle(shop))}/orders/${encodeURIComponent(numericId)}`;
}

/** The numeric part of a `gid://shopify/Order/123` (or the id itself when numeric). */
export function numericIdOf(id: string | number): string {
  const s = String(id);
  const m = /\/(\d+)$/.exec(s);
  return m?.[1] ?? s;
}

/** Splits Shopify's comma-separated tags, trimming and dropping empties. */
export function splitTags(tags: string | string[] | null | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? '').split(',');
  const out: string[] = [];
  for (const t of list.map((x) => x.trim())) if (t !== '' && !out.includes(t)) out.push(t);
  return out;
}

const PAYMENT: Record<string, Order['paymentStatus']> = {
  pending: 'pending',
  authorized: 'authorized',
  paid: 'paid',
  partially_paid: 'partially_paid',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  voided: 'voided',
  expired: 'voided',
};
const EXPEDITED = /express|expedited|overnight|next[ -]?day|priority|2[ -]?day|same[ -]?day/i;

/**
 * Normalizes a Shopify order payload (webhook or REST shape, parsed losslessly)
 * into a core `Order`, validated. Ids stay exact strings; money becomes integer
 * minor units of the order's currency; tags are split and trimmed; a missing
 * customer, note, address or SKU is allowed. Throws `INVALID_INPUT` naming the path.
 */
export function normalizeShopifyOrder(payload: ShopifyOrderPayload, naming: OrderNaming): Order {
  const numericId = String(payload.id);
  const currency = payload.currency.toUpperCase();
  const money = (v: string | number | null | undefined, path: string, fallback = 0) =>
    v === null || v === undefined ? fallback : Math.abs(toMinorUnits(v, currency, `order.${path}`));
  const allLines = payload.line_items.map((li, i) => ({
    id: String(li.id),
    sku: li.sku?.trim() ? li.sku.trim() : null,
    title: li.title ?? li.name ?? undefined,
    quantity: li.current_quantity ?? li.quantity,
    unitPrice: money(li.price, `line_items[${i}].price`),
    requiresShipping: li.requires_shipping ?? true,
    properties: nameValues(li.properties),
  }));
  // Removed lines (current_quantity 0) are dropped, unless nothing would remain.
  const live = allLines.filter((l) => l.quantity > 0);
  const lines =
    live.length > 0
      ? live
      : allLines.map((l, i) => ({ ...l, quantity: payload.line_items[i]?.quantity || 1 }));
  const shippingLine = payload.shipping_lines?.[0];
  const shippingTotal =
    payload.total_shipping_price_set?.shop_money.amount ??
    (payload.shipping_lines ?? []).reduce(
      (sum, l, i) => sum + money(l.price, `shipping_lines[${i}].price`),
      0,
    );
  const c = payload.customer;
  const customerEmail = c?.email ?? payload.email ?? payload.contact_email ?? undefined;
  const input: OrderInput = {
    id: (naming.orderId ?? defaultOrderId)(naming.shop, numericId),
    source: {
      channel: 'shopify',
      store: naming.shop,
      externalId: payload.admin_graphql_api_id ?? `gid://shopify/Order/${numericId}`,
      name: payload.name ?? undefined,
      adminUrl: shopifyAdminUrl(naming.shop, numericId),
    },
    customer:
      c || customerEmail
        ? {
            id: c?.id === null || c?.id === undefined ? undefined : String(c.id),
            email: customerEmail ?? undefined,
            phone: c?.phone ?? payload.phone ?? undefined,
            tags: splitTags(c?.tags),
            ordersCount: c?.orders_count ?? undefined,
          }
        : undefined,
    shippingAddress: address(payload.shipping_address),
    billingAddress: address(payload.billing_address),
    lines,
    note: payload.note ?? null,
    noteAttributes: nameValues(payload.note_attributes),
    tags: splitTags(payload.tags),
    paymentStatus: PAYMENT[payload.financial_status ?? ''] ?? 'pending',
    shipping: {
      method: shippingLine?.title ?? shippingLine?.code ?? undefined,
      expedited: EXPEDITED.test(`${shippingLine?.title ?? ''} ${shippingLine?.code ?? ''}`),
    },
    currency,
    totals: {
      subtotal: money(payload.current_subtotal_price ?? payload.subtotal_price, 'subtotal_price'),
      shipping:
        typeof shippingTotal === 'number'
          ? shippingTotal
          : money(shippingTotal, 'total_shipping_price_set'),
      tax: money(payload.current_total_tax ?? payload.total_tax, 'total_tax'),
      discounts: money(
        payload.current_total_discounts ?? payload.total_discounts,
        'total_discounts',
      ),
      total: money(payload.current_total_price ?? payload.total_price, 'total_price'),
    },
    clientIp: payload.client_details?.browser_ip ?? payload.browser_ip ?? null,
    createdAt: payload.created_at,
    updatedAt: payload.updated_at,
  };
  return parseOrThrow(OrderSchema, input, 'order');
}

function nameValues(list: { name: string | number; value: unknown }[] | null | undefined) {
  return (list ?? []).map((p) => ({
    name: String(p.name),
    value: typeof p.value === 'string' ? p.value : p.value == null ? '' : JSON.stringify(p.value),
  }));
}

function address(a: ShopifyAddress | null | undefined): OrderInput['shippingAddress'] {
  if (!a?.country_code) return undefined;
  const name = a.name ?? ([a.first_name, a.last_name].filter(Boolean).join(' ') || undefined);
  const opt = (v: string | null | undefined) => (v ? v : undefined);
  return {
    name: opt(name),
    company: opt(a.company),
    line1: opt(a.address1),
    line2: opt(a.address2),
    city: opt(a.city),
    province: opt(a.province_code ?? a.province),
    postalCode: opt(a.zip),
    country: a.country_code,
    phone: opt(a.phone),
    lat: a.latitude ?? undefined,
    lon: a.longitude ?? undefined,
  };
}
