import { describe, expect, it } from 'vitest';
import type { Command } from '../../model/commands';
import type { CommandStatus, FailedCommandsPage, FailedCommandsQuery } from '../../ports/insights';
import { makeCommand } from '../fixtures';
import { expectCode } from '../helpers';
import { type InsightsCaseContext, MINUTE, t } from './context';
import { seedJourney } from './seed';

const LEASE = 30_000;

/** Cases for failedCommands, orderCommands and retryCommand. */
export function commandCases(ctx: InsightsCaseContext): void {
  /**
   * Six commands over three orders, in commit order:
   *   x1 (o-1, v1)  failed once, retrying at now + 10 min      pending, attempts 1, lastError
   *   x2 (o-1, v2)  failed for good                              dead, attempts 1
   *   x3 (o-2, v1)  done                                         done, attempts 1
   *   x4 (o-2, v1)  claimed, still held                          pending, attempts 1
   *   x5 (o-3, v1)  failed for good                              dead, attempts 1
   *   x6 (o-3, v1)  failed, retried, failed for good             dead, attempts 2
   */
  const seed = async () => {
    const cmd = (orderId: string, id: string, extra: Partial<Command> = {}) =>
      makeCommand(orderId, { id, idempotencyKey: `${id}:key`, ...extra });
    const x = {
      x1: cmd('o-1', 'x1 it\'s "quoted" ünï', {
        type: 'warehouse.cancel',
        warehouse: 'wh',
        shipmentId: 's-1',
        locationId: 'east',
      } as Partial<Command>),
      x2: cmd('o-1', 'x2%_'),
      x3: cmd('o-2', 'x3'),
      x4: cmd('o-2', 'x4'),
      x5: cmd('o-3', 'x5\\'),
      x6: cmd('o-3', 'x6'),
    };
    await seedJourney(ctx.storage, {
      orderId: 'o-1',
      steps: [
        { at: t(0), to: 'received', commands: [x.x1] },
        { at: t(1), to: 'ready', commands: [x.x2] },
      ],
    });
    await seedJourney(ctx.storage, {
      orderId: 'o-2',
      steps: [{ at: t(2), to: 'received', commands: [x.x3, x.x4] }],
    });
    await seedJourney(ctx.storage, {
      orderId: 'o-3',
      steps: [{ at: t(3), to: 'received', commands: [x.x5, x.x6] }],
    });
    const now = ctx.now;
    const claimed = await ctx.storage.claimCommands({ now, limit: 100, leaseMs: LEASE });
    const token = (id: string) => {
      const row = claimed.find((c) => c.command.id === id);
      if (row === undefined) throw new Error(`insights conformance: ${id} not claimed`);
      return row.claimToken;
    };
    const retryAt = now + 10 * MINUTE;
    await ctx.storage.failCommand(x.x1.id, token(x.x1.id), {
      error: 'HTTP 503: try later',
      retryAt,
    });
    await ctx.storage.failCommand(x.x2.id, token(x.x2.id), { error: 'unknown SKU "MUG" ü' });
    await ctx.storage.completeCommand(x.x3.id, token(x.x3.id));
    // x4 stays claimed (its lease is live): a pending row, one attempt, no error.
    await ctx.storage.failCommand(x.x5.id, token(x.x5.id), { error: 'HTTP 422' });
    await ctx.storage.failCommand(x.x6.id, token(x.x6.id), { error: 'timeout', retryAt: now + 1 });
    const again = await ctx.storage.claimCommands({ now: now + 1, limit: 100, leaseMs: LEASE });
    const x6 = again.find((c) => c.command.id === x.x6.id);
    expect(x6?.attempts).toBe(1);
    await ctx.storage.failCommand(x.x6.id, x6?.claimToken ?? '', { error: 'timeout again' });
    return { ...x, retryAt, token };
  };
  const ids = (page: FailedCommandsPage) => page.items.map((item) => item.commandId);

  describe('failedCommands', () => {
    it('dead commands only by default, newest (last committed) first, with attempts and lastError', async () => {
      const x = await seed();
      const page = await ctx.insights.failedCommands();
      expect(ids(page)).toEqual([x.x6.id, x.x5.id, x.x2.id]);
      expect(page.nextCursor).toBeUndefined();
      const [x6, , x2] = page.items;
      expect(x6).toMatchObject({
        commandId: x.x6.id,
        orderId: 'o-3',
        type: 'store.add_tags',
        status: 'dead',
        attempts: 2,
        lastError: 'timeout again',
      });
      expect(typeof x6?.finishedAt).toBe('number');
      expect(x2).toMatchObject({ orderId: 'o-1', attempts: 1, lastError: 'unknown SKU "MUG" ü' });
    });

    it('includeRetrying adds pending commands that failed at least once', async () => {
      const x = await seed();
      const page = await ctx.insights.failedCommands({ includeRetrying: true });
      expect(ids(page)).toEqual([x.x6.id, x.x5.id, x.x2.id, x.x1.id]);
      expect(page.items.at(-1)).toEqual({
        commandId: x.x1.id,
        orderId: 'o-1',
        type: 'warehouse.cancel',
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 503: try later',
        nextAttemptAt: x.retryAt,
      } satisfies CommandStatus);
    });

    it('following nextCursor returns every failed command once, in order', async () => {
      const x = await seed();
      const collect = async (query: FailedCommandsQuery) => {
        const all: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await ctx.insights.failedCommands({
            ...query,
            ...(cursor ? { cursor } : {}),
          });
          all.push(...ids(page));
          cursor = page.nextCursor;
          expect(++pages).toBeLessThanOrEqual(5);
        } while (cursor !== undefined);
        return all;
      };
      expect(await collect({ limit: 1 })).toEqual([x.x6.id, x.x5.id, x.x2.id]);
      expect(await collect({ limit: 2, includeRetrying: true })).toEqual([
        x.x6.id,
        x.x5.id,
        x.x2.id,
        x.x1.id,
      ]);
      expect(await collect({ limit: 3 })).toEqual([x.x6.id, x.x5.id, x.x2.id]);
    });

    it('nothing failed: an empty page', async () => {
      expect(await ctx.insights.failedCommands({ includeRetrying: true })).toEqual({ items: [] });
    });
  });

  describe('orderCommands', () => {
    it('every command of one order in commit order with status, attempts and lastError', async () => {
      const x = await seed();
      const o1 = await ctx.insights.orderCommands('o-1');
      expect(o1.map((c) => c.commandId)).toEqual([x.x1.id, x.x2.id]);
      expect(o1[0]).toEqual({
        commandId: x.x1.id,
        orderId: 'o-1',
        type: 'warehouse.cancel',
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 503: try later',
        nextAttemptAt: x.retryAt,
      } satisfies CommandStatus);
      expect(o1[1]).toMatchObject({
        status: 'dead',
        attempts: 1,
        lastError: 'unknown SKU "MUG" ü',
      });
      expect(typeof o1[1]?.finishedAt).toBe('number');
      expect(o1[1]?.nextAttemptAt).toBeUndefined();
      const o2 = await ctx.insights.orderCommands('o-2');
      expect(o2.map((c) => [c.commandId, c.status, c.attempts])).toEqual([
        [x.x3.id, 'done', 1],
        // x4 was claimed by the same claim (attempts count claims) and is still held.
        [x.x4.id, 'pending', 1],
      ]);
      expect(o2[0]?.lastError).toBeUndefined();
      expect(typeof o2[0]?.finishedAt).toBe('number');
      expect(o2[1]?.finishedAt).toBeUndefined();
    });

    it('a new command: pending, attempts 0, claimable at once (no nextAttemptAt); unknown order: []', async () => {
      const command = makeCommand('fresh', { id: 'fresh-1', idempotencyKey: 'fresh-1:key' });
      await seedJourney(ctx.storage, {
        orderId: 'fresh',
        steps: [{ at: t(0), to: 'received', commands: [command] }],
      });
      expect(await ctx.insights.orderCommands('fresh')).toEqual([
        {
          commandId: 'fresh-1',
          orderId: 'fresh',
          type: 'store.add_tags',
          status: 'pending',
          attempts: 0,
        },
      ]);
      expect(await ctx.insights.orderCommands('no-such-order')).toEqual([]);
    });
  });

  describe('retryCommand', () => {
    it('a dead command becomes claimable at once with its attempts kept, and leaves the dead list', async () => {
      const x = await seed();
      const status = await ctx.insights.retryCommand(x.x2.id);
      expect(status).toMatchObject({
        commandId: x.x2.id,
        orderId: 'o-1',
        status: 'pending',
        attempts: 1,
        lastError: 'unknown SKU "MUG" ü',
      });
      expect(status.finishedAt).toBeUndefined();
      // The claim it died under is void.
      await expectCode(ctx.storage.completeCommand(x.x2.id, x.token(x.x2.id)), 'CLAIM_LOST');
      expect(ids(await ctx.insights.failedCommands())).toEqual([x.x6.id, x.x5.id]);
      expect(ids(await ctx.insights.failedCommands({ includeRetrying: true }))).toEqual([
        x.x6.id,
        x.x5.id,
        x.x2.id,
        x.x1.id,
      ]);
      // Claimable at once, whatever `now` the claim passes (as a new command).
      const claimed = await ctx.storage.claimCommands({ now: t(0), limit: 100, leaseMs: LEASE });
      const row = claimed.find((c) => c.command.id === x.x2.id);
      expect(row?.attempts).toBe(1);
      // A new round (the dispatcher keys its failure by it), counted on each revival.
      expect(row?.retries).toBe(1);
      await ctx.storage.failCommand(x.x2.id, row?.claimToken ?? '', { error: 'again' });
      await ctx.insights.retryCommand(x.x2.id);
      const second = await ctx.storage.claimCommands({ now: t(0), limit: 100, leaseMs: LEASE });
      const again = second.find((c) => c.command.id === x.x2.id);
      expect(again).toMatchObject({ attempts: 2, retries: 2 });
      await ctx.storage.completeCommand(x.x2.id, again?.claimToken ?? '');
      expect((await ctx.insights.orderCommands('o-1'))[1]).toMatchObject({
        status: 'done',
        attempts: 3,
      });
    });

    it('at: claimable from that time, not before', async () => {
      const x = await seed();
      const when = ctx.now + 60 * MINUTE;
      const status = await ctx.insights.retryCommand(x.x5.id, { at: when });
      expect(status).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: when });
      const early = await ctx.storage.claimCommands({ now: when - 1, limit: 100, leaseMs: LEASE });
      expect(early.map((c) => c.command.id)).not.toContain(x.x5.id);
      const due = await ctx.storage.claimCommands({ now: when, limit: 100, leaseMs: LEASE });
      expect(due.find((c) => c.command.id === x.x5.id)?.attempts).toBe(1);
    });

    it('a pending (retrying) command is moved to the new time', async () => {
      const x = await seed();
      const status = await ctx.insights.retryCommand(x.x1.id);
      expect(status).toMatchObject({ status: 'pending', attempts: 1 });
      expect(status.nextAttemptAt).toBeUndefined();
      // Its failure lease ended when it failed: claimable now, before its old retry time.
      const claimed = await ctx.storage.claimCommands({ now: ctx.now, limit: 100, leaseMs: LEASE });
      expect(claimed.map((c) => c.command.id)).toContain(x.x1.id);
      // Not a new round: it never died (its failure was never raised).
      expect(claimed.find((c) => c.command.id === x.x1.id)?.retries ?? 0).toBe(0);
    });

    it('a pending command held by a live claim stays held by it', async () => {
      const x = await seed();
      const status = await ctx.insights.retryCommand(x.x4.id);
      expect(status).toMatchObject({ commandId: x.x4.id, status: 'pending', attempts: 1 });
      const claimed = await ctx.storage.claimCommands({ now: ctx.now, limit: 100, leaseMs: LEASE });
      expect(claimed.map((c) => c.command.id)).not.toContain(x.x4.id);
      await ctx.storage.completeCommand(x.x4.id, x.token(x.x4.id));
      expect((await ctx.insights.orderCommands('o-2'))[1]).toMatchObject({ status: 'done' });
    });

    it('NOT_FOUND for an unknown command, INVALID_INPUT for a done one (nothing changes)', async () => {
      const x = await seed();
      await expectCode(ctx.insights.retryCommand('no-such-command'), 'NOT_FOUND');
      await expectCode(ctx.insights.retryCommand(x.x3.id), 'INVALID_INPUT');
      expect((await ctx.insights.orderCommands('o-2'))[0]).toMatchObject({ status: 'done' });
    });
  });
}
