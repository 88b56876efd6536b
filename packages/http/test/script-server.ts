import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. `delayMs` holds the response back (slow server). */
export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** Destroy the socket instead of answering (network error). */
  hangUp?: boolean;
}

/** A request the server received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) answering from a script per path;
 * when a path's script is empty it answers 200 `{ ok: true }`.
 */
export async function startScriptServer() {
  const scripts = new Map<string, Scripted[]>();
  const received: Received[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    received.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    const next = scripts.get(path)?.shift() ?? { status: 200, body: { ok: true } };
    if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
    if (next.hangUp) {
      req.socket.destroy();
      return;
    }
    const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {});
    res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers });
    res.end(text);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    script(path: string, ...answers: Scripted[]) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    hits: (path: string) => received.filter((r) => r.url.split('?')[0] === path).length,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
