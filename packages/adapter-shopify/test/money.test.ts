import { describe, expect, it } from 'vitest';
import { parseLosslessJson, parseShopifyWebhook, toMinorUnits } from '../src';
import { orderText, SHOP } from './fixtures';

type Json = Record<string, unknown> & { line_items: Record<string, unknown>[] };
const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': SHOP };
/** The realistic payload with some fields replaced by raw JSON text (numbers stay numbers). */
const withRaw = (raw: Record<string, string>, options: Parameters<typeof orderText>[0] = {}) => {
  const o = parseLosslessJson(orderText(options)) as Json;
  const marks: Record<string, string> = {};
  for (const [path, text] of Object.entries(raw)) {
    const mark = `@@${Object.keys(marks).length}@@`;
    marks[mark] = text;
    const keys = path.split('.');
    let target = o as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    target[keys.at(-1)!] = mark;
  }
  let body = JSON.stringify(o);
  for (const [mark, text] of Object.entries(marks)) body = body.replace(`"${mark}"`, text);
  return body;
};
const orderOf = (body: string) => parseShopifyWebhook(body, headers).order!;

describe('toMinorUnits: numbers and strings alike are decimal major units', () => {
  it.each([
    [10, 'USD', 1000],
    ['10', 'USD', 1000],
    ['10.5', 'USD', 1050],
    [10.5, 'USD', 1050],
    [0.1, 'USD', 10],
    [19.999, 'USD', 2000],
    [1000, 'JPY', 1000],
    [1000.4, 'JPY', 1000],
    [1.5, 'JPY', 2],
    [1.234, 'KWD', 1234],
    ['1.2345', 'KWD', 1235],
    [1e-7, 'USD', 0],
    [0.005, 'USD', 1],
    [1e21, 'JPY', Number.NaN],
    [-2.5, 'USD', -250],
  ])('%s %s → %s', (amount, currency, minor) => {
    if (Number.isNaN(minor)) expect(() => toMinorUnits(amount, currency)).toThrow(/out of range/);
    else expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it('keeps refusing strings that are not plain decimals', () => {
    for (const bad of ['1e3', '10,50', '', ' ', 'ten', '.', '1.2.3']) {
      expect(() => toMinorUnits(bad, 'USD', 'x')).toThrow(/INVALID_INPUT|not a decimal/);
    }
  });
});

describe('money in a payload: a numeric amount is major units everywhere', () => {
  it('total_shipping_price_set.shop_money.amount: 10 is 10.00 USD, not 10 cents', () => {
    const order = orderOf(withRaw({ 'total_shipping_price_set.shop_money.amount': '10' }));
    expect(order.totals.shipping).toBe(1000);
  });

  it('numeric prices, totals, discounts and shipping lines', () => {
    const order = orderOf(
      withRaw({
        'line_items.0.price': '99.99',
        'line_items.1.price': '60',
        current_subtotal_price: '359.97',
        current_total_price: '384.97',
        current_total_tax: '15',
        current_total_discounts: '0.5',
        'total_shipping_price_set.shop_money.amount': '10.0',
      }),
    );
    expect(order.lines.map((l) => l.unitPrice)).toEqual([9999, 6000]);
    expect(order.totals).toEqual({
      subtotal: 35997,
      shipping: 1000,
      tax: 1500,
      discounts: 50,
      total: 38497,
    });
  });

  it('numeric amounts in price_set and shipping lines (no total_shipping_price_set)', () => {
    const o = parseLosslessJson(orderText()) as Json;
    delete o.line_items[0]!.price;
    o.line_items[0]!.price_set = { shop_money: { amount: 10, currency_code: 'USD' } };
    delete o.total_shipping_price_set;
    o.shipping_lines = [
      { title: 'Ground', price: 4.5 },
      { title: 'Extra', price_set: { shop_money: { amount: 2, currency_code: 'USD' } } },
    ];
    const order = orderOf(JSON.stringify(o));
    expect(order.lines[0]?.unitPrice).toBe(1000);
    expect(order.totals.shipping).toBe(650);
  });

  it('respects currencies with 0 and 3 decimals (JPY, KWD)', () => {
    const jpy = orderOf(
      withRaw(
        { 'line_items.0.price': '1000', 'total_shipping_price_set.shop_money.amount': '500' },
        { currency: 'JPY' },
      ),
    );
    expect(jpy.lines[0]?.unitPrice).toBe(1000);
    expect(jpy.totals.shipping).toBe(500);
    const kwd = orderOf(
      withRaw(
        { 'line_items.0.price': '1.5', 'total_shipping_price_set.shop_money.amount': '0.125' },
        { currency: 'KWD' },
      ),
    );
    expect(kwd.lines[0]?.unitPrice).toBe(1500);
    expect(kwd.totals.shipping).toBe(125);
  });

  it('an integer money literal above 2^53 goes through the decimal path, not the id path', () => {
    // the lossless parser keeps it as exact digits; as money it is out of range, so the
    // optional total falls back to the sum of its parts instead of a rounded float
    const body = withRaw({ current_total_price: '90071992547409930', total_price: 'null' });
    const o = parseLosslessJson(body) as Json;
    expect(o.current_total_price).toBe('90071992547409930');
    const parsed = parseShopifyWebhook(body, headers);
    expect(parsed.order?.totals.total).toBe(35997 + 1000 + 1500);
    expect(parsed.notes?.join('\n')).toMatch(/current_total_price: ignored unreadable amount/);
  });
});

describe('shipping follows the current totals', () => {
  it('current_shipping_price_set wins over total_shipping_price_set (as current_total_price does)', () => {
    const order = orderOf(
      withRaw({
        current_shipping_price_set: '{"shop_money": {"amount": 0, "currency_code": "USD"}}',
        'total_shipping_price_set.shop_money.amount': '10',
      }),
    );
    expect(order.totals.shipping).toBe(0);
  });
});
