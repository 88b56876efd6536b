/**
 * `FULFIL_BURST_DRAIN=worker` (with `FULFIL_BURST_ACK=receipt`): the webhook drain and the
 * engine's dispatch in their own process (niced, FULFIL_BURST_DRAIN_NICE), as a deployment
 * with a worker would run them; the host process only verifies and enqueues
 * (`autoDrain: false`). The worker drains
 * `storage.deliveries` continuously, dispatches to its own fake warehouse and reports each
 * submit, ingest time and error to the host over IPC. Internal to the bench.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createShopifyWebhookHandler } from '@fulfil/adapter-shopify';
import { createPostgresStorage } from '@fulfil/storage-postgres';
import { burstEngine, drainCommit, fakeWarehouse, timedIngest } from './burst-host';

type Message =
  | { t: 'ready' }
  | { t: 'submit'; orderId: string; at: number; duplicates: number }
  | { t: 'ingest'; ms: number }
  | { t: 'dispatchError' }
  | { t: 'webhookError' }
  | { t: 'stopped' };

/** From the host: `pause` stops claiming new deliveries until `resume`. */
type Command = { t: 'stop' } | { t: 'pause' } | { t: 'resume' };

const WORKER_FILE = fileURLToPath(import.meta.url);

/** Starts the worker process; resolves once it drains. */
export async function startDrainWorker(options: {
  connectionString: string;
  schema: string;
  secret: string;
  warehouseMs: number;
}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', WORKER_FILE],
    {
      env: {
        ...process.env,
        FULFIL_BURST_WORKER: '1',
        CONNECTION: options.connectionString,
        SCHEMA: options.schema,
        SECRET: options.secret,
        WAREHOUSE_MS: String(options.warehouseMs),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  // A lower CPU priority than the web process (FULFIL_BURST_DRAIN_NICE, default 10; 0 for
  // none): on a machine shared by both, the acknowledgements get the cores first, as they
  // would with the worker on a machine of its own.
  const nice = Number(process.env.FULFIL_BURST_DRAIN_NICE ?? 10);
  if (child.pid !== undefined && Number.isInteger(nice) && nice !== 0) {
    os.setPriority(child.pid, Math.max(-20, Math.min(19, nice)));
  }
  const submittedAt = new Map<string, number>();
  let duplicates = 0;
  let ingestMs: number[] = [];
  const errors = { dispatch: 0, webhook: 0 };
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`burst worker exited (${code})`)));
    child.on('message', (m: Message) => {
      if (m.t === 'ready') resolve();
      else if (m.t === 'submit') {
        // Into this process's performance.now() time line.
        if (!submittedAt.has(m.orderId)) submittedAt.set(m.orderId, m.at - performance.timeOrigin);
        duplicates = m.duplicates;
      } else if (m.t === 'ingest') ingestMs.push(m.ms);
      else if (m.t === 'dispatchError') errors.dispatch++;
      else if (m.t === 'webhookError') errors.webhook++;
      else if (m.t === 'stopped') stopped();
    });
  });
  await ready;
  return {
    warehouse: {
      orders: () => submittedAt.size,
      submittedAt: (orderId: string) => submittedAt.get(orderId),
      duplicates: () => duplicates,
    },
    dispatchErrors: () => errors.dispatch,
    webhookErrors: () => errors.webhook,
    takeIngestTimes() {
      const out = ingestMs;
      ingestMs = [];
      return out;
    },
    /** Stops claiming deliveries (the one in progress finishes) until `resume`. */
    pause: () => child.send({ t: 'pause' } satisfies Command),
    resume: () => child.send({ t: 'resume' } satisfies Command),
    async stop() {
      child.send({ t: 'stop' } satisfies Command);
      await done;
    },
  };
}

async function main() {
  const send = (m: Message) => process.send?.(m);
  const env = process.env as Record<string, string>;
  const storage = createPostgresStorage({
    connectionString: env.CONNECTION!,
    schema: env.SCHEMA!,
    autoMigrate: false,
    ...(drainCommit() === 'relaxed' ? { synchronousCommit: 'off' as const } : {}),
  });
  const warehouse = fakeWarehouse(Number(env.WAREHOUSE_MS), (orderId, at, duplicates) =>
    send({ t: 'submit', orderId, at: at + performance.timeOrigin, duplicates }),
  );
  const engine = burstEngine(storage, warehouse.adapter, () => send({ t: 'dispatchError' }));
  const handle = createShopifyWebhookHandler({
    secrets: [env.SECRET!],
    engine: timedIngest(engine, (ms) => send({ t: 'ingest', ms })),
    queue: storage.deliveries,
    autoDrain: false,
    onError: () => send({ t: 'webhookError' }),
  });
  let stopping = false;
  let paused = false;
  process.on('message', (m: Command) => {
    if (m.t === 'stop') stopping = true;
    else if (m.t === 'pause') paused = true;
    else if (m.t === 'resume') paused = false;
  });
  send({ t: 'ready' });
  // Polls when idle: every 5 ms at first, backing off to 50 ms (each empty claim is a query
  // on the server the host's inserts need).
  let idleMs = 5;
  while (!stopping) {
    if (paused) {
      await new Promise((ok) => setTimeout(ok, 5));
      continue;
    }
    const r = await handle.drain();
    if (r.processed + r.failed + r.dead > 0) idleMs = 5;
    else {
      await new Promise((ok) => setTimeout(ok, idleMs));
      idleMs = Math.min(50, idleMs * 2);
    }
  }
  await handle.drain();
  await engine.idle();
  await storage.close();
  send({ t: 'stopped' });
  process.disconnect();
}

if (process.env.FULFIL_BURST_WORKER === '1') await main();
