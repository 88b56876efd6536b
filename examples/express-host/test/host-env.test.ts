/**
 * The host as `server.ts` builds it from the environment (in memory here; PostgreSQL in
 * `shutdown.test.ts` and the readiness case below): webhooks answered with the order id,
 * the note classifier and risk scorer wired, order lookup by id, name and external id.
 */
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostFromEnv, type Host } from '../src/host';
import { createLogger } from '../src/logging';
import { serveHost } from './serve';

const SECRET = 'test_secret_key';
const OPS_TOKEN = 'ops_token_0123456789abcdef';
const ORDER = `shopify:acme-outdoor:${ORDER_ID}`;
const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
});

/** Starts a host built from `env` on a free port. */
async function start(env: Record<string, string>) {
  const host = createHostFromEnv({ SHOPIFY_SECRET: SECRET, OPS_TOKEN, ...env }, logger);
  return { host, ...(await serveHost(host)) };
}

const deliver = (url: string, body: string, id: string) =>
  fetch(`${url}/webhooks/shopify`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': id,
    },
  });
const get = (url: string, path: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });

describe('the host built from the environment (memory)', () => {
  let h: Awaited<ReturnType<typeof start>>;
  let host: Host;
  beforeAll(async () => {
    h = await start({});
    host = h.host;
  });
  afterAll(() => h.stop());

  it('wires memory storage, the keyword classifier and log alerts by default', () => {
    expect([host.storageKind, host.classifierKind, host.alertsKind]).toEqual([
      'memory',
      'keyword',
      'log',
    ]);
  });

  it('answers the webhook with the order id; the note is classified and the risk scored', async () => {
    const body = shopifyOrderText({
      lines: [{ sku: 'TEE-M', quantity: 1, price: '25.00' }],
      note: 'Please change the shipping address to 12 Oak Street, Denver CO 80203',
    });
    const res = await deliver(h.url, body, 'wh-note');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, queued: true, orderId: ORDER });
    await host.app.webhooks.idle();
    await host.engine.idle();
    const record = await host.engine.get(ORDER);
    expect(record?.facts.note?.tags.map((t) => t.tag)).toContain('address_change');
    expect(record?.facts.risk?.level).toMatch(/^(low|medium|high)$/);
    // noteRules(): an address change is not shipped as is.
    expect(record?.status).toBe('needs_review');
    expect(record?.review?.reasons.join(' ')).toMatch(/address/i);
  });

  it('finds the order by engine id, store name (#1001, url-encoded, or 1001) and Shopify id', async () => {
    for (const key of [
      encodeURIComponent(ORDER),
      '%231001',
      '1001',
      ORDER_ID,
      encodeURIComponent(`gid://shopify/Order/${ORDER_ID}`),
    ]) {
      const res = await get(h.url, `/orders/${key}`);
      expect([key, res.status]).toEqual([key, 200]);
      expect(((await res.json()) as { record: { orderId: string } }).record.orderId).toBe(ORDER);
    }
    const missing = await get(h.url, '/orders/%231002');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'ORDER_NOT_FOUND', message: 'no such order' });
  });

  it('answers 300 with the candidates when a name is shared', async () => {
    const other = shopifyOrderText({ id: '5813624569912345999', lines: [{ sku: 'MUG' }] });
    expect((await deliver(h.url, other, 'wh-other')).status).toBe(200);
    await host.app.webhooks.idle();
    const res = await get(h.url, '/orders/1001');
    expect(res.status).toBe(300);
    expect(await res.json()).toMatchObject({
      error: 'AMBIGUOUS',
      orderIds: [ORDER, 'shopify:acme-outdoor:5813624569912345999'],
    });
  });

  it('/healthz and /readyz answer 200 in memory', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });

  it('a missing SHOPIFY_SECRET or a bad number is CONFIG_INVALID naming the variable', () => {
    expect(() => createHostFromEnv({}, logger)).toThrow(/SHOPIFY_SECRET/);
    for (const name of ['PORT', 'WORKER_INTERVAL_MS', 'SHUTDOWN_TIMEOUT_MS', 'LOG_LEVEL'])
      expect(() => createHostFromEnv({ SHOPIFY_SECRET: SECRET, [name]: 'lots' }, logger)).toThrow(
        new RegExp(`env\\.${name}`),
      );
  });
});

describe('readiness against PostgreSQL', () => {
  it('/readyz is 503 when DATABASE_URL points nowhere; /healthz stays 200', async () => {
    const h = await start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    try {
      expect(h.host.storageKind).toBe('postgres');
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
      const res = await fetch(`${h.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        ok: false,
        error: 'NOT_READY',
        message: 'not ready; see the logs',
      });
      expect(lines.find((l) => l.event === 'not_ready')?.reason).toMatch(/ECONNREFUSED/);
    } finally {
      await h.stop();
    }
  });

  it.runIf(process.env.DATABASE_URL)('/readyz is 200 when the database answers', async () => {
    const schema = `host_ready_${process.pid}`;
    const h = await start({ DATABASE_URL: process.env.DATABASE_URL!, FULFIL_SCHEMA: schema });
    try {
      expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    } finally {
      await h.stop();
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    }
  });
});
