import { isFulfilError } from '@fulfil/core';
import type { RequestHandler } from 'express';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Longest error message written for a client error (a validation message can be long). */
const MAX_CLIENT_MESSAGE = 300;

/**
 * The host's logger: one JSON object per line (pino), `level` from `LOG_LEVEL` (default
 * `info`), to stdout unless `destination` is given (tests pass a stream).
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: process.env.LOG_LEVEL });
 * logger.info({ event: 'listening', port: 3000 });
 * ```
 */
export function createLogger(
  options: { level?: string | undefined; destination?: DestinationStream } = {},
): Logger {
  const base = { level: options.level || 'info', base: { service: 'fulfil-express-host' } };
  return options.destination ? pino(base, options.destination) : pino(base);
}

/**
 * How an error is written to the log. A client error (status below 500: a bad signature, an
 * invalid payload, a malformed path) is the client's problem: its code and a short message,
 * never a stack trace or a validation dump. A server error (500 and up) is ours: pino's full
 * error serialization (`err`, with the stack and the cause).
 */
export function errorFields(error: unknown, status: number): Record<string, unknown> {
  if (status >= 500) return { err: error };
  return { error: clientError(error) };
}

function clientError(error: unknown): { code?: string; message: string } {
  if (isFulfilError(error)) return { code: error.code, message: short(error.message) };
  if (error instanceof Error) return { message: short(error.message) };
  return { message: short(typeof error === 'string' ? error : String(error)) };
}

function short(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return line.length > MAX_CLIENT_MESSAGE ? `${line.slice(0, MAX_CLIENT_MESSAGE)}…` : line;
}

/**
 * Writes one line per HTTP request once its answer is sent: `event: "http"`, method, path
 * (no query string), status and duration. Level `info` below 400, `warn` for 4xx, `error`
 * for 5xx. Mount it first.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      logger[level]({
        event: 'http',
        method: req.method,
        path: req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    next();
  };
}
