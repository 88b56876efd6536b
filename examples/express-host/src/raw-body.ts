import type { IncomingMessage } from 'node:http';

/** What {@link readRawBody} read: the bytes, or why it stopped (answer with `status`). */
export type RawBody =
  | { ok: true; body: Buffer }
  | { ok: false; status: 413 | 415 | 400; error: string; reason: string };

/**
 * Reads a request body as raw bytes (the HMAC is computed over them), never more than
 * `limit` bytes in memory:
 * - a declared `Content-Length` above `limit` is refused (413) before a byte is read;
 * - a body without one (chunked) is read until it passes `limit`, then refused (413) and
 *   the rest is left unread (the caller answers with `Connection: close`);
 * - a `Content-Encoding` other than `identity` is refused (415): webhooks are signed over
 *   the bytes as sent, and inflating first would let a small body expand without bound.
 * Resolves `undefined` when the client went away before the body ended.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<RawBody | undefined> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return Promise.resolve({
      ok: false,
      status: 415,
      error: 'unsupported_encoding',
      reason: `content-encoding "${encoding}" is not accepted; send the body uncompressed`,
    });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.resolve(tooLarge(`body is ${Number(declared)} bytes`, limit));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: RawBody | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        done(tooLarge(`body passed ${limit} bytes`, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, body: Buffer.concat(chunks, size) });
    const onGone = () => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

function tooLarge(what: string, limit: number): RawBody {
  return {
    ok: false,
    status: 413,
    error: 'payload_too_large',
    reason: `${what}; the limit is ${limit}`,
  };
}
