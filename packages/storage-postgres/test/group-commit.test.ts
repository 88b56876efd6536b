import { type Commit, isFulfilError } from '@fulfil/core';
import { makeCommand, makeCommit, makeTimer } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { pickBatch, tablesIn, writeBatch } from '../src/commit-sql';
import { createGroupQueue, type GroupSettings } from '../src/group-queue';
import type { Queryable } from '../src/runner';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

/** A new order's commit taking one unit of `sku` at `east`, routed on `available` units. */
function taking(sku: string, available: number, key = `${sku}-${Math.random()}`): Commit {
  const c = makeCommit();
  c.reservations = {
    take: [{ key, locationId: 'east', sku, quantity: 1, available }],
    release: [],
  };
  return c;
}

describe('pickBatch', () => {
  it('takes commits in order, skipping a second commit for an order and overlapping takes', () => {
    const a = makeCommit();
    const again = makeCommit({ orderId: a.orderId });
    const t1 = taking('TEE', 5);
    const t2 = taking('TEE', 5);
    const mug = taking('MUG', 5);
    expect(pickBatch([a, again, t1, t2, mug], 10)).toEqual([0, 2, 4]);
    expect(pickBatch([a, t1, mug], 2)).toEqual([0, 1]);
  });

  it('a commit that both releases and takes goes alone', () => {
    const both = taking('TEE', 5);
    both.reservations?.release.push('old-key');
    const other = makeCommit();
    expect(pickBatch([both, other], 10)).toEqual([0]);
    expect(pickBatch([other, both], 10)).toEqual([0]);
  });
});

/** The commit queue as the storage builds it, over test writers. */
function commitQueue(
  w: { one(c: Commit): Promise<void>; many(cs: Commit[]): Promise<boolean[]> },
  settings: GroupSettings,
) {
  return createGroupQueue<Commit, void>(
    {
      one: (c) => w.one(c),
      many: async (cs) => (await w.many(cs)).map((ok) => (ok ? { value: undefined } : undefined)),
      pick: pickBatch,
    },
    settings,
  );
}

describe('commit grouping', () => {
  /** Writers that record what they were asked; `many` writes those `written` allows. */
  function writers(written: (c: Commit) => boolean = () => true, fail = false) {
    const calls: string[][] = [];
    let release: () => void = () => {};
    let gate = Promise.resolve();
    return {
      calls,
      hold() {
        gate = new Promise((resolve) => {
          release = resolve;
        });
      },
      open: () => release(),
      one: async (c: Commit) => {
        calls.push([c.orderId]);
        await gate;
        if (!written(c)) throw new Error(`conflict ${c.orderId}`);
      },
      many: async (cs: Commit[]) => {
        calls.push(cs.map((c) => c.orderId));
        await gate;
        if (fail) throw new Error('statement failed');
        return cs.map(written);
      },
    };
  }

  it('a lone commit runs at once; commits arriving while it runs go together', async () => {
    const w = writers();
    const commit = commitQueue(w, { maxBatch: 32, concurrency: 1 });
    const cs = Array.from({ length: 5 }, () => makeCommit());
    w.hold();
    const first = commit(cs[0] as Commit);
    expect(w.calls).toEqual([[cs[0]?.orderId]]);
    const rest = cs.slice(1).map((c) => commit(c));
    expect(w.calls).toHaveLength(1);
    w.open();
    await Promise.all([first, ...rest]);
    expect(w.calls).toEqual([[cs[0]?.orderId], cs.slice(1).map((c) => c.orderId)]);
  });

  it('respects maxBatch and concurrency', async () => {
    const w = writers();
    const commit = commitQueue(w, { maxBatch: 3, concurrency: 2 });
    w.hold();
    const cs = Array.from({ length: 9 }, () => makeCommit());
    const all = cs.map((c) => commit(c));
    expect(w.calls.map((c) => c.length)).toEqual([1, 1]);
    w.open();
    await Promise.all(all);
    expect(w.calls.map((c) => c.length)).toEqual([1, 1, 3, 3, 1]);
  });

  it('a commit the batch did not write is written alone and gets its own error', async () => {
    const stale = makeCommit();
    const w = writers((c) => c !== stale);
    const commit = commitQueue(w, { maxBatch: 32, concurrency: 1 });
    w.hold();
    const first = commit(makeCommit());
    const good = [makeCommit(), makeCommit()];
    const results = Promise.allSettled([
      commit(good[0] as Commit),
      commit(stale),
      commit(good[1] as Commit),
    ]);
    w.open();
    await first;
    const [r0, r1, r2] = await results;
    expect([r0?.status, r1?.status, r2?.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((r1 as PromiseRejectedResult).reason)).toContain(stale.orderId);
    // The batch of three, then the stale one alone.
    expect(w.calls.slice(1)).toEqual([
      [good[0]?.orderId, stale.orderId, good[1]?.orderId],
      [stale.orderId],
    ]);
  });

  it('when the batch statement fails, each commit is written alone', async () => {
    const w = writers(() => true, true);
    const commit = commitQueue(w, { maxBatch: 32, concurrency: 1 });
    w.hold();
    const cs = Array.from({ length: 4 }, () => makeCommit());
    const all = cs.map((c) => commit(c));
    w.open();
    await Promise.all(all);
    expect(w.calls.slice(2).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});

describe('writeBatch (one statement for several commits)', () => {
  it('writes every part of each commit and reports the ones it could not write', async () => {
    const storage = db.storage({ batching: false });
    const existing = makeCommit();
    existing.timers = [makeTimer(existing.orderId, Date.now() + 60_000)];
    existing.commands = [makeCommand(existing.orderId)];
    await storage.commit(existing);
    const [claimed] = await storage.claimCommands({ now: Date.now(), limit: 1, leaseMs: 30_000 });
    const update = makeCommit({ previous: existing.record, eventType: 'warehouse.accepted' });
    update.cancelTimerIds = [existing.timers[0]?.id as string];
    update.completes = [
      { commandId: claimed?.command.id as string, claimToken: claimed?.claimToken as string },
    ];
    const stale = makeCommit({ previous: existing.record, expectedVersion: 4 });
    const fresh = makeCommit();
    fresh.commands = [makeCommand(fresh.orderId)];
    fresh.timers = [makeTimer(fresh.orderId, Date.now() + 60_000)];
    const short = taking('LAST', 0);
    const fits = taking('PLENTY', 9);

    const direct: Queryable = {
      query: async <R>(text: string, params?: unknown[]) => {
        const rows = await db.sql<R>(text, params);
        return { rows, rowCount: rows.length };
      },
    };
    const batch = [update, stale, fresh, short, fits];
    const { written, short: shortPairs } = await writeBatch(direct, tablesIn(db.schema), batch);
    expect(written).toEqual([true, false, true, false, true]);
    expect(shortPairs).toMatchObject([{ location_id: 'east', sku: 'LAST', take: 1, available: 0 }]);

    expect((await storage.load(existing.orderId))?.version).toBe(2);
    expect((await storage.load(fresh.orderId))?.version).toBe(1);
    expect(await storage.load(short.orderId)).toBeUndefined();
    expect(await storage.isProcessed(update.inboxKeys[0] as string)).toBe(true);
    expect(await storage.isProcessed(stale.inboxKeys[0] as string)).toBe(false);
    // The completed command is done; the new one is claimable.
    const next = await storage.claimCommands({ now: Date.now() + 60_000, limit: 10, leaseMs: 1 });
    expect(next.map((r) => r.command.id)).toEqual([fresh.commands[0]?.id]);
    // The cancelled timer is gone, the new one is due.
    const due = await storage.claimDueTimers({ now: Date.now() + 120_000, limit: 10, leaseMs: 1 });
    expect(due.map((d) => d.timer.id)).toEqual([fresh.timers[0]?.id]);
    const reserved = await storage.reserved(['LAST', 'PLENTY']);
    expect(reserved.units).toEqual({ east: { PLENTY: 1 } });
  });

  it('an engine-like burst of commits goes to the database in fewer statements than commits', async () => {
    const { storage, statements } = db.countedStorage({
      batching: { maxBatch: 32, concurrency: 1 },
    });
    const commits = Array.from({ length: 20 }, (_, k) => {
      const c = taking(`SKU-${k}`, 5);
      c.commands = [makeCommand(c.orderId)];
      return c;
    });
    await Promise.all(commits.map((c) => storage.commit(c)));
    const writes = statements.filter((s) => /INSERT INTO .*orders/.test(s));
    expect(writes).toHaveLength(2);
    for (const c of commits) expect((await storage.load(c.orderId))?.version).toBe(1);
    const claimed = await storage.claimCommands({ now: Date.now(), limit: 100, leaseMs: 1 });
    expect(claimed).toHaveLength(20);
    // Ungrouped, the same burst is one statement per commit.
    const plain = db.countedStorage({ batching: false });
    await Promise.all(
      Array.from({ length: 5 }, () => makeCommit()).map((c) => plain.storage.commit(c)),
    );
    expect(plain.statements.filter((s) => /INSERT INTO .*orders/.test(s))).toHaveLength(5);
  });

  it('a repeated event in a batch fails the statement; the others are written alone', async () => {
    const { storage } = db.countedStorage({ batching: { maxBatch: 32, concurrency: 1 } });
    const seen = makeCommit();
    await storage.commit(seen);
    const repeated = makeCommit({ inboxKeys: seen.inboxKeys });
    const others = [makeCommit(), makeCommit()];
    const blocker = storage.commit(makeCommit());
    const results = await Promise.allSettled(
      [others[0], repeated, others[1]].map((c) => storage.commit(c as Commit)),
    );
    await blocker;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isFulfilError((results[1] as PromiseRejectedResult).reason, 'VERSION_CONFLICT')).toBe(
      true,
    );
  });
});

describe('grouped reads', () => {
  it('loads and loadWithReserved made at once: fewer statements, each gets what it would alone', async () => {
    const setup = db.storage({ batching: false });
    const orders = Array.from({ length: 6 }, (_, k) => taking(`SKU-${k % 3}`, 9));
    for (const c of orders) await setup.commit(c);
    const { storage, statements } = db.countedStorage({
      batching: { maxBatch: 32, concurrency: 1 },
    });
    const asks = orders.map((c, k) => ({ orderId: c.orderId, skus: [`SKU-${k % 3}`, 'NONE'] }));
    const [grouped, alone] = await Promise.all([
      Promise.all([
        ...asks.map((a) => storage.loadWithReserved(a.orderId, a.skus)),
        storage.loadWithReserved('missing', ['SKU-0']),
      ]),
      Promise.resolve().then(() =>
        Promise.all([
          ...asks.map((a) => setup.loadWithReserved(a.orderId, a.skus)),
          setup.loadWithReserved('missing', ['SKU-0']),
        ]),
      ),
    ]);
    expect(grouped).toEqual(alone);
    expect(grouped[0]?.reserved.units).toEqual({ east: { 'SKU-0': 2 } });
    expect(grouped[6]?.record).toBeUndefined();
    expect(statements).toHaveLength(2);
    const loads = await Promise.all(orders.map((c) => storage.load(c.orderId)));
    expect(loads.map((r) => r?.orderId)).toEqual(orders.map((c) => c.orderId));
    expect(statements).toHaveLength(4);
  });

  it('a corrupt record in a group fails only its own load', async () => {
    const setup = db.storage({ batching: false });
    const orders = [makeCommit(), makeCommit(), makeCommit(), makeCommit()];
    for (const c of orders) await setup.commit(c);
    const bad = orders[2]?.orderId as string;
    await db.sql(`UPDATE "${db.schema}".orders SET record = '{"bad":1}' WHERE order_id = $1`, [
      bad,
    ]);
    const storage = db.storage({ batching: { maxBatch: 32, concurrency: 1 } });
    const results = await Promise.allSettled(orders.map((c) => storage.load(c.orderId)));
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(isFulfilError((results[2] as PromiseRejectedResult).reason, 'ADAPTER_FAILED')).toBe(
      true,
    );
  });
});
