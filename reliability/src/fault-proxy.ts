/**
 * A fault-injecting HTTP proxy: a real server on 127.0.0.1 in front of a vendor fake that, by
 * explicit rule or by a seeded schedule, answers a request with a fault instead of (or after)
 * forwarding it, and counts what it did.
 *
 * Every fault comes in two forms:
 * - `before`: the request is NOT forwarded (the vendor did nothing), and the client sees the fault;
 * - `after`: the request IS forwarded (the vendor did it), and the answer is lost or garbled.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerInstead, passHeaders, send, trickle } from './fault-replies';

/** What the proxy can do to one request. */
export type FaultKind =
  /** 429 with `Retry-After` and the vendor's rate headers ({@link FaultProxyOptions.rateHeaders}). */
  | 'rate_limited'
  /** A 5xx (default 503; `after`: 502, the gateway lost the answer). */
  | 'server_error'
  /** Never answers (the client's timeout must fire); the socket is closed by `close()`. */
  | 'hang'
  /** Answers normally, `delayMs` late. */
  | 'delay'
  /** Destroys the connection (no status line at all). */
  | 'reset'
  /** Sends the answer a few bytes at a time (`after` only: it is the vendor's real answer). */
  | 'slow_body'
  /**
   * A 2xx whose body is not JSON (`before`: a proxy's HTML page; `after`: the vendor's 2xx body
   * cut short; a vendor's non-2xx answer passes unchanged and counts as `pass`).
   */
  | 'invalid_json';

/** One fault to inject. */
export interface Fault {
  kind: FaultKind;
  /** `before`: not forwarded; `after`: forwarded first. Default `before` (`slow_body`: always `after`). */
  when?: 'before' | 'after';
  /** Status of `server_error` (default 503 before, 502 after). */
  status?: number;
  /** `delay`: how late; `slow_body`: pause between chunks. Default 50 ms / 10 ms. */
  delayMs?: number;
}

/** An explicit rule: the next `times` requests that `match` get `fault`. */
export interface FaultRule {
  fault: Fault;
  /** Which requests; default all. */
  match?: (req: ProxiedRequest) => boolean;
  /** How many times (default 1; `Infinity` for every match). */
  times?: number;
}

/** A seeded random schedule: each eligible request gets a fault with probability `rate`. */
export interface FaultSchedule {
  seed: number;
  /** Probability, 0..1. */
  rate: number;
  /** Picked uniformly. */
  faults: Fault[];
  /** Which requests are eligible; default all. */
  match?: (req: ProxiedRequest) => boolean;
}

/** A request as rules see it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query. */
  url: string;
  body: string;
}

/** One request the proxy handled. */
export interface ProxyLogEntry {
  method: string;
  url: string;
  /** `kind:when`, or `pass`. */
  action: string;
  /** Whether the target received it. */
  forwarded: boolean;
  /** The target's status, when forwarded and answered. */
  upstreamStatus?: number;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The target's origin, e.g. `http://127.0.0.1:4567` (paths are kept as sent). */
  target: string;
  /** A seeded schedule, consulted when no rule matches. */
  schedule?: FaultSchedule;
  /** Headers of a `rate_limited` answer. Default `{ 'Retry-After': '1' }`. */
  rateHeaders?: Record<string, string>;
}

/** Seeded PRNG (mulberry32): the same seed gives the same schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a fault proxy in front of `options.target`.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({ target: fake.url, schedule: { seed: 7, rate: 0.3,
 *   faults: [{ kind: 'reset', when: 'after' }, { kind: 'rate_limited' }] } });
 * proxy.inject({ fault: { kind: 'invalid_json', when: 'after' }, match: (r) => r.method === 'POST' });
 * // point the adapter at proxy.url, run, then: proxy.counts() → { 'reset:after': 3, pass: 40, ... }
 * ```
 */
export async function startFaultProxy(options: FaultProxyOptions) {
  const target = new URL(options.target);
  const rules: (FaultRule & { left: number })[] = [];
  let schedule = options.schedule;
  let random = seededRandom(schedule?.seed ?? 0);
  const counts: Record<string, number> = {};
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  let enabled = true;

  const pick = (req: ProxiedRequest): Fault | undefined => {
    if (!enabled) return undefined;
    const rule = rules.find((r) => r.left > 0 && (r.match?.(req) ?? true));
    if (rule) {
      rule.left--;
      return rule.fault;
    }
    if (!schedule || schedule.faults.length === 0 || !(schedule.match?.(req) ?? true)) return;
    if (random() >= schedule.rate) return undefined;
    return schedule.faults[Math.floor(random() * schedule.faults.length)];
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const headers = { ...req.headers, host: target.host };
        const out = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers,
          },
          async (res) => {
            const chunks: Buffer[] = [];
            try {
              for await (const c of res) chunks.push(c as Buffer);
              resolve({
                status: res.statusCode ?? 502,
                headers: res.headers,
                body: Buffer.concat(chunks),
              });
            } catch (err) {
              reject(err);
            }
          },
        );
        out.on('error', reject);
        out.end(body);
      },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const seen: ProxiedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      body: body.toString('utf8'),
    };
    const fault = pick(seen);
    const when = fault?.kind === 'slow_body' ? 'after' : (fault?.when ?? 'before');
    const action = fault ? `${fault.kind}:${when}` : 'pass';
    counts[action] = (counts[action] ?? 0) + 1;
    const entry: ProxyLogEntry = { method: seen.method, url: seen.url, action, forwarded: false };
    log.push(entry);

    if (fault && when === 'before') {
      if (fault.kind === 'delay') await sleep(fault.delayMs ?? 50);
      else return answerInstead(fault, res, options.rateHeaders);
    }
    let upstream: Awaited<ReturnType<typeof forward>>;
    try {
      entry.forwarded = true;
      upstream = await forward(req, body);
      entry.upstreamStatus = upstream.status;
    } catch {
      res.writeHead(502, { 'content-type': 'text/plain' });
      return void res.end('fault proxy: target unreachable');
    }
    const headers = passHeaders(upstream.headers);
    if (!fault || when === 'before') return send(res, upstream.status, headers, upstream.body);
    switch (fault.kind) {
      case 'delay':
        await sleep(fault.delayMs ?? 50);
        return send(res, upstream.status, headers, upstream.body);
      case 'slow_body':
        return trickle(res, upstream.status, headers, upstream.body, fault.delayMs ?? 10);
      case 'invalid_json': {
        if (upstream.status < 200 || upstream.status >= 300) {
          // only a success is garbled (the vendor did it); a refusal passes as it is
          counts[action]--;
          counts.pass = (counts.pass ?? 0) + 1;
          entry.action = 'pass';
          return send(res, upstream.status, headers, upstream.body);
        }
        // the vendor's own answer, cut short: what a dropped connection behind a gateway looks like
        const cut = upstream.body.subarray(0, Math.max(1, Math.floor(upstream.body.length / 2)));
        return send(res, upstream.status, { ...headers, 'content-type': 'application/json' }, cut);
      }
      default:
        return answerInstead({ ...fault, status: fault.status ?? 502 }, res, options.rateHeaders);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    /** The proxy's origin (`http://127.0.0.1:<port>`); append the target's base path. */
    url: `http://127.0.0.1:${port}`,
    /** Queues a rule; rules are tried in order before the schedule. */
    inject(rule: FaultRule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    /** Replaces the schedule (and restarts its PRNG from the new seed). */
    setSchedule(next: FaultSchedule | undefined) {
      schedule = next;
      random = seededRandom(next?.seed ?? 0);
    },
    /** Stops injecting (rules and schedule stay, unused) or starts again. */
    setEnabled(on: boolean) {
      enabled = on;
    },
    /** Requests handled per action (`kind:when`, or `pass`). */
    counts: () => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)),
    /** Total faults injected. */
    faults: () => Object.entries(counts).reduce((s, [k, n]) => (k === 'pass' ? s : s + n), 0),
    /** Every request handled, in order. */
    log: () => log.map((e) => ({ ...e })),
    /** Closes the server and every connection (hung ones included). */
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A running {@link startFaultProxy}. */
export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
