import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { createMemoryStorage } from '../../src/memory';
import { expectCode, makeCommand, makeCommit, makeTimer } from '../../src/testing';

const NOW = Date.parse('2026-11-27T09:00:00Z');
const lease = { limit: 10, leaseMs: 1000 };

describe('createMemoryStorage', () => {
  it('declares multiProcess: false, velocity, reservations, completesInCommit and insights', () => {
    expect(createMemoryStorage().capabilities).toEqual({
      multiProcess: false,
      velocity: true,
      reservations: true,
      completesInCommit: true,
      insights: true,
    });
  });

  it('outbox() shows each row with status, attempts and last error', async () => {
    const storage = createMemoryStorage();
    const commit = makeCommit();
    const [a, b, c] = [1, 2, 3].map(() => makeCommand(commit.orderId));
    await storage.commit({ ...commit, commands: [a!, b!, c!] });
    const claimed = await storage.claimCommands({ now: NOW, ...lease });
    await storage.completeCommand(a!.id, claimed[0]!.claimToken);
    await storage.failCommand(b!.id, claimed[1]!.claimToken, {
      error: 'HTTP 503',
      retryAt: NOW + 5000,
    });
    const rows = storage.outbox(NOW);
    expect(rows.map((r) => [r.command.id, r.status, r.attempts, r.lastError])).toEqual([
      [a!.id, 'done', 1, undefined],
      [b!.id, 'pending', 1, 'HTTP 503'],
      [c!.id, 'claimed', 1, undefined],
    ]);
    expect(rows[1]!.nextAttemptAt).toBe(NOW + 5000);
    expect(storage.outbox(NOW + 1000)[2]!.status).toBe('pending'); // lease over
    const [retry] = await storage.claimCommands({ now: NOW + 5000, limit: 1, leaseMs: 1000 });
    await storage.failCommand(b!.id, retry!.claimToken, { error: 'unknown SKU' });
    expect(storage.outbox(NOW + 5000)[1]).toMatchObject({
      status: 'dead',
      attempts: 2,
      lastError: 'unknown SKU',
    });
  });

  it('timers() and inbox() show timers by due time and processed keys', async () => {
    const storage = createMemoryStorage();
    const commit = makeCommit({ inboxKeys: ['evt-1'] });
    const late = makeTimer(commit.orderId, NOW + 1000);
    const early = makeTimer(commit.orderId, NOW - 1000);
    await storage.commit({ ...commit, timers: [late, early] });
    await storage.markProcessed(['evt-2'], NOW);
    await storage.claimDueTimers({ now: NOW, ...lease });
    expect(storage.timers(NOW).map((t) => [t.timer.id, t.status])).toEqual([
      [early.id, 'claimed'],
      [late.id, 'pending'],
    ]);
    expect(storage.inbox().map((e) => e.key)).toEqual(['evt-1', 'evt-2']);
  });

  it('rejects an inconsistent commit with INVALID_INPUT and writes nothing', async () => {
    const storage = createMemoryStorage();
    const commit = makeCommit();
    await expectCode(
      storage.commit({ ...commit, record: { ...commit.record, version: 5 } }),
      'INVALID_INPUT',
    );
    await expectCode(
      storage.commit({ ...commit, history: { ...commit.history, version: 2 } }),
      'INVALID_INPUT',
    );
    const cmd = makeCommand(commit.orderId);
    await expectCode(storage.commit({ ...commit, commands: [cmd, cmd] }), 'INVALID_INPUT');
    await expectCode(
      storage.commit({ ...commit, timers: [makeTimer(commit.orderId, 'not a date')] }),
      'INVALID_INPUT',
    );
    expect(await storage.load(commit.orderId)).toBeUndefined();
    expect(storage.outbox()).toEqual([]);
    expect(storage.inbox()).toEqual([]);
  });

  it('says an already processed event caused the VERSION_CONFLICT', async () => {
    const storage = createMemoryStorage();
    await storage.markProcessed(['evt-x'], NOW);
    const error = await storage.commit(makeCommit({ inboxKeys: ['evt-x'] })).catch((e) => e);
    expect(isFulfilError(error, 'VERSION_CONFLICT')).toBe(true);
    expect(error.message).toMatch(/already processed/);
    expect(error.details).toMatchObject({ inboxKey: 'evt-x' });
  });

  it('a timer cancelled while claimed stays cancelled; completing it resolves', async () => {
    const storage = createMemoryStorage();
    const first = makeCommit();
    const timer = makeTimer(first.orderId, NOW - 1);
    await storage.commit({ ...first, timers: [timer] });
    const [claimed] = await storage.claimDueTimers({ now: NOW, ...lease });
    await storage.commit(makeCommit({ previous: first.record, cancelTimerIds: [timer.id] }));
    await storage.completeTimer(timer.id, claimed!.claimToken);
    expect(storage.timers()[0]!.status).toBe('cancelled');
    expect(await storage.claimDueTimers({ now: NOW + 10_000, ...lease })).toEqual([]);
  });

  it('a timer committed again with the same id is rescheduled', async () => {
    const storage = createMemoryStorage();
    const first = makeCommit();
    const timer = makeTimer(first.orderId, NOW - 1);
    await storage.commit({ ...first, timers: [timer] });
    const moved = { ...timer, dueAt: new Date(NOW + 60_000).toISOString() };
    await storage.commit(makeCommit({ previous: first.record, timers: [moved] }));
    expect(await storage.claimDueTimers({ now: NOW, ...lease })).toEqual([]);
    expect((await storage.claimDueTimers({ now: NOW + 60_000, ...lease }))[0]?.timer).toEqual(
      moved,
    );
  });

  it('with retainCompleted: false, drops done rows but keeps dead ones', async () => {
    const storage = createMemoryStorage({ retainCompleted: false });
    const commit = makeCommit();
    const [a, b] = [makeCommand(commit.orderId), makeCommand(commit.orderId)];
    await storage.commit({ ...commit, commands: [a, b] });
    const [ra, rb] = await storage.claimCommands({ now: NOW, ...lease });
    await storage.completeCommand(a.id, ra!.claimToken);
    await storage.failCommand(b.id, rb!.claimToken, { error: 'boom' });
    expect(storage.outbox().map((r) => [r.command.id, r.status])).toEqual([[b.id, 'dead']]);
  });

  it('rejects bad claim options with INVALID_INPUT', async () => {
    const storage = createMemoryStorage();
    await expectCode(
      storage.claimCommands({ now: Number.NaN, limit: 1, leaseMs: 1 }),
      'INVALID_INPUT',
    );
    await expectCode(storage.claimDueTimers({ now: NOW, limit: -1, leaseMs: 1 }), 'INVALID_INPUT');
    await expectCode(storage.claimCommands({ now: NOW, limit: 1, leaseMs: 0 }), 'INVALID_INPUT');
  });

  it('listOrders breaks createdAt ties by order id', async () => {
    const storage = createMemoryStorage();
    for (const orderId of ['b', 'c', 'a']) await storage.commit(makeCommit({ orderId }));
    expect((await storage.listOrders({})).map((r) => r.orderId)).toEqual(['a', 'b', 'c']);
  });
});
