import { makeShipmentRequest } from '@fulfil/core/testing';
import { createRateLimiter } from '@fulfil/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeShipStation } from '../src/testing';
import { connect, EAST_WAREHOUSE } from './world';

const LIMIT = 5;
const WINDOW_MS = 400;
let fake: Awaited<ReturnType<typeof startFakeShipStation>>;
beforeAll(async () => {
  fake = await startFakeShipStation({
    limit: LIMIT,
    windowMs: WINDOW_MS,
    resetPrecision: 'milliseconds',
    warehouses: [EAST_WAREHOUSE],
  });
});
afterAll(() => fake.close());

const request = () =>
  makeShipmentRequest({ locationId: 'east', lines: [{ sku: 'TEE-M', quantity: 1 }] });
const auth = () => `Basic ${Buffer.from(`${fake.apiKey}:${fake.apiSecret}`).toString('base64')}`;
/** A request from "another process" on the same key; returns the reset it reports (s). */
async function otherProcess(): Promise<{ status: number; reset: number }> {
  const res = await fetch(`${fake.url}/orders?page=1`, { headers: { authorization: auth() } });
  await res.text();
  return { status: res.status, reset: Number(res.headers.get('x-rate-limit-reset')) };
}
const createCalls = (from: number) =>
  fake.requests.slice(from).filter((r) => r.method === 'POST' && r.url === '/orders/createorder');

describe('rate limit (40/min in production; 5 per 400 ms here)', () => {
  it('a 429 waits for X-Rate-Limit-Reset before the one retry, which lands in a later window', async () => {
    // Spend the window early in it, as another process using the key would; on a
    // loaded machine the window may pass before the adapter's call: then again.
    let calls: ReturnType<typeof createCalls> = [];
    for (let attempt = 0; attempt < 5 && calls[0]?.status !== 429; attempt++) {
      let first = await otherProcess();
      if (first.reset < WINDOW_MS / 2000) {
        await new Promise((r) => setTimeout(r, first.reset * 1000 + 20));
        first = await otherProcess();
      }
      for (let i = 1; i < LIMIT; i++) await otherProcess();
      const from = fake.requests.length;
      const adapter = connect(fake, { rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
      const result = await adapter.submit(request(), `rl-429-${attempt}`);
      expect(result.status).toBe('accepted');
      calls = createCalls(from);
      await adapter.close();
    }
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.window).toBeGreaterThan(calls[0]!.window);
  });

  it('on its own it keeps to the window: 3 windows of work, no 429, never more than the limit per window', async () => {
    await new Promise((r) => setTimeout(r, WINDOW_MS)); // a fresh window for this case
    const from = fake.requests.length;
    const adapter = connect(fake, { rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
    const results = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) => adapter.submit(request(), `rl-own-${i}`)),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const calls = createCalls(from);
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
    const perWindow = new Map<number, number>();
    for (const c of calls) perWindow.set(c.window, (perWindow.get(c.window) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(LIMIT);
    await adapter.close();
  });

  it('follows X-Rate-Limit-Remaining/Reset even when configured with too high a limit', async () => {
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const from = fake.requests.length;
    // Told 50 per window, the server allows 5: the headers must keep it from 429s.
    const adapter = connect(fake, { rateLimit: { limit: 50, windowMs: WINDOW_MS } });
    const results = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) => adapter.submit(request(), `rl-headers-${i}`)),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const calls = createCalls(from);
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
    expect(new Set(calls.map((c) => c.window)).size).toBeGreaterThanOrEqual(3);
    expect(adapter.client.gate.state()).toMatchObject({ limit: LIMIT });
    expect(adapter.client.gate.state().waits).toBeGreaterThan(0);
    await adapter.close();
  });

  it('without rate-limit headers (a proxy stripped them) the limiter alone paces the calls', async () => {
    const strip: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      for (const name of [...headers.keys()])
        if (name.startsWith('x-rate-limit')) headers.delete(name);
      return new Response(await res.arrayBuffer(), { status: res.status, headers });
    };
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const adapter = connect(fake, {
      fetch: strip,
      rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
    });
    const results = await Promise.all(
      Array.from({ length: LIMIT }, (_, i) => adapter.submit(request(), `rl-bare-${i}`)),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(adapter.client.gate.state()).toMatchObject({ headerless: true, remaining: null });
    await adapter.close();
  });

  it('two adapters sharing one injected limiter: every submission lands once', async () => {
    const limiter = createRateLimiter({ kind: 'fixed-window', limit: LIMIT, windowMs: WINDOW_MS });
    const a = connect(fake, { limiter, rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
    const b = connect(fake, { limiter, rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
    const before = fake.orders().length;
    const results = await Promise.all(
      Array.from({ length: 2 * LIMIT }, (_, i) =>
        (i % 2 ? a : b).submit(request(), `rl-shared-${i}`),
      ),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(fake.orders().length).toBe(before + 2 * LIMIT);
    await limiter.disconnect();
  });
});
