import { createShipStationWarehouse } from '@fulfil/adapter-shipstation';
import { slackFromEnv } from '@fulfil/alerts-slack';
import {
  createConsoleAlerts,
  createEngine,
  type Engine,
  parseOrThrow,
  type WarehouseAdapter,
} from '@fulfil/core';
import { createPrometheusMetrics, httpMetricsHooks } from '@fulfil/metrics-prometheus';
import { createPostgresStorage } from '@fulfil/storage-postgres';
import { z } from 'zod';
import type { LambdaHostOptions } from './host';

/** The environment a deployed host reads. Validated; a bad value names the variable. */
const Env = z.object({
  DATABASE_URL: z.string().min(1),
  /** The Shopify app's client secrets, comma-separated (new and old during a rotation). */
  SHOPIFY_SECRETS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  SHIPSTATION_API_KEY: z.string().min(1),
  SHIPSTATION_API_SECRET: z.string().min(1),
  /** Secret in the SHIP_NOTIFY webhook URL: `.../webhooks/warehouses/shipstation?token=...`. */
  SHIPSTATION_WEBHOOK_TOKEN: z.string().min(16),
  SHIPSTATION_BASE_URL: z.url().optional(),
  /** Where stock ships from: `[{"id":"reno","shipstationWarehouseId":401,"priority":1}]`. */
  FULFIL_LOCATIONS: z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }),
  FULFIL_SCHEMA: z.string().default('fulfil'),
  /** Bearer token for `GET /orders/{id}` (16+ characters); unset: the route answers 404. */
  OPS_TOKEN: z.string().min(16).optional(),
  TZ_STORE: z.string().default('UTC'),
});

const Locations = z
  .array(
    z.object({
      id: z.string().min(1),
      shipstationWarehouseId: z.number().int().positive(),
      priority: z.number().int().optional(),
    }),
  )
  .min(1);

/** What {@link hostFromEnv} builds. */
export interface HostParts {
  engine: Engine;
  shopifySecrets: string[];
  warehouses: Record<string, WarehouseAdapter>;
  /** `OPS_TOKEN`: guards `GET /orders/{id}` and `GET /metrics`. */
  opsToken?: string;
  /** The engine's metrics (and ShipStation's HTTP use), for `GET /metrics`. */
  prometheus: ReturnType<typeof createPrometheusMetrics>;
  /** `SLACK_SIGNING_SECRET` (+ `SLACK_ALLOWED_USERS`): the `POST /slack/actions` handler. */
  slackActions?: LambdaHostOptions['slackActions'];
}

/**
 * Builds the engine of a deployed host from environment variables: state in
 * PostgreSQL (`DATABASE_URL`), ShipStation as the warehouse for every
 * location, alerts to the function's log. Throws `CONFIG_INVALID` naming the
 * variable at fault, so a misconfigured deployment fails its first invocation
 * loudly instead of losing orders.
 */
export function hostFromEnv(env: Record<string, string | undefined> = process.env): HostParts {
  const e = parseOrThrow(Env, env, 'env', 'CONFIG_INVALID');
  const locations = parseOrThrow(
    Locations,
    e.FULFIL_LOCATIONS,
    'FULFIL_LOCATIONS',
    'CONFIG_INVALID',
  );
  const metrics = createPrometheusMetrics();
  // Slack from SLACK_* variables (alerts, review buttons); without them, the console log.
  const slack = slackFromEnv(env);
  const shipstation = createShipStationWarehouse({
    hooks: httpMetricsHooks(metrics, 'shipstation'),
    apiKey: e.SHIPSTATION_API_KEY,
    apiSecret: e.SHIPSTATION_API_SECRET,
    webhookToken: e.SHIPSTATION_WEBHOOK_TOKEN,
    ...(e.SHIPSTATION_BASE_URL ? { baseUrl: e.SHIPSTATION_BASE_URL } : {}),
    warehouseIds: Object.fromEntries(locations.map((l) => [l.id, l.shipstationWarehouseId])),
  });
  const warehouses = { shipstation };
  const engine = createEngine({
    storage: createPostgresStorage({ connectionString: e.DATABASE_URL, schema: e.FULFIL_SCHEMA }),
    warehouses,
    locations: locations.map((l) => ({
      id: l.id,
      warehouse: 'shipstation',
      // ShipStation has no stock API: route without stock figures; a rejection re-routes.
      stock: 'untracked' as const,
      ...(l.priority !== undefined ? { priority: l.priority } : {}),
    })),
    alerts: slack.alerts ?? createConsoleAlerts(),
    timeZone: e.TZ_STORE,
    // A Lambda is frozen once it answers: side effects run in the scheduled function.
    autoDispatch: false,
    metrics,
  });
  return {
    engine,
    shopifySecrets: e.SHOPIFY_SECRETS,
    warehouses,
    ...(e.OPS_TOKEN ? { opsToken: e.OPS_TOKEN } : {}),
    prometheus: metrics,
    ...(slack.actions ? { slackActions: slack.actions(engine) } : {}),
  };
}
