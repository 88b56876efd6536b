import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../errors';
import type { Commit, ReservationTake } from '../../ports/storage';
import { makeCommand, makeCommit, makeTimer } from '../fixtures';
import { gated } from '../helpers';
import type { StorageCaseContext } from './context';

const LEASE = 30_000;
const MINUTE = 60_000;

/** Whether a settled commit failed with VERSION_CONFLICT. */
const conflicted = (r: PromiseSettledResult<void>) =>
  r.status === 'rejected' && isFulfilError(r.reason, 'VERSION_CONFLICT');

/** A take of one unit of `sku` at `east`, routed on `available` units. */
const one = (key: string, sku: string, available: number): ReservationTake => ({
  key,
  locationId: 'east',
  sku,
  quantity: 1,
  available,
});

/**
 * Cases for commits made at once (concurrent `commit` calls on one storage), as an engine
 * makes them: a storage may write them together (group commit) but each call MUST get its
 * own result, exactly as if it ran alone.
 */
export function concurrentCases(ctx: StorageCaseContext): void {
  describe('commits made at once', () => {
    it('new orders and updates at once are each written with all their parts', async () => {
      const old = Array.from({ length: 6 }, () => {
        const c = makeCommit();
        c.timers = [makeTimer(c.orderId, ctx.now + MINUTE)];
        return c;
      });
      for (const c of old) await ctx.storage.commit(c);
      const updates = old.map((c) => {
        const u = makeCommit({ previous: c.record, eventType: 'warehouse.accepted' });
        u.commands = [makeCommand(c.orderId)];
        u.cancelTimerIds = c.timers.map((timer) => timer.id);
        return u;
      });
      const fresh = Array.from({ length: 10 }, () => {
        const c = makeCommit();
        c.commands = [makeCommand(c.orderId), makeCommand(c.orderId)];
        c.timers = [makeTimer(c.orderId, ctx.now + MINUTE)];
        return c;
      });
      const all = [...updates, ...fresh];
      await Promise.all(all.map((c) => ctx.storage.commit(c)));

      for (const c of all) {
        const stored = await ctx.storage.load(c.orderId);
        expect(stored?.version).toBe(c.record.version);
        expect(stored?.status).toBe(c.record.status);
        expect((await ctx.storage.history(c.orderId)).map((h) => h.version)).toEqual(
          Array.from({ length: c.record.version }, (_, k) => k + 1),
        );
        for (const key of c.inboxKeys) expect(await ctx.storage.isProcessed(key)).toBe(true);
      }
      const claimed = await ctx.storage.claimCommands({ now: ctx.now, limit: 100, leaseMs: LEASE });
      expect(claimed.map((r) => r.command.id).sort()).toEqual(
        all.flatMap((c) => c.commands.map((command) => command.id)).sort(),
      );
      // Each order's commands come out in the order it committed them.
      for (const c of fresh) {
        const mine = claimed.filter((r) => r.command.orderId === c.orderId);
        expect(mine.map((r) => r.command.id)).toEqual(c.commands.map((command) => command.id));
      }
      // The updates cancelled the old timers; the new orders' timers are due.
      const due = await ctx.storage.claimDueTimers({
        now: ctx.now + 2 * MINUTE,
        limit: 100,
        leaseMs: LEASE,
      });
      expect(due.map((d) => d.timer.id).sort()).toEqual(
        fresh.flatMap((c) => c.timers.map((timer) => timer.id)).sort(),
      );
    });

    it('among commits made at once, a stale one and a repeated event fail alone with VERSION_CONFLICT', async () => {
      const a = makeCommit();
      const b = makeCommit();
      const seen = makeCommit();
      for (const c of [a, b, seen]) await ctx.storage.commit(c);
      const repeated = makeCommit({ inboxKeys: seen.inboxKeys });
      const stale = makeCommit({ previous: a.record, expectedVersion: 3 });
      const good = [
        ...Array.from({ length: 5 }, () => makeCommit()),
        makeCommit({ previous: b.record }),
      ];
      const results = await Promise.allSettled(
        [good[0], stale, good[1], repeated, ...good.slice(2)].map((c) =>
          ctx.storage.commit(c as Commit),
        ),
      );
      expect(conflicted(results[1] as PromiseSettledResult<void>)).toBe(true);
      expect(conflicted(results[3] as PromiseSettledResult<void>)).toBe(true);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(good.length);
      expect((await ctx.storage.load(a.orderId))?.version).toBe(1);
      expect(await ctx.storage.load(repeated.orderId)).toBeUndefined();
      for (const c of good) {
        expect((await ctx.storage.load(c.orderId))?.version).toBe(c.record.version);
      }
    });

    it('two commits for one order at once: exactly one is written, the other gets VERSION_CONFLICT', async () => {
      const base = makeCommit();
      await ctx.storage.commit(base);
      const twins = [
        makeCommit({ previous: base.record, status: 'ready' }),
        makeCommit({ previous: base.record, status: 'on_hold', inboxKeys: ['other-event'] }),
      ];
      const created = [makeCommit({ orderId: 'twin-new' }), makeCommit({ orderId: 'twin-new' })];
      const results = await Promise.allSettled(
        [...twins, ...created, makeCommit()].map((c) => ctx.storage.commit(c)),
      );
      for (const pair of [results.slice(0, 2), results.slice(2, 4)]) {
        expect(pair.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(pair.filter(conflicted)).toHaveLength(1);
      }
      expect(results[4]?.status).toBe('fulfilled');
      const winner = twins[results[0]?.status === 'fulfilled' ? 0 : 1] as Commit;
      expect((await ctx.storage.load(base.orderId))?.status).toBe(winner.record.status);
      expect(await ctx.storage.history(base.orderId)).toHaveLength(2);
      expect(await ctx.storage.history('twin-new')).toHaveLength(1);
    });

    const reserves = ctx.capabilities.reservations === true;
    it.skipIf(!reserves)(
      gated(
        reserves,
        'takes made at once never exceed the stock; other orders and releases are written',
        'storage does not declare reservations: true',
      ),
      async () => {
        const holder = makeCommit();
        holder.reservations = { take: [one('holder/CAP', 'CAP', 1)], release: [] };
        await ctx.storage.commit(holder);
        // 5 orders for the last 3 TEE, 4 orders each for its own SKU, and the holder's
        // update releasing its CAP, all at once.
        const tees = Array.from({ length: 5 }, (_, k) => {
          const c = makeCommit();
          c.reservations = { take: [one(`tee-${k}`, 'TEE', 3)], release: [] };
          return c;
        });
        const own = Array.from({ length: 4 }, (_, k) => {
          const c = makeCommit();
          c.reservations = { take: [one(`own-${k}`, `SKU-${k}`, 1)], release: [] };
          return c;
        });
        const release = makeCommit({ previous: holder.record, status: 'submitted' });
        release.reservations = { take: [], release: ['holder/CAP'] };
        const results = await Promise.allSettled(
          [...tees, ...own, release].map((c) => ctx.storage.commit(c)),
        );
        const teeResults = results.slice(0, 5);
        expect(teeResults.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
        expect(teeResults.filter(conflicted)).toHaveLength(2);
        expect(results.slice(5).every((r) => r.status === 'fulfilled')).toBe(true);
        const r = await ctx.storage.reserved?.(['TEE', 'CAP', 'SKU-0', 'SKU-3']);
        expect(r?.units).toEqual({ east: { TEE: 3, 'SKU-0': 1, 'SKU-3': 1 } });
      },
    );
  });
}
