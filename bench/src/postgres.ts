/**
 * postgres: end-to-end throughput of engines on PostgreSQL, as a ratio to pgbench on the
 * same server in the same run.
 *
 * - Two worker processes (this file, started with FULFIL_BENCH_WORKER=1) each run
 *   `createEngine` on `@fulfil/storage-postgres` (a fresh schema) with an in-process
 *   warehouse that accepts at once, and ingest their share of ORDERS `order.received`
 *   events through LANES engines per process (sharing one pool; an engine's dispatcher
 *   runs its commands one at a time, so one engine per in-flight order); every order goes received → submitted (submit dispatched,
 *   `warehouse.accepted` committed). Orders/s = orders / wall time from "go" to the last
 *   worker's exit. `ingest` latency is each `engine.ingest` call (it includes the dispatch).
 * - pgbench `-N -c 8 -j 2 -T 10` (simple-update, TPC-B-like) on a database
 *   `fulfil_bench` created, initialised (`pgbench -i`) and dropped here.
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
import { makeOrder } from '@fulfil/core/testing';
import { createPostgresStorage, migrate } from '../../packages/storage-postgres/src/index';
import { fmtUs, percentiles } from './harness';

const run$ = promisify(execFile);
const ORDERS = 2000;
const WORKERS = 2;
const LANES = 4;
const DEADLINE_MS = 20_000;
const PGBENCH_SECONDS = 10;
const THIS_FILE = fileURLToPath(import.meta.url);

/** Runs the benchmark; returns headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const reason = 'skipped: DATABASE_URL is not set (needs a PostgreSQL server and pgbench)';
    console.log(`postgres: ${reason}`);
    return { postgres: reason };
  }
  const e2e = await endToEnd(url);
  const tps = await pgbench(url);
  const ratio = e2e.ordersPerSecond / tps;
  const figures = {
    'postgres e2e': `${e2e.ordersPerSecond.toFixed(0)} orders/s received→submitted (${WORKERS} worker processes, ${e2e.orders} orders)`,
    pgbench: `${tps.toFixed(0)} tps (pgbench -N -c 8 -j 2 -T ${PGBENCH_SECONDS}, same server)`,
    'orders per pgbench tx': `${ratio.toFixed(3)} (aim ≥ 0.25)`,
    'worker CPU': `${e2e.workerCpuMsPerOrder.toFixed(2)} ms per order in the engine processes (${((e2e.workerCpuMsPerOrder * e2e.ordersPerSecond) / 10).toFixed(0)}% of one core at this rate)`,
    'ingest latency': `p50 ${fmtUs(e2e.p50Us)}, p99 ${fmtUs(e2e.p99Us)} (engine.ingest incl. dispatch; ${LANES} engines per worker process, one order in flight each)`,
  };
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
  return figures;
}

async function endToEnd(url: string) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await migrate({ connectionString: url, schema });
  try {
    const workers = Array.from({ length: WORKERS }, (_, index) =>
      spawn(process.execPath, ['--conditions=@fulfil/source', '--import', 'tsx', THIS_FILE], {
        env: {
          ...process.env,
          FULFIL_BENCH_WORKER: '1',
          FULFIL_SCHEMA: schema,
          WORKER_INDEX: String(index),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = workers.map((w) => createInterface({ input: w.stdout })[Symbol.asyncIterator]());
    for (const it of lines) {
      const first = await it.next();
      if (first.value !== 'ready')
        throw new Error(`bench worker: expected "ready", got ${first.value}`);
    }
    const started = performance.now();
    for (const w of workers) w.stdin.end('go\n');
    const results = await Promise.all(
      lines.map(async (it) => JSON.parse((await it.next()).value as string) as WorkerResult),
    );
    await Promise.all(
      workers.map(
        (w) => new Promise((resolve) => (w.exitCode !== null ? resolve(0) : w.on('exit', resolve))),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const orders = results.reduce((sum, r) => sum + r.orders, 0);
    const submitted = Number(
      await psql(url, `SELECT count(*) FROM "${schema}".orders WHERE status = 'submitted'`),
    );
    if (submitted !== orders) throw new Error(`bench: ${submitted} of ${orders} orders submitted`);
    const latency = percentiles(
      'ingest',
      results.flatMap((r) => r.latenciesUs),
    );
    const cpuMs = results.reduce((sum, r) => sum + r.cpuMs, 0);
    return {
      orders,
      ordersPerSecond: orders / seconds,
      p50Us: latency.p50Us,
      p99Us: latency.p99Us,
      workerCpuMsPerOrder: cpuMs / orders,
    };
  } finally {
    await psql(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function pgbench(url: string): Promise<number> {
  const bench = new URL(url);
  bench.pathname = '/fulfil_bench';
  await psql(url, 'DROP DATABASE IF EXISTS fulfil_bench');
  await psql(url, 'CREATE DATABASE fulfil_bench');
  try {
    await run$('pgbench', ['-i', '-q', bench.toString()]);
    const { stdout } = await run$('pgbench', [
      '-N',
      '-c',
      '8',
      '-j',
      '2',
      '-T',
      String(PGBENCH_SECONDS),
      bench.toString(),
    ]);
    const match = /tps = ([\d.]+)/.exec(stdout);
    if (!match) throw new Error(`pgbench: no tps in output:\n${stdout}`);
    return Number(match[1]);
  } finally {
    await psql(url, 'DROP DATABASE IF EXISTS fulfil_bench');
  }
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
}

/** The worker side: one engine, its share of the orders, LANES in flight. */
async function worker(): Promise<void> {
  const url = process.env.DATABASE_URL!;
  const index = Number(process.env.WORKER_INDEX);
  const storage = createPostgresStorage({
    connectionString: url,
    schema: process.env.FULFIL_SCHEMA!,
    autoMigrate: false,
  });
  let accepted = 0;
  const warehouse: WarehouseAdapter = {
    name: 'wh',
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    submit: async () => ({ status: 'accepted', warehouseOrderId: `WH-${index}-${++accepted}` }),
  };
  // One engine per lane, sharing the storage (its pool): each engine's dispatcher runs its
  // claimed commands one at a time, so lanes sharing one engine would queue behind it.
  const engines = Array.from({ length: LANES }, () =>
    createEngine({
      storage,
      warehouses: { wh: warehouse },
      inventory: createMemoryInventory({ stock: { main: { 'TEE-M': 1_000_000 } } }),
      locations: [{ id: 'main', warehouse: 'wh' }],
    }),
  );
  const ids: number[] = [];
  for (let i = index; i < ORDERS; i += WORKERS) ids.push(i);
  const events = ids.map((i) => {
    const order = makeOrder({ id: `bench-${i}` });
    return {
      type: 'order.received',
      idempotencyKey: `bench-${i}`,
      occurredAt: order.createdAt,
      order,
    };
  });
  // Warm-up outside the timed run: connections, JIT.
  await storage.isProcessed('warm-up');
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
  const cpu0 = process.cpuUsage();
  const deadline = Date.now() + DEADLINE_MS;
  const latenciesUs: number[] = [];
  let next = 0;
  const lane = async (engine: (typeof engines)[number]) => {
    while (next < events.length && Date.now() < deadline) {
      const event = events[next++];
      const t0 = performance.now();
      await engine.ingest(event);
      latenciesUs.push((performance.now() - t0) * 1000);
    }
    await engine.dispatch();
  };
  await Promise.all(engines.map(lane));
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    JSON.stringify({ orders: latenciesUs.length, latenciesUs, cpuMs } satisfies WorkerResult),
  );
  await storage.close();
}

if (process.env.FULFIL_BENCH_WORKER === '1') await worker();
