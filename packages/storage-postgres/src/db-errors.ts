import { FulfilError, formatPath, isFulfilError } from '@fulfil/core';

// Mapping driver errors to FulfilError. Internal.

/** SQLSTATE of an error thrown by pg or PGlite, if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505';
}

/** Passes `FulfilError`s through; wraps anything else as `ADAPTER_FAILED` naming `what`. */
export function wrapDbError(err: unknown, what: string, details: Record<string, unknown> = {}) {
  if (isFulfilError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const state = sqlState(err);
  return new FulfilError('ADAPTER_FAILED', `postgres ${what} failed: ${message}`, {
    cause: err,
    details: { ...details, ...(state ? { sqlState: state } : {}) },
  });
}

/** A stored record that no longer parses as an `OrderRecord`. */
export function corruptRecord(
  orderId: string,
  cause: { issues: { path: PropertyKey[]; message: string }[] },
) {
  const issue = cause.issues[0];
  const path = formatPath(issue?.path ?? [], 'record');
  return new FulfilError(
    'ADAPTER_FAILED',
    `order "${orderId}": stored record is corrupt (${path}: ${issue?.message ?? 'invalid'})`,
    { cause, details: { orderId, path, reason: 'corrupt_record' } },
  );
}
