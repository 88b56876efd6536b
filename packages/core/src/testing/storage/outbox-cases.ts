import { describe, expect, it } from 'vitest';
import type { Command } from '../../model/commands';
import { makeCommand, makeCommit } from '../fixtures';
import { expectCode, gated } from '../helpers';
import type { StorageCaseContext } from './context';

const LEASE = 30_000;

/** Cases for the outbox: claims, leases, fencing, retries and dead rows. */
export function outboxCases(ctx: StorageCaseContext): void {
  /** Commits one new order per call with `n` commands; returns them in commit order. */
  const commitCommands = async (n: number): Promise<Command[]> => {
    const commit = makeCommit();
    commit.commands = Array.from({ length: n }, () => makeCommand(commit.orderId));
    await ctx.storage.commit(commit);
    return commit.commands;
  };
  const claim = (now = ctx.now, limit = 100) =>
    ctx.storage.claimCommands({ now, limit, leaseMs: LEASE });
  const ids = (rows: { command: Command }[]) => rows.map((row) => row.command.id);

  describe('outbox claims', () => {
    it('claimCommands returns committed commands in commit order, verbatim, with attempts 0 and a token', async () => {
      const a = await commitCommands(2);
      const b = await commitCommands(1);
      const claimed = await claim();
      expect(claimed.map((row) => row.command)).toEqual([...a, ...b]);
      for (const row of claimed) {
        expect(row.attempts).toBe(0);
        expect(typeof row.claimToken).toBe('string');
        expect(row.claimToken.length).toBeGreaterThan(0);
      }
    });

    it('a claimed row is not claimed again while its lease is live', async () => {
      await commitCommands(2);
      expect(await claim()).toHaveLength(2);
      expect(await claim(ctx.now + LEASE - 1)).toEqual([]);
    });

    it('claimCommands returns at most limit rows', async () => {
      const commands = await commitCommands(5);
      expect(ids(await claim(ctx.now, 2))).toEqual(commands.slice(0, 2).map((c) => c.id));
      expect(ids(await claim(ctx.now, 10))).toEqual(commands.slice(2).map((c) => c.id));
    });

    it('concurrent claims never hand one row to two claimers', async () => {
      const commands = await commitCommands(10);
      const results = await Promise.all([claim(ctx.now, 4), claim(ctx.now, 4), claim(ctx.now, 4)]);
      const all = results.flatMap(ids);
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(commands.map((c) => c.id).sort());
    });

    it.skipIf(!ctx.capabilities.multiProcess)(
      gated(
        ctx.capabilities.multiProcess,
        'claims through two connections never overlap',
        'storage declares multiProcess: false',
      ),
      async () => {
        const commands = await commitCommands(20);
        const other = await ctx.connect();
        const opts = { now: ctx.now, limit: 7, leaseMs: LEASE };
        const results = await Promise.all([
          ctx.storage.claimCommands(opts),
          other.claimCommands(opts),
          ctx.storage.claimCommands(opts),
          other.claimCommands(opts),
        ]);
        const all = results.flatMap(ids);
        expect(new Set(all).size).toBe(all.length);
        expect(all.sort()).toEqual(commands.map((c) => c.id).sort());
      },
    );
  });

  describe('leases and fencing', () => {
    it('an expired lease makes the row claimable with a new token; the old token gets CLAIM_LOST', async () => {
      const [command] = await commitCommands(1);
      const [first] = await claim();
      const [second] = await claim(ctx.now + LEASE);
      expect(second?.command).toEqual(command);
      expect(second?.claimToken).not.toBe(first?.claimToken);
      await expectCode(ctx.storage.completeCommand(command!.id, first!.claimToken), 'CLAIM_LOST');
      await expectCode(
        ctx.storage.failCommand(command!.id, first!.claimToken, {
          error: 'late',
          retryAt: ctx.now,
        }),
        'CLAIM_LOST',
      );
      await ctx.storage.completeCommand(command!.id, second!.claimToken);
    });

    it('completeCommand and failCommand with a token never issued fail with CLAIM_LOST', async () => {
      const [command] = await commitCommands(1);
      await claim();
      await expectCode(ctx.storage.completeCommand(command!.id, 'not-a-token'), 'CLAIM_LOST');
      await expectCode(
        ctx.storage.failCommand(command!.id, 'not-a-token', { error: 'x' }),
        'CLAIM_LOST',
      );
    });

    it('a completed command is never claimed again', async () => {
      const [command] = await commitCommands(1);
      const [row] = await claim();
      await ctx.storage.completeCommand(command!.id, row!.claimToken);
      expect(await claim(ctx.now + LEASE * 10)).toEqual([]);
    });
  });

  describe('failures', () => {
    it('failCommand with retryAt: not claimable before retryAt, claimable from it, attempts counted', async () => {
      const [command] = await commitCommands(1);
      const [row] = await claim();
      const retryAt = ctx.now + 5_000;
      await ctx.storage.failCommand(command!.id, row!.claimToken, { error: 'HTTP 503', retryAt });
      expect(await claim(retryAt - 1)).toEqual([]);
      const [again] = await claim(retryAt);
      expect(again?.command).toEqual(command);
      expect(again?.attempts).toBe(1);
    });

    it('failCommand without retryAt makes the row dead: never claimed again', async () => {
      const [command] = await commitCommands(1);
      const [row] = await claim();
      await ctx.storage.failCommand(command!.id, row!.claimToken, { error: 'unknown SKU' });
      expect(await claim(ctx.now + LEASE * 100)).toEqual([]);
    });

    it('a dead or failed row does not block other rows', async () => {
      const [a, b] = await commitCommands(2);
      const [rowA] = await claim(ctx.now, 1);
      await ctx.storage.failCommand(a!.id, rowA!.claimToken, { error: 'boom' });
      expect(ids(await claim())).toEqual([b!.id]);
    });
  });
}
