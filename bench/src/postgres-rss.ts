/**
 * postgres-rss: a worker draining a backlog from PostgreSQL keeps a flat RSS.
 *
 * - Ingest: BACKLOG `order.received` events go into a fresh schema through an engine with
 *   `autoDispatch: false` (INGEST_LANES calls in flight in this process), so every order is
 *   decided and its warehouse submit waits in the outbox: a backlog, as after an outage of
 *   the workers.
 * - Drain: ONE worker process (this file, FULFIL_RSS_WORKER=1) runs one engine on
 *   `@fulfil/storage-postgres` with an in-process warehouse that accepts at once and calls
 *   `engine.dispatch()` until the outbox is empty; it samples its own RSS every SAMPLE_MS
 *   and reports start (connected, before the first claim), peak and end, and the RSS when
 *   25 / 50 / 75 % of the backlog was submitted.
 *
 *   The worker runs with `--expose-gc`; heap used is read after a full collection at start
 *   and end (what the drain still holds, not garbage awaiting collection).
 *
 * `pnpm bench postgres-rss` drains the 100,000 orders of the issue: about 4 minutes on a
 * 2-core machine (1 to ingest with the storage's group commit, 2–3 to drain). RSS rises
 * while V8 warms up (the first few thousand orders), then stays flat.
 * `FULFIL_RSS_BACKLOG=20000` runs a shorter drain. RSS_TRACE=1 prints every sample (orders
 * submitted, then RSS, heap total, heap used, external and array buffers in MB) to stderr.
 * Skipped (with a printed reason) when DATABASE_URL is not set.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEngine, createMemoryInventory, type WarehouseAdapter } from '@fulfil/core';
import { createPostgresStorage, migrate } from '../../packages/storage-postgres/src/index';
import { benchOrder, catalogStock } from './pg-catalog';

const run$ = promisify(execFile);
const BACKLOG = Number(process.env.FULFIL_RSS_BACKLOG ?? 100_000);
const INGEST_LANES = 32;
const SAMPLE_MS = 250;
const THIS_FILE = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

/** Runs the benchmark; returns headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const reason = 'skipped: DATABASE_URL is not set (needs a PostgreSQL server)';
    console.log(`postgres-rss: ${reason}`);
    return { 'postgres-rss': reason };
  }
  if (!Number.isSafeInteger(BACKLOG) || BACKLOG < 100) {
    throw new Error(`FULFIL_RSS_BACKLOG must be a whole number ≥ 100, got "${BACKLOG}"`);
  }
  const schema = `rss_${randomBytes(5).toString('hex')}`;
  await migrate({ connectionString: url, schema });
  try {
    const ingestSeconds = await ingestBacklog(url, schema);
    console.log(
      `ingested ${BACKLOG} orders in ${ingestSeconds.toFixed(1)} s (autoDispatch off; ${(BACKLOG / ingestSeconds).toFixed(0)} orders/s)`,
    );
    const r = await drain(url, schema);
    // Every order decided twice (received, then the warehouse's acceptance); no row left.
    const accepted = Number(
      await psql(url, `SELECT count(*) FROM "${schema}".history WHERE version = 2`),
    );
    const left = Number(
      await psql(url, `SELECT count(*) FROM "${schema}".outbox WHERE status <> 'done'`),
    );
    if (accepted !== BACKLOG || left !== 0)
      throw new Error(`rss: ${accepted} of ${BACKLOG} orders accepted, ${left} outbox rows left`);
    const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
    const figures = {
      'backlog drain RSS': `start ${mb(r.start)}, peak ${mb(r.peak)}, end ${mb(r.end)} (one worker draining ${BACKLOG} orders; at 25/50/75 % of them: ${r.quarters.map(mb).join(' / ')})`,
      'backlog drain': `${(BACKLOG / r.seconds).toFixed(0)} orders/s received→submitted, ${r.seconds.toFixed(1)} s; heap used after a full GC: start ${mb(r.heapStart)}, end ${mb(r.heapEnd)}`,
    };
    for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
    return figures;
  } finally {
    await psql(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

function engineOn(url: string, schema: string, autoDispatch: boolean) {
  const storage = createPostgresStorage({ connectionString: url, schema, autoMigrate: false });
  let accepted = 0;
  const warehouse: WarehouseAdapter = {
    name: 'wh',
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    submit: async () => ({ status: 'accepted', warehouseOrderId: `WH-${++accepted}` }),
  };
  const engine = createEngine({
    storage,
    warehouses: { wh: warehouse },
    inventory: createMemoryInventory({ stock: { main: catalogStock(1_000_000) } }),
    locations: [{ id: 'main', warehouse: 'wh' }],
    autoDispatch,
  });
  return { storage, engine, accepted: () => accepted };
}

async function ingestBacklog(url: string, schema: string): Promise<number> {
  const { storage, engine } = engineOn(url, schema, false);
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < BACKLOG) {
      const i = next++;
      const order = benchOrder(`rss-${i}`, i);
      await engine.ingest({
        type: 'order.received',
        idempotencyKey: `rss-${i}`,
        occurredAt: order.createdAt,
        order,
      });
    }
  };
  await Promise.all(Array.from({ length: INGEST_LANES }, lane));
  await storage.close();
  return (performance.now() - started) / 1000;
}

interface DrainResult {
  start: number;
  peak: number;
  end: number;
  quarters: number[];
  heapStart: number;
  heapEnd: number;
  seconds: number;
}

async function drain(url: string, schema: string): Promise<DrainResult> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=@fulfil/source', '--import', 'tsx', THIS_FILE],
    {
      env: { ...process.env, FULFIL_RSS_WORKER: '1', FULFIL_SCHEMA: schema, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`rss worker exited with ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as DrainResult;
}

async function psql(url: string, sql: string): Promise<string> {
  const { stdout } = await run$('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
  return stdout.trim();
}

/** The worker: one engine draining the whole backlog, sampling its RSS. */
async function worker(): Promise<void> {
  const url = process.env.DATABASE_URL as string;
  const { storage, engine, accepted } = engineOn(url, process.env.FULFIL_SCHEMA as string, true);
  await storage.isProcessed('warm-up'); // connect before the first sample
  globalThis.gc?.();
  const start = process.memoryUsage();
  let peak = start.rss;
  const quarters: number[] = [];
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (process.env.RSS_TRACE) {
      const m = process.memoryUsage();
      console.error(
        accepted(),
        [m.rss, m.heapTotal, m.heapUsed, m.external, m.arrayBuffers]
          .map((x) => (x / MB).toFixed(0))
          .join(' '),
      );
    }
    peak = Math.max(peak, rss);
    while (quarters.length < 3 && accepted() >= ((quarters.length + 1) * BACKLOG) / 4)
      quarters.push(rss);
  }, SAMPLE_MS);
  const started = performance.now();
  while ((await engine.dispatch()).done > 0) {}
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  // After a full collection, heap used is what the drain still holds (not garbage yet to
  // be collected); the start figure is taken the same way.
  globalThis.gc?.();
  const end = process.memoryUsage();
  await storage.close();
  const result: DrainResult = {
    start: start.rss,
    peak,
    end: end.rss,
    quarters,
    heapStart: start.heapUsed,
    heapEnd: end.heapUsed,
    seconds,
  };
  console.log(JSON.stringify(result));
}

if (process.env.FULFIL_RSS_WORKER === '1') await worker();
