import { describe, expect, it } from 'vitest';
import { expectCode, gated } from '../helpers';
import { claimAll, type DeliveryCaseContext, keys, LEASE, makeDelivery } from './context';

/** Cases for `claim`, `complete`, `fail` and `stats`: order, leases, fencing, retries, dead rows. */
export function claimCases(ctx: DeliveryCaseContext): void {
  const enqueue = async (...ns: number[]) => {
    for (const n of ns) await ctx.queue.enqueue(makeDelivery(n));
  };
  const key = (n: number) => makeDelivery(n).key;

  describe('claims', () => {
    it('claim hands out the oldest receivedAt first, whatever the enqueue order, at most limit', async () => {
      await enqueue(5, 1, 4, 2, 3);
      expect(await claimAll(ctx, ctx.now, 0)).toEqual([]);
      expect(keys(await claimAll(ctx, ctx.now, 2))).toEqual([key(1), key(2)]);
      expect(keys(await claimAll(ctx, ctx.now, 10))).toEqual([key(3), key(4), key(5)]);
    });

    it('a claimed delivery is not handed out again while its lease is live', async () => {
      await enqueue(1, 2);
      expect(await claimAll(ctx)).toHaveLength(2);
      expect(await claimAll(ctx, ctx.now + LEASE - 1)).toEqual([]);
    });

    it('20 concurrent claims never hand one delivery to two callers', async () => {
      const ns = Array.from({ length: 10 }, (_, i) => i + 1);
      await enqueue(...ns);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => claimAll(ctx, ctx.now, 1)),
      );
      const all = results.flatMap(keys);
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(ns.map(key).sort());
    });

    it.skipIf(!ctx.canConnect)(
      gated(
        ctx.canConnect,
        'claims through two handles never overlap',
        'the setup has no connect() (one in-process store)',
      ),
      async () => {
        const ns = Array.from({ length: 20 }, (_, i) => i + 1);
        await enqueue(...ns);
        const other = (await ctx.connect())!;
        const opts = { now: ctx.now, limit: 3, leaseMs: LEASE };
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? other : ctx.queue).claim(opts)),
        );
        const all = results.flatMap(keys);
        expect(new Set(all).size).toBe(all.length);
        expect(all.sort()).toEqual(ns.map(key).sort());
      },
    );

    it('claim options that make no sense are refused with INVALID_INPUT', async () => {
      await enqueue(1);
      for (const opts of [
        { now: Number.NaN, limit: 1, leaseMs: LEASE },
        { now: ctx.now, limit: -1, leaseMs: LEASE },
        { now: ctx.now, limit: 1.5, leaseMs: LEASE },
        { now: ctx.now, limit: 1, leaseMs: 0 },
      ]) {
        await expectCode(ctx.queue.claim(opts), 'INVALID_INPUT');
      }
      expect(keys(await claimAll(ctx))).toEqual([key(1)]);
    });
  });

  describe('leases and fencing', () => {
    it('an expired lease is reclaimed with a new token and attempts + 1; the old token gets CLAIM_LOST and changes nothing', async () => {
      await enqueue(1);
      const [first] = await claimAll(ctx);
      const [second] = await claimAll(ctx, ctx.now + LEASE);
      expect(second!.delivery).toEqual(makeDelivery(1));
      expect(second!.claimToken).not.toBe(first!.claimToken);
      expect(second!.attempts).toBe(1);
      await expectCode(ctx.queue.complete(key(1), first!.claimToken), 'CLAIM_LOST');
      await expectCode(ctx.queue.fail(key(1), first!.claimToken, { error: 'late' }), 'CLAIM_LOST');
      await expectCode(
        ctx.queue.fail(key(1), first!.claimToken, { error: 'late', retryAt: ctx.now }),
        'CLAIM_LOST',
      );
      // Still leased by the second claim, not dead, not due at once.
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 0 });
      expect(await claimAll(ctx, ctx.now + LEASE + 1)).toEqual([]);
      await ctx.queue.complete(key(1), second!.claimToken);
      expect(await ctx.queue.stats()).toEqual({ pending: 0, dead: 0 });
      const [third] = await claimAll(ctx, ctx.now + LEASE * 3);
      expect(third).toBeUndefined();
    });

    it('complete and fail with a token never issued, or for an unknown key, get CLAIM_LOST', async () => {
      await enqueue(1);
      await expectCode(ctx.queue.complete(key(1), 'not-a-token'), 'CLAIM_LOST');
      const [row] = await claimAll(ctx);
      await expectCode(ctx.queue.complete(key(1), 'not-a-token'), 'CLAIM_LOST');
      await expectCode(ctx.queue.fail(key(1), 'not-a-token', { error: 'x' }), 'CLAIM_LOST');
      await expectCode(ctx.queue.complete('no-such-key', row!.claimToken), 'CLAIM_LOST');
      await expectCode(ctx.queue.fail(key(2), row!.claimToken, { error: 'x' }), 'CLAIM_LOST');
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 0 });
      await ctx.queue.complete(key(1), row!.claimToken);
    });

    it('a completed delivery is never claimed again', async () => {
      await enqueue(1, 2);
      const [row] = await claimAll(ctx, ctx.now, 1);
      await ctx.queue.complete(key(1), row!.claimToken);
      expect(keys(await claimAll(ctx, ctx.now + LEASE * 100))).toEqual([key(2)]);
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 0 });
    });
  });

  describe('failures', () => {
    it('fail with retryAt: not due before retryAt, due from it with a new token and attempts + 1', async () => {
      await enqueue(1);
      const [row] = await claimAll(ctx);
      const retryAt = ctx.now + 5_000;
      await ctx.queue.fail(key(1), row!.claimToken, { error: 'HTTP 503', retryAt });
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 0 });
      expect(await claimAll(ctx, retryAt - 1)).toEqual([]);
      const [again] = await claimAll(ctx, retryAt);
      expect(again!.delivery).toEqual(makeDelivery(1));
      expect(again!.attempts).toBe(1);
      expect(again!.claimToken).not.toBe(row!.claimToken);
    });

    it('fail with a retryAt before the lease would end makes the delivery due at retryAt', async () => {
      await enqueue(1);
      const [row] = await claimAll(ctx);
      await ctx.queue.fail(key(1), row!.claimToken, { error: 'busy', retryAt: ctx.now + 10 });
      expect(keys(await claimAll(ctx, ctx.now + 10))).toEqual([key(1)]);
    });

    it('fail without retryAt makes the delivery dead: never claimed again, counted as dead', async () => {
      await enqueue(1, 2);
      const [row] = await claimAll(ctx, ctx.now, 1);
      await ctx.queue.fail(key(1), row!.claimToken, { error: 'unparsable \u0000 body \ud800' });
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 1 });
      const later = ctx.now + 10 * 365 * 86_400_000;
      expect(keys(await claimAll(ctx, later))).toEqual([key(2)]);
      expect(keys(await claimAll(ctx, later * 2))).toEqual([key(2)]);
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 1 });
    });

    it('a failure outcome that makes no sense is refused with INVALID_INPUT and changes nothing', async () => {
      await enqueue(1);
      const [row] = await claimAll(ctx);
      await expectCode(
        ctx.queue.fail(key(1), row!.claimToken, { error: 'x', retryAt: Number.NaN }),
        'INVALID_INPUT',
      );
      await expectCode(
        ctx.queue.fail(key(1), row!.claimToken, { error: 42 as unknown as string }),
        'INVALID_INPUT',
      );
      expect(await ctx.queue.stats()).toEqual({ pending: 1, dead: 0 });
      await ctx.queue.complete(key(1), row!.claimToken);
    });
  });

  describe('stats', () => {
    it('stats counts queued, claimed and retrying deliveries as pending, and dead ones', async () => {
      expect(await ctx.queue.stats()).toEqual({ pending: 0, dead: 0 });
      await enqueue(1, 2, 3, 4, 5, 6);
      const rows = await claimAll(ctx, ctx.now, 4);
      const token = (n: number) => rows.find((r) => r.delivery.key === key(n))!.claimToken;
      await ctx.queue.complete(key(1), token(1));
      await ctx.queue.fail(key(2), token(2), { error: 'gone' });
      await ctx.queue.fail(key(3), token(3), { error: 'later', retryAt: ctx.now + 1 });
      // 3 retrying, 4 claimed, 5 and 6 queued.
      expect(await ctx.queue.stats()).toEqual({ pending: 4, dead: 1 });
    });
  });
}
