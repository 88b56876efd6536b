import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectConfigInvalid } from '@fulfil/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  type HttpClientOptions,
  isUnknownOutcome,
  parseRetryAfter,
  UpstreamError,
} from '../src';
import { startScriptServer } from './script-server';

let server: Awaited<ReturnType<typeof startScriptServer>>;
beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(() => server.close());

/** A client whose waits are recorded, not slept, so retries run at once. */
function client(extra: Partial<HttpClientOptions> = {}) {
  const waits: number[] = [];
  const events: string[] = [];
  const http = createHttpClient({
    baseUrl: server.url,
    vendor: 'acme',
    headers: { Authorization: 'Bearer sk_live_SECRET123' },
    retry: { minDelayMs: 10, maxDelayMs: 100 },
    sleep: async (ms) => void waits.push(ms),
    hooks: {
      onRequest: (e) => events.push(`request:${e.attempt}`),
      onRetry: (e) => events.push(`retry:${e.delayMs}`),
      onRateLimited: (e) => events.push(`429:${e.retryAfterMs}`),
    },
    ...extra,
  });
  return { http, waits, events };
}

/** A port nothing listens on (connections are refused). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('createHttpClient', () => {
  it('sends JSON with auth headers and query, resolves against the base URL', async () => {
    server.script('/orders', { status: 201, body: { id: '820982911946154508' } });
    const { http } = client();
    const res = await http.post<{ id: string }>(
      '/orders',
      { a: 1 },
      { query: { x: 'y z' }, idempotencyKey: 'k1' },
    );
    expect(res.status).toBe(201);
    expect(res.data.id).toBe('820982911946154508');
    const got = server.received.at(-1)!;
    expect(got.url).toBe('/orders?x=y+z');
    expect(got.headers.authorization).toBe('Bearer sk_live_SECRET123');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['idempotency-key']).toBe('k1');
    expect(JSON.parse(got.body)).toEqual({ a: 1 });
  });

  it('retries 429 honouring Retry-After seconds, and reports the 429', async () => {
    server.script(
      '/rl',
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: { ok: 1 } },
    );
    const { http, waits, events } = client();
    const res = await http.get('/rl');
    expect(res.attempts).toBe(2);
    expect(waits).toEqual([2000]);
    expect(events).toEqual(['request:1', '429:2000', 'retry:2000', 'request:2']);
  });

  it('honours Retry-After as an HTTP date and a vendor reset hook', async () => {
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')),
    ).toBe(60_000);
    expect(parseRetryAfter('garbage')).toBeUndefined();
    server.script(
      '/reset',
      { status: 429, headers: { 'x-ratelimit-reset-ms': '750' } },
      { status: 200 },
    );
    const { http, waits } = client({
      retryAfter: ({ headers }) => Number(headers.get('x-ratelimit-reset-ms')) || undefined,
    });
    await http.get('/reset');
    expect(waits).toEqual([750]);
  });

  it('a server wait above maxRetryAfterMs fails at once, retryable, with retryAfterMs', async () => {
    server.script('/long', { status: 429, headers: { 'retry-after': '3600' } });
    const { http } = client();
    const err = await rejection(http.get('/long'));
    expect(err.status).toBe(429);
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.attempts).toBe(1);
  });

  it('retries 5xx with growing jittered backoff, then gives up with the last error', async () => {
    server.script(
      '/flaky',
      { status: 500 },
      { status: 502 },
      { status: 503 },
      { status: 200, body: { ok: true } },
    );
    const { http, waits } = client();
    const res = await http.get('/flaky');
    expect(res.attempts).toBe(4);
    expect(waits).toHaveLength(3);
    waits.forEach((w, i) => {
      const exp = Math.min(100, 10 * 2 ** i);
      expect(w).toBeGreaterThanOrEqual(exp / 2);
      expect(w).toBeLessThanOrEqual(exp);
    });
    server.script('/down', ...Array.from({ length: 5 }, () => ({ status: 503 })));
    const err = await rejection(http.get('/down'));
    expect(err).toMatchObject({
      status: 503,
      retryable: true,
      attempts: 5,
      code: 'ADAPTER_FAILED',
    });
  });

  it('never retries other 4xx; the excerpt has secrets redacted', async () => {
    server.script('/bad', {
      status: 422,
      body: {
        code: 'INVALID_SKU',
        echo: 'Bearer sk_live_SECRET123',
        access_token: 'shpat_abc123',
        client_secret: 'xyz',
        password: 'hunter22',
      },
    });
    const { http } = client();
    const before = server.hits('/bad');
    const err = await rejection(http.get('/bad'));
    expect(server.hits('/bad') - before).toBe(1);
    expect(err).toMatchObject({
      status: 422,
      vendorCode: 'INVALID_SKU',
      retryable: false,
      vendor: 'acme',
    });
    for (const secret of ['SECRET123', 'shpat_abc123', 'xyz', 'hunter22']) {
      expect(err.bodyExcerpt).not.toContain(secret);
      expect(err.message).not.toContain(secret);
    }
    expect(err.bodyExcerpt).toContain('[REDACTED]');
    expect(err.message).toMatch(/^ADAPTER_FAILED: acme: GET http:\/\/127\.0\.0\.1:\d+\/bad: 422/);
  });

  it('does not repeat a POST after a 5xx without an idempotency key; does with one (same key)', async () => {
    server.script('/create', { status: 500 });
    const { http } = client();
    const err = await rejection(http.post('/create', { n: 1 }));
    expect(err.attempts).toBe(1);
    expect(err.retryable).toBe(true);
    server.script('/create', { status: 500 }, { status: 201 });
    const before = server.received.length;
    const res = await http.post('/create', { n: 2 }, { idempotencyKey: 'ord-1:submit' });
    expect(res.attempts).toBe(2);
    const keys = server.received.slice(before).map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['ord-1:submit', 'ord-1:submit']);
  });

  it('retries a POST after a 429 even without a key (it did not run)', async () => {
    server.script('/post429', { status: 429, headers: { 'retry-after': '0' } }, { status: 200 });
    const { http } = client();
    expect((await http.post('/post429', {})).attempts).toBe(2);
  });

  it('times out slow responses through AbortSignal, retries, then fails with TIMEOUT', async () => {
    server.script('/slow', { delayMs: 300 }, { status: 200, body: { fast: true } });
    const { http } = client({ timeoutMs: 100 });
    const res = await http.get<{ fast: boolean }>('/slow');
    expect(res.data.fast).toBe(true);
    expect(res.attempts).toBe(2);
    const { http: once } = client({ timeoutMs: 100, retry: { retries: 0 } });
    server.script('/slow3', { delayMs: 300 });
    const err3 = await rejection(once.get('/slow3'));
    expect(err3).toMatchObject({ vendorCode: 'TIMEOUT', retryable: true, status: undefined });
  });

  it('retries network errors (hang-up, refused) and maps them to NETWORK', async () => {
    server.script('/hang', { hangUp: true }, { status: 200 });
    const { http } = client();
    expect((await http.get('/hang')).attempts).toBe(2);
    const port = await closedPort();
    const refused = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      retry: { retries: 2, minDelayMs: 1 },
    });
    const err = await rejection(refused.post('/x', {}));
    expect(err).toMatchObject({ vendorCode: 'NETWORK', retryable: true, attempts: 3 });
  });

  it('stops at once when the caller aborts', async () => {
    server.script('/abort', { delayMs: 500 });
    const { http } = client();
    const ctrl = new AbortController();
    const p = http.get('/abort', { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 20);
    const err = await rejection(p);
    expect(err).toMatchObject({ vendorCode: 'ABORTED', retryable: false, attempts: 1 });
  });

  it('rejects an invalid 2xx JSON body without retrying, as an unknown outcome', async () => {
    server.script('/broken', { status: 200, body: '{"truncated": ' });
    const { http } = client();
    const err = await rejection(http.get('/broken'));
    // Issue 13 item 7: a 2xx may have taken effect, so it is not a permanent failure: the
    // caller re-checks by idempotency key, then retries (retryable) or takes the read-back.
    expect(err).toMatchObject({ vendorCode: 'INVALID_RESPONSE', retryable: true, attempts: 1 });
    expect(isUnknownOutcome(err)).toBe(true);
    expect(server.hits('/broken')).toBe(1);
  });

  it('fails with CONFIG_INVALID on a bad base URL', () => {
    expect(() => createHttpClient({ baseUrl: 'not a url' })).toThrow(
      /CONFIG_INVALID: createHttpClient options: baseUrl: not a URL/,
    );
  });

  it('a missing base URL, a misspelt option or a limiter without schedule: CONFIG_INVALID with the path', () => {
    expectConfigInvalid(() => createHttpClient(undefined as never), 'baseUrl', /required: baseUrl/);
    expectConfigInvalid(() => createHttpClient({} as never), 'baseUrl', /required/);
    expectConfigInvalid(
      () => createHttpClient({ baseURL: 'https://x.test' } as never),
      'baseURL',
      /did you mean "baseUrl"/,
    );
    expectConfigInvalid(
      () => createHttpClient({ baseUrl: 'https://x.test', retry: { retires: 2 } } as never),
      'retry.retires',
      /did you mean "retries"/,
    );
    expectConfigInvalid(
      () => createHttpClient({ baseUrl: 'https://x.test', limiter: {} as never }),
      'limiter',
      /missing method schedule/,
    );
  });
});
