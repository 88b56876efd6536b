import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../errors';
import type { Commit, ReservationTake, Storage } from '../../ports/storage';
import { makeCommand, makeCommit } from '../fixtures';
import { expectCode, gated } from '../helpers';
import type { StorageCaseContext } from './context';

const WHY = 'storage does not declare reservations: true';

/** A take of `quantity` units of `sku` at `loc`, routed on `available` units. */
function take(key: string, quantity: number, available: number, sku = 'TEE-M', loc = 'east') {
  return { key, locationId: loc, sku, quantity, available } satisfies ReservationTake;
}

/** A new order's commit that takes (and releases) reservations. */
function commitWith(
  takes: ReservationTake[],
  release: string[] = [],
  basis?: number,
  base: Commit = makeCommit(),
): Commit {
  return {
    ...base,
    reservations: { take: takes, release, ...(basis === undefined ? {} : { basis }) },
  };
}

/** Reserved units of one (location, SKU). */
async function reservedAt(storage: Storage, sku = 'TEE-M', loc = 'east'): Promise<number> {
  const r = await storage.reserved?.([sku]);
  return r?.units[loc]?.[sku] ?? 0;
}

/** Cases for stock reservations taken and released by commits (capability `reservations`). */
export function reservationCases(ctx: StorageCaseContext): void {
  const on = ctx.capabilities.reservations === true;
  const test = (name: string, fn: () => Promise<void>) => it.skipIf(!on)(gated(on, name, WHY), fn);

  describe('reservations (capability)', () => {
    test('reserved() sums active takes per location and SKU, only for the SKUs asked', async () => {
      expect(typeof ctx.storage.reserved).toBe('function');
      const empty = await ctx.storage.reserved?.(['TEE-M']);
      expect(empty?.units).toEqual({});
      expect(typeof empty?.basis).toBe('number');
      await ctx.storage.commit(
        commitWith([
          take('a/TEE-M', 2, 10),
          take('a/MUG', 1, 5, 'MUG'),
          take('a/w', 3, 4, 'TEE-M', 'west'),
        ]),
      );
      await ctx.storage.commit(commitWith([take('b/TEE-M', 1, 10)]));
      const r = await ctx.storage.reserved?.(['TEE-M', 'CAP']);
      expect(r?.units).toEqual({ east: { 'TEE-M': 3 }, west: { 'TEE-M': 3 } });
    });

    test('loadWithReserved (where implemented) returns what load and reserved return', async () => {
      await ctx.storage.commit(commitWith([take('a/TEE-M', 2, 10), take('a/MUG', 1, 5, 'MUG')]));
      const mine = commitWith([take('b/TEE-M', 1, 10)]);
      await ctx.storage.commit(mine);
      const both = await ctx.storage.loadWithReserved?.(mine.orderId, ['TEE-M', 'CAP']);
      if (ctx.storage.loadWithReserved === undefined) return;
      expect(both?.record).toEqual(await ctx.storage.load(mine.orderId));
      expect(both?.reserved).toEqual(await ctx.storage.reserved?.(['TEE-M', 'CAP']));
      expect(both?.reserved.units).toEqual({ east: { 'TEE-M': 3 } });
      const none = await ctx.storage.loadWithReserved?.('no-such-order', ['MUG']);
      expect(none?.record).toBeUndefined();
      expect(none?.reserved.units).toEqual({ east: { MUG: 1 } });
    });

    test('a take that does not fit fails with VERSION_CONFLICT (reason stock) and writes nothing', async () => {
      await ctx.storage.commit(commitWith([take('a/TEE-M', 2, 3)]));
      const loser = commitWith([take('b/TEE-M', 2, 3)]);
      loser.commands = [makeCommand(loser.orderId)];
      let error: unknown;
      await ctx.storage.commit(loser).catch((err: unknown) => {
        error = err;
      });
      expect(isFulfilError(error, 'VERSION_CONFLICT'), String(error)).toBe(true);
      expect((error as { details?: Record<string, unknown> }).details).toMatchObject({
        reason: 'stock',
        locationId: 'east',
        sku: 'TEE-M',
        requested: 2,
        reserved: 2,
        available: 3,
      });
      expect(await ctx.storage.load(loser.orderId)).toBeUndefined();
      expect(await ctx.storage.history(loser.orderId)).toEqual([]);
      expect(await ctx.storage.isProcessed(loser.inboxKeys[0]!)).toBe(false);
      const claimed = await ctx.storage.claimCommands({ now: ctx.now, limit: 10, leaseMs: 1000 });
      expect(claimed).toEqual([]);
      expect(await reservedAt(ctx.storage)).toBe(2);
      // The last unit still fits.
      await ctx.storage.commit(commitWith([take('c/TEE-M', 1, 3)]));
      expect(await reservedAt(ctx.storage)).toBe(3);
    });

    test('available is the figure the decision saw: a take fits when it and every reservation fit in it', async () => {
      await ctx.storage.commit(commitWith([take('a', 4, 10)]));
      // A decision that saw only 5 units (e.g. the warehouse allocated some meanwhile).
      await expectCode(ctx.storage.commit(commitWith([take('b', 2, 5)])), 'VERSION_CONFLICT');
      await ctx.storage.commit(commitWith([take('b', 1, 5)]));
      expect(await reservedAt(ctx.storage)).toBe(5);
    });

    test('releasing frees the units; the release and a take may share one commit', async () => {
      const first = commitWith([take('a/TEE-M', 3, 3)]);
      await ctx.storage.commit(first);
      await expectCode(ctx.storage.commit(commitWith([take('b/TEE-M', 1, 3)])), 'VERSION_CONFLICT');
      // The same order releases its units and takes two of them again under a new key.
      const next = commitWith([take('a2/TEE-M', 2, 3)], ['a/TEE-M'], undefined, {
        ...makeCommit({ previous: first.record }),
      });
      await ctx.storage.commit(next);
      expect(await reservedAt(ctx.storage)).toBe(2);
      await ctx.storage.commit(commitWith([take('b/TEE-M', 1, 3)]));
      expect(await reservedAt(ctx.storage)).toBe(3);
    });

    test('a reservation released after the basis still counts against that commit', async () => {
      const first = commitWith([take('a', 1, 1)]);
      await ctx.storage.commit(first);
      const before = await ctx.storage.reserved?.(['TEE-M']);
      // Another order's shipment is handed to the warehouse: its reservation is released.
      await ctx.storage.commit({
        ...makeCommit({ previous: first.record }),
        reservations: { take: [], release: ['a'] },
      });
      expect(await reservedAt(ctx.storage)).toBe(0);
      // A decision that read stock before that release may still have counted the unit.
      await expectCode(
        ctx.storage.commit(commitWith([take('b', 1, 1)], [], before?.basis)),
        'VERSION_CONFLICT',
      );
      const after = await ctx.storage.reserved?.(['TEE-M']);
      expect(after?.basis).toBeGreaterThan(before?.basis ?? Number.POSITIVE_INFINITY);
      await ctx.storage.commit(commitWith([take('b', 1, 1)], [], after?.basis));
      expect(await reservedAt(ctx.storage)).toBe(1);
    });

    test('taking a key again replaces it; releasing an unknown or released key is ignored', async () => {
      const first = commitWith([take('a', 2, 3)]);
      await ctx.storage.commit(first);
      const second = commitWith([take('a', 3, 3)], ['nope'], undefined, {
        ...makeCommit({ previous: first.record }),
      });
      await ctx.storage.commit(second);
      expect(await reservedAt(ctx.storage)).toBe(3);
      const third = commitWith([], ['a', 'a', 'nope'], undefined, {
        ...makeCommit({ previous: second.record }),
      });
      await ctx.storage.commit(third);
      expect(await reservedAt(ctx.storage)).toBe(0);
    });

    test('a stale version is a plain version conflict, not a stock one, and takes nothing', async () => {
      const first = makeCommit();
      await ctx.storage.commit(first);
      await ctx.storage.commit(makeCommit({ previous: first.record }));
      let error: unknown;
      await ctx.storage
        .commit(
          commitWith([take('x', 5, 1)], [], undefined, makeCommit({ previous: first.record })),
        )
        .catch((err: unknown) => {
          error = err;
        });
      expect(isFulfilError(error, 'VERSION_CONFLICT'), String(error)).toBe(true);
      expect((error as { details?: { reason?: unknown } }).details?.reason).not.toBe('stock');
      expect(await reservedAt(ctx.storage)).toBe(0);
    });

    test('invalid takes fail with INVALID_INPUT', async () => {
      await expectCode(ctx.storage.commit(commitWith([take('a', 0, 3)])), 'INVALID_INPUT');
      await expectCode(ctx.storage.commit(commitWith([take('a', 1.5, 3)])), 'INVALID_INPUT');
      await expectCode(ctx.storage.commit(commitWith([take('a', 1, -1)])), 'INVALID_INPUT');
      await expectCode(
        ctx.storage.commit(commitWith([take('a', 1, 3), take('a', 1, 3)])),
        'INVALID_INPUT',
      );
      expect(await reservedAt(ctx.storage)).toBe(0);
    });

    const many = ctx.capabilities.multiProcess;
    test(`concurrent commits for the last units from ${many ? 'two connections' : 'one storage'}: exactly the units available are taken`, async () => {
      const other = await ctx.connect();
      const AVAILABLE = 5;
      const commits = Array.from({ length: 16 }, (_, i) =>
        commitWith([take(`r${i}`, 1, AVAILABLE)]),
      );
      const results = await Promise.allSettled(
        commits.map((c, i) => (i % 2 === 0 ? ctx.storage : other).commit(c)),
      );
      const won = results.filter((r) => r.status === 'fulfilled').length;
      expect(won).toBe(AVAILABLE);
      for (const r of results) {
        if (r.status === 'rejected') expect(isFulfilError(r.reason, 'VERSION_CONFLICT')).toBe(true);
      }
      expect(await reservedAt(ctx.storage)).toBe(AVAILABLE);
      const stored = await Promise.all(commits.map((c) => ctx.storage.load(c.orderId)));
      expect(stored.filter((r) => r !== undefined)).toHaveLength(AVAILABLE);
    });
  });
}
