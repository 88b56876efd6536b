/**
 * The server side of `pnpm bench burst`: the Express host app (`createApp` from
 * examples/express-host) on @fulfil/storage-postgres with a fake warehouse (the engine
 * dispatches in the background after each webhook's commit), and the bare Express baseline.
 * Two ways to acknowledge (`FULFIL_BURST_ACK`): `receipt` (the default) stores each verified delivery in `storage.deliveries` and answers, and
 * the webhook drain ingests after the answer; `commit` answers once `engine.ingest` has
 * committed. Internal to the bench.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEngine,
  createMemoryInventory,
  type DeliveryQueue,
  type Engine,
  type WarehouseAdapter,
} from '@fulfil/core';
import { createPostgresStorage, type PostgresStorage } from '@fulfil/storage-postgres';
import express from 'express';
import { createApp } from '../../examples/express-host/src/app';
import { startDrainWorker } from './burst-worker';
import { catalogStock } from './pg-catalog';

/**
 * Loopback, any port, and a deep accept queue (Node's default is 511): on a busy machine
 * a burst of new connections overflowed it (`ListenOverflows` in `nstat`), and a dropped
 * SYN costs the client 1 s, then 3 s, then more before it retries.
 */
const LISTEN = { port: 0, host: '127.0.0.1', backlog: 4096 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A warehouse that accepts every order after `latencyMs` (a remote API's round trip), is
 * idempotent on the key as the port requires, and counts every call: a second call for a
 * key, or a second key for an order, is a duplicate submit.
 */
export function fakeWarehouse(
  latencyMs: number,
  /** Told after every submit (for a worker process to report). */
  onSubmit?: (orderId: string, at: number, duplicates: number) => void,
) {
  let extra = 0;
  const calls = new Map<string, number>();
  const keysByOrder = new Map<string, Set<string>>();
  const firstSubmitAt = new Map<string, number>();
  const adapter: WarehouseAdapter = {
    name: 'wh',
    capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
    async submit(request, key) {
      await sleep(latencyMs);
      const before = calls.get(key) ?? 0;
      calls.set(key, before + 1);
      const keys = keysByOrder.get(request.orderId) ?? new Set<string>();
      if (before > 0)
        extra++; // the same key again
      else if (keys.size > 0) extra++; // another key for the order
      keys.add(key);
      keysByOrder.set(request.orderId, keys);
      if (!firstSubmitAt.has(request.orderId))
        firstSubmitAt.set(request.orderId, performance.now());
      onSubmit?.(request.orderId, firstSubmitAt.get(request.orderId)!, extra);
      return { status: 'accepted', warehouseOrderId: `WH-${key}` };
    },
  };
  return {
    adapter,
    /** Orders the warehouse holds. */
    orders: () => firstSubmitAt.size,
    /** When the order first reached the warehouse (performance.now()), if it did. */
    submittedAt: (orderId: string) => firstSubmitAt.get(orderId),
    /** Submit calls beyond the first per order (repeated keys and extra keys alike). */
    duplicates: () => extra,
  };
}

/** How the host acknowledges a webhook. */
export type AckMode = 'receipt' | 'commit';

/** The host under test: engine and app on 127.0.0.1. */
export interface BurstHost {
  url: string;
  engine: Engine;
  storage: PostgresStorage;
  warehouse: Pick<ReturnType<typeof fakeWarehouse>, 'orders' | 'submittedAt' | 'duplicates'>;
  /** `worker`: a separate process drains the queue (`receipt` mode with FULFIL_BURST_DRAIN=worker). */
  drain: 'inline' | 'worker';
  /** `receipt`: answered once the delivery is enqueued; `commit`: once the event is committed. */
  ack: AckMode;
  /**
   * With a worker drain: stop it claiming deliveries (`pause`) and start it again (`resume`),
   * so a measurement can leave the cores to the acknowledgements.
   */
  worker?: { pause(): void; resume(): void };
  /** The delivery queue (`receipt` mode). */
  queue: DeliveryQueue | undefined;
  /** Background dispatch passes that failed (the engine's `onError`). */
  dispatchErrors: () => number;
  /** Webhooks answered non-2xx, or failed in the drain (the handler's `onError`). */
  webhookErrors: () => number;
  /** The `engine.ingest` durations (ms) since the last call (in the drain in `receipt` mode). */
  takeIngestTimes(): number[];
  /** The `queue.enqueue` durations (ms) since the last call (`receipt` mode). */
  takeEnqueueTimes(): number[];
  close(): Promise<void>;
}

/** `FULFIL_BURST_ACK`: `receipt` (default) or `commit`. */
export function ackMode(): AckMode {
  const asked = process.env.FULFIL_BURST_ACK?.trim() || 'receipt';
  if (asked !== 'receipt' && asked !== 'commit') {
    throw new Error(`FULFIL_BURST_ACK must be receipt or commit, got "${asked}"`);
  }
  return asked;
}

/**
 * `FULFIL_BURST_DRAIN_COMMIT` (`receipt` mode): `relaxed` (default) gives the drain's engine
 * a storage with `synchronousCommit: 'off'`: its commits do not wait for the disk, the
 * outbox claim before each warehouse submit does (and so flushes them); the deliveries
 * being drained are durable since their enqueue. `durable`: every commit waits.
 */
export function drainCommit(): 'relaxed' | 'durable' {
  const asked = process.env.FULFIL_BURST_DRAIN_COMMIT?.trim() || 'relaxed';
  if (asked !== 'relaxed' && asked !== 'durable') {
    throw new Error(`FULFIL_BURST_DRAIN_COMMIT must be relaxed or durable, got "${asked}"`);
  }
  return asked;
}

/** The host's engine on `storage`, dispatching to `warehouse` in the background. */
export function burstEngine(
  storage: PostgresStorage,
  warehouse: WarehouseAdapter,
  onError: () => void,
) {
  return createEngine({
    storage,
    warehouses: { wh: warehouse },
    inventory: createMemoryInventory({ stock: { main: catalogStock(1_000_000) } }),
    locations: [{ id: 'main', warehouse: 'wh' }],
    dispatch: { concurrency: 32 },
    // The Shopify webhook handler ingests with `dispatch: 'background'`: the engine runs
    // the outbox after the commit.
    onError,
  });
}

/** `engine` with `ingest` timed into `push`. */
export function timedIngest(engine: Engine, push: (ms: number) => void): Engine {
  const ingest = engine.ingest as (...args: unknown[]) => Promise<unknown>;
  return {
    ...engine,
    async ingest(...args: unknown[]) {
      const t0 = performance.now();
      try {
        return await ingest(...args);
      } finally {
        push(performance.now() - t0);
      }
    },
  } as Engine;
}

export async function startHost(options: {
  connectionString: string;
  schema: string;
  secret: string;
  warehouseMs: number;
}): Promise<BurstHost> {
  const ack = ackMode();
  const relaxed = ack === 'receipt' && drainCommit() === 'relaxed';
  // The engine's storage: in `receipt` mode only the drain ingests through it, so its
  // commits may skip the flush (`synchronousCommit: 'off'`, see drainCommit).
  const storage = createPostgresStorage({
    connectionString: options.connectionString,
    schema: options.schema,
    autoMigrate: false,
    ...(relaxed ? { synchronousCommit: 'off' as const } : {}),
  });
  // The acknowledgements' enqueue on a pool of their own: never behind a drain query.
  const receipts =
    ack === 'receipt'
      ? createPostgresStorage({
          connectionString: options.connectionString,
          schema: options.schema,
          autoMigrate: false,
        })
      : undefined;
  const drain =
    process.env.FULFIL_BURST_DRAIN === 'worker' && ack === 'receipt' ? 'worker' : 'inline';
  const worker = drain === 'worker' ? await startDrainWorker(options) : undefined;
  const local = fakeWarehouse(options.warehouseMs);
  const warehouse = worker?.warehouse ?? local;
  let errors = 0;
  const engine = burstEngine(storage, local.adapter, () => {
    errors++;
  });
  // The app gets the engine with `ingest` timed: how much of an acknowledgement is the
  // engine's (decide + commit) and how much the HTTP and webhook layers around it.
  let ingestMs: number[] = [];
  const timed = timedIngest(engine, (ms) => ingestMs.push(ms));
  const pgQueue = storage.deliveries;
  let enqueueMs: number[] = [];
  const queue: DeliveryQueue | undefined =
    ack === 'receipt' && receipts
      ? {
          ...pgQueue,
          async enqueue(delivery) {
            const t0 = performance.now();
            try {
              return await receipts.deliveries.enqueue(delivery);
            } finally {
              enqueueMs.push(performance.now() - t0);
            }
          },
        }
      : undefined;
  let webhookErrors = 0;
  const app = createApp({
    engine: timed,
    shopifySecrets: [options.secret],
    ...(queue ? { queue } : {}),
    ...(worker ? { autoDrain: false } : {}),
    onWebhookError: () => {
      webhookErrors++;
    },
  });
  const server = app.listen(LISTEN);
  const url = await listening(server);
  // As server.ts does: the drain on a schedule too (retries; each delivery starts one anyway).
  const loop = setInterval(() => void (worker ? undefined : app.webhooks.drain()), 1_000);
  const take = (list: 'ingest' | 'enqueue') => {
    if (list === 'ingest' && worker) return worker.takeIngestTimes();
    const out = list === 'ingest' ? ingestMs : enqueueMs;
    if (list === 'ingest') ingestMs = [];
    else enqueueMs = [];
    return out;
  };
  return {
    url: `${url}/webhooks/shopify`,
    engine,
    storage,
    warehouse,
    drain,
    ack,
    queue,
    ...(worker ? { worker: { pause: worker.pause, resume: worker.resume } } : {}),
    dispatchErrors: () => errors + (worker?.dispatchErrors() ?? 0),
    webhookErrors: () => webhookErrors + (worker?.webhookErrors() ?? 0),
    takeIngestTimes: () => take('ingest'),
    takeEnqueueTimes: () => take('enqueue'),
    async close() {
      clearInterval(loop);
      await app.webhooks.idle();
      await worker?.stop();
      await engine.idle();
      await closeServer(server);
      await storage.close();
      await receipts?.close();
    },
  };
}

/** The baseline: Express with `express.raw` answering 200 at once, nothing else. */
export async function startBareExpress(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.post('/webhooks/shopify', express.raw({ type: () => true, limit: '1mb' }), (_req, res) => {
    res.status(200).json({ ok: true });
  });
  const server = app.listen(LISTEN);
  const url = await listening(server);
  return { url: `${url}/webhooks/shopify`, close: () => closeServer(server) };
}

async function listening(server: Server): Promise<string> {
  // As behind a load balancer (AWS ALB's idle timeout is 60 s): the app keeps idle
  // connections longer than its client does, so a reused connection is never closed under
  // a request in flight (Node's default 5 s races the client's reuse of idle sockets).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
