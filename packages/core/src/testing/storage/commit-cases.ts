import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../errors';
import type { Storage } from '../../ports/storage';
import { makeCommand, makeCommit, makeTimer } from '../fixtures';
import { expectCode } from '../helpers';
import type { StorageCaseContext } from './context';

/** Cases for `commit` and `load`: versions, conflicts, atomicity. */
export function commitCases(ctx: StorageCaseContext): void {
  describe('commit and load', () => {
    it('commit then load returns the record as committed', async () => {
      const commit = makeCommit();
      await ctx.storage.commit(commit);
      expect(await ctx.storage.load(commit.orderId)).toEqual(commit.record);
    });

    it('load of an unknown order resolves undefined', async () => {
      expect(await ctx.storage.load('no-such-order')).toBeUndefined();
    });

    it('a commit at the next version replaces the record', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      const second = makeCommit({ previous: first.record, status: 'on_hold' });
      await ctx.storage.commit(second);
      const loaded = await ctx.storage.load(first.orderId);
      expect(loaded).toEqual(second.record);
      expect(loaded?.version).toBe(2);
    });
  });

  describe('version conflicts', () => {
    it('a stale expectedVersion fails with VERSION_CONFLICT', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      await ctx.storage.commit(makeCommit({ previous: first.record }));
      await expectCode(
        ctx.storage.commit(makeCommit({ previous: first.record })),
        'VERSION_CONFLICT',
      );
    });

    it('expectedVersion 0 for an existing order fails with VERSION_CONFLICT', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      await expectCode(
        ctx.storage.commit(makeCommit({ orderId: first.orderId, expectedVersion: 0 })),
        'VERSION_CONFLICT',
      );
    });

    it('two writers deciding the same version (same command ids) → VERSION_CONFLICT, not another error', async () => {
      const orderId = `race-${Date.now()}`;
      const command = makeCommand(orderId, { id: `${orderId}:v1:c0` });
      await ctx.storage.commit(makeCommit({ orderId, commands: [command], inboxKeys: ['race-a'] }));
      await expectCode(
        ctx.storage.commit(makeCommit({ orderId, commands: [command], inboxKeys: ['race-b'] })),
        'VERSION_CONFLICT',
      );
    });

    it('expectedVersion > 0 for an unknown order fails with VERSION_CONFLICT', async () => {
      await expectCode(ctx.storage.commit(makeCommit({ expectedVersion: 3 })), 'VERSION_CONFLICT');
    });

    it('a conflicting commit writes nothing: no record, history, command, timer, cancellation or inbox key', async () => {
      const first = makeCommit();
      const orderId = first.orderId;
      await ctx.storage.commit(first);
      const kept = makeTimer(orderId, ctx.now - 1000);
      const second = makeCommit({ previous: first.record, timers: [kept] });
      await ctx.storage.commit(second);
      const before = await snapshot(ctx.storage, orderId);
      const loser = makeCommit({
        previous: first.record,
        status: 'cancelled',
        commands: [makeCommand(orderId)],
        timers: [makeTimer(orderId, ctx.now - 1000)],
        cancelTimerIds: [kept.id],
        inboxKeys: [`loser-${orderId}`],
      });
      await expectCode(ctx.storage.commit(loser), 'VERSION_CONFLICT');
      expect(await snapshot(ctx.storage, orderId)).toEqual(before);
      expect(await ctx.storage.isProcessed(`loser-${orderId}`)).toBe(false);
      const commands = await ctx.storage.claimCommands({
        now: ctx.now,
        limit: 100,
        leaseMs: 60_000,
      });
      expect(commands.map((c) => c.command.id)).not.toContain(loser.commands[0]?.id);
      const timers = await ctx.storage.claimDueTimers({
        now: ctx.now,
        limit: 100,
        leaseMs: 60_000,
      });
      expect(timers.map((t) => t.timer.id)).toEqual([kept.id]);
    });

    it('of two concurrent commits at the same version exactly one wins', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      const a = makeCommit({ previous: first.record, status: 'on_hold' });
      const b = makeCommit({ previous: first.record, status: 'needs_review' });
      const results = await Promise.allSettled([ctx.storage.commit(a), ctx.storage.commit(b)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected');
      expect(isFulfilError(failed?.reason, 'VERSION_CONFLICT')).toBe(true);
      const loaded = await ctx.storage.load(first.orderId);
      const winner = results[0]?.status === 'fulfilled' ? a : b;
      expect(loaded).toEqual(winner.record);
      expect(await ctx.storage.history(first.orderId)).toHaveLength(2);
    });

    it('a commit whose inbox key is already processed fails with VERSION_CONFLICT and writes nothing', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      const key = `seen-${first.orderId}`;
      await ctx.storage.markProcessed([key], ctx.now);
      const before = await snapshot(ctx.storage, first.orderId);
      const dup = makeCommit({
        previous: first.record,
        commands: [makeCommand(first.orderId)],
        inboxKeys: [`fresh-${first.orderId}`, key],
      });
      await expectCode(ctx.storage.commit(dup), 'VERSION_CONFLICT');
      expect(await snapshot(ctx.storage, first.orderId)).toEqual(before);
      expect(await ctx.storage.isProcessed(`fresh-${first.orderId}`)).toBe(false);
    });
  });

  describe('atomic commit', () => {
    it('writes record, history, commands, timers, cancelled timers and inbox keys together', async () => {
      const first = makeCommit();
      const orderId = first.orderId;
      const old = makeTimer(orderId, ctx.now - 5000);
      await ctx.storage.commit({ ...first, timers: [old] });
      const command = makeCommand(orderId);
      const fresh = makeTimer(orderId, ctx.now - 1000);
      const second = makeCommit({
        previous: first.record,
        commands: [command],
        timers: [fresh],
        cancelTimerIds: [old.id],
        inboxKeys: [`a-${orderId}`, `b-${orderId}`],
      });
      await ctx.storage.commit(second);
      expect(await ctx.storage.load(orderId)).toEqual(second.record);
      expect((await ctx.storage.history(orderId)).at(-1)).toEqual(second.history);
      expect(await ctx.storage.isProcessed(`a-${orderId}`)).toBe(true);
      expect(await ctx.storage.isProcessed(`b-${orderId}`)).toBe(true);
      const claimed = await ctx.storage.claimCommands({ now: ctx.now, limit: 10, leaseMs: 60_000 });
      expect(claimed.map((c) => c.command)).toEqual([command]);
      const timers = await ctx.storage.claimDueTimers({ now: ctx.now, limit: 10, leaseMs: 60_000 });
      expect(timers.map((t) => t.timer)).toEqual([fresh]);
    });
  });
}

/** What a reader can see of one order. */
async function snapshot(storage: Storage, orderId: string) {
  return { record: await storage.load(orderId), history: await storage.history(orderId) };
}
