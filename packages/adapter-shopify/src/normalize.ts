import {
  FulfilError,
  type Order,
  type OrderInput,
  Order as OrderSchema,
  parseOrThrow,
} from '@fulfil/core';
import { toMinorUnits } from './money';
import { currencyOf, externalIdOf, timestamp } from './order-fields';
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
 * Normalizes a Shopify order payload (webhook or REST shape, parsed losslessly and
 * by {@link ShopifyOrderPayload}) into a core `Order`, validated. Ids stay exact
 * strings; money (decimal strings or numbers, both in major units) becomes integer
 * minor units of the order's currency; tags are split and trimmed; a missing
 * customer, note, address or SKU is allowed.
 *
 * Lenient where routing does not depend on a field: an unreadable total falls back
 * (the `*_set` amount, then a sum of the parts), an address without a 2-letter
 * `country_code` is left out, a note is cut at 20,000 characters, an unreadable
 * `created_at` takes `updated_at` (and the reverse); each is pushed to `notes`.
 * Throws `INVALID_INPUT` naming the path for an unknown currency, an unreadable line
 * price or an order with neither timestamp.
 */
export function normalizeShopifyOrder(
  payload: ShopifyOrderPayload,
  naming: OrderNaming,
  notes: string[] = [],
): Order {
  const numericId = String(payload.id);
  const currency = currencyOf(payload);
  const amount = (candidates: [unknown, string][], strict = false): number | undefined => {
    for (const [v, path] of candidates) {
      if (v === null || v === undefined || v === '') continue;
      if (typeof v === 'string' || typeof v === 'number') {
        try {
          return Math.abs(toMinorUnits(v, currency, `body.${path}`));
        } catch (err) {
          if (strict) throw err;
          notes.push(`${path}: ignored unreadable amount ${JSON.stringify(v)}`);
          continue;
        }
      }
      if (strict) {
        throw new FulfilError('INVALID_INPUT', `body.${path}: not a money amount`, {
          details: { path: `body.${path}` },
        });
      }
      notes.push(`${path}: ignored a ${typeof v} where an amount belongs`);
    }
    return undefined;
  };
  const shop = (set: MoneySet) => set?.shop_money.amount;
  const allLines = payload.line_items.map((li, i) => ({
    id: String(li.id),
    sku: li.sku?.trim() ? li.sku.trim() : null,
    title: li.title ?? li.name ?? undefined,
    quantity: li.current_quantity ?? li.quantity,
    unitPrice:
      amount(
        [
          [li.price, `line_items[${i}].price`],
          [shop(li.price_set), `line_items[${i}].price_set.shop_money.amount`],
        ],
        true,
      ) ?? 0,
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
  const shipping =
    amount([
      [shop(payload.current_shipping_price_set), 'current_shipping_price_set.shop_money.amount'],
      [shop(payload.total_shipping_price_set), 'total_shipping_price_set.shop_money.amount'],
    ]) ??
    (payload.shipping_lines ?? []).reduce(
      (sum, l, i) =>
        sum +
        (amount([
          [l.price, `shipping_lines[${i}].price`],
          [shop(l.price_set), `shipping_lines[${i}].price_set.shop_money.amount`],
        ]) ?? 0),
      0,
    );
  const subtotal =
    amount([
      [payload.current_subtotal_price, 'current_subtotal_price'],
      [shop(payload.current_subtotal_price_set), 'current_subtotal_price_set.shop_money.amount'],
      [payload.subtotal_price, 'subtotal_price'],
      [shop(payload.subtotal_price_set), 'subtotal_price_set.shop_money.amount'],
    ]) ?? lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const tax =
    amount([
      [payload.current_total_tax, 'current_total_tax'],
      [shop(payload.current_total_tax_set), 'current_total_tax_set.shop_money.amount'],
      [payload.total_tax, 'total_tax'],
      [shop(payload.total_tax_set), 'total_tax_set.shop_money.amount'],
    ]) ?? 0;
  const discounts =
    amount([
      [payload.current_total_discounts, 'current_total_discounts'],
      [shop(payload.current_total_discounts_set), 'current_total_discounts_set.shop_money.amount'],
      [payload.total_discounts, 'total_discounts'],
      [shop(payload.total_discounts_set), 'total_discounts_set.shop_money.amount'],
    ]) ?? 0;
  const total =
    amount([
      [payload.current_total_price, 'current_total_price'],
      [shop(payload.current_total_price_set), 'current_total_price_set.shop_money.amount'],
      [payload.total_price, 'total_price'],
      [shop(payload.total_price_set), 'total_price_set.shop_money.amount'],
    ]) ?? subtotal + shipping + tax;
  const c = payload.customer;
  const customerEmail = c?.email ?? payload.email ?? payload.contact_email ?? undefined;
  const created = timestamp(payload.created_at, 'created_at', notes);
  const updated = timestamp(payload.updated_at, 'updated_at', notes);
  if (!created && !updated) {
    throw new FulfilError(
      'INVALID_INPUT',
      'body.updated_at: an order needs updated_at or created_at (ISO 8601)',
      { details: { path: 'body.updated_at' } },
    );
  }
  const note = payload.note ?? null;
  if (note && note.length > MAX_NOTE) notes.push(`note: cut to ${MAX_NOTE} characters`);
  const input: OrderInput = {
    id: (naming.orderId ?? defaultOrderId)(naming.shop, numericId),
    source: {
      channel: 'shopify',
      store: naming.shop,
      externalId: externalIdOf(payload.admin_graphql_api_id, numericId, notes),
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
    shippingAddress: address(payload.shipping_address, 'shipping_address', notes),
    billingAddress: address(payload.billing_address, 'billing_address', notes),
    lines,
    note: note === null ? null : note.slice(0, MAX_NOTE),
    noteAttributes: nameValues(payload.note_attributes),
    tags: splitTags(payload.tags),
    paymentStatus: PAYMENT[payload.financial_status?.toLowerCase() ?? ''] ?? 'pending',
    shipping: {
      method: shippingLine?.title ?? shippingLine?.code ?? undefined,
      expedited: EXPEDITED.test(`${shippingLine?.title ?? ''} ${shippingLine?.code ?? ''}`),
    },
    currency,
    totals: { subtotal, shipping, tax, discounts, total },
    clientIp: payload.client_details?.browser_ip ?? payload.browser_ip ?? null,
    createdAt: (created ?? updated) as string,
    updatedAt: (updated ?? created) as string,
  };
  return parseOrThrow(OrderSchema, input, 'order');
}

/** Longest note the core keeps. */
const MAX_NOTE = 20_000;

type MoneySet = ShopifyOrderPayload['total_shipping_price_set'];

function nameValues(list: { name: string; value: unknown }[] | null | undefined) {
  return (list ?? []).map((p) => ({
    name: String(p.name),
    value: typeof p.value === 'string' ? p.value : p.value == null ? '' : JSON.stringify(p.value),
  }));
}

function address(
  a: ShopifyAddress | null | undefined,
  path: string,
  notes: string[],
): OrderInput['shippingAddress'] {
  if (!a) return undefined;
  const country = a.country_code?.trim();
  if (!country || !/^[A-Za-z]{2}$/.test(country)) {
    if (country || Object.values(a).some((v) => v)) {
      notes.push(
        `${path}: left out (country_code ${JSON.stringify(country ?? null)} is not ISO 3166-1 alpha-2)`,
      );
    }
    return undefined;
  }
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
    country,
    phone: opt(a.phone),
    lat: a.latitude ?? undefined,
    lon: a.longitude ?? undefined,
  };
}
