/**
 * `src/server.ts` as a process: on SIGTERM (and SIGINT) it stops accepting connections,
 * finishes the request in flight (and the drain and dispatch it started), closes the pool
 * and exits 0. On PostgreSQL (`DATABASE_URL`, as in CI) the order is read back from the
 * database after the process is gone; without it, in memory, the answer and the logs show it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';

const SECRET = 'test_secret_key';
const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;
const root = fileURLToPath(new URL('..', import.meta.url));
const databaseUrl = process.env.DATABASE_URL;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the server; resolves with its port and its log lines (growing). */
async function startServer(env: Record<string, string>) {
  const logs: Record<string, unknown>[] = [];
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', 'src/server.ts'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        SHOPIFY_SECRET: SECRET,
        PORT: '0',
        HOST: '127.0.0.1',
        WORKER_INTERVAL_MS: '200',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    rest += chunk.toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) logs.push(JSON.parse(p));
  });
  children.push(child);
  // 'close', not 'exit': the last lines of stdout may still be in the pipe at 'exit'.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const port = await waitFor(() => logs.find((l) => l.event === 'listening')?.port as number);
  return { port, logs, exited, proc: child };
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A webhook sent in two halves over a raw socket: the second half when `finish()` is called. */
function halfSentWebhook(port: number, body: string) {
  const bytes = Buffer.from(body);
  const head =
    'POST /webhooks/shopify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
    `x-shopify-hmac-sha256: ${signShopifyWebhook(body, SECRET)}\r\n` +
    `x-shopify-topic: orders/create\r\nx-shopify-shop-domain: ${SHOP}\r\n` +
    `x-shopify-webhook-id: wh-shutdown\r\ncontent-length: ${bytes.length}\r\n\r\n`;
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const answered = new Promise<string>((resolve, reject) => {
    socket.on('data', (d) => {
      received += d.toString('utf8');
    });
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  const half = Math.floor(bytes.length / 2);
  const sent = new Promise<void>((resolve) =>
    socket.once('connect', () =>
      socket.write(Buffer.concat([Buffer.from(head), bytes.subarray(0, half)]), () => resolve()),
    ),
  );
  return { sent, finish: () => socket.write(bytes.subarray(half)), answered };
}

// The two processes start side by side (each takes seconds to load its TypeScript).
it.concurrent('SIGTERM: refuses new connections, finishes the webhook in flight, closes the pool, exits 0', async () => {
  const schema = `host_shutdown_${process.pid}`;
  const env: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl, FULFIL_SCHEMA: schema }
    : {};
  const server = await startServer(env);
  expect(server.logs[0]).toMatchObject({ storage: databaseUrl ? 'postgres' : 'memory' });
  const request = halfSentWebhook(server.port, shopifyOrderText({ lines: [{ sku: 'MUG' }] }));
  await request.sent;
  await new Promise((r) => setTimeout(r, 300)); // the server is reading the body
  server.proc.kill('SIGTERM');
  await waitFor(() => server.logs.find((l) => l.event === 'shutdown'));
  // No new connections once shutting down.
  await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  expect(server.proc.exitCode).toBeNull(); // still finishing the request in flight
  request.finish();
  const answer = await request.answered;
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
    ok: true,
    queued: true,
    orderId: ORDER,
  });
  expect(await server.exited).toBe(0);
  expect(server.logs.map((l) => l.event)).toContain('stopped');
  expect(server.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  if (!databaseUrl) return;
  // The drain and the dispatch it started finished before the exit: the order is routed.
  const pool = new pg.Pool({ connectionString: databaseUrl });
  try {
    const rows = await pool.query(`select status from "${schema}".orders where order_id = $1`, [
      ORDER,
    ]);
    // (submitted, or already shipped when a worker round polled the simulated warehouse)
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].status).toMatch(/^(submitted|shipped)$/);
  } finally {
    await pool.query(`drop schema if exists "${schema}" cascade`);
    await pool.end();
  }
}, 120_000);

it.concurrent('SIGINT shuts down the same way (exit 0)', async () => {
  const server = await startServer({});
  server.proc.kill('SIGINT');
  expect(await server.exited).toBe(0);
  expect(server.logs.map((l) => l.event)).toEqual(
    expect.arrayContaining(['listening', 'shutdown', 'stopped']),
  );
}, 120_000);
