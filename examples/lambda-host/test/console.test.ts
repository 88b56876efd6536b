/**
 * The operations console in the Lambda host: API Gateway HTTP API (payload 2.0) events for
 * `/ops` are answered by `@fulfil/console` (HTTP Basic, 401 with `WWW-Authenticate`; 200 HTML
 * with the CSRF cookie in `cookies`), and a review approved through the console's action
 * endpoint leaves review once, even when the same form is posted twice. State in PostgreSQL
 * (`DATABASE_URL`, or embedded PGlite when unset), as deployed.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { basicAuth, CSRF_COOKIE, createConsole, parseConsoleUsers } from '@fulfil/console';
import {
  createEngine,
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
  type Engine,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { createPostgresStorage, migrate } from '@fulfil/storage-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHost, type HttpEvent, type HttpResult } from '../src/host';

const SCHEMA = `lambda_console_${randomBytes(4).toString('hex')}`;
const DOMAIN = 'abc123.execute-api.eu-west-1.amazonaws.com';
const ALICE = 'alice:correct horse battery';
const clock = createSimulatedClock('2026-11-27T09:00:00Z');
const stock = { main: { 'TEE-M': 10 } };
const warehouse = createSimulatedWarehouse({ name: 'main', clock, locations: ['main'], stock });

let close: () => Promise<void>;
let engine: Engine;
let host: ReturnType<typeof createLambdaHost>;
beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  const pool = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
  const pglite = pool ? undefined : new PGlite();
  const source = pool ? { pool } : { pglite: pglite as PGlite };
  await migrate({ ...source, schema: SCHEMA });
  close = async () => {
    const sql = `DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`;
    await (pool ? pool.query(sql) : pglite?.query(sql));
    await (pool ? pool.end() : pglite?.close());
  };
  const storage = createPostgresStorage({ ...source, schema: SCHEMA, autoMigrate: false });
  engine = createEngine({
    storage,
    inventory: createMemoryInventory({ stock }),
    warehouses: { main: warehouse },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    autoDispatch: false,
    rules: [
      {
        id: 'all-review',
        stage: 'before_routing',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'review', reason: 'new customer' }],
      },
    ],
  });
  // As hostFromEnv builds it from CONSOLE_USERS.
  const users = parseConsoleUsers(ALICE, undefined);
  if (!users) throw new Error('no console users');
  host = createLambdaHost({
    engine: async () => engine,
    shopifySecrets: ['shopify-secret'],
    opsConsole: createConsole({
      engine,
      storage,
      basePath: '/ops',
      clock,
      ...basicAuth({ users }),
    }),
  });
}, 60_000);
afterAll(() => close());

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

/** An API Gateway HTTP API (payload 2.0) event: cookies in `cookies`, the form base64-encoded. */
function event(
  method: string,
  rawPath: string,
  options: {
    headers?: Record<string, string>;
    cookies?: string[];
    form?: Record<string, string>;
  } = {},
): HttpEvent {
  return {
    rawPath,
    headers: {
      host: DOMAIN,
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    },
    ...(options.cookies ? { cookies: options.cookies } : {}),
    ...(options.form
      ? {
          body: Buffer.from(new URLSearchParams(options.form).toString()).toString('base64'),
          isBase64Encoded: true,
        }
      : {}),
    requestContext: { domainName: DOMAIN, http: { method } },
  };
}

const signedIn = { authorization: basic(ALICE) };

/** The CSRF cookie (`name=value`) a console response set. */
function csrfCookie(res: HttpResult): string {
  const cookie = res.cookies
    ?.map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  if (!cookie) throw new Error('no CSRF cookie in the response');
  return cookie;
}

/** A hidden field of the resolve form of `orderId` on a review page. */
function formField(page: string, orderId: string, name: string): string {
  const form = page.slice(page.indexOf(`data-resolve="${orderId}"`));
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1];
  if (value === undefined) throw new Error(`no ${name} in the form of ${orderId}`);
  return value;
}

describe('the console at /ops of the Lambda host', () => {
  it('GET /ops: 401 with a Basic challenge without (or with wrong) credentials, 200 HTML with them', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basic('alice:correct horse batterx') },
    ];
    for (const headers of attempts) {
      const refused = await host.http(event('GET', '/ops', { headers }));
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toBe(
        'Basic realm="fulfil console", charset="UTF-8"',
      );
      expect(refused.body).not.toContain('data-figure');
    }
    const ok = await host.http(event('GET', '/ops', { headers: signedIn }));
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/html/);
    expect(ok.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ok.isBase64Encoded).toBe(false);
    expect(ok.body).toContain('data-figure="received"');
    // The CSRF cookie goes back in payload 2.0's `cookies`, Secure (the event came over https).
    expect(csrfCookie(ok)).toMatch(new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]{32,}$`));
    expect(ok.cookies?.[0]).toMatch(/; Path=\/ops; HttpOnly; SameSite=Strict; Secure$/);
    // Assets are served through the same function.
    const script = await host.http(event('GET', '/ops/assets/console.js', { headers: signedIn }));
    expect([script.statusCode, script.headers['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
  });

  it('approve through the action endpoint: the order leaves review, once for a double submit', async () => {
    const order = makeOrder();
    await engine.ingest({
      type: 'order.received',
      idempotencyKey: `recv-${order.id}`,
      occurredAt: new Date(clock.now()).toISOString(),
      order,
    });
    expect((await engine.get(order.id))?.status).toBe('needs_review');

    const review = await host.http(event('GET', '/ops/review', { headers: signedIn }));
    expect(review.statusCode).toBe(200);
    const cookie = csrfCookie(review);
    const form = {
      _csrf: formField(review.body, order.id, '_csrf'),
      nonce: formField(review.body, order.id, 'nonce'),
      resolution: 'approve',
      comment: 'known customer',
      returnTo: '/ops/review',
    };
    expect(`${CSRF_COOKIE}=${form._csrf}`).toBe(cookie);
    const path = `/ops/orders/${encodeURIComponent(order.id)}/resolve`;
    const post = (cookies?: string[]) =>
      host.http(
        event('POST', path, {
          headers: { ...signedIn, origin: `https://${DOMAIN}` },
          form,
          ...(cookies ? { cookies } : {}),
        }),
      );

    // Without the CSRF cookie: 403, and nothing happens.
    expect((await post()).statusCode).toBe(403);
    expect((await engine.get(order.id))?.status).toBe('needs_review');

    const first = await post([cookie]);
    const second = await post([cookie]);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toMatch(/^\/ops\/review\?done=approve&order=/);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toMatch(/^\/ops\/review\?done=duplicate&order=/);

    // The engine's state: out of review, approved by alice, one review.resolved.
    const record = await engine.get(order.id);
    expect(record?.review).toBeUndefined();
    expect(record?.status).not.toBe('needs_review');
    const { history } = await engine.explain(order.id);
    const resolved = history.filter((h) => h.eventType === 'review.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.eventKey).toBe(`console:${order.id}:${form.nonce}`);
    expect(resolved[0]?.explanation.notes).toContain('approved by alice: known customer');

    // autoDispatch is off in a Lambda: the scheduled function submits it (with the review's
    // alert and the other commands waiting in the outbox), once.
    expect(await host.scheduled()).toMatchObject({ commandsFailed: 0 });
    // (the same run's warehouse poll may already see it shipped)
    expect(['submitted', 'shipped']).toContain((await engine.get(order.id))?.status);
    expect(warehouse.orders()).toHaveLength(1);
    const queue = await host.http(event('GET', '/ops/review', { headers: signedIn }));
    expect(queue.body).not.toContain(`data-resolve="${order.id}"`);
  });

  it('without opsConsole, /ops and every path under it are 404', async () => {
    const bare = createLambdaHost({ engine: async () => engine, shopifySecrets: ['s'] });
    for (const path of ['/ops', '/ops/', '/ops/review']) {
      const res = await bare.http(event('GET', path, { headers: signedIn }));
      expect([path, res.statusCode]).toEqual([path, 404]);
    }
    // A path that only starts with /ops is not the console's.
    expect((await host.http(event('GET', '/opsx', { headers: signedIn }))).statusCode).toBe(404);
  });
});
