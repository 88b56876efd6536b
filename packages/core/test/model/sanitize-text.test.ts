import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import {
  MAX_LISTED_REPAIRS,
  needsRepair,
  repairEventText,
  sanitizeText,
} from '../../src/model/sanitize-text';

/** Any UTF-16 text: random code units (lone surrogates included), NULs, pairs, emoji. */
const utf16 = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\0', '\ud800', '\udbff', '\udc00', '\udfff', '😀', '👩‍👩‍👧', 'a'),
  ),
});

/** Storable the way PostgreSQL json/jsonb needs: no NUL, no lone surrogate. */
function storable(text: string): boolean {
  return !/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('sanitizeText', () => {
  it('removes NULs and says where, never echoing the text', () => {
    const input = { order: { note: 'ring\u0000 the\u0000 bell' } };
    const { value, repairs } = sanitizeText(input);
    expect(value).toEqual({ order: { note: 'ring the bell' } });
    expect(repairs).toEqual([{ path: 'order.note', nul: 2, surrogates: 0 }]);
    expect(input.order.note).toBe('ring\u0000 the\u0000 bell');
  });

  it.each([
    ['a lone high surrogate', 'a\ud800b', 'a\ufffdb'],
    ['a lone high surrogate at the end', 'ab\udbff', 'ab\ufffd'],
    ['a lone low surrogate', 'a\udc00b', 'a\ufffdb'],
    ['a lone low surrogate first', '\udfffab', '\ufffdab'],
    ['two highs before a low (only the first is lone)', '\ud83d\ud83d\ude00', '\ufffd😀'],
    ['a low before a high (both lone)', '\ude00\ud83d', '\ufffd\ufffd'],
  ])('replaces %s with U+FFFD', (_, text, expected) => {
    const { value, repairs } = sanitizeText({ name: text });
    expect(value.name).toBe(expected);
    expect(repairs).toEqual([
      { path: 'name', nul: 0, surrogates: expected.split('\ufffd').length - 1 },
    ]);
  });

  it('does not join two lone surrogates around a NUL into a new character', () => {
    const { value, repairs } = sanitizeText({ note: '\ud800\u0000\udc00' });
    expect(value.note).toBe('\ufffd\ufffd');
    expect(repairs).toEqual([{ path: 'note', nul: 1, surrogates: 2 }]);
  });

  it('leaves valid surrogate pairs, emoji, ZWJ sequences and other text alone, without copying', () => {
    const input = {
      note: 'gift 🎁 for 👩‍👩‍👧 — ünïcödé 日本語 𝄞 \u0001\u001f\ufffe\uffff',
      tags: ['VIP', '🔥', ''],
      lines: [{ title: 'Tee 👕', properties: [{ name: '🎨', value: 'blue' }] }],
      n: 1,
      ok: true,
      none: null,
    };
    const frozen = Object.freeze(input);
    const result = sanitizeText(frozen);
    expect(result.value).toBe(frozen);
    expect(result.repairs).toEqual([]);
  });

  it('walks nested arrays and objects, copying only the changed branches', () => {
    const untouched = { sku: 'MUG', title: 'Mug' };
    const input = {
      type: 'order.received',
      order: {
        lines: [untouched, { sku: 'TEE', properties: [{ name: 'gift', value: 'yes\u0000' }] }],
        tags: ['a', 'b\ud800'],
        shippingAddress: { name: 'Ada\u0000', city: 'Springfield' },
      },
      deep: [[['x\udc00']]],
    };
    const { value, repairs } = sanitizeText(input);
    expect(repairs.map((r) => r.path)).toEqual([
      'order.lines[1].properties[0].value',
      'order.tags[1]',
      'order.shippingAddress.name',
      'deep[0][0][0]',
    ]);
    expect(value.order.lines[0]).toBe(untouched);
    expect(value.order.lines[1]).toEqual({
      sku: 'TEE',
      properties: [{ name: 'gift', value: 'yes' }],
    });
    expect(value.order.tags).toEqual(['a', 'b\ufffd']);
    expect(value.order.shippingAddress).toEqual({ name: 'Ada', city: 'Springfield' });
    expect(value.deep).toEqual([[['x\ufffd']]]);
    expect(Object.keys(value.order)).toEqual(Object.keys(input.order));
  });

  it('repairs keys, keeping the key order, and names them with `key: true`', () => {
    const input = { a: 1, 'b\u0000c': 2, d: { 'e\ud800': 'f' }, g: 3 };
    const { value, repairs } = sanitizeText(input);
    expect(Object.keys(value)).toEqual(['a', 'bc', 'd', 'g']);
    expect(value).toEqual({ a: 1, bc: 2, d: { 'e\ufffd': 'f' }, g: 3 });
    expect(repairs).toEqual([
      { path: 'bc', key: true, nul: 1, surrogates: 0 },
      { path: 'd["e\ufffd"]', key: true, nul: 0, surrogates: 1 },
    ]);
  });

  it('keeps a `__proto__` key an own property and never touches prototypes', () => {
    const input = JSON.parse('{"__proto__": {"x": "a\\u0000"}, "y": "b"}');
    const { value } = sanitizeText(input);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ x: 'a' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('does not enter dates, maps or class instances, and repairs a bare string', () => {
    const date = new Date(0);
    const map = new Map([['k', 'v\u0000']]);
    expect(sanitizeText({ date, map }).value).toEqual({ date, map });
    expect(sanitizeText('x\u0000').value).toBe('x');
    expect(sanitizeText('x\u0000').repairs[0]?.path).toBe('(root)');
  });

  it('lists at most MAX_LISTED_REPAIRS fields, then one entry summing the rest', () => {
    const tags = Array.from({ length: MAX_LISTED_REPAIRS + 10 }, () => 'x\u0000\u0000');
    const { repairs } = sanitizeText({ tags });
    expect(repairs).toHaveLength(MAX_LISTED_REPAIRS + 1);
    expect(repairs.at(-1)).toEqual({ path: '(10 more fields)', nul: 20, surrogates: 0 });
  });

  it('cuts long paths without splitting a surrogate pair', () => {
    const key = `${'k'.repeat(298)}😀😀`;
    const { repairs } = sanitizeText({ [key]: 'x\u0000' });
    expect(repairs[0]!.path.length).toBeLessThanOrEqual(302);
    expect(storable(repairs[0]!.path)).toBe(true);
  });

  it('survives a cyclic value and refuses an exponential one with INVALID_INPUT', () => {
    const cyclic: Record<string, unknown> = { note: 'a\u0000' };
    cyclic.self = cyclic;
    expect(sanitizeText(cyclic).value).toMatchObject({ note: 'a' });
    let shared: Record<string, unknown> = { s: 'x' };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    let err: unknown;
    try {
      sanitizeText(shared);
    } catch (e) {
      err = e;
    }
    expect(isFulfilError(err, 'INVALID_INPUT')).toBe(true);
  });

  it('property: every string of the result is storable, and clean input comes back as is', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const unicode = fc.anything({
      maxDepth: 4,
      key: utf16,
      values: [utf16, fc.string({ unit: 'grapheme' }), fc.integer()],
    });
    fc.assert(
      fc.property(fc.oneof(json, unicode), (input) => {
        const { value, repairs } = sanitizeText(input);
        const strings: string[] = [];
        JSON.stringify(value, (k, v) => {
          strings.push(k);
          if (typeof v === 'string') strings.push(v);
          return v;
        });
        expect(strings.every(storable)).toBe(true);
        if (repairs.length === 0) expect(value).toBe(input);
        else expect(value).not.toBe(input);
        for (const r of repairs) expect(storable(r.path)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a string becomes what String#toWellFormed gives, less its NULs', () => {
    const toWellFormed = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();
    fc.assert(
      fc.property(utf16, (s) => {
        const { value, repairs } = sanitizeText(s);
        const wellFormed = toWellFormed(s);
        expect(value).toBe(wellFormed.replaceAll('\0', ''));
        const nul = s.split('\0').length - 1;
        const surrogates = [...wellFormed].filter(
          (c, i) => c === '\ufffd' && [...s][i] !== '\ufffd',
        ).length;
        if (nul + surrogates === 0) expect(repairs).toEqual([]);
        else expect(repairs).toEqual([{ path: '(root)', nul, surrogates }]);
      }),
      { numRuns: 500 },
    );
  });

  it('needsRepair matches the definition', () => {
    fc.assert(
      fc.property(utf16, (s) => {
        expect(needsRepair(s)).toBe(!storable(s));
      }),
    );
  });
});

describe('repairEventText', () => {
  it('returns the input itself when nothing needs repair', () => {
    const event = { type: 'order.paid', orderId: 'o1' };
    expect(repairEventText(event)).toBe(event);
  });

  it('adds the repairs to the event, after any the sender listed', () => {
    const prior = { path: 'order.tags[0]', nul: 1, surrogates: 0 };
    const out = repairEventText({ type: 'order.cancelled', reason: 'x\u0000', sanitized: [prior] });
    expect(out).toEqual({
      type: 'order.cancelled',
      reason: 'x',
      sanitized: [prior, { path: 'reason', nul: 1, surrogates: 0 }],
    });
  });
});
