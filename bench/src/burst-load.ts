/**
 * The load generator of `pnpm bench burst`, run as its own process (so sending does not
 * steal the server's event loop). Env: TARGET (the webhook URL), COUNT, SECONDS, OFFSET
 * (first order number), SECRET. It prepares COUNT signed Shopify `orders/create`
 * deliveries (`shopifyOrderText` bodies, one distinct order each, signed with SECRET),
 * prints `ready`, waits for `go` on stdin, then sends them open-loop: delivery i starts at
 * go + i × SECONDS / COUNT, whatever the earlier ones are doing (a slow server gets more
 * concurrent requests, as it would from Shopify). Prints one JSON line: {@link LoadResult}.
 */
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import { CATALOG_SKUS, catalogStock } from './pg-catalog';

/** What one load run saw, per delivery in send order. */
export interface LoadResult {
  /** HTTP status per delivery; 0 when it failed without an answer (reset, timeout). */
  statuses: number[];
  /** Time from sending the request to the end of the response, ms; -1 without an answer. */
  latenciesMs: number[];
  /** How late the generator started its most delayed delivery, ms (its own lag). */
  maxStartLagMs: number;
  /** Seconds from go to the last delivery sent. */
  sendSeconds: number;
  /** Deliveries that failed without an answer, by error code. */
  errors: Record<string, number>;
}

/** The shop every delivery comes from, and the order id of delivery number `n`. */
export const BURST_SHOP = 'flash-sale.myshopify.com';
export const burstOrderId = (n: number) => `shopify:flash-sale:${burstNumericId(n)}`;
const burstNumericId = (n: number) => (5813624569900000000n + BigInt(n)).toString();
const TIMEOUT_MS = 30_000;
const WARM_CONNECTIONS = 64;

async function main() {
  const target = new URL(process.env.TARGET as string);
  const count = Number(process.env.COUNT);
  const seconds = Number(process.env.SECONDS);
  const offset = Number(process.env.OFFSET ?? 0);
  const secret = process.env.SECRET as string;
  const skus = Object.keys(catalogStock(1));
  const deliveries = Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const body = shopifyOrderText({
      id: burstNumericId(n),
      name: `#${100_000 + n}`,
      lines: [{ sku: skus[n % CATALOG_SKUS] as string, quantity: 1, price: '25.00' }],
    });
    return {
      body: Buffer.from(body),
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signShopifyWebhook(body, secret),
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': BURST_SHOP,
        'x-shopify-webhook-id': `burst-${n}`,
        'x-shopify-api-version': '2025-07',
        'x-shopify-triggered-at': new Date().toISOString(),
      },
    };
  });
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const statuses = new Array<number>(count).fill(0);
  const latenciesMs = new Array<number>(count).fill(-1);
  const errors: Record<string, number> = {};
  // Open connections first, as a load balancer in front of the host holds them: the
  // burst measures the app, not TCP handshakes (`GET` on the webhook path: a 404 is fine).
  await Promise.all(
    Array.from(
      { length: WARM_CONNECTIONS },
      () =>
        new Promise<void>((resolve) => {
          const req = request(target, { method: 'GET', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', () => resolve());
          req.end();
        }),
    ),
  );
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;

  const interval = (seconds * 1000) / count;
  const go = performance.now();
  let maxStartLagMs = 0;
  let sent = 0;
  let answered = 0;
  let finish: () => void = () => {};
  const allAnswered = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const settled = new Uint8Array(count);
  const settle = (i: number, status: number, latencyMs: number) => {
    if (settled[i]) return;
    settled[i] = 1;
    statuses[i] = status;
    latenciesMs[i] = latencyMs;
    if (++answered === count) finish();
  };
  const send = (i: number) => {
    const d = deliveries[i]!;
    const t0 = performance.now();
    maxStartLagMs = Math.max(maxStartLagMs, t0 - (go + i * interval));
    const req = request(target, {
      method: 'POST',
      agent,
      headers: { ...d.headers, 'content-length': d.body.byteLength },
      timeout: TIMEOUT_MS,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => settle(i, res.statusCode ?? 0, performance.now() - t0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (settled[i]) return;
      const code = err.code ?? err.message;
      errors[code] = (errors[code] ?? 0) + 1;
      settle(i, 0, -1);
    });
    req.end(d.body);
  };
  // Open loop: each tick sends every delivery whose time has come.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor((performance.now() - go) / interval) + 1);
      while (sent < due) send(sent++);
      if (sent >= count) return resolve();
      const next = go + sent * interval - performance.now();
      setTimeout(tick, Math.max(0, next));
    };
    tick();
  });
  const sendSeconds = (performance.now() - go) / 1000;
  await allAnswered;
  agent.destroy();
  const result: LoadResult = { statuses, latenciesMs, maxStartLagMs, sendSeconds, errors };
  console.log(JSON.stringify(result));
}

if (process.env.FULFIL_BURST_LOAD === '1') await main();
