import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Answers every route nobody handled with a JSON 404 (Express's default is an HTML page). */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` });
};

/**
 * The last middleware: every error (a throwing route, a malformed path, a body parser's
 * refusal) becomes a small JSON answer. Never a stack trace, never an internal message:
 * a client error (4xx) says what was wrong with the request, anything else is a plain 500
 * and `onError` gets the details for the logs.
 */
export function jsonErrors(onError?: (error: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = statusOf(err);
    if (status >= 500) onError?.(err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body =
      status >= 500
        ? { error: 'INTERNAL', message: 'internal error; see the server logs' }
        : { error: codeOf(status), message: clientMessage(err, status) };
    // A body left unread (too large) is not drained: the connection closes after the answer.
    if (status === 413) res.set('connection', 'close');
    res.status(status).json(body);
  };
}

function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  if (err instanceof URIError) return 400;
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

function codeOf(status: number): string {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 404) return 'NOT_FOUND';
  return 'BAD_REQUEST';
}

/** A fixed sentence per kind of client error: error messages can echo internals. */
function clientMessage(err: unknown, status: number): string {
  if (err instanceof URIError || (err as Error | null)?.message?.includes('decode param'))
    return 'the path has malformed percent-encoding';
  if (status === 413) return 'the request body is too large';
  if (status === 415) return 'unsupported content type or encoding';
  return 'the request could not be read';
}
