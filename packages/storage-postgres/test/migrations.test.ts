import type { Commit, OrderRecord } from '@fulfil/core';
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
        'insights_events',
        'insights_hourly',
        'insights_hours',
        'insights_processing',
        'insights_review_counts',
        'insights_review_moves',
        'insights_state_counts',
        'insights_state_moves',
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
      // Written by a version-4 writer: the columns of versions 1 and 2.
      await db.sql(
        `INSERT INTO "${schema}".orders (order_id, version, status, store, external_id, created_at,
           updated_at, status_since, record)
         VALUES ($1, 1, 'received', 's', 'e', now(), now(), now(), $2::json)`,
        [commit.orderId, JSON.stringify(commit.record)],
      );
      expect(await storage.migrate({ to: 5 })).toEqual({ schema, applied: [5], version: 5 });
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

  it('a schema at version 5 with orders gets migration 6: the backfill gives the figures live commits give', async () => {
    const live = db.storage({ schema: `${db.schema}_live` });
    const old = db.storage({ schema: `${db.schema}_v5` });
    try {
      await live.migrate();
      await old.migrate({ to: 5 });
      for (const commit of journeys()) await live.commit(commit);
      // The same rows as a version-5 writer leaves them: copy what version 5 has.
      const columns = `order_id, version, status, store, external_id, created_at, updated_at,
        status_since, review_since, record, placed_at, v_email, v_ip, v_address, v_phone`;
      for (const [table, list] of [
        ['orders', columns],
        ['history', '*'],
      ] as const) {
        await db.sql(
          `INSERT INTO "${db.schema}_v5".${table} SELECT ${list} FROM "${db.schema}_live".${table}`,
        );
      }
      expect((await old.migrate()).applied).toEqual([6, 7]);
      const range = { since: Date.parse(T0), until: Date.parse(T0) + 86_400_000 };
      for (const bucket of ['minute', 'hour'] as const) {
        const q = { ...range, bucket, reviewStates: ['needs_review'] };
        expect(await old.insights.throughput(q)).toEqual(await live.insights.throughput(q));
        expect(await old.insights.processingTime(q)).toEqual(await live.insights.processingTime(q));
      }
      const figures = async (s: typeof live) => ({
        states: await s.insights.ordersByState(),
        stays: await s.insights.timeInState(range),
        summary: await s.insights.summary({ ...range, llmClassifiers: ['llm'] }),
        queue: await s.insights.reviewQueue({ now: range.until }),
        search: await s.insights.search({ text: '1002' }),
      });
      const expected = await figures(live);
      expect(expected.summary).toMatchObject({ received: 6, touched: 1, failed: 1, reviewed: 2 });
      expect(expected.summary.splitShare).toBeCloseTo(1 / 6);
      expect(await figures(old)).toEqual(expected);
      // And later commits on the migrated schema carry on from the backfilled columns.
      const [first] = await old.listOrders({ statuses: ['needs_review'] });
      const next = makeCommit({ previous: first as OrderRecord, status: 'submitted', at: at(50) });
      await old.commit(next);
      await live.commit(next);
      expect(await figures(old)).toEqual(await figures(live));
    } finally {
      await live.close();
      await old.close();
      await db.sql(`DROP SCHEMA IF EXISTS "${db.schema}_live" CASCADE`);
      await db.sql(`DROP SCHEMA IF EXISTS "${db.schema}_v5" CASCADE`);
    }
  });
});

const T0 = '2026-11-27T09:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

/**
 * Six orders' commits: plain ones to shipped, one reviewed and resolved by a person, one
 * still in review, one split with a failed command, one held with a classified note.
 */
function journeys(): Commit[] {
  const commits: Commit[] = [];
  const walk = (
    n: number,
    steps: [string, number, Partial<Commit['history']>?, Partial<OrderRecord>?][],
  ) => {
    let previous: OrderRecord | undefined;
    for (const [status, minute, history, record] of steps) {
      const commit = makeCommit({
        ...(previous ? { previous } : { orderId: `o-${n}` }),
        status,
        at: at(minute),
        ...(history?.eventType ? { eventType: history.eventType } : {}),
        record: {
          ...(previous
            ? {}
            : {
                order: {
                  source: {
                    channel: 'shopify',
                    store: 's',
                    externalId: `${1000 + n}`,
                    name: `#${1000 + n}`,
                  },
                } as never,
              }),
          ...record,
        },
      });
      if (history?.explanation)
        commit.history.explanation = { ...commit.history.explanation, ...history.explanation };
      commits.push(commit);
      previous = commit.record;
    }
  };
  const routing = (shipments: number, backordered: number) => ({
    explanation: {
      routing: {
        shipments: Array.from({ length: shipments }, (_, i) => ({
          locationId: `l${i}`,
          lines: [],
        })),
        backordered: Array.from({ length: backordered }, () => ({
          lineId: 'l',
          sku: 's',
          quantity: 1,
        })),
        reason: 'fixture',
      },
    } as never,
  });
  walk(1, [
    ['received', 0],
    ['submitted', 2, routing(1, 0)],
    ['shipped', 30],
  ]);
  walk(2, [
    ['received', 1],
    ['submitted', 4, routing(1, 1)],
  ]);
  walk(3, [
    ['received', 3],
    ['needs_review', 3, {}, { review: { reasons: ['high risk'], since: at(3) } }],
    ['ready', 20, { eventType: 'review.resolved' }, { review: undefined }],
    ['submitted', 21],
  ]);
  walk(4, [
    ['received', 5],
    ['needs_review', 6, {}, { review: { reasons: ['VIP'], since: at(6) } }],
  ]);
  walk(5, [
    ['received', 7],
    ['submitted', 8, routing(2, 0)],
    ['submitted', 9, { eventType: 'command.failed' }],
  ]);
  walk(6, [
    ['received', 10, {}, { order: { note: 'leave at door' } as never }],
    [
      'on_hold',
      11,
      {},
      {
        holds: [{ id: 'h1', reason: 'awaiting stock', since: at(11), releaseOnStock: false }],
        facts: { note: { tags: [], uncertain: false, classifier: 'llm' } },
      },
    ],
  ]);
  return commits;
}
