import type { ShopifyOrderPayloadInput } from './payload';

type Money = { shopMoney?: { amount?: string | null } | null } | null | undefined;
type KV = { key: string; value: string | null }[] | null | undefined;

/** An order as `ORDER_FIELDS` selects it. */
export interface GraphqlOrder {
  id: string;
  legacyResourceId?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  displayFinancialStatus?: string | null;
  currencyCode: string;
  tags?: string[] | null;
  note?: string | null;
  clientIp?: string | null;
  customAttributes?: KV;
  currentSubtotalPriceSet?: Money;
  currentTotalPriceSet?: Money;
  currentTotalTaxSet?: Money;
  currentTotalDiscountsSet?: Money;
  totalShippingPriceSet?: Money;
  customer?: {
    id: string;
    legacyResourceId?: string | null;
    email?: string | null;
    phone?: string | null;
    tags?: string[] | null;
    numberOfOrders?: string | number | null;
  } | null;
  shippingAddress?: Record<string, string | number | null> | null;
  shippingLine?: { title?: string | null; code?: string | null } | null;
  lineItems?: {
    nodes: {
      id: string;
      sku?: string | null;
      title?: string | null;
      name?: string | null;
      quantity: number;
      currentQuantity?: number | null;
      requiresShipping?: boolean | null;
      originalUnitPriceSet?: Money;
      customAttributes?: KV;
    }[];
  } | null;
}

const numeric = (gid: string, legacy?: string | null) => legacy ?? /(\d+)$/.exec(gid)?.[1] ?? gid;
const amount = (m: Money) => m?.shopMoney?.amount ?? undefined;
const pairs = (kv: KV) => (kv ?? []).map((p) => ({ name: p.key, value: p.value ?? '' }));

/**
 * Maps a GraphQL order to the REST/webhook payload shape, so one normalizer
 * (`normalizeShopifyOrder`) serves webhooks, fetches and reconciliation alike.
 */
export function graphqlOrderToPayload(o: GraphqlOrder): ShopifyOrderPayloadInput {
  const a = o.shippingAddress;
  const str = (v: string | number | null | undefined) =>
    v === null || v === undefined ? null : String(v);
  return {
    id: numeric(o.id, o.legacyResourceId),
    admin_graphql_api_id: o.id,
    name: o.name,
    email: o.email,
    phone: o.phone,
    currency: o.currencyCode,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    cancelled_at: o.cancelledAt,
    cancel_reason: o.cancelReason?.toLowerCase(),
    financial_status: o.displayFinancialStatus?.toLowerCase(),
    tags: o.tags ?? [],
    note: o.note,
    note_attributes: pairs(o.customAttributes),
    browser_ip: o.clientIp,
    current_subtotal_price: amount(o.currentSubtotalPriceSet),
    current_total_price: amount(o.currentTotalPriceSet),
    current_total_tax: amount(o.currentTotalTaxSet),
    current_total_discounts: amount(o.currentTotalDiscountsSet),
    total_shipping_price_set: o.totalShippingPriceSet?.shopMoney?.amount
      ? { shop_money: { amount: o.totalShippingPriceSet.shopMoney.amount } }
      : undefined,
    customer: o.customer
      ? {
          id: numeric(o.customer.id, o.customer.legacyResourceId),
          email: o.customer.email,
          phone: o.customer.phone,
          tags: o.customer.tags ?? [],
          orders_count:
            o.customer.numberOfOrders == null ? undefined : Number(o.customer.numberOfOrders),
        }
      : null,
    shipping_address: a
      ? {
          name: str(a.name),
          first_name: str(a.firstName),
          last_name: str(a.lastName),
          company: str(a.company),
          address1: str(a.address1),
          address2: str(a.address2),
          city: str(a.city),
          province_code: str(a.provinceCode),
          zip: str(a.zip),
          country_code: str(a.countryCodeV2),
          phone: str(a.phone),
          latitude: typeof a.latitude === 'number' ? a.latitude : null,
          longitude: typeof a.longitude === 'number' ? a.longitude : null,
        }
      : null,
    shipping_lines: o.shippingLine
      ? [{ title: o.shippingLine.title, code: o.shippingLine.code }]
      : [],
    line_items: (o.lineItems?.nodes ?? []).map((li) => ({
      id: numeric(li.id),
      sku: li.sku,
      title: li.title,
      name: li.name,
      quantity: li.quantity,
      current_quantity: li.currentQuantity,
      requires_shipping: li.requiresShipping,
      price: amount(li.originalUnitPriceSet) ?? '0',
      properties: pairs(li.customAttributes),
    })),
  };
}
