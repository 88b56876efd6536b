import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of Slack's Web API (`chat.postMessage`, `chat.update`, `conversations.history`),
 * incoming webhooks and interaction `response_url`s, on 127.0.0.1. Shapes follow Slack's
 * method reference (https://docs.slack.dev/reference/methods/chat.postMessage,
 * .../chat.update, .../conversations.history) and the official `@slack/web-api` client's
 * request encoding (form-encoded, nested values as JSON strings, `Authorization: Bearer`).
 */
export interface FakeSlackOptions {
  /** Tokens accepted; others get `invalid_auth`. Default: any `xoxb-` token. */
  tokens?: string[];
  /** Channels that exist; others get `channel_not_found`. Default: any id starting with C, G or D. */
  channels?: string[];
  /** Minimum spacing of posts to one channel before 429. Default 1000 ms (Slack: ~1/s). */
  postIntervalMs?: number;
  /** Posts tolerated in a burst before spacing applies. Default 1. */
  burst?: number;
}

/** A message as the fake holds it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  via: 'api' | 'webhook';
  /** Each later version (chat.update or response_url), newest last. */
  edits: { text: string; blocks: Record<string, unknown>[]; via: 'chat.update' | 'response_url' }[];
}

/** The next request to a method fails or hangs this way. */
export interface FakeFault {
  /** Answer `ok: false` with this error (HTTP 200). */
  error?: string;
  /** Answer this HTTP status. */
  status?: number;
  /** Apply the call (the message is posted), then answer only after this long. */
  delayMs?: number;
}

export interface FakeSlack {
  /** `slackApiUrl` for `WebClient`, ending in `/api/`. */
  apiUrl: string;
  /** An incoming-webhook URL posting to channel `C0WEBHOOK`. */
  webhookUrl: string;
  /** A `response_url` for a message, as Slack puts in interaction payloads. */
  responseUrl(channel: string, ts: string): string;
  messages(channel?: string): FakeMessage[];
  /** Posts refused with 429. */
  rateLimited(): number;
  /** Every post's arrival time (ms), per channel. */
  arrivals(channel: string): number[];
  failNext(method: string, fault: FakeFault): void;
  close(): Promise<void>;
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const interval = options.postIntervalMs ?? 1000;
  const burst = options.burst ?? 1;
  const messages: FakeMessage[] = [];
  const buckets = new Map<string, { tokens: number; at: number }>();
  const arrivals = new Map<string, number[]>();
  const faults = new Map<string, FakeFault[]>();
  let limited = 0;
  let seq = 0;

  const tokenOk = (auth: string | undefined) => {
    const token = auth?.replace(/^Bearer\s+/i, '');
    return !!token && (options.tokens ? options.tokens.includes(token) : token.startsWith('xoxb-'));
  };
  const channelOk = (c: unknown) =>
    typeof c === 'string' &&
    (options.channels ? options.channels.includes(c) : /^[CGD][A-Z0-9]+$/.test(c));
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  /** Token bucket per channel; returns the wait in ms when the post must be refused. */
  function admit(channel: string): number {
    const t = Date.now();
    const b = buckets.get(channel) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + (t - b.at) / interval);
    b.at = t;
    buckets.set(channel, b);
    if (b.tokens >= 1 - 1e-9) {
      b.tokens -= 1;
      arrivals.set(channel, [...(arrivals.get(channel) ?? []), t]);
      return 0;
    }
    return (1 - b.tokens) * interval;
  }

  function post(channel: string, p: Record<string, unknown>, via: FakeMessage['via']): FakeMessage {
    const m: FakeMessage = {
      channel,
      ts: nextTs(),
      text: String(p.text ?? ''),
      blocks: parseJson(p.blocks) ?? [],
      via,
      edits: [],
    };
    const metadata = parseJson<FakeMessage['metadata']>(p.metadata);
    if (metadata) m.metadata = metadata;
    messages.push(m);
    return m;
  }

  async function api(method: string, req: IncomingMessage, p: Record<string, unknown>) {
    if (!tokenOk(req.headers.authorization)) return { ok: false, error: 'invalid_auth' };
    const channel = p.channel;
    if (!channelOk(channel)) return { ok: false, error: 'channel_not_found' };
    const ch = channel as string;
    if (method === 'chat.postMessage') {
      if (!p.text && !p.blocks) return { ok: false, error: 'no_text' };
      const wait = admit(ch);
      if (wait > 0) {
        limited++;
        return {
          status: 429,
          retryAfter: Math.max(1, Math.ceil(wait / 1000)),
          body: { ok: false, error: 'ratelimited' },
        };
      }
      const m = post(ch, p, 'api');
      return {
        ok: true,
        channel: ch,
        ts: m.ts,
        message: { type: 'message', text: m.text, ts: m.ts },
      };
    }
    if (method === 'chat.update') {
      const m = messages.find((x) => x.channel === ch && x.ts === p.ts);
      if (!m) return { ok: false, error: 'message_not_found' };
      edit(m, p, 'chat.update');
      return { ok: true, channel: ch, ts: m.ts, text: m.text };
    }
    if (method === 'conversations.history') {
      const oldest = Number(p.oldest ?? 0);
      const withMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
      const found = messages
        .filter((m) => m.channel === ch && Number(m.ts) >= oldest)
        .reverse()
        .slice(0, Number(p.limit ?? 100))
        .map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
        }));
      return { ok: true, messages: found, has_more: false };
    }
    return { ok: false, error: 'unknown_method' };
  }

  function edit(m: FakeMessage, p: Record<string, unknown>, via: 'chat.update' | 'response_url') {
    m.text = String(p.text ?? m.text);
    m.blocks = parseJson(p.blocks) ?? m.blocks;
    m.edits.push({ text: m.text, blocks: m.blocks, via });
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const body = await read(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const p: Record<string, unknown> = isJson
      ? (JSON.parse(body || '{}') as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(body));
    const name = path.startsWith('/api/')
      ? path.slice(5)
      : path.startsWith('/hooks/')
        ? 'webhook'
        : path.startsWith('/response/')
          ? 'response_url'
          : path;
    const fault = faults.get(name)?.shift();
    if (fault?.status) return send(res, fault.status, fault.error ?? 'fault');
    if (fault?.error) return send(res, 200, { ok: false, error: fault.error });
    let out: unknown;
    let status = 200;
    let headers: Record<string, string> = {};
    if (name === 'webhook') {
      const wait = admit('C0WEBHOOK');
      if (wait > 0) {
        limited++;
        status = 429;
        headers = { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) };
        out = 'rate_limited';
      } else {
        post('C0WEBHOOK', p, 'webhook');
        out = 'ok';
      }
    } else if (name === 'response_url') {
      const [, , channel, ts] = path.split('/');
      const m = messages.find((x) => x.channel === channel && x.ts === ts);
      if (m && p.replace_original !== false && p.response_type !== 'ephemeral')
        edit(m, p, 'response_url');
      out = m ? { ok: true } : 'no_message';
      if (!m) status = 404;
    } else {
      const r = (await api(name, req, p)) as {
        status?: number;
        retryAfter?: number;
        body?: unknown;
      };
      if (r.status === 429) {
        status = 429;
        headers = { 'retry-after': String(r.retryAfter) };
        out = r.body;
      } else out = r;
    }
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    send(res, status, out, headers);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => send(res, 500, String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    webhookUrl: `${base}/hooks/T000/B000/XXXXXXXX`,
    responseUrl: (channel, ts) => `${base}/response/${channel}/${ts}`,
    messages: (channel) => messages.filter((m) => channel === undefined || m.channel === channel),
    rateLimited: () => limited,
    arrivals: (channel) => [...(arrivals.get(channel) ?? [])],
    failNext(method, fault) {
      faults.set(method, [...(faults.get(method) ?? []), fault]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson<T>(v: unknown): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return undefined;
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      s += c;
    });
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}
