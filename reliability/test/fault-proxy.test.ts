import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, type FaultSchedule, startFaultProxy } from '../src/fault-proxy';
import { recordTrial } from './report';

/** A target that counts what it received and answers `{ n, method, url, body }`. */
let received = 0;
let targetUrl = '';
const target = createServer(async (req, res) => {
  let body = '';
  for await (const c of req) body += c;
  received++;
  res.writeHead(201, { 'content-type': 'application/json', 'x-vendor': 'yes' });
  res.end(JSON.stringify({ n: received, method: req.method, url: req.url, body }));
});
beforeAll(async () => {
  target.listen(0, '127.0.0.1');
  await new Promise<void>((r) => target.once('listening', () => r()));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise<void>((r) => target.close(() => r()));
});

const post = (proxy: FaultProxy, signal?: AbortSignal) =>
  fetch(`${proxy.url}/orders?x=1`, {
    method: 'POST',
    body: '{"ref":"a"}',
    headers: { 'content-type': 'application/json' },
    signal,
  });

async function withProxy(fn: (proxy: FaultProxy) => Promise<void>, schedule?: FaultSchedule) {
  const proxy = await startFaultProxy({
    target: targetUrl,
    ...(schedule ? { schedule } : {}),
    rateHeaders: { 'Retry-After': '2', 'X-Rate-Limit-Remaining': '0' },
  });
  try {
    await fn(proxy);
  } finally {
    await proxy.close();
  }
}

describe('fault proxy', () => {
  it('passes requests through unchanged (method, path, body, status, headers)', () =>
    withProxy(async (proxy) => {
      const before = received;
      const res = await post(proxy);
      expect(res.status).toBe(201);
      expect(res.headers.get('x-vendor')).toBe('yes');
      expect(await res.json()).toEqual({
        n: before + 1,
        method: 'POST',
        url: '/orders?x=1',
        body: '{"ref":"a"}',
      });
      expect(proxy.counts()).toEqual({ pass: 1 });
      expect(proxy.log()).toEqual([
        {
          method: 'POST',
          url: '/orders?x=1',
          action: 'pass',
          forwarded: true,
          upstreamStatus: 201,
        },
      ]);
    }));

  it('before: 429 with rate headers, 5xx, invalid JSON and reset never reach the target', () =>
    withProxy(async (proxy) => {
      const before = received;
      proxy.inject({ fault: { kind: 'rate_limited' } });
      proxy.inject({ fault: { kind: 'server_error' } });
      proxy.inject({ fault: { kind: 'invalid_json' } });
      proxy.inject({ fault: { kind: 'reset' } });
      const limited = await post(proxy);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect((await post(proxy)).status).toBe(503);
      const garbled = await post(proxy);
      expect(garbled.status).toBe(200);
      await expect(garbled.json()).rejects.toThrow(SyntaxError);
      await expect(post(proxy)).rejects.toThrow(/fetch failed/);
      expect(received).toBe(before);
      expect(proxy.counts()).toEqual({
        'rate_limited:before': 1,
        'server_error:before': 1,
        'invalid_json:before': 1,
        'reset:before': 1,
      });
      expect(proxy.log().every((e) => !e.forwarded)).toBe(true);
      expect((await post(proxy)).status).toBe(201); // rules used up
    }));

  it('after: the target did it, then the answer is reset, 502, or a truncated 2xx', () =>
    withProxy(async (proxy) => {
      const before = received;
      proxy.inject({ fault: { kind: 'reset', when: 'after' } });
      proxy.inject({ fault: { kind: 'server_error', when: 'after' } });
      proxy.inject({ fault: { kind: 'invalid_json', when: 'after' } });
      await expect(post(proxy)).rejects.toThrow(/fetch failed/);
      expect(received).toBe(before + 1);
      expect((await post(proxy)).status).toBe(502);
      expect(received).toBe(before + 2);
      const cut = await post(proxy);
      expect(cut.status).toBe(201);
      const text = await cut.text();
      expect(`{"n":${before + 3}`.startsWith(text.slice(0, 5))).toBe(true);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(received).toBe(before + 3);
      expect(proxy.log().map((e) => [e.action, e.forwarded])).toEqual([
        ['reset:after', true],
        ['server_error:after', true],
        ['invalid_json:after', true],
      ]);
    }));

  it('invalid JSON after forwarding garbles only a success: a refusal passes unchanged', async () => {
    const refusing = createServer((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end('{"message":"already exists"}');
    });
    refusing.listen(0, '127.0.0.1');
    await new Promise<void>((r) => refusing.once('listening', () => r()));
    const proxy = await startFaultProxy({
      target: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`,
    });
    try {
      proxy.inject({ fault: { kind: 'invalid_json', when: 'after' } });
      const res = await post(proxy);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ message: 'already exists' });
      expect(proxy.counts()).toEqual({ pass: 1 });
    } finally {
      await proxy.close();
      refusing.closeAllConnections();
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });

  it('hang: before never reaches the target, after does; both leave the client to time out', () =>
    withProxy(async (proxy) => {
      const before = received;
      proxy.inject({ fault: { kind: 'hang' } });
      proxy.inject({ fault: { kind: 'hang', when: 'after' } });
      await expect(post(proxy, AbortSignal.timeout(150))).rejects.toThrow(/abort|timeout/i);
      expect(received).toBe(before);
      await expect(post(proxy, AbortSignal.timeout(150))).rejects.toThrow(/abort|timeout/i);
      expect(received).toBe(before + 1);
    }));

  it('delay and slow body answer in full, late', () =>
    withProxy(async (proxy) => {
      proxy.inject({ fault: { kind: 'delay', delayMs: 120 } });
      proxy.inject({ fault: { kind: 'slow_body', delayMs: 20 } });
      let t = performance.now();
      expect((await post(proxy)).status).toBe(201);
      expect(performance.now() - t).toBeGreaterThanOrEqual(110);
      t = performance.now();
      const slow = await post(proxy);
      const body = (await slow.json()) as { method: string };
      expect(body.method).toBe('POST');
      expect(performance.now() - t).toBeGreaterThanOrEqual(100); // 8 chunks, 20 ms apart
      expect(proxy.counts()).toEqual({ 'delay:before': 1, 'slow_body:after': 1 });
    }));

  it('rules match by request and repeat `times`; setEnabled(false) turns faults off', () =>
    withProxy(async (proxy) => {
      proxy.inject({
        fault: { kind: 'server_error', status: 500 },
        match: (r) => r.url.startsWith('/orders') && r.body.includes('"ref"'),
        times: Number.POSITIVE_INFINITY,
      });
      expect((await fetch(`${proxy.url}/other`)).status).toBe(201);
      expect((await post(proxy)).status).toBe(500);
      expect((await post(proxy)).status).toBe(500);
      proxy.setEnabled(false);
      expect((await post(proxy)).status).toBe(201);
      expect(proxy.faults()).toBe(2);
    }));

  it('a seeded schedule is replayable: the same seed injects the same faults in the same order', async () => {
    const schedule: FaultSchedule = {
      seed: 42,
      rate: 0.5,
      faults: [{ kind: 'server_error' }, { kind: 'rate_limited' }, { kind: 'invalid_json' }],
    };
    const run = async () => {
      const actions: string[] = [];
      await withProxy(async (proxy) => {
        for (let i = 0; i < 40; i++) await (await post(proxy)).arrayBuffer();
        actions.push(...proxy.log().map((e) => e.action));
      }, schedule);
      return actions;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const faults = first.filter((a) => a !== 'pass').length;
    expect(faults).toBeGreaterThan(8);
    expect(faults).toBeLessThan(32);
    recordTrial({
      area: 'fault-proxy',
      fault: 'every fault kind, before and after forwarding; seeded schedule replayed',
      trials: 80,
      result: `${faults}/40 faults per run at rate 0.5, identical on replay`,
      ok: true,
    });
  });
});
