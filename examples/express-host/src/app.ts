import { createShopifyWebhookHandler, type FulfillmentOrderSource } from '@fulfil/adapter-shopify';
import { type Engine, isFulfilError } from '@fulfil/core';
import express, { type Express } from 'express';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The engine orders go through. */
  engine: Engine;
  /** The Shopify app's client secrets (new and old during a rotation). */
  shopifySecrets: readonly string[];
  /** Largest webhook body accepted. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * The Shopify store (`createShopifyStore`): fulfillment-order webhooks (holds,
   * releases, moves made in the Shopify admin) need it to find their order.
   */
  fulfillmentOrders?: FulfillmentOrderSource;
  /** Shopify location (gid or numeric id) → engine location id, for moves and fulfillments. */
  shopifyLocations?: Readonly<Record<string, string>>;
  /** Told about rejected or failed webhooks (for logs and metrics). */
  onWebhookError?: (error: unknown, status: number) => void;
}

/**
 * The HTTP surface of a host: `POST /webhooks/shopify` (signed webhooks into the
 * engine: orders, and store-side holds, moves and fulfillments), `GET /orders/:id`
 * (the order and every decision, explained), `GET /metrics` (the engine's counters
 * and latency histograms), `GET /healthz`.
 *
 * @example
 * ```ts
 * const app = createApp({ engine, shopifySecrets: [process.env.SHOPIFY_SECRET!] });
 * app.listen(3000);
 * ```
 */
export function createApp(options: AppOptions): Express {
  const handle = createShopifyWebhookHandler({
    engine: options.engine,
    secrets: options.shopifySecrets,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.fulfillmentOrders ? { fulfillmentOrders: options.fulfillmentOrders } : {}),
    ...(options.shopifyLocations ? { locations: options.shopifyLocations } : {}),
    ...(options.onWebhookError ? { onError: options.onWebhookError } : {}),
  });
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // The raw bytes, exactly as received: the HMAC is computed over them.
  app.post(
    '/webhooks/shopify',
    express.raw({ type: () => true, limit: '32mb' }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = await handle({ method: req.method, headers: req.headers, rawBody });
      res.status(out.status).set(out.headers).send(out.body);
    },
  );
  app.get('/orders/:id', async (req, res) => {
    try {
      res.json(await options.engine.explain(req.params.id));
    } catch (err) {
      if (isFulfilError(err, 'ORDER_NOT_FOUND'))
        res.status(404).json({ error: err.code, message: err.message });
      else res.status(500).json({ error: 'INTERNAL', message: (err as Error).message });
    }
  });
  app.get('/metrics', (_req, res) => {
    res.json(options.engine.metrics());
  });
  return app;
}
