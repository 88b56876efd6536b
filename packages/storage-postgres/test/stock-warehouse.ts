import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake stock-keeping warehouse saw. */
export interface StockLog {
  /** Accepted submissions (one per idempotency key): the shipment's location and units. */
  accepted: { key: string; orderId: string; locationId: string; units: number }[];
  /** Submissions refused for lack of stock. */
  rejected: { key: string; reason: string }[];
  /** Requests that repeated a key already answered. */
  duplicates: number;
  /** `GET /stock` requests served. */
  stockReads: number;
}

interface SubmitBody {
  idempotencyKey?: unknown;
  request?: {
    orderId: string;
    locationId: string;
    lines: { sku: string; quantity: number; components?: { sku: string; quantity: number }[] }[];
  };
}

/**
 * A fake warehouse that keeps stock, as a real HTTP server on 127.0.0.1 (random port):
 * - `GET /stock?skus=A,B`: units available per location (`{ [location]: { [sku]: n } }`),
 *   net of accepted submissions (available to promise, as the InventorySource contract says);
 * - `POST /submit {idempotencyKey, request}`: accepts and allocates when the location has
 *   every unit, else answers `rejected` (once per key; a repeated key gets the same answer);
 * - `GET /next?n=N`: hands out the next N queued deliveries.
 *
 * `gate`: the first `gate` stock reads are answered together once that many are waiting (or
 * after `gateTimeoutMs`), so that many decisions read the same stock before any commits.
 */
export async function startStockWarehouse(options: {
  stock: Record<string, Record<string, number>>;
  deliveries?: unknown[];
  gate?: number;
  gateTimeoutMs?: number;
}) {
  const stock = structuredClone(options.stock);
  const log: StockLog = { accepted: [], rejected: [], duplicates: 0, stockReads: 0 };
  const answers = new Map<string, unknown>();
  const queue = [...(options.deliveries ?? [])];
  const gate = options.gate ?? 0;
  const held: (() => void)[] = [];
  let gateOpen = gate === 0;
  const openGate = () => {
    gateOpen = true;
    for (const go of held.splice(0)) go();
  };
  const timer = gate > 0 ? setTimeout(openGate, options.gateTimeoutMs ?? 15_000) : undefined;

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/stock') {
      if (!gateOpen) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length >= gate) openGate();
        });
      }
      log.stockReads++;
      const skus = (url.searchParams.get('skus') ?? '').split(',').filter(Boolean);
      const out: Record<string, Record<string, number>> = {};
      for (const [loc, units] of Object.entries(stock)) {
        out[loc] = {};
        for (const sku of skus) if (sku in units) out[loc]![sku] = Math.max(0, units[sku]!);
      }
      return send(200, out);
    }
    if (req.method === 'POST' && url.pathname === '/submit') {
      const body = JSON.parse(await readBody(req)) as SubmitBody;
      const key = body.idempotencyKey;
      if (typeof key !== 'string' || !body.request) return send(400, { error: 'bad request' });
      const previous = answers.get(key);
      if (previous !== undefined) {
        log.duplicates++;
        return send(200, previous);
      }
      const { locationId, lines, orderId } = body.request;
      const need = new Map<string, number>();
      for (const l of lines) {
        for (const [sku, n] of l.components?.map(
          (c) => [c.sku, c.quantity * l.quantity] as const,
        ) ?? [[l.sku, l.quantity] as const])
          need.set(sku, (need.get(sku) ?? 0) + n);
      }
      const at = stock[locationId] ?? {};
      const short = [...need].filter(([sku, n]) => (at[sku] ?? 0) < n);
      let answer: unknown;
      if (short.length > 0) {
        const reason = short
          .map(
            ([sku, n]) => `insufficient ${sku} at ${locationId}: need ${n}, have ${at[sku] ?? 0}`,
          )
          .join('; ');
        log.rejected.push({ key, reason });
        answer = { status: 'rejected', reason };
      } else {
        let units = 0;
        for (const [sku, n] of need) {
          at[sku] = (at[sku] ?? 0) - n;
          units += n;
        }
        log.accepted.push({ key, orderId, locationId, units });
        answer = { status: 'accepted', warehouseOrderId: `WH-${log.accepted.length}` };
      }
      answers.set(key, answer);
      return send(200, answer);
    }
    if (req.method === 'GET' && url.pathname === '/next') {
      const n = Math.max(1, Number(url.searchParams.get('n') ?? 1));
      return send(200, queue.splice(0, n));
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    stock,
    /** Sets the units of `sku` at `location` (a delivery arrived). */
    restock(location: string, sku: string, units: number) {
      stock[location] ??= {};
      stock[location]![sku] = units;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        openGate();
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
