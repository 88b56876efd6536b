import {
  type DeliveryQueue,
  FulfilError,
  isFulfilError,
  type OrderEvent,
  type RawDelivery,
} from '@fulfil/core';
import { type HeadersLike, headerOf } from './headers';
import type { FulfillmentOrderSource } from './store-webhooks';
import { verifyShopifyWebhook } from './verify';
import { checkWebhookHandlerOptions } from './webhook-handler-options';
import { type ParsedShopifyWebhook, type ParseWebhookOptions, peekOrderId } from './webhook-parse';
import { createWebhookProcessor } from './webhook-process';
import {
  createDrain,
  createReceiptGate,
  type DrainErrorInfo,
  type DrainOptions,
  type DrainResult,
  shopifyDelivery,
} from './webhook-queue';

/** A request as any framework can hand it over. */
export interface WebhookRequest {
  method: string;
  headers: HeadersLike;
  /** The body bytes exactly as received (never re-serialized JSON). */
  rawBody: Uint8Array | string | undefined | null;
}

/** The response to send back. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  /** A small JSON text: `{"ok":true,...}` or `{"error":"...","reason":"..."}`. */
  body: string;
}

/** Options of {@link createShopifyWebhookHandler}. */
export interface ShopifyWebhookHandlerOptions extends ParseWebhookOptions, DrainOptions {
  /** The app's client secrets; during a rotation, the new and the old one. */
  secrets: readonly string[];
  /**
   * An engine: each event goes through `engine.ingest(event, { dispatch: 'background' })`,
   * so the answer waits for the commit only, never for the warehouse. Give this or `ingest`.
   */
  engine?: {
    ingest(
      event: unknown,
      options?: { dispatch?: 'wait' | 'background' | 'none' },
    ): Promise<unknown>;
  };
  /**
   * Stores the events durably (a queue, the engine's inbox, ...). MUST resolve only
   * once they are safe: the handler answers 200 after it resolves.
   */
  ingest?: (events: OrderEvent[], webhook: ParsedShopifyWebhook) => Promise<unknown>;
  /**
   * Finds the order of a fulfillment order (pass the Shopify store:
   * `createShopifyStore(...)`). Fulfillment-order webhooks do not name their order:
   * without this they are acknowledged with no events (and `onError` is told).
   */
  fulfillmentOrders?: FulfillmentOrderSource;
  /** Larger bodies get 413. Default 1 MiB (orders with hundreds of lines fit). */
  maxBodyBytes?: number;
  /**
   * Acknowledge on receipt: a verified delivery is stored in this queue as received (one
   * insert) and answered 200 at once; parsing and ingesting run after the answer, in
   * `drain()` (started in the background after each delivery; call it on a schedule too,
   * for retries and for deliveries a crashed process left claimed). Without it, the answer
   * waits for the events to be stored (see {@link createShopifyWebhookHandler}).
   */
  queue?: DeliveryQueue;
  /**
   * Told about every rejected or failed delivery (for logs and metrics). In queue mode,
   * failures found by the drain come with `info` (`status` 400: the payload is invalid and
   * the delivery is dead; 500: it is retried at `info.retryAt`, or dead when out of attempts).
   */
  onError?: (error: unknown, status: number, info?: DrainErrorInfo) => void;
}

/** A webhook handler: a request in, the response to send out. Never throws. */
export interface ShopifyWebhookHandler {
  (request: WebhookRequest): Promise<WebhookResponse>;
  /**
   * Queue mode: processes the due deliveries (queued, failed and now due, or claimed by a
   * process whose lease ran out), oldest first, in batches, until none is left. Joins a
   * drain already running (which, under steady traffic, keeps going: do not chain other
   * periodic work after it). Never rejects (failures go to `onError`). Without a queue it
   * resolves zeros.
   */
  drain(): Promise<DrainResult>;
  /** Resolves once the drains started in the background have settled. */
  idle(): Promise<void>;
}

/** The default `maxBodyBytes`. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * Creates a framework-free Shopify webhook handler: `(request) → response`.
 *
 * Answers, in this order of checks:
 * - 405 for a method other than POST;
 * - 413 when the body exceeds `maxBodyBytes` (checked before any hashing);
 * - 401 when `X-Shopify-Hmac-Sha256` is missing or matches none of `secrets`;
 * - 415 when `Content-Type` is not JSON;
 * - 400 for an empty body, invalid JSON or an invalid payload, with a reason;
 * - 200 once every event of the delivery is stored (`{"ok":true,"topic","events","orderId"}`;
 *   `orderId`, the engine's order id such as `shopify:acme:820982911946154508`, when the
 *   delivery is about one order): `engine.ingest` (or your
 *   `ingest`) resolved for each. With an engine, each event is decided and committed
 *   and the outbox is started in the background (`dispatch: 'background'`): the
 *   answer never waits for a warehouse, and a dispatch failure after the commit is
 *   the engine's `onError`, not a 500 (the commands stay in the outbox). Await
 *   `engine.idle()` before shutting the process down;
 * - 500 when ingesting failed (storage down, ...): never a lost order, since
 *   Shopify retries every non-2xx delivery (8 times over 4 hours) and
 *   reconciliation catches the rest. Duplicate deliveries are answered 200 and
 *   processed once (the inbox drops them by idempotency key).
 * Topics the adapter does not handle are answered 200 with no events. Fulfillment-order
 * topics first look their order up through `fulfillmentOrders` (a failed lookup
 * answers 500, so Shopify retries).
 *
 * With `queue` (acknowledge on receipt), after the method, size, HMAC and content-type
 * checks the delivery is enqueued as received and answered 200 `{"ok":true,"queued":true}`
 * (`"duplicate":true` for a delivery already enqueued; with `"orderId"` for an order topic
 * whose body names its order — read without validating the payload), 400 when the queue refuses it as
 * invalid, or 500 when the enqueue failed (Shopify retries). Parsing, lookups and ingesting then run in `drain()`: an invalid
 * payload is kept dead (and `onError` told with 400), any other failure is retried with
 * a backoff. Call `handle.drain()` on a schedule and await `handle.idle()` before shutting
 * down.
 *
 * @example
 * ```ts
 * const handle = createShopifyWebhookHandler({ secrets: [process.env.SHOPIFY_SECRET!], engine });
 * app.post('/webhooks/shopify', express.raw({ type: '*\/*', limit: '2mb' }), async (req, res) => {
 *   const out = await handle({ method: req.method, headers: req.headers, rawBody: req.body });
 *   res.status(out.status).set(out.headers).send(out.body);
 * });
 * ```
 */
export function createShopifyWebhookHandler(
  options: ShopifyWebhookHandlerOptions,
): ShopifyWebhookHandler {
  checkWebhookHandlerOptions(options);
  if (!options.engine && !options.ingest) {
    throw new FulfilError(
      'CONFIG_INVALID',
      'createShopifyWebhookHandler options: engine: give `engine` or `ingest`',
      { details: { path: 'engine' } },
    );
  }
  const max = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const processWebhook = createWebhookProcessor(options);
  const { queue } = options;
  // Acknowledgements first: the drain waits (briefly) for the enqueues in flight.
  const receipts = createReceiptGate(options.yieldToReceiptsMs);
  const background = queue
    ? createDrain(queue, (d: RawDelivery) => processWebhook(d.body, d.headers), {
        ...options,
        gate: receipts.wait,
      })
    : undefined;
  const reply = (
    status: number,
    body: Record<string, unknown>,
    error?: unknown,
  ): WebhookResponse => {
    if (status >= 300) options.onError?.(error ?? body.reason ?? body.error, status);
    return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  };

  async function handleShopifyWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    try {
      return await handleOne(request);
    } catch {
      // a bug or a throwing onError hook: still an answer, and Shopify retries
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'internal_error' }),
      };
    }
  }
  return Object.assign(handleShopifyWebhook, {
    drain: async () => (background ? background.drain() : { processed: 0, failed: 0, dead: 0 }),
    idle: async () => background?.idle(),
  });

  async function handleOne(request: WebhookRequest): Promise<WebhookResponse> {
    if (String(request.method).toUpperCase() !== 'POST')
      return reply(405, { error: 'method_not_allowed' });
    const raw = request.rawBody ?? '';
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
    if (size > max)
      return reply(413, {
        error: 'payload_too_large',
        reason: `body is ${size} bytes; the limit is ${max}`,
      });
    const check = verifyShopifyWebhook(raw, request.headers, options.secrets);
    if (!check.ok) return reply(401, { error: 'unauthorized', reason: check.reason });
    const type = headerOf(request.headers, 'content-type') ?? '';
    if (!/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) {
      return reply(415, {
        error: 'unsupported_media_type',
        reason: `content-type must be application/json, got "${type}"`,
      });
    }
    if (queue && background) {
      const delivery = shopifyDelivery(raw, request.headers, {
        shop: options.shop,
        now: (options.clock ?? Date).now(),
      });
      let stored: 'queued' | 'duplicate';
      receipts.enter();
      try {
        stored = await queue.enqueue(delivery);
      } catch (err) {
        if (isFulfilError(err, 'INVALID_INPUT')) {
          return reply(400, { error: 'invalid_delivery', reason: err.message }, err);
        }
        return reply(
          500,
          { error: 'enqueue_failed', reason: 'not stored; Shopify will retry' },
          err,
        );
      } finally {
        receipts.leave();
      }
      if (options.autoDrain !== false) background.kick();
      const orderId = peekOrderId(raw, request.headers, options);
      return reply(200, {
        ok: true,
        ...(stored === 'duplicate' ? { duplicate: true } : { queued: true }),
        ...(orderId ? { orderId } : {}),
      });
    }
    const outcome = await processWebhook(raw, request.headers);
    if (!outcome.ok)
      return reply(outcome.status, { error: outcome.error, reason: outcome.reason }, outcome.cause);
    return reply(200, {
      ok: true,
      topic: outcome.topic,
      events: outcome.events,
      ...(outcome.orderId ? { orderId: outcome.orderId } : {}),
    });
  }
}

/**
 * Wraps the handler for Fetch-API runtimes (Cloudflare, Deno, Bun, Next.js route
 * handlers): `(Request) → Response`. With `maxBytes` (pass the handler's
 * `maxBodyBytes`), a declared `Content-Length` above it is answered 413 before the
 * body is read; the handler itself checks the real size either way.
 */
export function toFetchHandler(
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
  maxBytes?: number,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (maxBytes !== undefined && declared > maxBytes) {
      const body = JSON.stringify({
        error: 'payload_too_large',
        reason: `body is ${declared} bytes; the limit is ${maxBytes}`,
      });
      return new Response(body, { status: 413, headers: { 'content-type': 'application/json' } });
    }
    const rawBody = new Uint8Array(await request.arrayBuffer());
    const out = await handle({ method: request.method, headers: request.headers, rawBody });
    return new Response(out.body, { status: out.status, headers: out.headers });
  };
}
