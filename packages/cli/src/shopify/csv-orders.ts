import type { Readable } from 'node:stream';
import {
  normalizeShopifyOrder,
  type ShopifyOrderPayload,
  splitTags,
} from '@fulfil/adapter-shopify';
import { FulfilError } from '@fulfil/core';
import { parse } from 'csv-parse';
import { REQUIRED_COLUMNS, type ShopifyExportColumn } from './columns';
import { completeOrder, type ReadOptions, type SourceOrder } from './source-order';
import { parseShopifyTime } from './times';

type Row = { cells: string[]; row: number };

const PAYMENT = new Set([
  'pending',
  'authorized',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
  'expired',
]);

/**
 * Reads Shopify's order export CSV as a stream (one row per line item, rows of one order
 * next to each other) and yields one normalized order at a time; the file is never held
 * whole. A malformed row is reported through `onProblem` with its row number (the header is
 * row 1) and skipped; an order whose first row is malformed is skipped whole. Throws
 * `INVALID_INPUT` for an empty file, a header that lacks required columns (listing them),
 * or a file with a header and no order.
 */
export async function* readShopifyCsv(
  input: Readable,
  options: ReadOptions,
): AsyncGenerator<SourceOrder> {
  const parser = input.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  // Records csv-parse skipped: its record count does not include them, so rows add them back.
  let unreadable = 0;
  /** Records read so far, the header included (csv-parse's `info.records`, without its cost). */
  let records = 0;
  parser.on('skip', (err: Error & { lines?: number; records?: number }) => {
    unreadable++;
    options.onProblem({
      row: (err.records ?? 0) + unreadable,
      message: `unreadable CSV (${err.message.replace(/^[^:]*: /, '')}); skipped`,
    });
  });
  let index: Map<string, number> | undefined;
  let width = 0;
  let group: Row[] = [];
  let groupKey = '';
  let orders = 0;
  const cell = (r: Row, name: ShopifyExportColumn) => {
    const i = index?.get(name);
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };
  const flush = () => {
    const rows = group;
    group = [];
    return rows.length === 0 ? undefined : toOrder(rows, cell, options);
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    const row = ++records + unreadable;
    if (index === undefined) {
      index = new Map(record.map((h, i) => [h.trim(), i]));
      width = record.length;
      const missing = REQUIRED_COLUMNS.filter((c) => !index?.has(c));
      if (missing.length > 0) {
        throw new FulfilError(
          'INVALID_INPUT',
          `not a Shopify order export: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (found: ${record.slice(0, 8).join(', ')}${record.length > 8 ? ', ...' : ''})`,
          { details: { missing } },
        );
      }
      continue;
    }
    if (record.length !== width) {
      options.onProblem({
        row,
        message: `${record.length} cells where the header has ${width}; skipped`,
      });
      continue;
    }
    const r: Row = { cells: record, row };
    const key = cell(r, 'Name');
    if (key === '') {
      options.onProblem({ row, message: 'no order "Name"; skipped' });
      continue;
    }
    if (key !== groupKey && group.length > 0) {
      const order = flush();
      if (order) {
        orders++;
        yield order;
      }
    }
    groupKey = key;
    group.push(r);
  }
  if (index === undefined)
    throw new FulfilError('INVALID_INPUT', 'the file is empty (no header row)');
  const last = flush();
  if (last) {
    orders++;
    yield last;
  }
  if (orders === 0) {
    throw new FulfilError(
      'INVALID_INPUT',
      'no readable order in the file (only a header, or every row was skipped)',
    );
  }
}

function toOrder(
  rows: Row[],
  cell: (r: Row, name: ShopifyExportColumn) => string,
  options: ReadOptions,
): SourceOrder | undefined {
  const first = rows[0] as Row;
  const name = cell(first, 'Name');
  const skip = (message: string) => {
    options.onProblem({ row: first.row, message: `order ${name}: ${message}; skipped` });
    return undefined;
  };
  const createdAt = parseShopifyTime(cell(first, 'Created at'));
  if (createdAt === undefined || Number.isNaN(createdAt))
    return skip(`"Created at" ${JSON.stringify(cell(first, 'Created at'))} is not a time`);
  const financial = cell(first, 'Financial Status').toLowerCase();
  if (!PAYMENT.has(financial))
    return skip(
      `"Financial Status" ${JSON.stringify(cell(first, 'Financial Status'))} is not a Shopify payment status`,
    );
  const times: Partial<Record<'paidAt' | 'fulfilledAt' | 'cancelledAt', number>> = {};
  for (const [key, column] of [
    ['paidAt', 'Paid at'],
    ['fulfilledAt', 'Fulfilled at'],
    ['cancelledAt', 'Cancelled at'],
  ] as const) {
    const t = parseShopifyTime(cell(first, column));
    if (t !== undefined && Number.isNaN(t))
      return skip(`"${column}" ${JSON.stringify(cell(first, column))} is not a time`);
    if (t !== undefined) times[key] = t;
  }
  const lines: ShopifyOrderPayload['line_items'] = [];
  for (const r of rows) {
    const qty = cell(r, 'Lineitem quantity');
    const price = cell(r, 'Lineitem price');
    if (!/^\d{1,9}$/.test(qty) || Number(qty) < 1) {
      options.onProblem({
        row: r.row,
        message: `order ${name}: "Lineitem quantity" ${JSON.stringify(qty)} is not a positive whole number; line skipped`,
      });
      continue;
    }
    if (!/^-?\d+(\.\d+)?$/.test(price)) {
      options.onProblem({
        row: r.row,
        message: `order ${name}: "Lineitem price" ${JSON.stringify(price)} is not an amount; line skipped`,
      });
      continue;
    }
    lines.push({
      id: String(lines.length + 1),
      sku: cell(r, 'Lineitem sku') || null,
      title: cell(r, 'Lineitem name') || null,
      quantity: Number(qty),
      price,
      requires_shipping: cell(r, 'Lineitem requires shipping') !== 'false',
    });
  }
  if (lines.length === 0) return skip('no readable line item');
  const id = cell(first, 'Id') || /\d+/.exec(name)?.[0];
  if (!id || !/^\d+$/.test(id)) return skip('no numeric "Id" (and none in the name)');
  const address = (prefix: 'Billing' | 'Shipping') => {
    const c = (suffix: string) => cell(first, `${prefix} ${suffix}` as ShopifyExportColumn);
    if (!c('Country') && !c('Address1') && !c('City')) return null;
    return {
      name: c('Name') || null,
      company: c('Company') || null,
      address1: c('Address1') || c('Street') || null,
      address2: c('Address2') || null,
      city: c('City') || null,
      province_code: c('Province') || null,
      zip: c('Zip').replace(/^'/, '') || null,
      country_code: c('Country') || null,
      phone: c('Phone') || null,
    };
  };
  const amount = (column: ShopifyExportColumn) => cell(first, column) || undefined;
  // Built as the payload schema's output: every value is text, a checked number or null,
  // which the schema (meant for JSON from outside) would pass through unchanged, so the
  // order is validated once, by the normalizer, and again when the engine ingests it.
  const payload: ShopifyOrderPayload = {
    id,
    name,
    email: cell(first, 'Email') || null,
    phone: cell(first, 'Phone') || null,
    currency: cell(first, 'Currency'),
    created_at: new Date(createdAt).toISOString(),
    updated_at: new Date(createdAt).toISOString(),
    // The order as it arrived: paid later when "Paid at" says so, cancellation replayed later.
    financial_status:
      times.paidAt !== undefined && times.paidAt > createdAt + 60_000 ? 'pending' : financial,
    tags: splitTags(cell(first, 'Tags')),
    note: cell(first, 'Notes') || null,
    note_attributes: noteAttributes(cell(first, 'Note Attributes')),
    subtotal_price: amount('Subtotal'),
    total_price: amount('Total'),
    total_tax: amount('Taxes'),
    total_discounts: amount('Discount Amount'),
    shipping_lines: [{ title: cell(first, 'Shipping Method') || null, price: amount('Shipping') }],
    shipping_address: address('Shipping'),
    billing_address: address('Billing'),
    line_items: lines,
  };
  try {
    const order = normalizeShopifyOrder(payload, { shop: options.shop ?? 'shopify-export' });
    return {
      order: completeOrder(order, {
        ...(options.kits ? { kits: options.kits } : {}),
        riskLevel: cell(first, 'Risk Level'),
      }),
      row: first.row,
      ...times,
    };
  } catch (err) {
    return skip((err as Error).message);
  }
}

/** `Note Attributes` cells hold one `name: value` per line. */
function noteAttributes(cell: string): { name: string; value: string }[] {
  if (!cell) return [];
  return cell.split(/\r?\n/).flatMap((line) => {
    const at = line.indexOf(':');
    if (at <= 0) return [];
    return [{ name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() }];
  });
}
