import { createShopifyWebhookHandler } from '@fulfil/adapter-shopify';
import {
  type AlertSink,
  type Engine,
  handleWarehouseWebhook,
  isFulfilError,
  type WarehouseAdapter,
} from '@fulfil/core';

/**
 * The parts of an API Gateway HTTP API (payload 2.0) or Lambda Function URL
 * event a host reads. Header names arrive lower-cased.
 */
export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string } };
}

/** What the HTTP function returns to API Gateway / the Function URL. */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What one scheduled run did. */
export interface ScheduledReport {
  timersFired: number;
  commandsDone: number;
  commandsFailed: number;
  shipmentEventsPolled: number;
}

/** Options of {@link createLambdaHost}. */
export interface LambdaHostOptions {
  /**
   * Returns the engine. Called on every invocation: build it once per container
   * (module scope) and return the same promise, so warm invocations reuse the
   * database pool and compiled rules. Create it with `autoDispatch: false`: a
   * Lambda is frozen once it answers, so commands run in the scheduled function.
   */
  engine: () => Promise<Engine>;
  /** The Shopify app's client secrets (new and old during a rotation). */
  shopifySecrets: readonly string[];
  /** Warehouses whose webhooks arrive at `POST /webhooks/warehouses/{key}`. */
  warehouses?: Record<string, WarehouseAdapter>;
  /** Where unmatched warehouse shipments are alerted. */
  alerts?: AlertSink;
  /** Told about every unexpected failure (answered 500). Default `console.error` (CloudWatch). */
  onError?: (error: unknown) => void;
}

/**
 * The two Lambda functions of a production host:
 * - `http`: `POST /webhooks/shopify` (signed Shopify webhooks: stored in the
 *   inbox and decided, answered well inside Shopify's 5 s),
 *   `POST /webhooks/warehouses/{key}` (shipment webhooks of a warehouse
 *   adapter that declares `webhooks`), `GET /orders/{id}` (the order and every
 *   decision, explained), `GET /healthz`;
 * - `scheduled` (an EventBridge rule, e.g. every minute): due timers, the
 *   outbox (warehouse submissions, store holds, alerts), shipment polling.
 *
 * Several concurrent containers are safe: orders are versioned and outbox rows
 * and timers are claimed with leases in PostgreSQL.
 *
 * @example
 * ```ts
 * const host = createLambdaHost({ engine: () => engineOnce, shopifySecrets: [secret] });
 * export const http = host.http;
 * export const scheduled = host.scheduled;
 * ```
 */
export function createLambdaHost(options: LambdaHostOptions) {
  let shopify: ReturnType<typeof createShopifyWebhookHandler> | undefined;

  async function http(event: HttpEvent): Promise<HttpResult> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    const headers = event.headers ?? {};
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    try {
      const engine = await options.engine();
      if (path === '/webhooks/shopify') {
        shopify ??= createShopifyWebhookHandler({ engine, secrets: options.shopifySecrets });
        const out = await shopify({ method, headers, rawBody: body });
        return { statusCode: out.status, headers: out.headers, body: out.body };
      }
      const hook = path.match(/^\/webhooks\/warehouses\/([^/]+)$/);
      if (hook && method === 'POST') {
        const adapter = options.warehouses?.[decodeURIComponent(hook[1]!)];
        if (!adapter) return json(404, { error: 'NOT_FOUND', message: 'no such warehouse' });
        const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
        const out = await handleWarehouseWebhook(
          engine,
          adapter,
          { method, url: `${path}${query}`, headers, body },
          options.alerts ? { alerts: options.alerts } : {},
        );
        return { statusCode: out.status, headers: JSON_HEADERS, body: out.body };
      }
      const order = path.match(/^\/orders\/([^/]+)$/);
      if (order && method === 'GET') {
        return json(200, await engine.explain(decodeURIComponent(order[1]!)));
      }
      if (path === '/healthz') return json(200, { ok: true });
      return json(404, { error: 'NOT_FOUND', message: `no route for ${method} ${path}` });
    } catch (err) {
      if (isFulfilError(err, 'ORDER_NOT_FOUND'))
        return json(404, { error: err.code, message: err.message });
      // Never echo internals to the caller; the function's logs keep the details.
      (options.onError ?? console.error)(err);
      return json(500, { error: 'INTERNAL', message: 'internal error; see the function logs' });
    }
  }

  async function scheduled(): Promise<ScheduledReport> {
    const engine = await options.engine();
    const due = await engine.runDue();
    const shipmentEventsPolled = await engine.pollWarehouses();
    const more = await engine.dispatch();
    return {
      timersFired: due.timers,
      commandsDone: due.dispatch.done + more.done,
      commandsFailed: due.dispatch.failed + more.failed,
      shipmentEventsPolled,
    };
  }

  return { http, scheduled };
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}
