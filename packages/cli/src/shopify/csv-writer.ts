import type { OrderInput } from '@fulfil/core';
import { SHOPIFY_ORDER_EXPORT_COLUMNS, type ShopifyExportColumn } from './columns';
import { formatShopifyTime } from './times';

/** What the store did with an order, for the export's status and time columns. */
export interface ExportFacts {
  /** Numeric Shopify id. */
  id: string;
  financialStatus: string;
  paidAt?: number;
  fulfilledAt?: number;
  cancelledAt?: number;
  riskLevel?: 'Low' | 'Medium' | 'High';
  acceptsMarketing?: boolean;
}

/** One CSV cell: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header line of Shopify's order export. */
export function shopifyCsvHeader(): string {
  return SHOPIFY_ORDER_EXPORT_COLUMNS.join(',');
}

const money = (minor: number | undefined) => ((minor ?? 0) / 100).toFixed(2);

/**
 * An order as rows of Shopify's order export: one per line item, order-level columns on
 * the first row only (later rows repeat `Name` and `Email`), as Shopify writes them.
 * Amounts are written with two decimals (the sample store sells in USD).
 */
export function shopifyCsvRows(order: OrderInput, facts: ExportFacts): string[] {
  const ship = order.shippingAddress;
  const bill = order.billingAddress ?? ship;
  const time = (t: number | undefined) => (t === undefined ? '' : formatShopifyTime(t));
  const fulfilled = facts.fulfilledAt !== undefined;
  return order.lines.map((line, i) => {
    const v: Partial<Record<ShopifyExportColumn, string>> = {
      Name: order.source.name ?? `#${facts.id}`,
      Email: order.customer?.email ?? '',
      'Lineitem quantity': String(line.quantity),
      'Lineitem name': line.title ?? line.sku ?? '',
      'Lineitem price': money(line.unitPrice),
      'Lineitem sku': line.sku ?? '',
      'Lineitem requires shipping': String(line.requiresShipping ?? true),
      'Lineitem taxable': 'true',
      'Lineitem fulfillment status': fulfilled ? 'fulfilled' : 'pending',
      'Lineitem discount': '0.00',
    };
    if (i === 0) {
      const addr = (prefix: 'Billing' | 'Shipping', a: typeof ship) => {
        if (!a) return;
        const set = (k: string, value: string | undefined) => {
          v[`${prefix} ${k}` as ShopifyExportColumn] = value ?? '';
        };
        set('Name', a.name);
        set('Street', [a.line1, a.line2].filter(Boolean).join(', '));
        set('Address1', a.line1);
        set('Address2', a.line2);
        set('Company', a.company);
        set('City', a.city);
        set('Zip', a.postalCode);
        set('Province', a.province);
        set('Country', a.country);
        set('Phone', a.phone);
      };
      addr('Billing', bill);
      addr('Shipping', ship);
      const t = order.totals;
      Object.assign(v, {
        'Financial Status': facts.financialStatus,
        'Paid at': time(facts.paidAt),
        'Fulfillment Status': fulfilled ? 'fulfilled' : 'unfulfilled',
        'Fulfilled at': time(facts.fulfilledAt),
        'Accepts Marketing': facts.acceptsMarketing ? 'yes' : 'no',
        Currency: order.currency,
        Subtotal: money(t.subtotal),
        Shipping: money(t.shipping),
        Taxes: money(t.tax),
        Total: money(t.total),
        'Discount Code': (t.discounts ?? 0) > 0 ? 'WELCOME10' : '',
        'Discount Amount': money(t.discounts),
        'Shipping Method': order.shipping?.method ?? '',
        'Created at': time(Date.parse(order.createdAt)),
        Notes: order.note ?? '',
        'Note Attributes': (order.noteAttributes ?? [])
          .map((a) => `${a.name}: ${a.value}`)
          .join('\n'),
        'Cancelled at': time(facts.cancelledAt),
        'Payment Method': 'Shopify Payments',
        'Refunded Amount': '0.00',
        Vendor: '',
        'Outstanding Balance': '0.00',
        Id: facts.id,
        Tags: (order.tags ?? []).join(', '),
        'Risk Level': facts.riskLevel ?? '',
        Source: 'web',
        'Tax 1 Name': (t.tax ?? 0) > 0 ? 'Sales Tax 8%' : '',
        'Tax 1 Value': (t.tax ?? 0) > 0 ? money(t.tax) : '',
        Phone: order.customer?.phone ?? '',
      } satisfies Partial<Record<ShopifyExportColumn, string>>);
    }
    return SHOPIFY_ORDER_EXPORT_COLUMNS.map((c) => csvCell(v[c] ?? '')).join(',');
  });
}
