import { describe, expect, it } from 'vitest';
import { applyMapping, decodeLineMap, encodeLineMap, parsePath, readShipments } from '../src';
import { expandPath, readPath } from '../src/paths';

const doc = {
  currency: 'JPY',
  orders: [
    {
      id: 1,
      tags: [
        { name: 'a', value: 'x' },
        { name: 'b', value: 'y' },
      ],
      shipments: [{ n: 'one' }, { n: 'two' }],
    },
    { id: 2, tags: [], shipments: [{ n: 'three' }] },
  ],
  'odd.key': { v: 7 },
};
const root = { value: doc, root: doc };
const p = (t: string) => {
  const parsed = parsePath(t);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('paths', () => {
  it('reads fields, indexes, quoted keys and [field=value] filters', () => {
    expect(readPath(p('orders[0].tags[name=b].value'), root)).toBe('y');
    expect(readPath(p('["odd.key"].v'), root)).toBe(7);
    expect(readPath(p('orders[5].id'), root)).toBeUndefined();
  });

  it('expands [*] into records whose parent (^) is the object holding the array', () => {
    const recs = expandPath(p('orders[*].shipments[*]'), root);
    expect(recs.map((r) => readPath(p('n'), r))).toEqual(['one', 'two', 'three']);
    expect(recs.map((r) => readPath(p('^.id'), r))).toEqual([1, 1, 2]);
    expect(readPath(p('^.tags[name=a].value'), recs[0]!)).toBe('x');
    expect(readPath(p('$.currency'), recs[2]!)).toBe('JPY');
  });

  it('refuses malformed paths with a message', () => {
    expect(parsePath('a..b')).toMatch(/empty field name/);
    expect(parsePath('a[')).toMatch(/unclosed/);
    expect(parsePath('a[x]')).toMatch(/not an index/);
  });
});

describe('mappings and transforms', () => {
  it('builds nested bodies, arrays with each, constants and transforms', () => {
    const model = {
      currency: 'USD',
      reference: 'ref-1',
      shipTo: { country: 'us', name: ' Ada ' },
      instructions: ['fragile', '', 'gift'],
      lines: [
        { lineId: 'l1', sku: 'A;B', quantity: 2, unitPrice: 1999 },
        { lineId: 'l=2', sku: 'C*D', quantity: 1, unitPrice: 500 },
      ],
    };
    const body = applyMapping(
      [
        { to: 'ref', from: 'reference', transform: [{ fn: 'hash', length: 12 }] },
        { to: 'to.country', from: 'shipTo.country', transform: 'upper' },
        { to: 'to.name', from: 'shipTo.name', transform: ['trim', 'lower'] },
        { to: 'notes', from: 'instructions', transform: { fn: 'join', separator: ' | ' } },
        { to: 'missing', from: 'nope' },
        { to: 'fallback', from: 'nope', transform: { fn: 'default', value: 'std' } },
        { to: 'kind', const: { a: 1 } },
        { to: 'service', from: 'nope', transform: { fn: 'map', values: {}, fallback: 'ground' } },
        {
          to: 'items',
          each: 'lines',
          fields: [
            { to: 'sku', from: 'sku' },
            { to: 'price', from: 'unitPrice', transform: 'minorToDecimal' },
            { to: 'meta[0].k', const: 'line' },
            { to: 'meta[0].v', from: 'lineId' },
          ],
        },
        { to: 'lines', from: 'lines', transform: 'lineMap' },
      ] as never,
      model,
    );
    expect(body).toEqual({
      ref: expect.stringMatching(/^[0-9a-f]{12}$/),
      to: { country: 'US', name: 'ada' },
      notes: 'fragile | gift',
      fallback: 'std',
      kind: { a: 1 },
      service: 'ground',
      items: [
        { sku: 'A;B', price: 19.99, meta: [{ k: 'line', v: 'l1' }] },
        { sku: 'C*D', price: 5, meta: [{ k: 'line', v: 'l=2' }] },
      ],
      lines: encodeLineMap(model.lines),
    });
    expect(decodeLineMap(body.lines)).toEqual([
      { lineId: 'l1', sku: 'A;B', quantity: 2 },
      { lineId: 'l=2', sku: 'C*D', quantity: 1 },
    ]);
  });

  it('minorToDecimal follows the currency exponent (JPY 0, KWD 3)', () => {
    const rules = [{ to: 'p', from: 'amount', transform: 'minorToDecimal' }] as never;
    const run = (currency: string) => applyMapping(rules, { currency, amount: 1234 });
    expect(run('JPY')).toEqual({ p: 1234 });
    expect(run('KWD')).toEqual({ p: 1.234 });
    expect(run('EUR')).toEqual({ p: 12.34 });
  });

  it('attributes shipped SKUs to lines through the line map, splitting across lines of one SKU', () => {
    const body = {
      order: {
        meta: {
          o: 'o-1',
          s: 's-1',
          lines: encodeLineMap([
            { lineId: 'l1', sku: 'TEE', quantity: 1 },
            { lineId: 'l2', sku: 'TEE', quantity: 2 },
            { lineId: 'l3', sku: 'MUG', quantity: 1 },
          ]),
        },
        parcels: [
          { id: 'p1', track: 'T1', at: '2026-11-27T12:00:00Z', items: [{ sku: 'TEE', q: 2 }] },
        ],
      },
    };
    const out = readShipments(
      {
        each: 'order.parcels',
        orderId: '^.meta.o',
        shipmentId: '^.meta.s',
        lineMap: '^.meta.lines',
        carrier: { const: 'DHL' },
        trackingNumber: 'track',
        vendorShipmentId: 'id',
        shippedAt: 'at',
        lines: { each: 'items', sku: 'sku', quantity: 'q' },
      } as never,
      body,
      { name: 'acme', now: 0 },
    );
    expect(out.unmatched).toEqual([]);
    expect(out.events).toEqual([
      {
        type: 'warehouse.shipped',
        idempotencyKey: 'acme:shipped:s-1:p1',
        occurredAt: '2026-11-27T12:00:00.000Z',
        orderId: 'o-1',
        shipmentId: 's-1',
        tracking: { carrier: 'DHL', number: 'T1' },
        lines: [
          { lineId: 'l1', quantity: 1 },
          { lineId: 'l2', quantity: 1 },
        ],
      },
    ]);
  });
});
