import type { RawDelivery } from '@fulfil/core';
import { expectCode } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const DAY = 86_400_000;
const delivery = (n: number, receivedAt = 1_000): RawDelivery => ({
  key: `shopify:shop.example:${n}`,
  source: 'shopify',
  headers: { 'x-shopify-topic': 'orders/create' },
  body: new TextEncoder().encode(`{"id":${n}}`),
  receivedAt,
});
const claimAll = (queue = db.storage().deliveries, now = 2_000) =>
  queue.claim({ now, limit: 100, leaseMs: 30_000 });

describe('PostgresStorage.deliveries', () => {
  it('enqueue is one statement (an INSERT ... ON CONFLICT DO NOTHING, no transaction); claim, complete and fail one each', async () => {
    const { storage, statements } = db.countedStorage();
    expect(await storage.deliveries.enqueue(delivery(1))).toBe('queued');
    expect(await storage.deliveries.enqueue(delivery(1))).toBe('duplicate');
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^INSERT INTO .*ON CONFLICT \(key\) DO NOTHING/s);
    expect(statements.join('\n')).not.toMatch(/BEGIN|COMMIT/);
    statements.length = 0;
    const [row] = await claimAll(storage.deliveries);
    await storage.deliveries.fail(row!.delivery.key, row!.claimToken, { error: 'x', retryAt: 0 });
    const [again] = await claimAll(storage.deliveries);
    await storage.deliveries.complete(again!.delivery.key, again!.claimToken);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toContain('FOR UPDATE SKIP LOCKED');
  });

  it('deliveries received in the same millisecond are claimed in enqueue order', async () => {
    const queue = db.storage().deliveries;
    for (const n of [5, 3, 9, 1]) await queue.enqueue(delivery(n, 1_500));
    expect((await claimAll(queue)).map((r) => r.delivery.key)).toEqual(
      [5, 3, 9, 1].map((n) => delivery(n).key),
    );
  });

  it('fail stores error text with NULs and lone surrogates repaired, and the delivery goes dead', async () => {
    const queue = db.storage().deliveries;
    await queue.enqueue(delivery(1));
    const [row] = await claimAll(queue);
    await queue.fail(row!.delivery.key, row!.claimToken, { error: 'bad\u0000 body \ud800!' });
    expect(await queue.stats()).toEqual({ pending: 0, dead: 1 });
    const [stored] = await db.sql<{ error: string; status: string }>(
      `SELECT error, status FROM "${db.schema}".deliveries`,
    );
    expect(stored).toEqual({ error: 'bad body \ufffd!', status: 'dead' });
  });

  it('purge deletes deliveries done before the retention; pending, dead and recent ones stay', async () => {
    const storage = db.storage();
    const queue = storage.deliveries;
    for (const n of [1, 2, 3, 4]) await queue.enqueue(delivery(n));
    const rows = await claimAll(queue, 2_000);
    const token = (n: number) => rows.find((r) => r.delivery.key === delivery(n).key)!.claimToken;
    await queue.complete(delivery(1).key, token(1));
    await queue.complete(delivery(2).key, token(2));
    await queue.fail(delivery(3).key, token(3), { error: 'gone' });
    const now = Date.now();
    await db.sql(`UPDATE "${db.schema}".deliveries SET finished_at = $1 WHERE key = $2`, [
      now - 10 * DAY,
      delivery(1).key,
    ]);
    await db.sql(`UPDATE "${db.schema}".deliveries SET finished_at = $1 WHERE key = $2`, [
      now - 10 * DAY,
      delivery(3).key,
    ]);
    expect((await storage.purge({ now })).deliveries).toBe(0);
    expect((await storage.purge({ deliveriesDoneOlderThanDays: 7, now })).deliveries).toBe(1);
    const left = await db.sql<{ key: string; status: string }>(
      `SELECT key, status FROM "${db.schema}".deliveries ORDER BY key`,
    );
    expect(left).toEqual([
      { key: delivery(2).key, status: 'done' },
      { key: delivery(3).key, status: 'dead' },
      { key: delivery(4).key, status: 'pending' },
    ]);
    // A purged key is new again: a repeat after the retention is queued.
    expect(await queue.enqueue(delivery(1))).toBe('queued');
    // Without deliveriesDoneOlderThanDays, the inbox retention applies.
    expect((await storage.purge({ inboxOlderThanDays: 0, now: now + DAY })).deliveries).toBe(1);
    await expectCode(storage.purge({ deliveriesDoneOlderThanDays: -1 }), 'INVALID_INPUT');
  });
});
