// A child process running one engine on the shared database (multiprocess tests and bench).
// Env: DATABASE_URL, FULFIL_SCHEMA, WAREHOUSE_URL, WORKER_MODE ('ingest' | 'drain'),
// LEASE_MS (claim lease), CONCURRENCY (commands run at once), PAUSE_AFTER_SUBMIT=1 (every
// submit hangs once sent: crash test),
// EXPECT_DONE (drain: exit once this many outbox rows are done).
import {
  createEngine,
  createMemoryInventory,
  type SubmitResult,
  type WarehouseAdapter,
} from '@fulfil/core';
import pg from 'pg';
import { createPostgresStorage } from '../src/index';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`worker: ${name} is not set`);
  return value;
};
const base = env('WAREHOUSE_URL');
const schema = env('FULFIL_SCHEMA');
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 4 });
const pause = process.env.PAUSE_AFTER_SUBMIT === '1';

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`warehouse ${path}: HTTP ${res.status}`);
  return res.json();
};

const warehouse: WarehouseAdapter = {
  name: 'http-wh',
  capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
  async submit(request, idempotencyKey) {
    const result = (await post('/submit', { idempotencyKey, request })) as SubmitResult;
    if (pause) {
      await post('/paused', {});
      await new Promise(() => {}); // hang: the parent kills this process
    }
    return result;
  },
};

const storage = createPostgresStorage({ pool, schema, autoMigrate: false });
const engine = createEngine({
  storage,
  warehouses: { 'http-wh': warehouse },
  inventory: createMemoryInventory({ stock: { main: { 'TEE-M': 1_000_000 } } }),
  locations: [{ id: 'main', warehouse: 'http-wh' }],
  autoDispatch: process.env.AUTO_DISPATCH !== '0',
  dispatch: {
    leaseMs: Number(process.env.LEASE_MS ?? 30_000),
    batch: 20,
    ...(process.env.CONCURRENCY ? { concurrency: Number(process.env.CONCURRENCY) } : {}),
  },
});

async function ingestAll(): Promise<void> {
  for (;;) {
    const res = await fetch(`${base}/next?n=4`);
    const batch = (await res.json()) as unknown[];
    if (batch.length === 0) break;
    await Promise.all(batch.map((event) => engine.ingest(event)));
  }
  await engine.dispatch();
}

async function drain(expectDone: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await engine.dispatch();
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE status = 'done'`,
    );
    if (rows[0].n >= expectDone) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('drain: timed out');
}

try {
  if (process.env.WORKER_MODE === 'drain') await drain(Number(env('EXPECT_DONE')));
  else await ingestAll();
  const counters = engine.metrics().counters;
  const count = (name: string) =>
    counters.filter((c) => c.name === name).reduce((sum, c) => sum + c.value, 0);
  process.stdout.write(
    `${JSON.stringify({ conflicts: count('version_conflicts'), duplicates: count('duplicates') })}\n`,
  );
  await pool.end();
} catch (err) {
  console.error(err);
  process.exit(1);
}
