import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake warehouse saw. */
export interface WarehouseLog {
  /** Submit requests per idempotency key (a repeat of a key is a duplicate request, not a new order). */
  requests: Map<string, number>;
  /** Upstream orders created: one per distinct key. */
  created: number;
  /** Requests that repeated a key already seen. */
  duplicates: number;
}

/**
 * A fake warehouse and work queue as a real HTTP server on 127.0.0.1 (random port):
 * - `POST /submit {idempotencyKey, request}`: creates an upstream order once per key and
 *   answers `{status: 'accepted', warehouseOrderId}` (the same answer for a repeated key);
 * - `GET /next?n=N`: hands out the next N queued deliveries (`[]` when the queue is empty);
 * - `POST /paused`: a worker says it is paused after a submit (crash test).
 */
export async function startFakeWarehouse(deliveries: unknown[] = []) {
  const log: WarehouseLog = { requests: new Map(), created: 0, duplicates: 0 };
  const answers = new Map<string, { status: 'accepted'; warehouseOrderId: string }>();
  const queue = [...deliveries];
  let paused: () => void = () => {};
  const pausedOnce = new Promise<void>((resolve) => {
    paused = resolve;
  });
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/submit') {
      const body = JSON.parse(await readBody(req)) as { idempotencyKey?: unknown };
      const key = body.idempotencyKey;
      if (typeof key !== 'string' || key === '') return send(400, { error: 'idempotencyKey' });
      const seen = log.requests.get(key) ?? 0;
      log.requests.set(key, seen + 1);
      if (seen > 0) log.duplicates++;
      let answer = answers.get(key);
      if (answer === undefined) {
        log.created++;
        answer = { status: 'accepted', warehouseOrderId: `WH-${log.created}` };
        answers.set(key, answer);
      }
      return send(200, answer);
    }
    if (req.method === 'GET' && url.pathname === '/next') {
      const n = Math.max(1, Number(url.searchParams.get('n') ?? 1));
      return send(200, queue.splice(0, n));
    }
    if (req.method === 'POST' && url.pathname === '/paused') {
      paused();
      return send(200, {});
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    /** Resolves when a worker reported it paused after a submit. */
    pausedOnce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
