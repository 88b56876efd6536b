import { type FulfilError, isFulfilError } from '@fulfil/core';
import {
  expectCode,
  expectConfigInvalid,
  makeCommand,
  makeCommit,
  makeTimer,
} from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresStorage, type PostgresStorageOptions } from '../src';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

describe('options', () => {
  it.each([
    ['a schema that is not a plain identifier', { schema: 'x"; DROP SCHEMA public; --' }, 'schema'],
    ['a schema starting with a digit', { schema: '1abc' }, 'schema'],
    ['no connection', { pool: undefined, pglite: undefined }, '(root)'],
    ['a misspelt option', { connectionstring: 'postgres://x' }, 'connectionstring'],
    ['batching.maxbatch', { batching: { maxbatch: 4 } }, 'batching.maxbatch'],
  ])('rejects %s with CONFIG_INVALID naming the path', (_name, options, path) => {
    let error: unknown;
    try {
      db.storage(options as Partial<PostgresStorageOptions>);
    } catch (err) {
      error = err;
    }
    expect(isFulfilError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as FulfilError).details.path).toBe(path);
    expect((error as FulfilError).message).toContain('createPostgresStorage');
  });

  it('a misspelt option gets a suggestion; no options at all says what to give', () => {
    expectConfigInvalid(
      () => createPostgresStorage({ connectionstring: 'postgres://x' } as never),
      'connectionstring',
      /did you mean "connectionString"/,
    );
    expectConfigInvalid(
      () => createPostgresStorage(undefined as never),
      '(root)',
      /give exactly one of pool, connectionString or pglite/,
    );
  });

  it('a mixed-case schema name is quoted, not folded', async () => {
    const schema = `Mixed_${db.schema}`;
    const storage = db.storage({ schema, autoMigrate: true });
    try {
      await storage.markProcessed(['k'], 1);
      const rows = await db.sql(`SELECT key FROM "${schema}".inbox`);
      expect(rows).toEqual([{ key: 'k' }]);
    } finally {
      await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});

describe('bad data', () => {
  it('a corrupted record: load fails naming the order; listOrders reports it and returns the others', async () => {
    const commits = [makeCommit(), makeCommit(), makeCommit()];
    for (const commit of commits) await db.storage().commit(commit);
    const bad = commits[1]!.orderId;
    await db.sql(`UPDATE "${db.schema}".orders SET record = '{"bad":1}' WHERE order_id = $1`, [
      bad,
    ]);
    const reported: FulfilError[] = [];
    const storage = db.storage({ onCorrupt: (e) => reported.push(e) });

    const error = await storage.load(bad).catch((e: unknown) => e);
    expect(isFulfilError(error, 'ADAPTER_FAILED')).toBe(true);
    expect((error as FulfilError).message).toContain(`order "${bad}"`);
    expect((error as FulfilError).details).toMatchObject({
      orderId: bad,
      reason: 'corrupt_record',
    });

    const listed = await storage.listOrders({});
    expect(listed.map((r) => r.orderId).sort()).toEqual(
      [commits[0]!.orderId, commits[2]!.orderId].sort(),
    );
    expect(reported.map((e) => e.details.orderId)).toEqual([bad]);
    // The other orders keep working.
    await storage.commit(makeCommit({ previous: commits[2]!.record, status: 'on_hold' }));
    expect((await storage.load(commits[2]!.orderId))?.status).toBe('on_hold');
  });

  it('ids, tags and keys with quotes, semicolons and SQL are stored verbatim', async () => {
    const storage = db.storage();
    const evil = `'; DROP TABLE orders; --`;
    const orderId = `o"1'; ${evil}`;
    const command = makeCommand(orderId, { id: `${orderId}:c;1`, idempotencyKey: evil });
    const commit = makeCommit({
      orderId,
      record: {
        tags: [evil, `"quoted"`, 'semi;colon'],
        order: { id: orderId, note: evil, tags: [evil] },
      },
      commands: [command],
      timers: [makeTimer(orderId, Date.now() - 1000, { id: `${orderId}:t`, purpose: evil })],
      inboxKeys: [evil],
    });
    await storage.commit(commit);
    expect(await storage.load(orderId)).toEqual(commit.record);
    expect(await storage.isProcessed(evil)).toBe(true);
    const [claimed] = await storage.claimCommands({ now: Date.now(), limit: 5, leaseMs: 1000 });
    expect(claimed?.command).toEqual(command);
    const rows = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${db.schema}".orders`,
    );
    expect(rows[0]?.n).toBe(1);
    expect((await storage.listOrders({ statuses: [evil] })).length).toBe(0);
  });

  it('records come back exactly as committed, key order included (json, not jsonb)', async () => {
    const storage = db.storage();
    const commit = makeCommit();
    const address = commit.record.order.shippingAddress!;
    commit.record.order.shippingAddress = Object.fromEntries(
      Object.entries(address).reverse(),
    ) as typeof address;
    await storage.commit(commit);
    const loaded = await storage.load(commit.orderId);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(commit.record));
  });

  it('a command id that already exists (a different version) fails with INVALID_INPUT and writes nothing', async () => {
    const storage = db.storage();
    const first = makeCommit({ commands: [makeCommand('x', { id: 'dup-id' })] });
    first.commands[0]!.orderId = first.orderId;
    await storage.commit(first);
    const second = makeCommit({
      previous: first.record,
      commands: [makeCommand(first.orderId, { id: 'dup-id' })],
    });
    await expectCode(storage.commit(second), 'INVALID_INPUT');
    expect((await storage.load(first.orderId))?.version).toBe(1);
    expect(await storage.history(first.orderId)).toHaveLength(1);
  });

  it('a malformed commit fails with INVALID_INPUT naming the path, before touching the database', async () => {
    const commit = makeCommit();
    commit.timers = [makeTimer(commit.orderId, 'not a date')];
    const error = await db
      .storage()
      .commit(commit)
      .catch((e: unknown) => e);
    expect(isFulfilError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as FulfilError).message).toContain('commit.timers[0].dueAt');
  });
});
