import { describe, expect, it } from 'vitest';
import type { Timer } from '../../model/commands';
import { makeCommit, makeTimer } from '../fixtures';
import { expectCode, gated } from '../helpers';
import type { StorageCaseContext } from './context';

const LEASE = 30_000;

/** Cases for timers: due, claims, leases, completion and cancellation. */
export function timerCases(ctx: StorageCaseContext): void {
  /** Commits a new order with timers due at the given offsets from now (ms); returns them. */
  const commitTimers = async (...offsets: number[]) => {
    const commit = makeCommit();
    commit.timers = offsets.map((offset) => makeTimer(commit.orderId, ctx.now + offset));
    await ctx.storage.commit(commit);
    return { record: commit.record, timers: commit.timers };
  };
  const claim = (now = ctx.now, limit = 100) =>
    ctx.storage.claimDueTimers({ now, limit, leaseMs: LEASE });
  const ids = (rows: { timer: Timer }[]) => rows.map((row) => row.timer.id);

  describe('timers', () => {
    it('claimDueTimers returns only timers with dueAt <= now, verbatim', async () => {
      const { timers } = await commitTimers(-60_000, 0, 1, 20_000);
      const claimed = await claim();
      expect(claimed.map((row) => row.timer)).toEqual(timers.slice(0, 2));
      for (const row of claimed) expect(row.claimToken.length).toBeGreaterThan(0);
      expect(ids(await claim(ctx.now + 20_000))).toEqual([timers[2]!.id, timers[3]!.id]);
    });

    it('a claimed timer is not returned while its lease is live; after expiry it is, with a new token', async () => {
      const { timers } = await commitTimers(-1000);
      const [first] = await claim();
      expect(await claim(ctx.now + LEASE - 1)).toEqual([]);
      const [second] = await claim(ctx.now + LEASE);
      expect(second?.timer).toEqual(timers[0]);
      expect(second?.claimToken).not.toBe(first?.claimToken);
    });

    it('completeTimer with a stale or unknown token fails with CLAIM_LOST', async () => {
      const { timers } = await commitTimers(-1000);
      const id = timers[0]!.id;
      const [first] = await claim();
      const [second] = await claim(ctx.now + LEASE);
      await expectCode(ctx.storage.completeTimer(id, first!.claimToken), 'CLAIM_LOST');
      await expectCode(ctx.storage.completeTimer(id, 'not-a-token'), 'CLAIM_LOST');
      await ctx.storage.completeTimer(id, second!.claimToken);
    });

    it('a completed timer is never returned again', async () => {
      const { timers } = await commitTimers(-1000);
      const [row] = await claim();
      await ctx.storage.completeTimer(timers[0]!.id, row!.claimToken);
      expect(await claim(ctx.now + LEASE * 10)).toEqual([]);
    });

    it('a timer cancelled by a later commit is never returned', async () => {
      const { record, timers } = await commitTimers(-1000, 5000);
      await ctx.storage.commit(
        makeCommit({ previous: record, cancelTimerIds: timers.map((t) => t.id) }),
      );
      expect(await claim(ctx.now + 10_000)).toEqual([]);
    });

    it('cancelling an unknown timer id is not an error', async () => {
      const { record } = await commitTimers();
      await ctx.storage.commit(makeCommit({ previous: record, cancelTimerIds: ['no-such-timer'] }));
      expect((await ctx.storage.load(record.orderId))?.version).toBe(2);
    });

    it('claimDueTimers returns at most limit timers', async () => {
      const { timers } = await commitTimers(-1000, -3000, -2000);
      const first = ids(await claim(ctx.now, 2));
      const second = ids(await claim(ctx.now, 2));
      expect(first).toHaveLength(2);
      expect([...first, ...second].sort()).toEqual(timers.map((t) => t.id).sort());
    });

    it.skipIf(!ctx.capabilities.multiProcess)(
      gated(
        ctx.capabilities.multiProcess,
        'timer claims through two connections never overlap',
        'storage declares multiProcess: false',
      ),
      async () => {
        const { timers } = await commitTimers(-5, -4, -3, -2, -1, 0);
        const other = await ctx.connect();
        const opts = { now: ctx.now, limit: 2, leaseMs: LEASE };
        const results = await Promise.all([
          ctx.storage.claimDueTimers(opts),
          other.claimDueTimers(opts),
          ctx.storage.claimDueTimers(opts),
          other.claimDueTimers(opts),
        ]);
        const all = results.flatMap(ids);
        expect(new Set(all).size).toBe(all.length);
        expect(all.sort()).toEqual(timers.map((t) => t.id).sort());
      },
    );
  });
}
