/** The answers the fault proxy sends (see `fault-proxy.ts`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './fault-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer of a fault that is not forwarded (or replaces the vendor's). */
export function answerInstead(
  fault: Fault,
  res: ServerResponse,
  rateHeaders?: Record<string, string>,
) {
  switch (fault.kind) {
    case 'rate_limited':
      return send(
        res,
        429,
        { 'content-type': 'application/json', ...(rateHeaders ?? { 'Retry-After': '1' }) },
        Buffer.from(JSON.stringify({ message: 'Too Many Requests' })),
      );
    case 'server_error': {
      const status = fault.status ?? (fault.when === 'after' ? 502 : 503);
      return send(res, status, { 'content-type': 'text/html' }, Buffer.from(`<h1>${status}</h1>`));
    }
    case 'hang':
      return; // the socket stays open until the client gives up or the proxy closes
    case 'reset':
      return void res.socket?.destroy();
    case 'invalid_json':
      return send(
        res,
        200,
        { 'content-type': 'application/json' },
        Buffer.from('<html><body>Service temporarily unavailable</body></html>'),
      );
    default:
      return send(res, 502, { 'content-type': 'text/plain' }, Buffer.from('bad fault'));
  }
}

/** Hop-by-hop and length headers are recomputed for the answer actually sent. */
export function passHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name))
      continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Sends a whole answer with its length. */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
) {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** Sends the answer in 8 chunks, `pauseMs` apart. */
export async function trickle(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  pauseMs: number,
) {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  const step = Math.max(1, Math.ceil(body.length / 8));
  for (let i = 0; i < body.length && !res.destroyed; i += step) {
    res.write(body.subarray(i, i + step));
    await sleep(pauseMs);
  }
  res.end();
}
