/**
 * Shopify adapter: (1) sustained mixed Admin GraphQL calls against the fake
 * Shopify (a real HTTP server enforcing a cost bucket), as a share of the
 * bucket's restore rate, and THROTTLED answers after the warm-up (the first
 * bucketful is a burst, not a sustained rate); (2) the webhook handler in a real
 * Express app at a fixed ~200 requests/s (autocannon), each request a distinct
 * signed `orders/create` for an engine on in-memory adapters, against a bare
 * Express POST endpoint answering 200, measured in the same run.
 *
 * Both loops are bounded in time and count.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  createShopifyAdminClient,
  signShopifyWebhook,
} from '../../packages/adapter-shopify/src/index';
import {
  FULFILLMENT_ORDER_HOLD,
  FULFILLMENT_ORDER_RELEASE_HOLD,
  ORDER_QUERY,
  TAGS_ADD,
} from '../../packages/adapter-shopify/src/queries';
import { startFakeShopify } from '../../packages/adapter-shopify/test/fake-shopify';
import { orderText, SHOP } from '../../packages/adapter-shopify/test/fixtures';
import { createTestEngine, startWebhookApp } from '../../packages/adapter-shopify/test/world';
import { createRateLimiter } from '../../packages/http/src/index';

// autocannon is a dev dependency of the adapter package.
const require = createRequire(
  new URL('../../packages/adapter-shopify/package.json', import.meta.url),
);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{
  latency: { p50: number; p99: number; average: number };
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}>;

/** Reads the fake's bucket level at `at` (a `performance.now()` time). */
function levelAt(fake: { bucket(): { available: number } }, at: number): Promise<number> {
  return new Promise((resolve) =>
    setTimeout(() => resolve(fake.bucket().available), Math.max(0, at - performance.now())),
  );
}

const RESTORE_RATE = 1000; // points per second (fake's fast plan)
const BUCKET = 400;
const WARMUP_MS = 2000;
const MEASURE_MS = 8000;
const WORKERS = 16;
const MAX_CALLS = 20_000;

async function sustainedCalls(): Promise<Record<string, string>> {
  const fake = await startFakeShopify({ maximumAvailable: BUCKET, restoreRate: RESTORE_RATE });
  const ORDERS = 50;
  const gid = (i: number) => `gid://shopify/Order/58200000000000${String(i).padStart(5, '0')}`;
  for (let i = 0; i < ORDERS; i++) {
    fake.seedOrder({
      id: gid(i).split('/').pop()!,
      updatedAt: '2026-11-27T09:00:00Z',
      lines: [
        {
          id: `142100000000000${String(i).padStart(4, '0')}`,
          sku: 'TEE-M',
          quantity: 1,
          price: '10.00',
        },
      ],
    });
  }
  const admin = createShopifyAdminClient({
    shop: fake.shop,
    accessToken: fake.token,
    endpoint: fake.endpoint,
  });
  const foOf = (i: number) => fake.order(gid(i).split('/').pop()!)!.fulfillmentOrders[0]!.id;
  const started = performance.now();
  const stopAt = started + WARMUP_MS + MEASURE_MS;
  let n = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < stopAt && n < MAX_CALLS) {
      const k = n++;
      const i = k % ORDERS;
      const call =
        k % 4 === 0
          ? admin.request(TAGS_ADD, { id: gid(i), tags: [`t${k % 7}`] })
          : k % 4 === 1
            ? admin.request(FULFILLMENT_ORDER_HOLD, {
                id: foOf(i),
                fulfillmentHold: { reason: 'OTHER', handle: `h${k}` },
              })
            : k % 4 === 2
              ? admin.request(FULFILLMENT_ORDER_RELEASE_HOLD, { id: foOf(i) })
              : admin.request(ORDER_QUERY, { id: gid(i) });
      await call.catch(() => void failed++);
    }
  };
  const levels = Promise.all([levelAt(fake, started + WARMUP_MS), levelAt(fake, stopAt)]);
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const [atStart, atEnd] = await levels;
  const from = started + WARMUP_MS;
  const window = fake.calls.filter((c) => c.at >= from && c.at < stopAt);
  const points = window.reduce((s, c) => s + c.actual, 0);
  const seconds = (stopAt - from) / 1000;
  // points spent beyond what the bucket already held: the restored points used
  const restoredUsed = points - (atStart - atEnd);
  const throttledAfter = window.filter((c) => c.throttled).length;
  const throttledWarmup = fake.calls.filter((c) => c.at < from && c.throttled).length;
  await fake.close();
  return {
    'shopify sustained calls': `${((restoredUsed / (RESTORE_RATE * seconds)) * 100).toFixed(1)} % of the restore rate (${Math.round(restoredUsed)} restored points used in ${seconds.toFixed(1)} s at ${RESTORE_RATE}/s, bucket ${BUCKET}; ${window.length} calls, mutations + order queries)`,
    'shopify THROTTLED after warm-up': `${throttledAfter} (warm-up: ${throttledWarmup}); failed calls: ${failed}`,
  };
}

type Cannon = Awaited<ReturnType<typeof autocannon>>;

async function webhookLatency(): Promise<Record<string, string>> {
  const SECRET = 'bench_secret';
  const { engine, storage } = createTestEngine();
  const app = await startWebhookApp({ secrets: [SECRET], engine });
  const url = app.url;
  let seq = 0;
  const signedRequest = () => {
    const n = ++seq;
    const body = orderText({ id: `58${String(n).padStart(17, '0')}` });
    return {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': `bench-${n}`,
        'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      },
    };
  };
  const run = (path: string, sign: boolean, amount = 1000): Promise<Cannon> =>
    autocannon({
      url: `${url}${path}`,
      connections: 8,
      overallRate: 200,
      duration: 10,
      amount,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) =>
            sign
              ? { ...req, ...signedRequest() }
              : {
                  ...req,
                  method: 'POST',
                  body: '{}',
                  headers: { 'content-type': 'application/json' },
                },
        },
      ],
    });
  await run('/bare', false, 200); // warm-up both paths
  await run('/webhooks/shopify', true, 200);
  const bare = await run('/bare', false);
  const hook = await run('/webhooks/shopify', true);
  await app.close();
  const orders = (await storage.listOrders({})).length;
  return {
    'webhook handler @200 req/s': `p50 ${hook.latency.p50} ms, p99 ${hook.latency.p99} ms (${hook.requests.total} requests, non-2xx ${hook.non2xx}, errors ${hook.errors}; ${orders} orders routed)`,
    'bare express POST @200 req/s': `p50 ${bare.latency.p50} ms, p99 ${bare.latency.p99} ms (${bare.requests.total} requests)`,
    'webhook / bare ratio': `p50 ×${(hook.latency.p50 / Math.max(bare.latency.p50, 0.001)).toFixed(2)}, p99 ×${(hook.latency.p99 / Math.max(bare.latency.p99, 0.001)).toFixed(2)}`,
  };
}

/** Concurrent callers per process: enough to keep the budget busy, few enough not to stampede Redis. */
const WORKERS_PER_PROCESS = Number(process.env.FULFIL_BENCH_SHOPIFY_WORKERS ?? 8);
const SHARED_PROCESSES = Number(process.env.FULFIL_BENCH_SHOPIFY_PROCESSES ?? 3);

/** The part of ioredis (a dev dependency of @fulfil/http) this file uses. */
interface IoRedisModule {
  Redis: new (
    options: Record<string, unknown>,
  ) => {
    connect(): Promise<void>;
    keys(pattern: string): Promise<string[]>;
    del(...keys: string[]): Promise<number>;
    disconnect(): void;
  };
}

/** A worker process started from this file (see the bottom of the file). */
interface Worker {
  /** Resolves once the worker is set up (limiter connected). */
  ready: Promise<void>;
  /** Starts its run. */
  go(): void;
  done: Promise<{ calls: number; failed: number }>;
}

/** Spawns this file as a worker process; it waits for `go()` before calling. */
function spawnWorker(env: Record<string, string>): Worker {
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, ...env, FULFIL_SHOPIFY_BENCH_WORKER: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.includes('ready\n')) onReady();
  });
  const done = new Promise<{ calls: number; failed: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
    });
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

/** Three processes (`FULFIL_BENCH_SHOPIFY_PROCESSES`) sharing one Shopify budget through Redis (bottleneck clustering). */
export async function sharedThroughRedis(): Promise<Record<string, string>> {
  const requireHttp = createRequire(new URL('../../packages/http/package.json', import.meta.url));
  const { Redis } = requireHttp('ioredis') as IoRedisModule;
  const redis = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return {
      [`shopify ${SHARED_PROCESSES} processes via Redis`]: 'skipped: no Redis at 127.0.0.1:6379',
    };
  }
  const id = `fulfil-bench-shopify-${process.pid}-${Date.now()}`;
  const fake = await startFakeShopify({ maximumAvailable: BUCKET, restoreRate: RESTORE_RATE });
  const ORDERS = 30;
  for (let i = 0; i < ORDERS; i++) {
    fake.seedOrder({
      id: `58300000000000${String(i).padStart(5, '0')}`,
      updatedAt: '2026-11-27T09:00:00Z',
      lines: [
        {
          id: `143100000000000${String(i).padStart(4, '0')}`,
          sku: 'TEE-M',
          quantity: 1,
          price: '1.00',
        },
      ],
    });
  }
  try {
    const workers = Array.from({ length: SHARED_PROCESSES }, (_, k) =>
      spawnWorker({
        ENDPOINT: fake.endpoint,
        TOKEN: fake.token,
        REDIS_ID: id,
        RUN_MS: String(WARMUP_MS + MEASURE_MS),
        ORDERS: String(ORDERS),
        WORKER: String(k),
      }),
    );
    await Promise.all(workers.map((w) => w.ready)); // start-up (tsx, Redis) is not measured
    const started = performance.now();
    const levels = Promise.all([
      levelAt(fake, started + WARMUP_MS),
      levelAt(fake, started + WARMUP_MS + MEASURE_MS),
    ]);
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.done));
    const from = started + WARMUP_MS;
    const to = started + WARMUP_MS + MEASURE_MS;
    const window = fake.calls.filter((c) => c.at >= from && c.at < to);
    const [atStart, atEnd] = await levels;
    const points = window.reduce((s, c) => s + c.actual, 0) - (atStart - atEnd);
    const throttled = window.filter((c) => c.throttled).length;
    const failed = results.reduce((s, r) => s + r.failed, 0);
    return {
      [`shopify ${SHARED_PROCESSES} processes via Redis`]: `${((points / (RESTORE_RATE * (MEASURE_MS / 1000))) * 100).toFixed(1)} % of the restore rate (${window.length} calls in ${MEASURE_MS / 1000} s after warm-up; per process ${results.map((r) => r.calls).join('/')} calls)`,
      [`shopify ${SHARED_PROCESSES} processes THROTTLED after warm-up`]: `${throttled} (warm-up: ${fake.calls.filter((c) => c.at < from && c.throttled).length}); failed calls: ${failed}`,
    };
  } finally {
    await fake.close();
    const keys = await redis.keys(`b_${id}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

/** A worker process: mutations through a Redis-shared cost limiter until RUN_MS passed. */
async function worker(): Promise<void> {
  const requireHttp = createRequire(new URL('../../packages/http/package.json', import.meta.url));
  const { Redis } = requireHttp('ioredis') as IoRedisModule;
  const env = process.env as Record<string, string>;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const limiter = createRateLimiter({ kind: 'cost', redis: { id: env.REDIS_ID!, client: redis } });
  await limiter.bottleneck.ready();
  const admin = createShopifyAdminClient({
    shop: SHOP,
    accessToken: env.TOKEN!,
    endpoint: env.ENDPOINT!,
    limiter,
  });
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r));
  const stopAt = performance.now() + Number(env.RUN_MS);
  let calls = 0;
  let failed = 0;
  const loop = async (w: number) => {
    for (let k = 0; performance.now() < stopAt && k < MAX_CALLS; k++) {
      const i = (k * 7 + w + Number(env.WORKER)) % Number(env.ORDERS);
      await admin
        .request(TAGS_ADD, {
          id: `gid://shopify/Order/58300000000000${String(i).padStart(5, '0')}`,
          tags: [`p${env.WORKER}`],
        })
        .then(
          () => void calls++,
          () => void failed++,
        );
    }
  };
  await Promise.all(Array.from({ length: WORKERS_PER_PROCESS }, (_, w) => loop(w)));
  await limiter.disconnect();
  redis.disconnect();
  process.stdout.write(`${JSON.stringify({ calls, failed })}\n`);
}

/** Runs the Shopify benchmarks; returns the headline figures. */
export async function run(): Promise<Record<string, string>> {
  return {
    ...(await sustainedCalls()),
    ...(await sharedThroughRedis()),
    ...(await webhookLatency()),
  };
}

if (process.env.FULFIL_SHOPIFY_BENCH_WORKER === '1') {
  worker().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
