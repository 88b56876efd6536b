import { makeCommit } from '@fulfil/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createPostgresStorage,
  LATEST_VERSION,
  MIGRATIONS,
  migrate,
  runMigrateCli,
  velocityValues,
} from '../src';
import { DATABASE_URL, openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());

describe('migrations', () => {
  it('are idempotent: a second run applies nothing', async () => {
    const source = DATABASE_URL ? { connectionString: DATABASE_URL } : null;
    if (source === null) {
      // PGlite: the file's instance.
      const storage = db.storage();
      expect(await storage.migrate()).toEqual({
        schema: db.schema,
        applied: [],
        version: LATEST_VERSION,
      });
      return;
    }
    expect(await migrate({ ...source, schema: db.schema })).toEqual({
      schema: db.schema,
      applied: [],
      version: LATEST_VERSION,
    });
  });

  it('5 concurrent runs on a fresh schema: exactly one applies each version, all end at the latest', async () => {
    const schema = `${db.schema}_m`;
    const storages = Array.from({ length: 5 }, () =>
      DATABASE_URL
        ? createPostgresStorage({ connectionString: DATABASE_URL, schema, autoMigrate: false })
        : db.storage({ schema }),
    );
    try {
      const results = await Promise.all(storages.map((s) => s.migrate()));
      expect(results.map((r) => r.version)).toEqual(Array(5).fill(LATEST_VERSION));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = await db.sql<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'deliveries',
        'history',
        'inbox',
        'orders',
        'outbox',
        'reservations',
        'schema_migrations',
        'timers',
      ]);
    } finally {
      await Promise.all(storages.map((s) => s.close()));
      await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('autoMigrate creates the schema on first use', async () => {
    const schema = `${db.schema}_auto`;
    const storage = db.storage({ schema, autoMigrate: true });
    try {
      const commit = makeCommit();
      await storage.commit(commit);
      expect(await storage.load(commit.orderId)).toEqual(commit.record);
    } finally {
      await storage.close();
      await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});

describe('fulfil-pg-migrate', () => {
  const cli = async (argv: string[], env: Record<string, string | undefined>) => {
    const lines: string[] = [];
    const code = await runMigrateCli(
      argv,
      env,
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    return { code, output: lines.join('\n') };
  };

  it('without DATABASE_URL, or with a bad schema or flag, exits 2 with the usage line', async () => {
    expect(await cli([], {})).toMatchObject({
      code: 2,
      output: expect.stringContaining('DATABASE_URL is not set'),
    });
    const bad = await cli(['--schema', 'no good'], { DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('options.schema');
    expect((await cli(['--nope'], {})).code).toBe(2);
  });

  it.skipIf(!DATABASE_URL)(
    `migrates DATABASE_URL in --schema, then reports it up to date${DATABASE_URL ? '' : ' (skipped: DATABASE_URL is not set)'}`,
    async () => {
      const schema = `${db.schema}_cli`;
      try {
        expect(await cli(['--schema', schema], { DATABASE_URL })).toEqual({
          code: 0,
          output: `schema "${schema}": applied ${MIGRATIONS.map((m) => m.version).join(', ')} (now version ${LATEST_VERSION})`,
        });
        expect((await cli(['--schema', schema], { DATABASE_URL })).output).toContain('up to date');
      } finally {
        await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    },
  );
});

describe('upgrades', () => {
  it('a schema at version 4 with an order gets migration 5 (deliveries) and keeps the order', async () => {
    const schema = `${db.schema}_v4`;
    const storage = db.storage({ schema });
    try {
      const first = DATABASE_URL
        ? await migrate({ connectionString: DATABASE_URL, schema, to: 4 })
        : await storage.migrate({ to: 4 });
      expect(first).toEqual({ schema, applied: [1, 2, 3, 4], version: 4 });
      const commit = makeCommit();
      await storage.commit(commit);
      expect(await storage.migrate()).toEqual({ schema, applied: [5], version: LATEST_VERSION });
      expect(await storage.load(commit.orderId)).toEqual(commit.record);
      const indexes = await db.sql<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'deliveries'
         ORDER BY 1`,
        [schema],
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'deliveries_dead',
        'deliveries_due',
        'deliveries_finished',
        'deliveries_pkey',
      ]);
      expect(indexes[1]!.indexdef).toContain("WHERE (status = 'pending'::text)");
      const body = new Uint8Array([0, 255, 0xc3, 0x28]);
      const delivery = { key: 'k', source: 's', headers: {}, body, receivedAt: 1 };
      expect(await storage.deliveries.enqueue(delivery)).toBe('queued');
      const [claimed] = await storage.deliveries.claim({ now: 0, limit: 1, leaseMs: 1_000 });
      expect(claimed!.delivery).toEqual(delivery);
    } finally {
      await storage.close();
      await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('a schema at version 1 with orders upgrades to the latest; velocity columns are backfilled', async () => {
    const schema = `${db.schema}_up`;
    const storage = db.storage({ schema });
    try {
      const first = DATABASE_URL
        ? await migrate({ connectionString: DATABASE_URL, schema, to: 1 })
        : await storage.migrate({ to: 1 });
      expect(first).toEqual({ schema, applied: [1], version: 1 });
      const commit = makeCommit({
        record: {
          order: {
            customer: { email: ' Ada@Example.COM ', phone: '+1 (555) 010-9999', tags: [] },
            clientIp: '203.0.113.9',
          },
        },
      });
      // Written by a version-1 writer: only the version-1 columns.
      await db.sql(
        `INSERT INTO "${schema}".orders (order_id, version, status, store, external_id, created_at,
           updated_at, status_since, record)
         VALUES ($1, 1, 'received', 's', 'e', now(), now(), now(), $2::json)`,
        [commit.orderId, JSON.stringify(commit.record)],
      );
      const up = await storage.migrate();
      expect(up.applied).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version));
      const [row] = await db.sql(
        `SELECT v_email, v_ip, v_address, v_phone FROM "${schema}".orders WHERE order_id = $1`,
        [commit.orderId],
      );
      const v = velocityValues(commit.record.order);
      expect(row).toEqual({ v_email: v.email, v_ip: v.ip, v_address: v.address, v_phone: v.phone });
      expect(v.email).toBe('ada@example.com');
    } finally {
      await storage.close();
      await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
