import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ConsoleHandler } from './console';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Take the scheme and host from `X-Forwarded-Proto` / `X-Forwarded-Host` (only behind a
   * proxy you run, which sets them). Default false: the socket's TLS and the `Host` header.
   */
  trustProxy?: boolean;
  /** Largest request body read, bytes (413 above it). Default 64 KiB. */
  maxBodyBytes?: number;
}

/** A Node/Express request: `originalUrl` (Express) keeps the mount path, `body` may be pre-parsed. */
type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * Adapts the console to Node's `(req, res)` (node:http, Express, Connect, Fastify's
 * `raw`). Under Express mount it with `app.use(basePath, toNodeHandler(handler))`: the
 * full path (`req.originalUrl`) is what the console routes on. Mount it before body
 * parsers; if one already parsed a urlencoded form, its fields are re-encoded.
 *
 * @example
 * ```ts
 * const ops = createConsole({ engine, storage, basePath: '/ops', authorize });
 * app.use('/ops', toNodeHandler(ops));
 * ```
 */
export function toNodeHandler(
  handler: ConsoleHandler,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void {
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  return (req, res, next) => {
    run(handler, req as NodeRequest, res, options.trustProxy === true, maxBody).catch((err) => {
      if (next) return next(err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

async function run(
  handler: ConsoleHandler,
  req: NodeRequest,
  res: ServerResponse,
  trustProxy: boolean,
  maxBody: number,
): Promise<void> {
  const first = (v: string | string[] | undefined) =>
    (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  const proto =
    (trustProxy ? first(req.headers['x-forwarded-proto']) : undefined) ??
    ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  const host =
    (trustProxy ? first(req.headers['x-forwarded-host']) : undefined) ??
    req.headers.host ??
    'localhost';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${proto}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let body: Uint8Array | string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.readableEnded && req.body !== null && typeof req.body === 'object') {
      body = new URLSearchParams(req.body as Record<string, string>).toString();
      headers.set('content-type', 'application/x-www-form-urlencoded');
      headers.delete('content-length');
    } else {
      const read = await readBody(req, maxBody);
      if (read === 'too-large') {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large');
        return;
      }
      body = read;
    }
  }
  const response = await handler(
    new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }),
  );
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  res.writeHead(response.status, out);
  res.end(method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
}

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      else if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
