import type { RawDelivery } from '@fulfil/core';
import { expectCode } from '@fulfil/core/testing';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src';
import { claimCommands } from '../src/claims';
import { tablesIn } from '../src/commit-sql';
import { createPostgresDeliveryQueue, deliveriesTable } from '../src/deliveries';
import type { PoolLike, Queryable } from '../src/runner';
import { DATABASE_URL, openTestDatabase } from './test-db';

// Which statements wait for the WAL flush: each statement is run in an explicit transaction
// on one connection, and `current_setting('synchronous_commit')` is read just before its
// COMMIT, which is the value that COMMIT obeys. The real server only: PGlite has no
// `synchronous_commit` to speak of (one process, no WAL writer).

const db = await openTestDatabase();
const pool = DATABASE_URL ? new pg.Pool({ connectionString: DATABASE_URL, max: 2 }) : undefined;
afterAll(async () => {
  await pool?.end();
  await db.drop();
});
beforeEach(() => db.truncate());

interface Seen {
  text: string;
  /** `synchronous_commit` at the statement's COMMIT. */
  setting: string;
}

/** A pool running each statement in its own transaction; `session` is the setting before it. */
function probingPool(session: 'on' | 'off'): { pool: PoolLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const real = pool!;
  const query: PoolLike['query'] = async (config, params) => {
    const client = await real.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL synchronous_commit = ${session}`);
      const result = await client.query(config as pg.QueryConfig, params);
      const { rows } = await client.query<{ s: string }>(
        `SELECT current_setting('synchronous_commit') AS s`,
      );
      await client.query('COMMIT');
      seen.push({ text: typeof config === 'string' ? config : config.text, setting: rows[0]!.s });
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return {
    seen,
    pool: { query, connect: () => real.connect(), end: async () => {} },
  };
}

const delivery = (n: number): RawDelivery => ({
  key: `shopify:shop.example:${n}`,
  source: 'shopify',
  headers: { 'shopify-topic': 'orders/create' },
  body: new TextEncoder().encode(`{"id":${n}}`),
  receivedAt: 1_000,
});

describe.skipIf(!DATABASE_URL)(
  'commit durability of the delivery queue and the outbox claim (needs DATABASE_URL: only the real server reports the synchronous_commit each statement commits under)',
  () => {
    it("enqueue waits for the flush; claim, complete and fail of deliveries do not (synchronous_commit 'off' for their own transaction)", async () => {
      const { pool: probing, seen } = probingPool('on');
      const queue = createPostgresStorage({
        pool: probing,
        schema: db.schema,
        autoMigrate: false,
      }).deliveries;
      await queue.enqueue(delivery(1));
      await queue.enqueue(delivery(2));
      const [a, b] = await queue.claim({ now: 2_000, limit: 10, leaseMs: 30_000 });
      await queue.complete(a!.delivery.key, a!.claimToken);
      await queue.fail(b!.delivery.key, b!.claimToken, { error: 'x', retryAt: 5_000 });
      expect(seen.map((s) => [s.text.trim().split(/\s/)[0], s.setting])).toEqual([
        ['INSERT', 'on'],
        ['INSERT', 'on'],
        ['UPDATE', 'off'],
        ['UPDATE', 'off'],
        ['UPDATE', 'off'],
      ]);
      // And the writes took effect as before.
      expect(await queue.stats()).toEqual({ pending: 1, dead: 0 });
      const rows = await db.sql<{ key: string; status: string }>(
        `SELECT key, status FROM "${db.schema}".deliveries ORDER BY key`,
      );
      expect(rows.map((r) => r.status)).toEqual(['done', 'pending']);
    });

    it("with synchronousCommit: 'off' (the session does not wait), the enqueue and the outbox claim still wait for the flush", async () => {
      const { pool: probing, seen } = probingPool('off');
      const queries: Queryable = {
        async query<R>(text: string, params?: unknown[]) {
          const r = await probing.query({ text, values: params ?? [] });
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
      };
      const queue = createPostgresDeliveryQueue(
        (_what, fn) => fn(queries),
        deliveriesTable(db.schema),
        true,
      );
      expect(await queue.enqueue(delivery(1))).toBe('queued');
      expect(await queue.enqueue(delivery(1))).toBe('duplicate');
      const [claimed] = await queue.claim({ now: 2_000, limit: 10, leaseMs: 30_000 });
      expect(new TextDecoder().decode(claimed!.delivery.body)).toBe('{"id":1}');
      await queue.complete(claimed!.delivery.key, claimed!.claimToken);
      await claimCommands(queries, tablesIn(db.schema), { now: 0, limit: 5, leaseMs: 1_000 }, true);
      expect(seen.map((s) => s.setting)).toEqual(['on', 'on', 'off', 'off', 'on']);
      expect(seen[4]!.text).toContain('outbox');
    });

    it("a storage with synchronousCommit: 'off' (its own pool) enqueues, claims, completes and claims commands like any other", async () => {
      const storage = createPostgresStorage({
        connectionString: DATABASE_URL!,
        schema: db.schema,
        autoMigrate: false,
        synchronousCommit: 'off',
      });
      try {
        expect(await storage.deliveries.enqueue(delivery(7))).toBe('queued');
        const [row] = await storage.deliveries.claim({ now: 2_000, limit: 1, leaseMs: 30_000 });
        await storage.deliveries.complete(row!.delivery.key, row!.claimToken);
        expect(await storage.deliveries.stats()).toEqual({ pending: 0, dead: 0 });
        expect(await storage.claimCommands({ now: 0, limit: 5, leaseMs: 1_000 })).toEqual([]);
      } finally {
        await storage.close();
      }
    });
  },
);

describe("option synchronousCommit: 'off'", () => {
  const attempt = (options: Parameters<typeof createPostgresStorage>[0]) =>
    Promise.resolve().then(() => createPostgresStorage(options));
  it('needs connectionString (the storage sets it on the connections it opens): CONFIG_INVALID otherwise', async () => {
    const fakePool: PoolLike = {
      query: async () => ({ rows: [], rowCount: 0 }),
      connect: async () => {
        throw new Error('not used');
      },
      end: async () => {},
    };
    await expectCode(attempt({ pool: fakePool, synchronousCommit: 'off' }), 'CONFIG_INVALID');
    await expectCode(
      attempt({
        connectionString: 'postgres://x@127.0.0.1/y',
        synchronousCommit: 'on' as 'off',
      }),
      'CONFIG_INVALID',
    );
  });
});
