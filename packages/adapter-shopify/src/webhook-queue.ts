import { createHash } from 'node:crypto';
import {
  type ClaimedDelivery,
  type Clock,
  type DeliveryQueue,
  FulfilError,
  isFulfilError,
  type RawDelivery,
} from '@fulfil/core';
import { type HeadersLike, type ShopifyWebhookHeader, shopifyHeaderOf } from './headers';

/** What became of one webhook once parsed and ingested (shared by both handler modes). */
export type WebhookOutcome =
  | { ok: true; topic: string; events: number; orderId?: string }
  | { ok: false; status: 400 | 500; error: string; reason: string; cause: unknown };

/** What a {@link ShopifyWebhookHandler}'s `drain()` did. */
export interface DrainResult {
  /** Deliveries parsed, ingested and completed (those with no events included). */
  processed: number;
  /** Deliveries that failed and were scheduled for a retry (`retryAt`). */
  failed: number;
  /** Deliveries that failed for good (invalid payload, or out of attempts): kept, never retried. */
  dead: number;
}

/** How queued deliveries are drained (options of the webhook handler, `queue` mode). */
export interface DrainOptions {
  /** Deliveries claimed per round trip. Default 25. */
  drainBatch?: number;
  /**
   * How long a claim is held (ms). A delivery whose process died mid-processing is claimed
   * again once it expires, so keep it well above a batch's processing time. Default 30 s.
   */
  leaseMs?: number;
  /**
   * Retries after a failure that is not the payload's fault (storage down, a failed
   * fulfillment-order lookup, ...): the delay doubles from `baseMs` (default 1 s) up to
   * `maxMs` (default 5 min); after `maxAttempts` claims (default 50, about 4 hours, as long
   * as Shopify's own retries) the delivery is dead and `onError` is told.
   */
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** Time for `receivedAt`, claims and retries. Default the system clock. */
  clock?: Clock;
  /**
   * `false`: the handler never drains by itself (no drain after each delivery), so the web
   * process only acknowledges; run `drain()` in a worker (another process on the same
   * queue, or a scheduled job). Default `true`.
   */
  autoDrain?: boolean;
  /**
   * Acknowledgements first: before each claim and each delivery, the drain of this handler
   * waits until none of its enqueues is in flight, for at most this long (ms). Default 5;
   * `0` never waits.
   */
  yieldToReceiptsMs?: number;
}

/** Told about a delivery that failed in the drain (`status` 400: dead payload; 500: retried). */
export type DrainErrorInfo = { key: string; attempts: number; dead: boolean; retryAt?: number };

/** The headers `parseShopifyWebhook` reads, kept with a queued delivery (the HMAC is not). */
const KEPT: readonly ShopifyWebhookHeader[] = [
  'topic',
  'shopDomain',
  'apiVersion',
  'webhookId',
  'eventId',
  'triggeredAt',
  'name',
];

/**
 * A verified Shopify request as a queue delivery: key `shopify:{shop}:{webhook id}` (the
 * webhook id is the same on Shopify's retries), or `shopify:{shop}:body:{sha256 of topic and
 * body}` without one; the headers the parser reads under their unprefixed names.
 */
export function shopifyDelivery(
  rawBody: Uint8Array | string,
  requestHeaders: HeadersLike,
  options: { shop?: string | undefined; now: number },
): RawDelivery {
  const headers: Record<string, string> = {};
  for (const name of KEPT) {
    const value = shopifyHeaderOf(requestHeaders, name);
    // Headers are not signed: text a queue cannot store is repaired (the parser judges it).
    if (value !== undefined) headers[`shopify-${kebab(name)}`] = storable(value);
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const shop = headers['shopify-shop-domain'] ?? storable(options.shop ?? '');
  const id =
    headers['shopify-webhook-id'] ??
    `body:${createHash('sha256')
      .update(`${headers['shopify-topic'] ?? ''}\n`)
      .update(body)
      .digest('base64url')}`;
  return {
    key: `shopify:${shop}:${id}`,
    source: 'shopify',
    headers,
    body,
    receivedAt: options.now,
  };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The drain of a handler in queue mode: claims due deliveries in batches, oldest first,
 * and runs each through `process`; one drain at a time (a call during a drain joins it and
 * makes it look again before it ends). Never rejects.
 */
export function createDrain(
  queue: DeliveryQueue,
  process: (delivery: RawDelivery) => Promise<WebhookOutcome>,
  options: DrainOptions & {
    onError?: ((error: unknown, status: number, info?: DrainErrorInfo) => void) | undefined;
    /**
     * Awaited before each claim and each delivery: the handler's acknowledgements in flight
     * go first (see {@link createReceiptGate}).
     */
    gate?: () => Promise<void>;
  },
) {
  const gate = options.gate ?? (async () => {});
  const clock = options.clock ?? { now: () => Date.now() };
  const batch = Math.max(1, Math.floor(options.drainBatch ?? 25));
  const leaseMs = Math.max(1, options.leaseMs ?? 30_000);
  const baseMs = Math.max(1, options.retry?.baseMs ?? 1_000);
  const maxMs = Math.max(baseMs, options.retry?.maxMs ?? 300_000);
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 50);
  let current: Promise<DrainResult> | undefined;
  let again = false;
  let kicked: Promise<unknown> | undefined;

  const report = (error: unknown, status: number, info?: DrainErrorInfo) => {
    try {
      options.onError?.(error, status, info);
    } catch {
      // a throwing hook must not stop the drain
    }
  };

  async function one(claimed: ClaimedDelivery, totals: DrainResult) {
    const { key } = claimed.delivery;
    const attempts = claimed.attempts + 1;
    let outcome: WebhookOutcome;
    try {
      outcome = await process(claimed.delivery);
    } catch (cause) {
      outcome = { ok: false, status: 500, error: 'internal_error', reason: text(cause), cause };
    }
    try {
      if (outcome.ok) {
        await queue.complete(key, claimed.claimToken);
        totals.processed++;
        return;
      }
      const dead =
        outcome.status === 400 ||
        isFulfilError(outcome.cause, 'INVALID_INPUT') ||
        attempts >= maxAttempts;
      const retryAt = dead
        ? undefined
        : clock.now() + Math.min(maxMs, baseMs * 2 ** claimed.attempts);
      const error = storable(`${outcome.error}: ${text(outcome.cause ?? outcome.reason)}`, 1000);
      await queue.fail(
        key,
        claimed.claimToken,
        retryAt === undefined ? { error } : { error, retryAt },
      );
      if (dead) totals.dead++;
      else totals.failed++;
      report(outcome.cause, outcome.status, {
        key,
        attempts,
        dead,
        ...(retryAt === undefined ? {} : { retryAt }),
      });
    } catch (err) {
      // Another drain holds it now (our lease ran out): its outcome is the one that counts.
      if (isFulfilError(err, 'CLAIM_LOST')) return;
      // The queue is unreachable: the lease runs out and the delivery is claimed again.
      report(err, 500, { key, attempts, dead: false });
    }
  }

  async function loop(): Promise<DrainResult> {
    await undefined; // `current` is set before the loop can end
    const totals: DrainResult = { processed: 0, failed: 0, dead: 0 };
    try {
      for (;;) {
        again = false;
        await gate();
        const claimed = await queue.claim({ now: clock.now(), limit: batch, leaseMs });
        for (const c of claimed) {
          await gate();
          await one(c, totals);
        }
        if (claimed.length < batch && !again) return totals;
      }
    } catch (err) {
      report(err, 500); // claim failed (storage down): the next drain tries again
      return totals;
    } finally {
      current = undefined;
    }
  }

  function drain(): Promise<DrainResult> {
    if (current) {
      again = true;
      return current;
    }
    current = loop();
    return current;
  }

  return {
    drain,
    /** Starts a drain after the current I/O (the answer is written first); at most one waits. */
    kick() {
      kicked ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        kicked = undefined;
        return drain();
      });
    },
    async idle() {
      while (kicked || current) await (kicked ?? current);
    },
  };
}

/** How long the drain waits at most for the acknowledgements in flight, per step. */
export const RECEIPT_GATE_MAX_WAIT_MS = 5;

/**
 * Acknowledgements first: the handler counts the deliveries it is acknowledging
 * (`enter`/`leave`), and the drain, before each claim and each delivery, waits until none is
 * in flight, for at most `maxWaitMs`. The drain shares the event loop (and the database
 * pool) with the acknowledgements; without the gate, a delivery's parsing and deciding
 * started while an enqueue is waiting for the database runs before that enqueue's answer
 * is written. The wait is bounded, so under steady traffic the drain still goes at least
 * one delivery per `maxWaitMs` plus its own time.
 */
export function createReceiptGate(maxWaitMs = RECEIPT_GATE_MAX_WAIT_MS) {
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `webhookHandler.yieldToReceiptsMs must be a number of ms ≥ 0, got ${String(maxWaitMs)}`,
      { details: { path: 'webhookHandler.yieldToReceiptsMs' } },
    );
  }
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const release = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  return {
    enter() {
      inFlight++;
    },
    /** After the current I/O callback: the answer is written before the drain goes on. */
    leave() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight === 0) setImmediate(() => inFlight === 0 && release());
    },
    /** Resolves once no acknowledgement is in flight, or after `maxWaitMs`. */
    wait(): Promise<void> {
      if (inFlight === 0 || maxWaitMs <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, maxWaitMs);
        function done() {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== done);
          resolve();
        }
        waiters.push(done);
      });
    },
  };
}

function text(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/** Text PostgreSQL can store: no NUL, lone surrogates replaced, at most `max` characters. */
function storable(value: string, max = 10_000): string {
  return value
    .slice(0, max)
    .replace(/\0/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
