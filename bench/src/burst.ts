/**
 * burst: a flash sale into the Express host. ORDERS signed Shopify `orders/create`
 * webhooks (FULFIL_BURST_ORDERS, default 10,000) sent open-loop over SECONDS
 * (FULFIL_BURST_SECONDS, default 60) by a separate process (`burst-load.ts`) into
 * `createApp` from examples/express-host, on @fulfil/storage-postgres (DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test; a fresh schema, dropped afterwards)
 * with a fake warehouse that answers after WAREHOUSE_MS (FULFIL_BURST_WAREHOUSE_MS,
 * default 5). Reports the webhook acknowledgement latency (p50/p99/max, how many over
 * Shopify's 5 s), the time until every acknowledged order is at the warehouse, lost
 * orders (acknowledged 200 but not stored or never submitted) and duplicate submits.
 *
 * FULFIL_BURST_ACK picks how the host acknowledges: `receipt` (default) answers once the
 * verified delivery is enqueued in `storage.deliveries` (one INSERT) and ingests in the
 * webhook drain after the answer (in the host process, or with FULFIL_BURST_DRAIN=worker in
 * a worker process: the host then only verifies and enqueues); `commit` answers once
 * `engine.ingest` has committed. In `receipt` mode the enqueue has a pool of its own, and
 * FULFIL_BURST_DRAIN_COMMIT picks how the drain engine's storage commits: `relaxed`
 * (default: `synchronousCommit: 'off'`; the enqueue and the outbox claim before each submit
 * still wait for the flush) or `durable`.
 *
 * Then the handler/bare-Express ratio at a steady RATE (FULFIL_BURST_RATE, default 200
 * req/s) for RATIO_SECONDS (FULFIL_BURST_RATIO_SECONDS, default 20), in alternating
 * rounds: the same kind of signed bodies into (a) the full host and (b) an Express app
 * with `express.raw` that answers 200 at once.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import { createPostgresStorage, migrate } from '@fulfil/storage-postgres';
import { type BurstHost, drainCommit, startBareExpress, startHost } from './burst-host';
import { BURST_SHOP, burstOrderId, type LoadResult } from './burst-load';
import { countingPool } from './pg-pool';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const ORDERS = Math.round(env('FULFIL_BURST_ORDERS', 10_000));
const SECONDS = env('FULFIL_BURST_SECONDS', 60);
const WAREHOUSE_MS = env('FULFIL_BURST_WAREHOUSE_MS', 5);
const RATE = env('FULFIL_BURST_RATE', 200);
const RATIO_SECONDS = env('FULFIL_BURST_RATIO_SECONDS', 20);
const ROUNDS = 4;
/**
 * FULFIL_BURST_RATIO_DRAIN (with FULFIL_BURST_DRAIN=worker): `concurrent` (default) drains
 * during the host's ratio rounds, on the same two cores; `between` pauses the worker during
 * each host round and drains before the next round, as with the worker on a machine of its
 * own: the handler's cost without the drain's.
 */
const RATIO_DRAIN = process.env.FULFIL_BURST_RATIO_DRAIN?.trim() || 'concurrent';
if (RATIO_DRAIN !== 'concurrent' && RATIO_DRAIN !== 'between') {
  throw new Error(`FULFIL_BURST_RATIO_DRAIN must be concurrent or between, got "${RATIO_DRAIN}"`);
}
/** Untimed deliveries first (JIT, pool connections, prepared statements), over 3 s. */
const WARM_UP = 300;
const DRAIN_TIMEOUT_MS = 300_000;
const SECRET = 'burst_bench_secret';
const LOAD_FILE = fileURLToPath(new URL('./burst-load.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the benchmark; returns headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const connectionString = process.env.DATABASE_URL ?? DEFAULT_URL;
  const schema = `burst_${randomBytes(5).toString('hex')}`;
  try {
    await migrate({ connectionString, schema });
  } catch (err) {
    const reason = `skipped: PostgreSQL not reachable at DATABASE_URL (${(err as Error).message})`;
    console.log(`burst: ${reason}`);
    return { burst: reason };
  }
  const admin = countingPool(connectionString, 2).pool;
  const host = await startHost({
    connectionString,
    schema,
    secret: SECRET,
    warehouseMs: WAREHOUSE_MS,
  });
  console.log(
    host.ack === 'receipt'
      ? `ack: receipt (answered once the delivery is in storage.deliveries; ingested after the answer by the drain ${host.drain === 'worker' ? 'of a worker process' : 'in the host process'})`
      : 'ack: commit (answered once engine.ingest has committed the event)',
  );
  try {
    console.log(`warm-up: ${WARM_UP} webhooks over 3 s`);
    await load(host.url, WARM_UP, 3, 1_000_000);
    const burst = await flashSale(host, admin, schema);
    if (RATIO_DRAIN === 'between' && !host.worker) {
      throw new Error('FULFIL_BURST_RATIO_DRAIN=between needs FULFIL_BURST_DRAIN=worker');
    }
    const { bareP50, bareP99, ...ratio } = await ratioRounds(host, admin, 2_000_000);
    Object.assign(ratio, await enqueueFloor(connectionString, schema, { bareP50, bareP99 }));
    const mode =
      host.ack === 'receipt'
        ? `receipt, drain ${host.drain}, drain commits ${drainCommit()}${host.worker ? `, ratio drain ${RATIO_DRAIN}` : ''}`
        : host.ack;
    const figures = { 'burst ack mode': mode, ...burst, ...ratio };
    for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
    return figures;
  } finally {
    await host.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

async function flashSale(
  host: BurstHost,
  admin: ReturnType<typeof countingPool>['pool'],
  schema: string,
) {
  console.log(
    `burst: ${ORDERS} signed orders/create webhooks over ${SECONDS} s (${(ORDERS / SECONDS).toFixed(0)}/s), warehouse ${WAREHOUSE_MS} ms`,
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const load0 = os.loadavg()[0] ?? 0;
  const cpu0 = process.cpuUsage();
  host.takeIngestTimes();
  host.takeEnqueueTimes();
  const { result, goAt } = await load(host.url, ORDERS, SECONDS, 0);
  const enqueue = quantiles(host.takeEnqueueTimes());
  loop.disable();
  const acked: string[] = [];
  const unanswered: string[] = [];
  const statusCounts: Record<number, number> = {};
  result.statuses.forEach((status, i) => {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    (status === 200 ? acked : unanswered).push(burstOrderId(i));
  });
  // Every acknowledged order must reach the warehouse.
  const until = performance.now() + DRAIN_TIMEOUT_MS;
  let missing = acked.filter((id) => host.warehouse.submittedAt(id) === undefined);
  while (missing.length > 0 && performance.now() < until) {
    await sleep(100);
    missing = missing.filter((id) => host.warehouse.submittedAt(id) === undefined);
  }
  const ingest = quantiles(host.takeIngestTimes());
  const lastSubmit = Math.max(...acked.map((id) => host.warehouse.submittedAt(id) ?? Number.NaN));
  const queued = host.queue ? await host.queue.stats() : undefined;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerOrder = (cpu.user + cpu.system) / 1000 / ORDERS;
  const load1 = os.loadavg()[0] ?? 0;
  const { rows } = await admin.query(
    `SELECT order_id, status FROM "${schema}".orders WHERE order_id LIKE $1`,
    [`shopify:${BURST_SHOP.split('.')[0]}:%`],
  );
  const stored = new Map(
    (rows as { order_id: string; status: string }[]).map((r) => [r.order_id, r.status]),
  );
  const lost = acked.filter(
    (id) => !stored.has(id) || host.warehouse.submittedAt(id) === undefined,
  );
  const byStatus: Record<string, number> = {};
  for (const id of acked) {
    const s = stored.get(id) ?? 'missing';
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }
  printTimeline(result);
  const answered = result.latenciesMs.filter((ms) => ms >= 0);
  const over5s = result.latenciesMs.filter((ms) => ms > 5_000 || ms < 0).length;
  const q = quantiles(answered);
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  return {
    'burst acks': `p50 ${ms(q.p50)}, p99 ${ms(q.p99)}, max ${ms(q.max)} (aim p99 ≤ 100 ms; ${ackPart(host, enqueue, ingest, ms)}); ${over5s} over 5 s or unanswered (aim 0); statuses ${JSON.stringify(statusCounts)}${Object.keys(result.errors).length > 0 ? `, errors ${JSON.stringify(result.errors)}` : ''}`,
    'burst sent': `${ORDERS} webhooks in ${result.sendSeconds.toFixed(1)} s from a separate process (generator lag max ${ms(result.maxStartLagMs)}); server event-loop delay p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}; server CPU ${cpuMsPerOrder.toFixed(1)} ms per order (webhook + dispatch); machine load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${os.cpus().length} cores`,
    'burst submitted': `every acknowledged order at the warehouse ${((lastSubmit - goAt) / 1000).toFixed(1)} s after the first webhook (sending took ${result.sendSeconds.toFixed(1)} s); ${missing.length} still missing after ${DRAIN_TIMEOUT_MS / 1000} s`,
    'burst lost': `${lost.length} lost (acknowledged 200, not stored or not submitted; aim 0), ${host.warehouse.duplicates()} duplicate submits at the warehouse (aim 0); stored statuses ${JSON.stringify(byStatus)}; ${unanswered.filter((id) => stored.has(id)).length} of the ${unanswered.length} not answered 200 deliveries stored all the same (Shopify would redeliver them; the inbox drops repeats); dispatch errors ${host.dispatchErrors()}, webhook errors ${host.webhookErrors()}${queued ? `; delivery queue after the drain: ${queued.pending} pending, ${queued.dead} dead (aim 0, 0)` : ''}`,
  };
}

/** Alternating rounds at a steady RATE into the host and into bare Express. */
async function ratioRounds(
  host: BurstHost,
  admin: ReturnType<typeof countingPool>['pool'],
  offset: number,
) {
  // WAL flushes the server made during the host's rounds (the whole server's: other
  // clients of it count too), a figure the machine's noise does not move.
  const walSyncs = async () => {
    const { rows } = await admin.query('SELECT wal_sync::float8 AS n FROM pg_stat_wal');
    return Number((rows[0] as { n: number } | undefined)?.n ?? Number.NaN);
  };
  let flushes = 0;
  // This process's CPU during each kind of round (the host's includes its drain and
  // dispatch, the part of them that runs during its rounds).
  const cpuMs = { host: 0, bare: 0 };
  const bare = await startBareExpress();
  const perRound = Math.max(1, Math.round((RATE * RATIO_SECONDS) / ROUNDS / 2));
  const seconds = perRound / RATE;
  console.log(
    `ratio: ${ROUNDS} alternating rounds of ${perRound} webhooks at ${RATE}/s into bare Express, then the host`,
  );
  const samples = { host: [] as number[], bare: [] as number[] };
  const ingestTimes: number[] = [];
  const enqueueTimes: number[] = [];
  const failed = { host: 0, bare: 0 };
  try {
    await load(bare.url, Math.min(perRound, 200), 1, offset); // warm the baseline too
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url] of [
        ['bare', bare.url],
        ['host', host.url],
      ] as const) {
        offset += perRound;
        host.takeIngestTimes();
        host.takeEnqueueTimes();
        const before = name === 'host' ? await walSyncs() : 0;
        const pause = name === 'host' && RATIO_DRAIN === 'between' ? host.worker : undefined;
        pause?.pause();
        const cpu0 = process.cpuUsage();
        const { result } = await load(url, perRound, seconds, offset);
        const used = process.cpuUsage(cpu0);
        if (pause) {
          pause.resume();
          while (((await host.queue?.stats())?.pending ?? 0) > 0) await sleep(50);
        }
        cpuMs[name] += (used.user + used.system) / 1000;
        if (name === 'host') {
          flushes += (await walSyncs()) - before;
          ingestTimes.push(...host.takeIngestTimes());
          enqueueTimes.push(...host.takeEnqueueTimes());
        }
        for (const [i, latency] of result.latenciesMs.entries()) {
          if (result.statuses[i] === 200) samples[name].push(latency);
          else failed[name]++;
        }
      }
    }
  } finally {
    await bare.close();
  }
  const h = quantiles(samples.host);
  const e = quantiles(ingestTimes);
  const en = quantiles(enqueueTimes);
  const b = quantiles(samples.bare);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return {
    'ratio host': `p50 ${ms(h.p50)}, p99 ${ms(h.p99)} (${samples.host.length} webhooks at ${RATE}/s; ${failed.host} not 200); ${ackPart(host, en, e, ms)}; server WAL flushes ${(flushes / Math.max(1, samples.host.length)).toFixed(2)} per webhook; server process CPU ${(cpuMs.host / Math.max(1, samples.host.length)).toFixed(2)} ms per webhook (bare Express ${(cpuMs.bare / Math.max(1, samples.bare.length)).toFixed(2)})`,
    'ratio bare Express': `p50 ${ms(b.p50)}, p99 ${ms(b.p99)} (${samples.bare.length}; ${failed.bare} not 200)`,
    'handler/bare ratio': `p50 ${(h.p50 / b.p50).toFixed(2)}×, p99 ${(h.p99 / b.p99).toFixed(2)}× (aim ≤ 2×)`,
    bareP50: b.p50,
    bareP99: b.p99,
  };
}

/**
 * The floor under the ratio: the durable enqueue alone. The same INSERT the host's
 * acknowledgement waits for (`storage.deliveries.enqueue`, prepared, flushed before it
 * answers), of the same kind of signed delivery, one at a time at RATE with nothing else
 * running (a schema of its own that nothing drains), and bare Express's p50/p99 plus it,
 * over bare Express's: the ratio a handler that did nothing but that write would score.
 */
async function enqueueFloor(
  connectionString: string,
  schema: string,
  ratio: { bareP50: number; bareP99: number },
) {
  const floorSchema = `${schema}_floor`;
  const storage = createPostgresStorage({ connectionString, schema: floorSchema });
  const times: number[] = [];
  try {
    const count = Math.max(200, Math.round(RATE * 5));
    for (let n = 0; n < count; n++) {
      const body = shopifyOrderText({
        id: String(9_000_000 + n),
        name: `#F${n}`,
        lines: [{ sku: 'SKU-1', quantity: 1, price: '25.00' }],
      });
      const delivery = {
        key: `floor-${n}`,
        source: 'shopify',
        headers: {
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': 'floor.myshopify.com',
          'x-shopify-webhook-id': `floor-${n}`,
        },
        body: Buffer.from(body),
        receivedAt: Date.now(),
      };
      const t0 = performance.now();
      await storage.deliveries.enqueue(delivery);
      if (n >= 20) times.push(performance.now() - t0); // the first ones migrate and prepare
      await sleep(1000 / RATE);
    }
  } finally {
    await storage.close();
    const admin = countingPool(connectionString, 1).pool;
    await admin.query(`DROP SCHEMA IF EXISTS "${floorSchema}" CASCADE`);
    await admin.end();
  }
  const q = quantiles(times);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return {
    'ratio floor': `the durable enqueue alone (one prepared INSERT, flushed; ${times.length} at ${RATE}/s, nothing else running): p50 ${ms(q.p50)}, p99 ${ms(q.p99)}; bare Express plus it over bare Express: p50 ${((ratio.bareP50 + q.p50) / ratio.bareP50).toFixed(2)}×, p99 ${((ratio.bareP99 + q.p99) / ratio.bareP99).toFixed(2)}× (what a handler doing only that write would score)`,
  };
}

/** What the acknowledgement waited for: the enqueue (`receipt`) or engine.ingest (`commit`). */
function ackPart(
  host: BurstHost,
  enqueue: ReturnType<typeof quantiles>,
  ingest: ReturnType<typeof quantiles>,
  ms: (x: number) => string,
) {
  const ingested = `engine.ingest p50 ${ms(ingest.p50)}, p99 ${ms(ingest.p99)}`;
  return host.ack === 'receipt'
    ? `of which the enqueue p50 ${ms(enqueue.p50)}, p99 ${ms(enqueue.p99)}; after the answer, in the drain, ${ingested}`
    : `of which ${ingested}`;
}

/** Runs one load generator process; resolves with what it saw and when `go` was sent. */
async function load(target: string, count: number, seconds: number, offset: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', LOAD_FILE],
    {
      env: {
        ...process.env,
        FULFIL_BURST_LOAD: '1',
        TARGET: target,
        COUNT: String(count),
        SECONDS: String(seconds),
        OFFSET: String(offset),
        SECRET,
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.value !== 'ready') throw new Error(`burst load: expected "ready", got ${first.value}`);
  const goAt = performance.now();
  child.stdin.end('go\n');
  const last = await lines.next();
  if (last.done) throw new Error('burst load: the generator ended without a result');
  return { result: JSON.parse(last.value as string) as LoadResult, goAt };
}

/** Acknowledgement latency per 5 s of sending: where a slowdown started and how it went. */
function printTimeline(result: LoadResult) {
  const perWindow = Math.max(1, Math.round((ORDERS / SECONDS) * 5));
  const rows: string[] = [];
  for (let start = 0; start < result.latenciesMs.length; start += perWindow) {
    const window = result.latenciesMs.slice(start, start + perWindow);
    const ok = window.filter((ms) => ms >= 0);
    const q = quantiles(ok);
    rows.push(
      `  ${String((start * SECONDS) / ORDERS).padStart(4)} s: p50 ${q.p50.toFixed(0)} ms, p99 ${q.p99.toFixed(0)} ms, max ${q.max.toFixed(0)} ms${window.length > ok.length ? `, ${window.length - ok.length} unanswered` : ''}`,
    );
  }
  console.log(`acknowledgements by send time:\n${rows.join('\n')}`);
}

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? Number.NaN };
}
