import { connect } from 'node:net';

/** A response read off a raw socket, and how much of the request body had been sent by then. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Body bytes written before the first byte of the response arrived. */
  sentBeforeResponse: number;
  /** Whether the server closed the connection within `closeWithinMs` after answering. */
  closed: boolean;
}

/**
 * Sends `head` (request line + headers) then body chunks one by one, pausing `gapMs`
 * between them, and stops writing as soon as the response starts: a server that buffers
 * the whole body before answering never answers here (the body is never finished unless
 * `finish` is given), so the call rejects after `timeoutMs`.
 */
export function rawRequest(
  port: number,
  head: string,
  chunks: Iterable<Buffer>,
  options: { gapMs?: number; timeoutMs?: number; finish?: Buffer; closeWithinMs?: number } = {},
): Promise<RawResponse> {
  const { gapMs = 2, timeoutMs = 5_000, closeWithinMs = 1_000 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sent = 0;
    let sentBeforeResponse = -1;
    let ended = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms (sent ${sent} body bytes)`));
    }, timeoutMs);
    const parse = () => {
      const text = received.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return undefined;
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const length = Number(headers['content-length'] ?? Number.NaN);
      const body = received.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
      if (!Number.isNaN(length) && body.byteLength < length) return undefined;
      return { status: Number(statusLine?.split(' ')[1]), headers, body: body.toString('utf8') };
    };
    let answered: Omit<RawResponse, 'closed' | 'sentBeforeResponse'> | undefined;
    const settle = (closed: boolean) => {
      if (!answered) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answered, sentBeforeResponse, closed });
    };
    socket.on('data', (data) => {
      if (sentBeforeResponse < 0) sentBeforeResponse = sent;
      received = Buffer.concat([received, data]);
      if (answered) return;
      answered = parse();
      if (answered) setTimeout(() => settle(ended), closeWithinMs).unref();
    });
    socket.on('end', () => {
      ended = true;
      settle(true);
    });
    socket.on('close', () => {
      ended = true;
      settle(true);
    });
    socket.on('error', () => {
      // a reset after the server answered and closed: the answer is what counts
    });
    socket.write(head);
    const iterator = chunks[Symbol.iterator]();
    const next = () => {
      if (sentBeforeResponse >= 0 || socket.destroyed) return;
      const step = iterator.next();
      if (step.done) {
        if (options.finish) socket.write(options.finish);
        return;
      }
      socket.write(step.value, () => {
        sent += step.value.byteLength;
        setTimeout(next, gapMs);
      });
    };
    next();
  });
}

/** `count` chunks of `size` bytes each. */
export function* filler(count: number, size: number, encode = (b: Buffer) => b): Generator<Buffer> {
  for (let i = 0; i < count; i++) yield encode(Buffer.alloc(size, 0x61));
}

/** One chunk in HTTP/1.1 chunked transfer encoding. */
export const chunked = (b: Buffer) =>
  Buffer.concat([Buffer.from(`${b.byteLength.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
