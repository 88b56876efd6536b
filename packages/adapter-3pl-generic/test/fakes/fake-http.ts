import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Faults a fake can answer the next requests with. `garbled` answers 200 with a
 * truncated JSON body without running the route; `garbled_after` runs the route
 * (the vendor really acts) and then sends its 2xx status with a truncated body.
 */
export type Fault = 'rate_limited' | 'server_error' | 'bad_request' | 'garbled' | 'garbled_after';

const GARBLED = '{"id": 1';

/** A parsed request as a fake route sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  text: string;
  json: unknown;
}

/** A fake route's answer. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How a fake limits requests. */
export interface FakeLimit {
  /** `sliding`: at most `limit` accepted requests in any `windowMs`; `fixed`: per window from the first. */
  kind: 'sliding' | 'fixed';
  limit: number;
  windowMs: number;
  /** Header carrying the wait in seconds (decimals when the window is compressed). */
  retryHeader: string;
  /** The 429 body. */
  body: (seconds: number) => unknown;
  /** Header reporting calls left, if any. */
  remainingHeader?: string;
}

/** One request the fake received. */
export interface FakeCall {
  method: string;
  path: string;
  status: number;
  /** `performance.now()` on arrival. */
  at: number;
}

/**
 * A loopback HTTP server with the parts every fake vendor shares: a rate limit
 * answering 429 with the vendor's retry header, queued faults, and a log of
 * every request. `route` handles what passes (auth is the route's job, and runs
 * before the limit through `authorize`).
 */
export async function startFakeHttp(options: {
  limit?: FakeLimit;
  /** Requests that skip the limit and faults (e.g. a token endpoint on another host). */
  exempt?: (req: FakeRequest) => boolean;
  /** Returns a reply to refuse the request (401), or undefined to go on. */
  authorize?: (req: FakeRequest) => FakeReply | undefined;
  route: (req: FakeRequest) => FakeReply | Promise<FakeReply>;
  /** The vendor's reply for each fault. */
  fault: (fault: Fault, req: FakeRequest) => FakeReply;
}) {
  const calls: FakeCall[] = [];
  const accepted: number[] = [];
  let windowStart = 0;
  let windowCount = 0;
  const faults: Fault[] = [];

  function limited(now: number): FakeReply | undefined {
    const l = options.limit;
    if (!l) return undefined;
    let waitMs = 0;
    let remaining: number;
    if (l.kind === 'sliding') {
      while (accepted.length > 0 && accepted[0]! <= now - l.windowMs) accepted.shift();
      if (accepted.length >= l.limit) waitMs = accepted[0]! + l.windowMs - now;
      remaining = l.limit - accepted.length;
    } else {
      if (now - windowStart >= l.windowMs) {
        windowStart = now;
        windowCount = 0;
      }
      if (windowCount >= l.limit) waitMs = windowStart + l.windowMs - now;
      remaining = l.limit - windowCount;
    }
    if (waitMs > 0) {
      const seconds = Math.max(0.001, waitMs / 1000);
      return {
        status: 429,
        body: l.body(Math.ceil(seconds)),
        headers: {
          [l.retryHeader]: seconds.toFixed(3),
          ...(l.remainingHeader ? { [l.remainingHeader]: '0' } : {}),
        },
      };
    }
    if (l.kind === 'sliding') accepted.push(now);
    else windowCount++;
    return l.remainingHeader
      ? { status: 0, headers: { [l.remainingHeader]: String(remaining - 1) } }
      : undefined;
  }

  const send = (res: ServerResponse, reply: FakeReply) => {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  };

  const server = createServer(async (req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const fr: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      text,
      json,
    };
    const log = (status: number) => calls.push({ method: fr.method, path: fr.path, status, at });
    try {
      const refused = options.authorize?.(fr);
      if (refused) {
        log(refused.status);
        return send(res, refused);
      }
      const exempt = options.exempt?.(fr) ?? false;
      const fault = exempt ? undefined : faults.shift();
      if (fault === 'garbled' || fault === 'garbled_after') {
        const status = fault === 'garbled' ? 200 : (await options.route(fr)).status;
        log(status);
        res.writeHead(status, { 'content-type': 'application/json' });
        return res.end(status < 300 ? GARBLED : '');
      }
      if (fault) {
        const reply = options.fault(fault, fr);
        log(reply.status);
        return send(res, reply);
      }
      const limit = exempt ? undefined : limited(Date.now());
      if (limit && limit.status === 429) {
        log(429);
        return send(res, limit);
      }
      const reply = await options.route(fr);
      log(reply.status);
      send(res, { ...reply, headers: { ...limit?.headers, ...reply.headers } });
    } catch (err) {
      log(500);
      send(res, { status: 500, body: { message: String(err) } });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** The next `times` requests (after auth) get `fault`. */
    failNext(fault: Fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A header value as a string. */
export function h(req: FakeRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
