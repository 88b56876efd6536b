/**
 * postgres: end-to-end throughput of engines on PostgreSQL, as a ratio to pgbench on the
 * same server in the same run.
 *
 * - A database `fulfil_bench` is created for the run (and dropped at the end), so its
 *   transaction counter counts only this benchmark's statements.
 * - Two worker processes (this file, started with FULFIL_BENCH_WORKER=1) each run ONE
 *   `createEngine` on `@fulfil/storage-postgres` (a fresh schema) with an in-process
 *   warehouse that accepts at once, and ingest their share of ORDERS `order.received`
 *   events (one line each, SKUs round robin over a 500-SKU catalog: `pg-catalog.ts`),
 *   IN_FLIGHT `ingest` calls at a time (as a web server handles concurrent
 *   webhooks); the engine's dispatcher runs claimed commands up to IN_FLIGHT at once. Every
 *   order goes received → submitted (submit dispatched, `warehouse.accepted` committed).
 *   FULFIL_BENCH_IN_FLIGHT sets IN_FLIGHT (default 32; 16 and 8 gave fewer orders/s).
 *   The storage batches concurrent commits and reads (its default);
 *   FULFIL_BENCH_BATCHING=off turns that off, for comparison.
 *   Orders/s = orders / wall time from "go" to the last worker's result. `ingest` latency
 *   is each `engine.ingest` call (it includes the dispatch it triggers). Before "go", each
 *   worker runs WARM_UP orders of its own, untimed (JIT compiled, statements prepared on
 *   every connection: a running service's steady state, as pgbench's 10 s are).
 * - CPU per order: the workers' own (user and system, from process.cpuUsage) and the
 *   PostgreSQL server's (its process tree, from /proc, when the server is local).
 * - Round trips per order: the statements the engines sent (counted on their pg pools)
 *   ÷ orders; also the database's transactions (`pg_stat_database`, committed + rolled
 *   back) and rows written per order during the run.
 * - pgbench `-N -c 8 -j 2 -T 10` (simple-update, TPC-B-like) on `fulfil_bench`
 *   (`pgbench -i`), after the end-to-end run.
 *
 * Skipped (with a printed reason) when DATABASE_URL is not set. Bounded: ORDERS orders,
 * and workers stop starting orders after DEADLINE_MS.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEngine, createMemoryInventory, type WarehouseAdapter } from '@fulfil/core';
import { createPostgresStorage, migrate } from '../../packages/storage-postgres/src/index';
import { fmtUs, percentiles } from './harness';
import { benchOrder, catalogStock } from './pg-catalog';
import { countingPool } from './pg-pool';
import { machineCpuMs, parentPid, serverCpuMs } from './proc-cpu';

const run$ = promisify(execFile);
const ORDERS = 4000;
const WORKERS = 2;
const IN_FLIGHT = Number(process.env.FULFIL_BENCH_IN_FLIGHT ?? 32);
const DEADLINE_MS = 30_000;
/** Orders each worker runs before the timed run (not counted). */
const WARM_UP = 400;
const PGBENCH_SECONDS = 10;
const DATABASE = 'fulfil_bench';
/** FULFIL_BENCH_BATCHING=off: the storage sends every call as its own statement (A/B). */
const BATCHING_OFF = process.env.FULFIL_BENCH_BATCHING === 'off';
const THIS_FILE = fileURLToPath(import.meta.url);

/** Runs the benchmark; returns headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const reason = 'skipped: DATABASE_URL is not set (needs a PostgreSQL server and pgbench)';
    console.log(`postgres: ${reason}`);
    return { postgres: reason };
  }
  const bench = new URL(url);
  bench.pathname = `/${DATABASE}`;
  await psql(url, `DROP DATABASE IF EXISTS ${DATABASE}`);
  await psql(url, `CREATE DATABASE ${DATABASE}`);
  try {
    const e2e = await endToEnd(bench.toString());
    const tps = await pgbench(bench.toString());
    const ratio = e2e.ordersPerSecond / tps;
    const figures = {
      'postgres e2e': `${e2e.ordersPerSecond.toFixed(0)} orders/s received→submitted (${WORKERS} worker processes, one engine each, ${IN_FLIGHT} ingests in flight per process; ${e2e.orders} orders; storage batching ${BATCHING_OFF ? 'off' : 'on'})`,
      pgbench: `${tps.toFixed(0)} tps (pgbench -N -c 8 -j 2 -T ${PGBENCH_SECONDS}, same server)`,
      'orders per pgbench tx': `${ratio.toFixed(3)} (aim ≥ 0.25)`,
      'round trips': `${e2e.roundTripsPerOrder.toFixed(2)} statements per order sent by the engines; ${e2e.transactionsPerOrder.toFixed(2)} transactions and ${e2e.rowsPerOrder.toFixed(1)} rows written per order (pg_stat_database)`,
      'worker CPU': `${e2e.workerCpuMsPerOrder.toFixed(2)} ms per order in the engine processes (${e2e.workerSystemMsPerOrder.toFixed(2)} ms of it system time; ${((e2e.workerCpuMsPerOrder * e2e.ordersPerSecond) / 10).toFixed(0)}% of one core at this rate)`,
      'server CPU': `${e2e.serverCpuMsPerOrder === undefined ? 'n/a (the server is not a local process this user can read)' : `${e2e.serverCpuMsPerOrder.toFixed(2)} ms per order in the PostgreSQL processes`}; machine ${e2e.machineBusy === undefined ? 'n/a' : `${(e2e.machineBusy * 100).toFixed(0)}% busy`} during the run`,
      'ingest latency': `p50 ${fmtUs(e2e.p50Us)}, p99 ${fmtUs(e2e.p99Us)} (engine.ingest incl. the dispatch it triggers; ${IN_FLIGHT} in flight per process)`,
    };
    for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
    return figures;
  } finally {
    await psql(url, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

async function endToEnd(url: string) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await migrate({ connectionString: url, schema });
  const workers = Array.from({ length: WORKERS }, (_, index) =>
    spawn(
      process.execPath,
      [...profile(), '--conditions=@fulfil/source', '--import', 'tsx', THIS_FILE],
      {
        env: {
          ...process.env,
          DATABASE_URL: url,
          FULFIL_BENCH_WORKER: '1',
          FULFIL_SCHEMA: schema,
          WORKER_INDEX: String(index),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  const lines = workers.map((w) => createInterface({ input: w.stdout })[Symbol.asyncIterator]());
  for (const it of lines) {
    const first = await it.next();
    if (first.value !== 'ready')
      throw new Error(`bench worker: expected "ready", got ${first.value}`);
  }
  // The checkpointer lives as long as the server: its parent is the postmaster.
  const checkpointer = await psql(
    url,
    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'",
  );
  const postmaster = checkpointer === '' ? undefined : parentPid(Number(checkpointer));
  const before = await transactions(url);
  const server0 = postmaster === undefined ? undefined : serverCpuMs(postmaster);
  const machine0 = machineCpuMs();
  const started = performance.now();
  for (const w of workers) w.stdin.end('go\n');
  const results = await Promise.all(
    lines.map(async (it) => JSON.parse((await it.next()).value as string) as WorkerResult),
  );
  const seconds = (performance.now() - started) / 1000;
  const machine1 = machineCpuMs();
  await Promise.all(
    workers.map(
      (w) => new Promise((resolve) => (w.exitCode !== null ? resolve(0) : w.on('exit', resolve))),
    ),
  );
  // A backend flushes its statistics when it exits: wait for the workers' backends to go.
  for (let i = 0; i < 50; i++) {
    const others = await psql(
      url,
      'SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    if (others === '0') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const after = await transactions(url);
  const server1 = postmaster === undefined ? undefined : serverCpuMs(postmaster);
  const orders = results.reduce((sum, r) => sum + r.orders, 0);
  // Every order decided twice (received, then the warehouse's acceptance); no row left.
  const accepted = Number(
    await psql(
      url,
      `SELECT count(*) FROM "${schema}".history WHERE version = 2 AND order_id NOT LIKE 'warm-%'`,
    ),
  );
  const left = Number(
    await psql(url, `SELECT count(*) FROM "${schema}".outbox WHERE status <> 'done'`),
  );
  if (accepted !== orders || left !== 0)
    throw new Error(`bench: ${accepted} of ${orders} orders accepted, ${left} outbox rows left`);
  const latency = percentiles(
    'ingest',
    results.flatMap((r) => r.latenciesUs),
  );
  const cpuMs = results.reduce((sum, r) => sum + r.cpuMs, 0);
  const systemMs = results.reduce((sum, r) => sum + r.systemMs, 0);
  return {
    orders,
    ordersPerSecond: orders / seconds,
    p50Us: latency.p50Us,
    p99Us: latency.p99Us,
    workerCpuMsPerOrder: cpuMs / orders,
    workerSystemMsPerOrder: systemMs / orders,
    serverCpuMsPerOrder:
      server0 === undefined || server1 === undefined ? undefined : (server1 - server0) / orders,
    machineBusy:
      machine0 === undefined || machine1 === undefined
        ? undefined
        : (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    roundTripsPerOrder: results.reduce((sum, r) => sum + r.statements, 0) / orders,
    transactionsPerOrder: (after.all - before.all) / orders,
    rowsPerOrder: (after.rows - before.rows) / orders,
  };
}

/** FULFIL_BENCH_CPU_PROF=dir writes a V8 CPU profile of each worker process there. */
function profile(): string[] {
  const dir = process.env.FULFIL_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Transactions the bench database has run and rows it wrote. */
async function transactions(url: string): Promise<{ all: number; rows: number }> {
  const row = await psql(
    url,
    `SELECT xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  const [all, rows] = row.split('|').map(Number);
  return { all: all ?? Number.NaN, rows: rows ?? Number.NaN };
}

async function pgbench(url: string): Promise<number> {
  await run$('pgbench', ['-i', '-q', url]);
  const { stdout } = await run$('pgbench', [
    '-N',
    '-c',
    '8',
    '-j',
    '2',
    '-T',
    String(PGBENCH_SECONDS),
    url,
  ]);
  const match = /tps = ([\d.]+)/.exec(stdout);
  if (!match) throw new Error(`pgbench: no tps in output:\n${stdout}`);
  return Number(match[1]);
}

async function psql(url: string, sql: string): Promise<string> {
  const { stdout } = await run$('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
  return stdout.trim();
}

interface WorkerResult {
  orders: number;
  latenciesUs: number[];
  /** CPU time (user + system) the worker process spent on the run. */
  cpuMs: number;
  /** Of which system (kernel) time. */
  systemMs: number;
  /** Statements (round trips) the worker's engine sent during the run. */
  statements: number;
}

/** The worker side: one engine, its share of the orders, IN_FLIGHT ingests at a time. */
async function worker(): Promise<void> {
  const url = process.env.DATABASE_URL as string;
  const index = Number(process.env.WORKER_INDEX);
  const counted = countingPool(url);
  const storage = createPostgresStorage({
    pool: counted.pool,
    schema: process.env.FULFIL_SCHEMA as string,
    autoMigrate: false,
    ...(BATCHING_OFF ? { batching: false as const } : {}),
  });
  let accepted = 0;
  const warehouse: WarehouseAdapter = {
    name: 'wh',
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    submit: async () => ({ status: 'accepted', warehouseOrderId: `WH-${index}-${++accepted}` }),
  };
  const engine = createEngine({
    storage,
    warehouses: { wh: warehouse },
    inventory: createMemoryInventory({ stock: { main: catalogStock(1_000_000) } }),
    locations: [{ id: 'main', warehouse: 'wh' }],
    dispatch: { concurrency: IN_FLIGHT },
  });
  const events: unknown[] = [];
  for (let i = index; i < ORDERS; i += WORKERS) {
    const order = benchOrder(`bench-${i}`, i);
    events.push({
      type: 'order.received',
      idempotencyKey: `bench-${i}`,
      occurredAt: order.createdAt,
      order,
    });
  }
  // Warm-up outside the timed run: open the pool's connections, then run WARM_UP orders of
  // its own (ids `warm-…`, same catalog) through the engine so V8 has compiled the hot
  // paths and every connection has prepared the statements: the timed run is steady state.
  await Promise.all(Array.from({ length: 10 }, (_, i) => storage.isProcessed(`warm-up-${i}`)));
  let warm = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (warm < WARM_UP) {
        const n = warm++;
        const order = benchOrder(`warm-${index}-${n}`, n);
        await engine.ingest({
          type: 'order.received',
          idempotencyKey: `warm-${index}-${n}`,
          occurredAt: order.createdAt,
          order,
        });
      }
    }),
  );
  await engine.dispatch();
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
  const cpu0 = process.cpuUsage();
  const statements0 = counted.statements();
  const deadline = Date.now() + DEADLINE_MS;
  const latenciesUs: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < events.length && Date.now() < deadline) {
      const event = events[next++];
      const t0 = performance.now();
      await engine.ingest(event);
      latenciesUs.push((performance.now() - t0) * 1000);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  await engine.dispatch();
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const statements = counted.statements() - statements0;
  console.log(
    JSON.stringify({
      orders: latenciesUs.length,
      latenciesUs,
      cpuMs,
      systemMs: cpu.system / 1000,
      statements,
    } satisfies WorkerResult),
  );
  await counted.pool.end();
}

if (process.env.FULFIL_BENCH_WORKER === '1') await worker();
