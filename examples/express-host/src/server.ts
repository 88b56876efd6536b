/**
 * `pnpm --filter @fulfil/example-express-host start`: an Express host with the
 * in-memory adapters (swap in @fulfil/storage-postgres and real warehouse adapters
 * for production). Env: PORT (3000), SHOPIFY_SECRET (required); with SHOPIFY_SHOP
 * and SHOPIFY_TOKEN, store commands (holds, tags, fulfillments, notes) go to Shopify
 * and store-side holds and moves are understood; SHOPIFY_LOCATIONS maps Shopify
 * locations to engine locations as JSON, e.g. `{"gid://shopify/Location/1001":"main"}`;
 * OPS_TOKEN (16+ characters, e.g. `openssl rand -hex 32`) enables `GET /orders/:id`,
 * `GET /metrics` (Prometheus text) and `GET /metrics.json` (the engine's JSON snapshot) for
 * `Authorization: Bearer <OPS_TOKEN>` (without it they answer 404).
 */
import { createShopifyStore } from '@fulfil/adapter-shopify';
import { slackFromEnv } from '@fulfil/alerts-slack';
import {
  createConsoleAlerts,
  createEngine,
  createMemoryDeliveryQueue,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedWarehouse,
  systemClock,
} from '@fulfil/core';
import { createPrometheusMetrics } from '@fulfil/metrics-prometheus';
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
const opsToken = process.env.OPS_TOKEN?.trim() || undefined;
if (!opsToken)
  console.warn('OPS_TOKEN is unset: GET /orders/:id and GET /metrics(.json) answer 404');
// Slack alerts and review buttons from SLACK_* variables (slackFromEnv of
// @fulfil/alerts-slack); without them, alerts go to the console log.
const slack = slackFromEnv(process.env);
const stock = { main: { 'TEE-M': 100, MUG: 100 } };
// Prometheus metrics: the engine reports into it, GET /metrics serves it. For adapters' HTTP
// use, pass `hooks: httpMetricsHooks(metrics, 'shipstation')` to their options.
const metrics = createPrometheusMetrics();
const engine = createEngine({
  metrics,
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
  alerts: slack.alerts ?? createConsoleAlerts(),
  ...(store ? { store } : {}),
  // Webhooks are answered once committed; the outbox runs after the answer. Its failures
  // land here (the commands stay in the outbox and are retried by runDue below).
  onError: (error, context) => console.error(`${context.stage} failed:`, error),
});
const port = Number(process.env.PORT ?? 3000);
const app = createApp({
  engine,
  // Webhooks are answered once stored as received; the drain parses and ingests them. With
  // @fulfil/storage-postgres, pass `storage.deliveries` (the same database, one insert).
  queue: createMemoryDeliveryQueue(),
  shopifySecrets: [secret],
  ...(store ? { fulfillmentOrders: store } : {}),
  ...(shopifyLocations ? { shopifyLocations } : {}),
  ...(opsToken ? { opsToken } : {}),
  prometheus: metrics,
  ...(slack.actions ? { slackActions: slack.actions(engine) } : {}),
  onWebhookError: (error, status) => console.error(`webhook answered ${status}:`, error),
  onError: (error) => console.error('request failed:', error),
});
const server = app.listen(port, () => {
  console.log(
    `@fulfil host on http://localhost:${port} (POST /webhooks/shopify, GET /orders/:id, GET /metrics, GET /metrics.json)`,
  );
});
// A slow client cannot hold a socket (and up to maxBodyBytes of memory) for Node's default 5 min.
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
// Durable timers and retries: one loop per process (a cron Lambda works the same way). The
// webhook drain takes deliveries due for a retry, or left claimed by a crashed process; it
// never rejects (failures go to onWebhookError) and, under steady traffic, keeps going, so
// the engine's work does not wait for it.
setInterval(() => {
  void app.webhooks.drain();
  engine
    .runDue()
    .then(() => engine.pollWarehouses())
    .catch((err: unknown) => console.error('runDue failed:', err));
}, 5_000).unref();
// On SIGTERM: stop taking requests, let the webhook drain and the background dispatch
// finish, then exit.
process.once('SIGTERM', () => {
  server.close();
  void app.webhooks
    .idle()
    .then(() => engine.idle())
    .then(() => slack.alerts?.close())
    .finally(() => process.exit(0));
});
