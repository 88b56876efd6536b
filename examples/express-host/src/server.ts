/**
 * `pnpm --filter @fulfil/example-express-host start`: an Express host with the
 * in-memory adapters (swap in @fulfil/storage-postgres and real warehouse adapters
 * for production). Env: PORT (3000), SHOPIFY_SECRET (required); with SHOPIFY_SHOP
 * and SHOPIFY_TOKEN, store commands (holds, tags, fulfillments, notes) go to Shopify
 * and store-side holds and moves are understood; SHOPIFY_LOCATIONS maps Shopify
 * locations to engine locations as JSON, e.g. `{"gid://shopify/Location/1001":"main"}`.
 */
import { createShopifyStore } from '@fulfil/adapter-shopify';
import {
  createConsoleAlerts,
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedWarehouse,
  systemClock,
} from '@fulfil/core';
import { createApp } from './app';
import { parseLocations } from './env';

const secret = process.env.SHOPIFY_SECRET;
if (!secret) {
  console.error('set SHOPIFY_SECRET to your Shopify app client secret');
  process.exit(2);
}
const { SHOPIFY_SHOP: shop, SHOPIFY_TOKEN: token } = process.env;
const store = shop && token ? createShopifyStore({ shop, accessToken: token }) : undefined;
const shopifyLocations = parseLocations(process.env.SHOPIFY_LOCATIONS);
const stock = { main: { 'TEE-M': 100, MUG: 100 } };
const engine = createEngine({
  storage: createMemoryStorage({ retainCompleted: false }),
  inventory: createMemoryInventory({ stock }),
  warehouses: {
    main: createSimulatedWarehouse({
      name: 'main',
      clock: systemClock,
      locations: ['main'],
      stock,
    }),
  },
  locations: [{ id: 'main', warehouse: 'main' }],
  alerts: createConsoleAlerts(),
  ...(store ? { store } : {}),
});
const port = Number(process.env.PORT ?? 3000);
createApp({
  engine,
  shopifySecrets: [secret],
  ...(store ? { fulfillmentOrders: store } : {}),
  ...(shopifyLocations ? { shopifyLocations } : {}),
  onWebhookError: (error, status) => console.error(`webhook answered ${status}:`, error),
}).listen(port, () => {
  console.log(
    `@fulfil host on http://localhost:${port} (POST /webhooks/shopify, GET /orders/:id, GET /metrics)`,
  );
});
// Durable timers and retries: one loop per process (a cron Lambda works the same way).
setInterval(() => {
  engine
    .runDue()
    .then(() => engine.pollWarehouses())
    .catch((err: unknown) => console.error('runDue failed:', err));
}, 5_000).unref();
