import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  type OrderEventInput,
  type OrderRecord,
  type Storage,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWarehouse } from './fake-warehouse';
import { DATABASE_URL, openTestDatabase, type TestDatabase } from './test-db';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 8;
// × 5 events × 2 deliveries = 4,000 deliveries, as the issue asks (30–50 s on a busy 2-core
// machine); FULFIL_MP_ORDERS sets another size.
const ORDERS = Number(process.env.FULFIL_MP_ORDERS ?? 400);
const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process running test/worker.ts; resolves with its exit code and output. */
function spawnWorker(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', 'test/worker.ts'],
    { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

/** Seeded PRNG (mulberry32) so a failing shuffle can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per order: received, then four updates (newer upstream times, new tags); each delivered twice; shuffled. */
function deliveries(orders: number, seed: number): OrderEventInput[] {
  const events: OrderEventInput[] = [];
  for (let i = 0; i < orders; i++) {
    const at = (k: number) => new Date(T0 + k * 60_000).toISOString();
    const order = (k: number) =>
      makeOrder({ id: `mp-${i}`, tags: [`u${k}`], createdAt: at(0), updatedAt: at(k) });
    events.push({
      type: 'order.received',
      idempotencyKey: `mp-${i}:e0`,
      occurredAt: at(0),
      order: order(0),
    });
    for (let k = 1; k <= 4; k++) {
      events.push({
        type: 'order.updated',
        idempotencyKey: `mp-${i}:e${k}`,
        occurredAt: at(k),
        order: order(k),
        upstreamUpdatedAt: at(k),
      });
    }
  }
  const all = [...events, ...events.map((e) => structuredClone(e))];
  const rand = random(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** What must match between runs: state, the winning snapshot, shipments. */
function project(record: OrderRecord | undefined) {
  if (!record) return undefined;
  return {
    status: record.status,
    tags: record.order.tags,
    upstreamUpdatedAt: record.upstreamUpdatedAt,
    shipments: record.shipments.map((s) => ({ status: s.status, locationId: s.locationId })),
  };
}

/** The same deliveries through one engine on memory storage. */
async function singleEngineRun(events: OrderEventInput[]): Promise<Storage> {
  const storage = createMemoryStorage();
  let n = 0;
  const engine = createEngine({
    storage,
    warehouses: {
      'http-wh': {
        name: 'http-wh',
        capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
        submit: async () => ({ status: 'accepted', warehouseOrderId: `WH-${++n}` }),
      },
    },
    inventory: createMemoryInventory({ stock: { main: { 'TEE-M': 1_000_000 } } }),
    locations: [{ id: 'main', warehouse: 'http-wh' }],
  });
  for (const event of events) await engine.ingest(event);
  return storage;
}

const suite = DATABASE_URL ? describe : describe.skip;
const why = DATABASE_URL ? '' : ' (skipped: DATABASE_URL is not set; PGlite is single-process)';

suite(`engines in separate processes on one database${why}`, () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it(`${WORKERS} engines, ${ORDERS} orders × 5 events × 2 deliveries: same states as one engine, each submit reaches the warehouse once`, async () => {
    db = await openTestDatabase();
    const events = deliveries(ORDERS, 7);
    const warehouse = await startFakeWarehouse(events);
    try {
      const env = {
        DATABASE_URL: DATABASE_URL!,
        FULFIL_SCHEMA: db.schema,
        WAREHOUSE_URL: warehouse.url,
      };
      const workers = Array.from({ length: WORKERS }, () => spawnWorker(env));
      const exits = await Promise.all(workers.map((w) => w.exit));
      for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
      const reference = await singleEngineRun(events);
      const storage = db.storage();
      const check = async (i: number) => {
        const id = `mp-${i}`;
        const record = await storage.load(id);
        expect(project(record), id).toEqual(project(await reference.load(id)));
        expect((await storage.history(id)).length).toBe(record?.version);
        for (let k = 0; k <= 4; k++) expect(await storage.isProcessed(`mp-${i}:e${k}`)).toBe(true);
      };
      // Eight orders at a time: the file's pool has eight connections.
      for (let i = 0; i < ORDERS; i += 8) {
        await Promise.all(Array.from({ length: Math.min(8, ORDERS - i) }, (_, j) => check(i + j)));
      }
      expect(warehouse.log.created).toBe(ORDERS);
      expect(warehouse.log.duplicates).toBe(0);
      expect(await db.sql(`SELECT id FROM "${db.schema}".outbox WHERE status <> 'done'`)).toEqual(
        [],
      );
      const stats = exits.map(
        (e) => JSON.parse(e.stdout.trim()) as { conflicts: number; duplicates: number },
      );
      expect(stats.reduce((sum, s) => sum + s.duplicates, 0)).toBeGreaterThan(0);
    } finally {
      await warehouse.close();
    }
  }, 90_000);

  it('kill -9 a worker holding claimed outbox rows: another worker completes them after the lease, one upstream order per key', async () => {
    await db.truncate();
    const ORDERS_CRASH = 12;
    const LEASE_MS = 1500;
    const events = Array.from(
      { length: ORDERS_CRASH },
      (_, i): OrderEventInput => ({
        type: 'order.received',
        idempotencyKey: `crash-${i}:e0`,
        occurredAt: new Date(T0).toISOString(),
        order: makeOrder({ id: `crash-${i}` }),
      }),
    );
    const warehouse = await startFakeWarehouse(events);
    try {
      const env = {
        DATABASE_URL: DATABASE_URL!,
        FULFIL_SCHEMA: db.schema,
        WAREHOUSE_URL: warehouse.url,
        LEASE_MS: String(LEASE_MS),
      };
      // Ingests everything without dispatching, then dispatches: claims all rows, runs
      // SENT_BEFORE_CRASH submits at once (its dispatch concurrency), and each hangs once
      // sent, before it is recorded done.
      const SENT_BEFORE_CRASH = 3;
      const doomed = spawnWorker({
        ...env,
        AUTO_DISPATCH: '0',
        PAUSE_AFTER_SUBMIT: '1',
        CONCURRENCY: String(SENT_BEFORE_CRASH),
      });
      await warehouse.pausedOnce;
      while (warehouse.log.requests.size < SENT_BEFORE_CRASH) await sleep(20);
      const claimed = await db.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${db.schema}".outbox WHERE status = 'pending' AND claim_token IS NOT NULL`,
      );
      expect(claimed[0]?.n).toBe(ORDERS_CRASH);
      doomed.child.kill('SIGKILL');
      expect((await doomed.exit).signal).toBe('SIGKILL');
      expect(warehouse.log.requests.size).toBe(SENT_BEFORE_CRASH);

      const rescuer = spawnWorker({
        ...env,
        WORKER_MODE: 'drain',
        EXPECT_DONE: String(ORDERS_CRASH),
      });
      const exit = await rescuer.exit;
      expect(exit.code, exit.stderr).toBe(0);

      // One upstream order per command; each submit the dead worker sent was repeated once
      // with the same idempotency key and got the same answer (no second order).
      expect(warehouse.log.created).toBe(ORDERS_CRASH);
      expect(warehouse.log.duplicates).toBe(SENT_BEFORE_CRASH);
      expect([...warehouse.log.requests.values()].sort()).toEqual([
        ...Array(ORDERS_CRASH - SENT_BEFORE_CRASH).fill(1),
        ...Array(SENT_BEFORE_CRASH).fill(2),
      ]);
      const rows = await db.sql<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM "${db.schema}".outbox`,
      );
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(
        Array(ORDERS_CRASH).fill(['done', 2]),
      );
      const storage = db.storage();
      for (const event of events) {
        const record = await storage.load((event as { order: { id: string } }).order.id);
        expect(record?.status).toBe('submitted');
        expect(record?.shipments.map((s) => s.status)).toEqual(['accepted']);
      }
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
