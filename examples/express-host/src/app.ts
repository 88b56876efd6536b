import {
  createShopifyWebhookHandler,
  DEFAULT_MAX_WEBHOOK_BYTES,
  type FulfillmentOrderSource,
  type ShopifyWebhookHandler,
} from '@fulfil/adapter-shopify';
import type { SlackActionRequest, SlackActionResponse } from '@fulfil/alerts-slack';
import { type DeliveryQueue, type Engine, isFulfilError } from '@fulfil/core';
import express, { type Express } from 'express';
import { jsonErrors, notFound } from './json-errors';
import { requireOpsToken } from './ops-auth';
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
   * Bearer token for the operations routes (`GET /orders/:id`, `GET /metrics`), which serve
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
 * engine: orders, and store-side holds, moves and fulfillments), `GET /orders/:id`
 * (the order and every decision, explained) and `GET /metrics` (the engine's counters
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
  const handle = createShopifyWebhookHandler({
    engine: options.engine,
    secrets: options.shopifySecrets,
    maxBodyBytes,
    ...(options.fulfillmentOrders ? { fulfillmentOrders: options.fulfillmentOrders } : {}),
    ...(options.shopifyLocations ? { locations: options.shopifyLocations } : {}),
    ...(options.onWebhookError ? { onError: options.onWebhookError } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    ...(options.autoDrain === undefined ? {} : { autoDrain: options.autoDrain }),
  });
  const ops = requireOpsToken(options.opsToken);
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // The raw bytes, exactly as received (the HMAC is computed over them), read with a limit.
  app.post('/webhooks/shopify', async (req, res) => {
    const read = await readRawBody(req, maxBodyBytes);
    if (read === undefined) return; // the client went away
    if (!read.ok) {
      options.onWebhookError?.(read.reason, read.status);
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
  app.get('/orders/:id', ops, async (req, res) => {
    try {
      res.json(await options.engine.explain(String(req.params.id)));
    } catch (err) {
      if (!isFulfilError(err, 'ORDER_NOT_FOUND')) throw err;
      res.status(404).json({ error: err.code, message: 'no such order' });
    }
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
  app.use(jsonErrors(options.onError));
  return Object.assign(app, { webhooks: { drain: handle.drain, idle: handle.idle } });
}
