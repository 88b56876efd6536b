import { describe, expect, it } from 'vitest';
import type { Commit } from '../../ports/storage';
import { makeCommand, makeCommit } from '../fixtures';
import { expectCode, gated } from '../helpers';
import type { StorageCaseContext } from './context';

const LEASE = 30_000;
const WHY = 'storage does not declare completesInCommit: true';

/** Cases for commands completed by the commit that records their result (`completesInCommit`). */
export function completionCases(ctx: StorageCaseContext): void {
  const on = ctx.capabilities.completesInCommit === true;
  const test = (name: string, fn: () => Promise<void>) => it.skipIf(!on)(gated(on, name, WHY), fn);
  const claim = (now: number) => ctx.storage.claimCommands({ now, limit: 10, leaseMs: LEASE });

  /** A new order with one command, claimed at `ctx.now`; returns its first commit and the claim. */
  async function claimedOrder() {
    const first = makeCommit();
    first.commands = [makeCommand(first.orderId)];
    await ctx.storage.commit(first);
    const [row] = await claim(ctx.now);
    expect(row?.command.id).toBe(first.commands[0]?.id);
    return { first, commandId: row?.command.id ?? '', token: row?.claimToken ?? '' };
  }

  /** The order's next commit (its command's result), completing `completes`. */
  const result = (first: Commit, completes: Commit['completes']): Commit => ({
    ...makeCommit({ previous: first.record, eventType: 'warehouse.accepted' }),
    ...(completes ? { completes } : {}),
  });

  describe('completions in the commit (capability)', () => {
    test('a commit with completes marks the claimed command done: it is never claimed again', async () => {
      const { first, commandId, token } = await claimedOrder();
      await ctx.storage.commit(result(first, [{ commandId, claimToken: token }]));
      expect((await ctx.storage.load(first.orderId))?.version).toBe(2);
      expect(await claim(ctx.now + LEASE + 1)).toEqual([]);
    });

    test('a completion whose claim was lost is skipped; the commit still writes and the row stays with its new holder', async () => {
      const { first, commandId, token } = await claimedOrder();
      const [again] = await claim(ctx.now + LEASE + 1);
      expect(again?.claimToken).not.toBe(token);
      await ctx.storage.commit(result(first, [{ commandId, claimToken: token }]));
      expect((await ctx.storage.load(first.orderId))?.version).toBe(2);
      // Not done: claimable once the new holder's lease runs out too.
      const [third] = await claim(ctx.now + 2 * LEASE + 2);
      expect(third?.command.id).toBe(commandId);
      await ctx.storage.completeCommand(commandId, third?.claimToken ?? '');
    });

    test('a commit that fails completes nothing', async () => {
      const { first, commandId, token } = await claimedOrder();
      const stale = { ...result(first, [{ commandId, claimToken: token }]), expectedVersion: 5 };
      stale.record = { ...stale.record, version: 6 };
      stale.history = { ...stale.history, version: 6 };
      await expectCode(ctx.storage.commit(stale), 'VERSION_CONFLICT');
      const [again] = await claim(ctx.now + LEASE + 1);
      expect(again?.command.id).toBe(commandId);
    });

    test('an unknown command id is skipped without failing the commit', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      await ctx.storage.commit(result(first, [{ commandId: 'no-such-command', claimToken: 't' }]));
      expect((await ctx.storage.load(first.orderId))?.version).toBe(2);
    });

    test('a completion without a command id or token fails with INVALID_INPUT and writes nothing', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      const bad = result(first, [{ commandId: '', claimToken: 't' }]);
      await expectCode(ctx.storage.commit(bad), 'INVALID_INPUT');
      expect((await ctx.storage.load(first.orderId))?.version).toBe(1);
    });
  });
}
