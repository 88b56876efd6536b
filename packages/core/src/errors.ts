import type { z } from 'zod';

/**
 * Every error code the library raises, declared once. Codes are stable: match on
 * `error.code`, never on the message.
 */
export const ErrorCodes = {
  /** An event, order or other input failed validation. The message names the path. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A machine, rule set, routing policy or engine option is invalid. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The current state does not accept the event. Recorded in decisions, thrown only by strict APIs. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** Another writer committed this order first. Reload and decide again. */
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  /** The order is not known to storage. */
  ORDER_NOT_FOUND: 'ORDER_NOT_FOUND',
  /** Something other than an order, named by id (e.g. an outbox command), is not known. */
  NOT_FOUND: 'NOT_FOUND',
  /** A claimed outbox row or timer was reclaimed by another worker (its lease expired). */
  CLAIM_LOST: 'CLAIM_LOST',
  /** A port implementation failed (network, vendor error, ...). */
  ADAPTER_FAILED: 'ADAPTER_FAILED',
  /** No adapter is configured for a command (e.g. a location names an unknown warehouse). */
  ADAPTER_MISSING: 'ADAPTER_MISSING',
} as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Extra, machine-readable detail attached to a {@link FulfilError}. */
export interface FulfilErrorDetails {
  /** Where the problem is, e.g. `order.lines[2].quantity` or `rules[3].when.all[0].fact`. */
  path?: string;
  /** Every problem found, when there are several. */
  issues?: { path: string; message: string }[];
  [key: string]: unknown;
}

/**
 * The one error type the library throws at its boundaries.
 *
 * @example
 * ```ts
 * try {
 *   await engine.ingest(untrusted);
 * } catch (err) {
 *   if (err instanceof FulfilError && err.code === 'INVALID_INPUT') {
 *     console.error(err.message); // "INVALID_INPUT: event.order.lines[0].quantity: must be > 0"
 *   }
 * }
 * ```
 */
export class FulfilError extends Error {
  override readonly name = 'FulfilError';
  readonly code: ErrorCode;
  readonly details: FulfilErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: FulfilErrorDetails } = {},
  ) {
    super(
      `${code}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `err` is a {@link FulfilError}, optionally with the given code. */
export function isFulfilError(err: unknown, code?: ErrorCode): err is FulfilError {
  return err instanceof FulfilError && (code === undefined || err.code === code);
}

/** Formats a zod path (`['lines', 2, 'quantity']`) as `lines[2].quantity`. */
export function formatPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Parses `input` with `schema`, or throws a {@link FulfilError} whose message
 * lists every bad path. `what` names the input in the message (e.g. `event`).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: ErrorCode = ErrorCodes.INVALID_INPUT,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path, what),
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
  throw new FulfilError(code, `${summary}${more}`, {
    cause: result.error,
    details: { path: issues[0]?.path, issues },
  });
}
