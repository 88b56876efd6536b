import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OrderEventInput } from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { raceEngine } from './race-engine';
import { startStockWarehouse } from './stock-warehouse';
import { DATABASE_URL, openTestDatabase, type TestDatabase } from './test-db';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ORDERS = 50;
const WORKERS = 4;
const T0 = '2026-11-27T09:00:00.000Z';

/** One child process running test/race-worker.ts; resolves with its exit code and output. */
function spawnWorker(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', 'test/race-worker.ts'],
    { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

const received = (i: number): OrderEventInput => ({
  type: 'order.received',
  idempotencyKey: `race-${i}:received`,
  occurredAt: T0,
  order: makeOrder({
    id: `race-${i}`,
    createdAt: T0,
    updatedAt: T0,
    lines: [{ id: 'l1', sku: 'TEE-M', quantity: 1, unitPrice: 2500 }],
  }),
});

const mode = DATABASE_URL
  ? `${WORKERS} engine processes, each on its own pool, on the PostgreSQL server`
  : `${WORKERS} engines in one process on PGlite (set DATABASE_URL for separate processes)`;

describe(`stock race: ${ORDERS} orders for the last 10 units (${mode})`, () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('exactly 10 units are allocated (6 east, 4 west), the other orders are held; the warehouse never over-allocates; stock arriving later goes to held orders', async () => {
    db = await openTestDatabase();
    const warehouse = await startStockWarehouse({
      stock: { east: { 'TEE-M': 6 }, west: { 'TEE-M': 4 } },
      deliveries: Array.from({ length: ORDERS }, (_, i) => received(i)),
      // The first 16 decisions (4 engines × 4 orders in flight) read the stock together.
      gate: 16,
    });
    try {
      let stockConflicts = 0;
      if (DATABASE_URL) {
        const env = { DATABASE_URL, FULFIL_SCHEMA: db.schema, WAREHOUSE_URL: warehouse.url };
        const exits = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(env)));
        for (const exit of exits) {
          expect(exit.code, exit.stderr).toBe(0);
          stockConflicts += (JSON.parse(exit.stdout.trim()) as { stockConflicts: number })
            .stockConflicts;
        }
      } else {
        const runs = Array.from({ length: WORKERS }, () =>
          raceEngine(db.storage(), warehouse.url).run(),
        );
        for (const stats of await Promise.all(runs)) stockConflicts += stats.stockConflicts;
      }

      // The warehouse: 10 units accepted, none refused, no repeated submission.
      const units = (loc: string) =>
        warehouse.log.accepted.filter((a) => a.locationId === loc).reduce((n, a) => n + a.units, 0);
      expect(warehouse.log.rejected).toEqual([]);
      expect(warehouse.log.duplicates).toBe(0);
      expect([units('east'), units('west')]).toEqual([6, 4]);
      expect(warehouse.stock).toEqual({ east: { 'TEE-M': 0 }, west: { 'TEE-M': 0 } });
      // Decisions that read the same stock collided at commit and decided again.
      expect(stockConflicts).toBeGreaterThan(0);

      // The database: 10 orders submitted (shipments accepted), 40 held waiting for stock.
      const storage = db.storage();
      const records = await storage.listOrders({});
      expect(records).toHaveLength(ORDERS);
      const submitted = records.filter((r) => r.status === 'submitted');
      const held = records.filter((r) => r.status === 'on_hold');
      expect(submitted).toHaveLength(10);
      expect(held).toHaveLength(ORDERS - 10);
      expect(submitted.flatMap((r) => r.shipments.map((s) => s.status))).toEqual(
        Array(10).fill('accepted'),
      );
      expect(submitted.map((r) => r.orderId).sort()).toEqual(
        warehouse.log.accepted.map((a) => a.orderId).sort(),
      );
      for (const r of held) {
        expect(r.shipments).toEqual([]);
        expect(r.holds.map((h) => [h.ruleId, h.releaseOnStock])).toEqual([['hold-short', true]]);
      }
      // Accepted shipments handed their units to the warehouse's figure: nothing stays reserved.
      expect(await storage.reserved(['TEE-M'])).toMatchObject({ units: {} });
      const rows = await db.sql<{ active: number; released: number }>(
        `SELECT count(*) FILTER (WHERE released_seq IS NULL)::int AS active,
                count(*) FILTER (WHERE released_seq IS NOT NULL)::int AS released
         FROM "${db.schema}".reservations`,
      );
      expect(rows[0]).toEqual({ active: 0, released: 10 });

      // Three units arrive at west: exactly three held orders get them.
      warehouse.restock('west', 'TEE-M', 3);
      const { engine } = raceEngine(storage, warehouse.url);
      const fanout = await engine.ingest({
        type: 'inventory.changed',
        idempotencyKey: 'restock-west',
        occurredAt: T0,
        locationId: 'west',
        sku: 'TEE-M',
        available: 3,
      });
      expect(fanout.fanout).toBe(ORDERS - 10);
      expect(warehouse.log.rejected).toEqual([]);
      expect([units('east'), units('west')]).toEqual([6, 7]);
      const after = await storage.listOrders({ statuses: ['submitted'] });
      expect(after).toHaveLength(13);
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
