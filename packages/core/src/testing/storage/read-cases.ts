import { describe, expect, it } from 'vitest';
import { makeCommand, makeCommit, makeTimer } from '../fixtures';
import { AWKWARD_STRINGS, gated } from '../helpers';
import type { StorageCaseContext } from './context';

/** Cases for copies, verbatim strings, history, the inbox and `listOrders`. */
export function readCases(ctx: StorageCaseContext): void {
  describe('copies', () => {
    it('load returns a copy: mutating it does not change stored state', async () => {
      const commit = makeCommit();
      await ctx.storage.commit(commit);
      const loaded = await ctx.storage.load(commit.orderId);
      if (loaded === undefined) throw new Error('record not found');
      loaded.status = 'mutated';
      loaded.tags.push('mutated');
      loaded.order.lines[0]!.quantity = 999;
      expect(await ctx.storage.load(commit.orderId)).toEqual(commit.record);
    });

    it('history and listOrders return copies', async () => {
      const commit = makeCommit();
      await ctx.storage.commit(commit);
      const [entry] = await ctx.storage.history(commit.orderId);
      entry!.summary = 'mutated';
      const [listed] = await ctx.storage.listOrders({});
      listed!.status = 'mutated';
      expect(await ctx.storage.history(commit.orderId)).toEqual([commit.history]);
      expect(await ctx.storage.listOrders({})).toEqual([commit.record]);
    });

    it('mutating a commit after it resolved does not change stored state', async () => {
      const commit = makeCommit({ commands: [makeCommand('placeholder')] });
      const expected = structuredClone(commit);
      await ctx.storage.commit(commit);
      commit.record.status = 'mutated';
      commit.history.summary = 'mutated';
      commit.commands[0]!.reason = 'mutated';
      expect(await ctx.storage.load(commit.orderId)).toEqual(expected.record);
      expect(await ctx.storage.history(commit.orderId)).toEqual([expected.history]);
      const [claimed] = await ctx.storage.claimCommands({ now: ctx.now, limit: 1, leaseMs: 1000 });
      expect(claimed?.command).toEqual(expected.commands[0]);
    });
  });

  describe('verbatim strings', () => {
    it.each(AWKWARD_STRINGS.map((s, i) => [s, i] as const))(
      'stores ids, tags, notes, keys and command fields verbatim: %j',
      async (text, i) => {
        const orderId = `${text}#${i}`;
        const command = makeCommand(orderId, { id: `${orderId}:cmd`, idempotencyKey: text });
        const timer = makeTimer(orderId, ctx.now - 1000, { id: `${orderId}:timer`, purpose: text });
        const commit = makeCommit({
          orderId,
          record: { tags: [text, `${text}-2`], order: { id: orderId, note: text, tags: [text] } },
          commands: [{ ...command, reason: text }],
          timers: [timer],
          inboxKeys: [`${orderId}:evt`],
        });
        commit.history.summary = text;
        await ctx.storage.commit(commit);
        await ctx.storage.markProcessed([text], ctx.now);
        expect(await ctx.storage.load(orderId)).toEqual(commit.record);
        expect(await ctx.storage.history(orderId)).toEqual([commit.history]);
        expect(await ctx.storage.isProcessed(text)).toBe(true);
        expect(await ctx.storage.isProcessed(`${orderId}:evt`)).toBe(true);
        const [claimed] = await ctx.storage.claimCommands({
          now: ctx.now,
          limit: 1,
          leaseMs: 1000,
        });
        expect(claimed?.command).toEqual(commit.commands[0]);
        const [due] = await ctx.storage.claimDueTimers({ now: ctx.now, limit: 1, leaseMs: 1000 });
        expect(due?.timer).toEqual(timer);
      },
    );
  });

  describe('history', () => {
    it('lists one entry per commit in version order; record.version equals its length', async () => {
      let commit = makeCommit();
      await ctx.storage.commit(commit);
      const entries = [commit.history];
      for (const status of ['on_hold', 'ready', 'submitted']) {
        commit = makeCommit({ previous: commit.record, status });
        await ctx.storage.commit(commit);
        entries.push(commit.history);
      }
      const history = await ctx.storage.history(commit.orderId);
      expect(history).toEqual(entries);
      expect(history.map((h) => h.version)).toEqual([1, 2, 3, 4]);
      expect((await ctx.storage.load(commit.orderId))?.version).toBe(history.length);
    });

    it('history of an unknown order is empty', async () => {
      expect(await ctx.storage.history('no-such-order')).toEqual([]);
    });
  });

  describe('inbox', () => {
    it('isProcessed is false for an unknown key', async () => {
      expect(await ctx.storage.isProcessed('never-seen')).toBe(false);
    });

    it('markProcessed marks keys processed and may be repeated', async () => {
      await ctx.storage.markProcessed(['k1', 'k2'], ctx.now);
      await ctx.storage.markProcessed(['k2', 'k3'], ctx.now + 1);
      for (const key of ['k1', 'k2', 'k3']) expect(await ctx.storage.isProcessed(key)).toBe(true);
      expect(await ctx.storage.isProcessed('k4')).toBe(false);
    });
  });

  describe('listOrders', () => {
    it('filters by statuses, oldest first, at most limit', async () => {
      const at = (minutes: number) => new Date(Date.UTC(2026, 10, 27, 9, minutes)).toISOString();
      const rows = [
        { minutes: 30, status: 'on_hold' },
        { minutes: 10, status: 'on_hold' },
        { minutes: 20, status: 'needs_review' },
        { minutes: 5, status: 'shipped' },
        { minutes: 40, status: 'on_hold' },
      ];
      const ids: string[] = [];
      for (const row of rows) {
        const commit = makeCommit({
          status: row.status,
          record: { createdAt: at(row.minutes), order: { createdAt: at(row.minutes) } },
        });
        ids.push(commit.orderId);
        await ctx.storage.commit(commit);
      }
      const held = await ctx.storage.listOrders({ statuses: ['on_hold', 'needs_review'] });
      expect(held.map((r) => r.orderId)).toEqual([ids[1], ids[2], ids[0], ids[4]]);
      const limited = await ctx.storage.listOrders({ statuses: ['on_hold'], limit: 2 });
      expect(limited.map((r) => r.orderId)).toEqual([ids[1], ids[0]]);
      const all = await ctx.storage.listOrders({});
      expect(all.map((r) => r.orderId)).toEqual([ids[3], ids[1], ids[2], ids[0], ids[4]]);
      expect(await ctx.storage.listOrders({ statuses: ['delivered'] })).toEqual([]);
    });
  });

  describe('velocity (capability)', () => {
    it.skipIf(!ctx.capabilities.velocity)(
      gated(
        ctx.capabilities.velocity === true,
        'countRecentOrders counts stored orders sharing a normalized value within the window',
        'storage does not declare velocity: true',
      ),
      async () => {
        const email = `Fraud.${Date.now()}@Example.com`;
        const at = (iso: string) => ({ createdAt: iso, updatedAt: iso });
        const a = makeCommit({
          record: { order: { customer: { email, tags: [] }, ...at('2026-11-27T08:00:00.000Z') } },
        });
        const b = makeCommit({
          record: {
            order: {
              customer: { email: email.toUpperCase(), tags: [] },
              ...at('2026-11-27T08:30:00.000Z'),
            },
          },
        });
        const old = makeCommit({
          record: { order: { customer: { email, tags: [] }, ...at('2026-11-20T08:00:00.000Z') } },
        });
        for (const c of [a, b, old]) await ctx.storage.commit(c);
        const count = ctx.storage.countRecentOrders?.bind(ctx.storage);
        expect(count).toBeTypeOf('function');
        const query = {
          key: 'email' as const,
          value: email.toLowerCase(),
          since: Date.parse('2026-11-27T00:00:00Z'),
          until: Date.parse('2026-11-27T23:59:59Z'),
        };
        expect(await count?.(query)).toBe(2);
        expect(await count?.({ ...query, excludeOrderId: a.orderId })).toBe(1);
        expect(await count?.({ ...query, value: 'nobody@example.com' })).toBe(0);
      },
    );
  });
}
