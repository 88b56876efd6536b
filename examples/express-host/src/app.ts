import { createShopifyWebhookHandler } from '@fulfil/adapter-shopify';
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
}

/**
 * The HTTP surface of a host: `POST /webhooks/shopify` (signed webhooks into the
 * engine), `GET /orders/:id` (the order and every decision, explained),
 * `GET /metrics` (the engine's counters and latency histograms), `GET /healthz`.
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
