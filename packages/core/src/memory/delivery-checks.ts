import { ErrorCodes, FulfilError } from '../errors';
import type { RawDelivery } from '../ports/deliveries';

// Checks shared by the delivery queues (memory here, PostgreSQL in its package).

/** A UTF-16 surrogate without its partner: PostgreSQL text cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL (PostgreSQL text cannot hold it either) or a lone surrogate. */
function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

function invalid(path: string, message: string): FulfilError {
  return new FulfilError(ErrorCodes.INVALID_INPUT, `${path}: ${message}`, { details: { path } });
}

function checkName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(path, 'must be a non-empty string');
  if (unstorable(value)) {
    throw invalid(path, 'must not contain a NUL character or a lone UTF-16 surrogate');
  }
  return value;
}

/**
 * Checks a delivery handed to `DeliveryQueue.enqueue` and returns a copy that shares nothing
 * with the input (the body bytes are copied). `key` and `source` must be non-empty text with
 * no NUL and no lone surrogate, `headers` a plain object of strings, `body` a `Uint8Array`
 * (a `Buffer` is one) and `receivedAt` a finite number. Throws `INVALID_INPUT` naming the
 * field otherwise.
 *
 * @example
 * ```ts
 * const copy = checkRawDelivery({ key: 'shopify:shop:1', source: 'shopify', headers: {}, body, receivedAt: Date.now() });
 * ```
 */
export function checkRawDelivery(input: RawDelivery): RawDelivery {
  if (typeof input !== 'object' || input === null) throw invalid('delivery', 'must be an object');
  const key = checkName(input.key, 'delivery.key');
  const source = checkName(input.source, 'delivery.source');
  const { headers, body, receivedAt } = input;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw invalid('delivery.headers', 'must be an object of strings');
  }
  const copied: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== 'string') {
      throw invalid(`delivery.headers.${name}`, 'must be a string');
    }
    copied[name] = value;
  }
  if (!(body instanceof Uint8Array)) throw invalid('delivery.body', 'must be a Uint8Array');
  if (typeof receivedAt !== 'number' || !Number.isFinite(receivedAt)) {
    throw invalid('delivery.receivedAt', 'must be a finite number (epoch ms)');
  }
  return { key, source, headers: copied, body: body.slice(), receivedAt };
}

/** Checks `claim` options: `now` finite, `limit` an integer >= 0, `leaseMs` finite and > 0. */
export function checkDeliveryClaim(options: { now: number; limit: number; leaseMs: number }): {
  now: number;
  limit: number;
  leaseMs: number;
} {
  const o = (options ?? {}) as Partial<typeof options>;
  const ok =
    Number.isFinite(o.now) &&
    Number.isInteger(o.limit) &&
    (o.limit as number) >= 0 &&
    Number.isFinite(o.leaseMs) &&
    (o.leaseMs as number) > 0;
  if (!ok) {
    throw invalid('options', 'now must be finite, limit an integer >= 0, leaseMs finite and > 0');
  }
  return { now: o.now as number, limit: o.limit as number, leaseMs: o.leaseMs as number };
}

/** Checks a `fail` outcome: `error` a string, `retryAt` absent or finite. */
export function checkDeliveryFailure(outcome: { error: string; retryAt?: number }): {
  error: string;
  retryAt?: number;
} {
  if (typeof outcome !== 'object' || outcome === null || typeof outcome.error !== 'string') {
    throw invalid('outcome.error', 'must be a string');
  }
  const { retryAt } = outcome;
  if (retryAt !== undefined && (typeof retryAt !== 'number' || !Number.isFinite(retryAt))) {
    throw invalid('outcome.retryAt', 'must be a finite number (epoch ms) or absent');
  }
  return retryAt === undefined ? { error: outcome.error } : { error: outcome.error, retryAt };
}

/** The `CLAIM_LOST` error of `complete` / `fail` with a token that is not current. */
export function deliveryClaimLost(key: string): FulfilError {
  return new FulfilError(
    ErrorCodes.CLAIM_LOST,
    `delivery "${key}": the claim token is not the row's current token (lease expired and reclaimed, or unknown delivery)`,
    { details: { deliveryKey: key } },
  );
}
