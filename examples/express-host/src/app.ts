import {
  createShopifyWebhookHandler,
  DEFAULT_MAX_WEBHOOK_BYTES,
  type FulfillmentOrderSource,
  type ShopifyWebhookHandler,
} from '@fulfil/adapter-shopify';
import type { SlackActionRequest, SlackActionResponse } from '@fulfil/alerts-slack';
import { type ConsoleHandler, toNodeHandler } from '@fulfil/console';
import type { DeliveryQueue, Engine, Storage } from '@fulfil/core';
import express, { type Express } from 'express';
import { jsonErrors, notFound } from './json-errors';
import { errorFields, type Logger, requestLog } from './logging';
import { requireOpsToken } from './ops-auth';
import { createOrderLookup } from './order-lookup';
import { readRawBody } from './raw-body';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The engine orders go through. */
  engine: Engine;
  /** The Shopify app's client secrets (new and old during a rotation). */
  shopifySecrets: readonly string[];
  /**
   * Largest webhook body accepted. Default 1 MiB. A declared `Content-Length` above it is
   * answered 413 before a byte is read; a chunked body is stopped as soon as it passes it.
   */
  maxBodyBytes?: number;
  /**
   * Bearer token for the operations routes (`GET /orders/:key`, `GET /metrics`), which serve
   * customer names, emails, phones and addresses. At least 16 characters; the server reads
   * it from `OPS_TOKEN`. Without it those routes answer 404, as if they did not exist.
   */
  opsToken?: string | undefined;
  /**
   * The Shopify store (`createShopifyStore`): fulfillment-order webhooks (holds,
   * releases, moves made in the Shopify admin) need it to find their order.
   */
  fulfillmentOrders?: FulfillmentOrderSource;
  /** Shopify location (gid or numeric id) → engine location id, for moves and fulfillments. */
  shopifyLocations?: Readonly<Record<string, string>>;
  /**
   * Acknowledge webhooks on receipt: each verified delivery is stored in this queue as
   * received (`storage.deliveries` of @fulfil/storage-postgres: one insert) and answered
   * 200 before it is parsed; `app.webhooks.drain()` ingests it (started after each
   * delivery; call it on your schedule too, for retries and what a crash left). Without
   * it, the answer waits for the engine's commit.
   */
  queue?: DeliveryQueue;
  /**
   * With `queue`: `false` only acknowledges (no drain after each delivery); a worker on the
   * same queue calls `drain()`. Default `true`.
   */
  autoDrain?: boolean;
  /**
   * Told about rejected or failed webhooks (for logs and metrics); with `queue`, also about
   * deliveries that failed in the drain (`info`: key, attempts, dead, retryAt).
   */
  onWebhookError?: Parameters<typeof createShopifyWebhookHandler>[0]['onError'];
  /** Told about every unexpected error of any route (answered 500 with no details). */
  onError?: (error: unknown) => void;
  /**
   * Logs one JSON line per request (`event: "http"`) and, unless `onError` /
   * `onWebhookError` are given, one per failure: client errors (4xx) with their code and a
   * short message only, server errors (5xx) with the stack (see `createLogger`).
   */
  logger?: Logger;
  /**
   * Readiness for `GET /readyz`: resolves when the host can serve (e.g. the database answers
   * `select 1`), rejects or times out (`readyTimeoutMs`) when not: then 503. Without it
   * `/readyz` answers 200 like `/healthz`.
   */
  ready?: () => Promise<unknown>;
  /** How long `ready` may take before `/readyz` answers 503. Default 2 s. */
  readyTimeoutMs?: number;
  /**
   * The engine's storage, for `GET /orders/:key` by store name or external id (its
   * `insights.search`, or a bounded scan of `listOrders`). Without it only engine ids and
   * Shopify numeric ids of `shops` are found.
   */
  storage?: Pick<Storage, 'listOrders' | 'insights'>;
  /** Shop domains whose numeric order ids `GET /orders/:key` tries (`shopify:{handle}:{id}`). */
  shops?: readonly string[];
  /**
   * Serve `GET /metrics` in Prometheus text format from this registry: a prom-client
   * `Registry`, or `createPrometheusMetrics()` of @fulfil/metrics-prometheus (also passed to
   * the engine as `metrics`). Still behind `opsToken` (configure the scrape job's
   * `authorization` with it). The engine's JSON snapshot stays at `GET /metrics.json`, and at
   * `GET /metrics` for a client whose `Accept` prefers `application/json`. Without it,
   * `GET /metrics` serves the JSON snapshot as before.
   */
  prometheus?: PrometheusExposition;
  /**
   * Slack's interactivity requests (the review buttons of `@fulfil/alerts-slack`) at
   * `POST /slack/actions`: pass `createSlackActionsHandler(...)`. It checks Slack's signature
   * itself; the host only hands it the raw body (at most 64 KiB). Without it the route is 404.
   */
  slackActions?: (request: SlackActionRequest) => Promise<SlackActionResponse>;
  /**
   * The operations console (`createConsole({ basePath: '/ops', authorize, ... })` of
   * `@fulfil/console`), mounted at `/ops` before any body parser. It authorizes every request
   * itself (401 without credentials) and guards its forms against CSRF. Without it, `/ops` is 404.
   */
  opsConsole?: ConsoleHandler;
}

/** Largest Slack interactivity body read (a click payload is a few KiB). */
const MAX_SLACK_BODY_BYTES = 64 * 1024;

/** What the host needs of a Prometheus registry (a prom-client `Registry` has both). */
export interface PrometheusExposition {
  /** e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** The Express app, with the webhook queue's drain (see {@link AppOptions.queue}). */
export type HostApp = Express & {
  webhooks: Pick<ShopifyWebhookHandler, 'drain' | 'idle'>;
};

/**
 * The HTTP surface of a host: `POST /webhooks/shopify` (signed webhooks into the
 * engine: orders, and store-side holds, moves and fulfillments; the 200 names the order),
 * `GET /orders/:key` (the order and every decision, explained; by engine id, store name
 * such as `#1001` (url-encoded `%231001`) or `1001`, or Shopify order id) and `GET /metrics` (the engine's counters
 * and latency histograms: Prometheus text with `prometheus`, else JSON; JSON always at
 * `GET /metrics.json`), all behind `opsToken`, and `GET /healthz`. Every error is a
 * small JSON body; none shows a stack trace. `app.webhooks.drain()` / `idle()` run and
 * await the webhook queue (with `queue`; without, they have nothing to do).
 *
 * @example
 * ```ts
 * const app = createApp({
 *   engine,
 *   shopifySecrets: [process.env.SHOPIFY_SECRET!],
 *   opsToken: process.env.OPS_TOKEN,
 *   queue: storage.deliveries, // acknowledge on receipt
 * });
 * app.listen(3000);
 * setInterval(() => void app.webhooks.drain(), 5_000).unref();
 * ```
 */
export function createApp(options: AppOptions): HostApp {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const { logger } = options;
  const onError =
    options.onError ??
    (logger
      ? (error: unknown) => logger.error({ event: 'request_failed', err: error })
      : undefined);
  const onWebhookError =
    options.onWebhookError ??
    (logger
      ? (error: unknown, status: number, info?: unknown) =>
          logger[status >= 500 ? 'error' : 'warn']({
            event: 'webhook_rejected',
            status,
            ...errorFields(error, status),
            ...(info ? { delivery: info } : {}),
          })
      : undefined);
  const handle = createShopifyWebhookHandler({
    engine: options.engine,
    secrets: options.shopifySecrets,
    maxBodyBytes,
    ...(options.fulfillmentOrders ? { fulfillmentOrders: options.fulfillmentOrders } : {}),
    ...(options.shopifyLocations ? { locations: options.shopifyLocations } : {}),
    ...(onWebhookError ? { onError: onWebhookError } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    ...(options.autoDrain === undefined ? {} : { autoDrain: options.autoDrain }),
  });
  const ops = requireOpsToken(options.opsToken);
  const app = express();
  app.disable('x-powered-by');
  if (logger) app.use(requestLog(logger));
  if (options.opsConsole) app.use('/ops', toNodeHandler(options.opsConsole));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const problem = await readiness(options.ready, options.readyTimeoutMs ?? 2_000);
    if (problem === undefined) {
      res.json({ ok: true });
      return;
    }
    logger?.warn({ event: 'not_ready', reason: problem });
    // The reason (a driver message naming hosts and ports) stays in the log.
    res.status(503).json({ ok: false, error: 'NOT_READY', message: 'not ready; see the logs' });
  });
  // The raw bytes, exactly as received (the HMAC is computed over them), read with a limit.
  app.post('/webhooks/shopify', async (req, res) => {
    const read = await readRawBody(req, maxBodyBytes);
    if (read === undefined) return; // the client went away
    if (!read.ok) {
      onWebhookError?.(read.reason, read.status);
      res
        .status(read.status)
        .set('connection', 'close')
        .json({ error: read.error, reason: read.reason });
      return;
    }
    const out = await handle({ method: req.method, headers: req.headers, rawBody: read.body });
    res.status(out.status).set(out.headers).send(out.body);
  });
  const slackActions = options.slackActions;
  if (slackActions) {
    app.post('/slack/actions', async (req, res) => {
      const read = await readRawBody(req, MAX_SLACK_BODY_BYTES);
      if (read === undefined) return;
      if (!read.ok) {
        res.status(read.status).set('connection', 'close').json({ error: read.error });
        return;
      }
      const out = await slackActions({
        method: req.method,
        headers: req.headers,
        rawBody: read.body.toString('utf8'),
      });
      res.status(out.status).set(out.headers).send(out.body);
    });
  }
  const lookup = createOrderLookup({
    engine: options.engine,
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.shops ? { shops: options.shops } : {}),
  });
  app.get('/orders/:key', ops, async (req, res) => {
    const found = await lookup(String(req.params.key));
    if (found.found === 'one') res.json(await options.engine.explain(found.orderId));
    else if (found.found === 'many')
      res.status(300).json({
        error: 'AMBIGUOUS',
        message: 'several orders match; ask for one by its order id',
        orderIds: found.orderIds,
      });
    else res.status(404).json({ error: 'ORDER_NOT_FOUND', message: 'no such order' });
  });
  const prometheus = options.prometheus;
  app.get('/metrics.json', ops, (_req, res) => {
    res.json(options.engine.metrics());
  });
  app.get('/metrics', ops, async (req, res) => {
    if (!prometheus || req.accepts(['text/plain', 'application/json']) === 'application/json') {
      res.json(options.engine.metrics());
      return;
    }
    const text = await prometheus.metrics();
    res.status(200).set('content-type', prometheus.contentType).send(text);
  });
  app.use(notFound);
  app.use(jsonErrors(onError));
  return Object.assign(app, { webhooks: { drain: handle.drain, idle: handle.idle } });
}

/** Why the host is not ready, or `undefined` when `ready` resolved in time. */
async function readiness(
  ready: (() => Promise<unknown>) | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  if (!ready) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, `no answer within ${timeoutMs} ms`);
  });
  try {
    return await Promise.race([
      ready().then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'not ready',
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
