import type { AddressInfo } from 'node:net';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type Engine,
  type EngineOptions,
  type StoreAdapter,
} from '@fulfil/core';
import express from 'express';
import { createShopifyWebhookHandler, type ShopifyWebhookHandlerOptions } from '../src';

/** An engine on in-memory adapters that stocks the fixture SKUs. */
export function createTestEngine(
  store: StoreAdapter = createMemoryStore(),
  extra: Partial<EngineOptions> = {},
) {
  const clock = createSimulatedClock(Date.parse('2026-11-27T10:00:00Z'));
  const stock = { east: { 'TEE-M': 100, MUG: 100 } };
  const storage = createMemoryStorage();
  const east = createSimulatedWarehouse({ name: 'east-wh', clock, locations: ['east'], stock });
  const engine = createEngine({
    storage,
    store,
    clock,
    inventory: createMemoryInventory({ stock }),
    warehouses: { 'east-wh': east },
    locations: [{ id: 'east', warehouse: 'east-wh' }],
    ...extra,
  });
  return { engine, storage, east, clock, store };
}

/** A real Express 5 app serving the handler at POST /webhooks/shopify (plus a bare GET /ok and POST /bare). */
export async function startWebhookApp(
  options: Omit<ShopifyWebhookHandlerOptions, 'engine'> & { engine?: Engine },
) {
  const handle = createShopifyWebhookHandler(options);
  const app = express();
  app.get('/ok', (_req, res) => {
    res.status(200).send('ok');
  });
  // a bare endpoint: the baseline of the webhook benchmark
  app.post('/bare', (_req, res) => {
    res.sendStatus(200);
  });
  app.post(
    '/webhooks/shopify',
    express.raw({ type: () => true, limit: '32mb' }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = await handle({ method: req.method, headers: req.headers, rawBody });
      res.status(out.status).set(out.headers).send(out.body);
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    engine: options.engine,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
