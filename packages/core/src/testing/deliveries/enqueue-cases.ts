import { describe, expect, it } from 'vitest';
import type { RawDelivery } from '../../ports/deliveries';
import { AWKWARD_STRINGS, expectCode, gated } from '../helpers';
import { claimAll, type DeliveryCaseContext, keys, LEASE, makeDelivery } from './context';

/** Bodies that break text handling: NULs, 0xFF, invalid UTF-8, every byte value, empty. */
const AWKWARD_BODIES: Record<string, Uint8Array> = {
  empty: new Uint8Array(0),
  nul: new Uint8Array([0x7b, 0x00, 0x7d]),
  'only NULs': new Uint8Array(16),
  '0xFF': new Uint8Array([0xff, 0xfe, 0xff]),
  'invalid UTF-8': new Uint8Array([0xc3, 0x28, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80]),
  'every byte value': Uint8Array.from({ length: 512 }, (_, i) => i % 256),
  'backslashes and quotes': new TextEncoder().encode('\\x00 \\\\ \'"{}'),
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Cases for `enqueue`: storage as received, duplicates, bytes, headers and invalid input. */
export function enqueueCases(ctx: DeliveryCaseContext): void {
  const bodyOf = async (key: string) => {
    const [row] = (await claimAll(ctx)).filter((r) => r.delivery.key === key);
    return row?.delivery.body;
  };

  describe('enqueue', () => {
    it('enqueue resolves queued; claim hands the delivery back verbatim, attempts 0, with a token', async () => {
      const delivery = makeDelivery(1);
      expect(await ctx.queue.enqueue(delivery)).toBe('queued');
      const claimed = await claimAll(ctx);
      expect(claimed).toHaveLength(1);
      expect(claimed[0]!.delivery).toEqual(delivery);
      expect(claimed[0]!.delivery.body).toBeInstanceOf(Uint8Array);
      expect(claimed[0]!.attempts).toBe(0);
      expect(typeof claimed[0]!.claimToken).toBe('string');
      expect(claimed[0]!.claimToken.length).toBeGreaterThan(0);
    });

    it.skipIf(!ctx.canConnect)(
      gated(
        ctx.canConnect,
        'once enqueue resolves, another handle on the same store sees the delivery',
        'the setup has no connect() (one in-process store)',
      ),
      async () => {
        const delivery = makeDelivery(2);
        await ctx.queue.enqueue(delivery);
        const other = await ctx.connect();
        const claimed = await other!.claim({ now: ctx.now, limit: 10, leaseMs: LEASE });
        expect(claimed.map((row) => row.delivery)).toEqual([delivery]);
        expect(await other!.enqueue(makeDelivery(2, { body: new Uint8Array([1]) }))).toBe(
          'duplicate',
        );
      },
    );

    it('the stored body is a copy: changing the input or a claimed body changes nothing', async () => {
      const body = new Uint8Array([1, 2, 3, 4]);
      await ctx.queue.enqueue(makeDelivery(3, { body }));
      body[0] = 99;
      const [first] = await claimAll(ctx);
      expect([...first!.delivery.body]).toEqual([1, 2, 3, 4]);
      first!.delivery.body[1] = 99;
      const [again] = await claimAll(ctx, ctx.now + LEASE);
      expect([...again!.delivery.body]).toEqual([1, 2, 3, 4]);
    });
  });

  describe('duplicates', () => {
    const second = (n: number) =>
      makeDelivery(n, { body: new Uint8Array([9, 9]), source: 'other', receivedAt: 1 });

    it('a key already queued resolves duplicate and leaves the first delivery as it was', async () => {
      const first = makeDelivery(10);
      await ctx.queue.enqueue(first);
      expect(await ctx.queue.enqueue(second(10))).toBe('duplicate');
      expect((await claimAll(ctx)).map((row) => row.delivery)).toEqual([first]);
    });

    it('a key that is claimed, done, failed with a retry or dead resolves duplicate', async () => {
      for (const n of [11, 12, 13, 14]) await ctx.queue.enqueue(makeDelivery(n));
      const claimed = await claimAll(ctx);
      const token = (n: number) => claimed.find((r) => r.delivery.key === makeDelivery(n).key)!;
      await ctx.queue.complete(makeDelivery(12).key, token(12).claimToken);
      await ctx.queue.fail(makeDelivery(13).key, token(13).claimToken, {
        error: 'HTTP 503',
        retryAt: ctx.now + 1_000,
      });
      await ctx.queue.fail(makeDelivery(14).key, token(14).claimToken, { error: 'unparsable' });
      for (const n of [11, 12, 13, 14]) {
        expect(await ctx.queue.enqueue(second(n)), `key ${n}`).toBe('duplicate');
      }
      expect(await ctx.queue.stats()).toEqual({ pending: 2, dead: 1 });
      const retried = await claimAll(ctx, ctx.now + LEASE);
      expect(retried.map((row) => row.delivery)).toEqual([makeDelivery(11), makeDelivery(13)]);
    });

    it('10 concurrent enqueues of one key: exactly one resolves queued', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.queue.enqueue(makeDelivery(20, { receivedAt: i })),
        ),
      );
      expect(results.filter((r) => r === 'queued')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(9);
      expect(keys(await claimAll(ctx))).toEqual([makeDelivery(20).key]);
    });

    it('keys are compared exactly: awkward keys are stored verbatim, case and spaces matter', async () => {
      const all = [...AWKWARD_STRINGS, 'KEY', 'key', 'key '];
      for (const [i, key] of all.entries()) {
        expect(await ctx.queue.enqueue(makeDelivery(30 + i, { key })), key).toBe('queued');
      }
      for (const key of all)
        expect(await ctx.queue.enqueue(makeDelivery(99, { key }))).toBe('duplicate');
      expect(keys(await claimAll(ctx))).toEqual(all);
    });
  });

  describe('bytes and headers', () => {
    for (const [name, body] of Object.entries(AWKWARD_BODIES)) {
      it(`a body with ${name} round-trips byte for byte`, async () => {
        await ctx.queue.enqueue(makeDelivery(40, { body }));
        const back = await bodyOf(makeDelivery(40).key);
        expect(back).toBeInstanceOf(Uint8Array);
        expect(back!.length).toBe(body.length);
        expect(sameBytes(back!, body)).toBe(true);
      });
    }

    it('a 1 MB random body round-trips byte for byte (a Buffer is accepted as a Uint8Array)', async () => {
      const bytes = new Uint8Array(1 << 20);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
      // A Node Buffer when there is one (a Uint8Array subclass), else the plain bytes.
      const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): Uint8Array } }).Buffer;
      const body = NodeBuffer ? NodeBuffer.from(bytes) : bytes;
      await ctx.queue.enqueue(makeDelivery(41, { body }));
      const back = await bodyOf(makeDelivery(41).key);
      expect(back).toBeInstanceOf(Uint8Array);
      expect(sameBytes(back!, bytes)).toBe(true);
    });

    it('headers round-trip exactly: awkward values, NULs, lone surrogates, empty values, none at all', async () => {
      const headers: Record<string, string> = {
        'x-empty': '',
        'x-nul': 'a\u0000b',
        'x-lone-surrogate': 'x\ud800y\udc00',
        'x-Mixed-Case': 'kept',
      };
      AWKWARD_STRINGS.forEach((value, i) => {
        headers[`x-awkward-${i}`] = value;
      });
      await ctx.queue.enqueue(makeDelivery(50, { headers }));
      await ctx.queue.enqueue(makeDelivery(51, { headers: {} }));
      const claimed = await claimAll(ctx);
      expect(claimed.map((row) => row.delivery.headers)).toEqual([headers, {}]);
    });
  });

  describe('invalid deliveries', () => {
    const bad: Record<string, unknown> = {
      'an empty key': makeDelivery(60, { key: '' }),
      'a key that is not a string': { ...makeDelivery(60), key: 60 },
      'a key with a NUL': makeDelivery(60, { key: 'a\u0000b' }),
      'an empty source': makeDelivery(60, { source: '' }),
      'a string body': { ...makeDelivery(60), body: '{"id":60}' },
      'a body that is an array of numbers': { ...makeDelivery(60), body: [123, 125] },
      'a body that is an ArrayBuffer': { ...makeDelivery(60), body: new ArrayBuffer(2) },
      'a missing body': { ...makeDelivery(60), body: undefined },
      'receivedAt NaN': makeDelivery(60, { receivedAt: Number.NaN }),
      'receivedAt Infinity': makeDelivery(60, { receivedAt: Number.POSITIVE_INFINITY }),
      'receivedAt as a string': { ...makeDelivery(60), receivedAt: '2026-01-01T00:00:00Z' },
      'headers null': { ...makeDelivery(60), headers: null },
      'a header value that is not a string': { ...makeDelivery(60), headers: { 'x-n': 1 } },
      'no delivery at all': undefined,
    };
    for (const [name, delivery] of Object.entries(bad)) {
      it(`${name} is refused with INVALID_INPUT and nothing is stored`, async () => {
        await expectCode(ctx.queue.enqueue(delivery as RawDelivery), 'INVALID_INPUT');
        expect(await ctx.queue.stats()).toEqual({ pending: 0, dead: 0 });
        expect(await claimAll(ctx)).toEqual([]);
        expect(await ctx.queue.enqueue(makeDelivery(60))).toBe('queued');
      });
    }
  });
}
