import { createShopifyWebhookHandler, DEFAULT_MAX_WEBHOOK_BYTES } from '@fulfil/adapter-shopify';
import type { SlackActionRequest, SlackActionResponse } from '@fulfil/alerts-slack';
import {
  type ConsoleHandler,
  type LambdaHttpEvent,
  type LambdaHttpResult,
  toLambdaHandler,
} from '@fulfil/console';
import {
  type AlertSink,
  type Engine,
  handleWarehouseWebhook,
  isFulfilError,
  type WarehouseAdapter,
} from '@fulfil/core';
import { opsTokenCheck } from './ops-token';

/**
 * The parts of an API Gateway HTTP API (payload 2.0) or Lambda Function URL event a host
 * reads: the console's event type (header names lower-cased, cookies in `cookies`).
 */
export type HttpEvent = LambdaHttpEvent;

/**
 * What the HTTP function returns to API Gateway / the Function URL: the console's result,
 * with `isBase64Encoded` optional (absent: text).
 */
export type HttpResult = Omit<LambdaHttpResult, 'isBase64Encoded'> & { isBase64Encoded?: boolean };

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
  /**
   * Bearer token for `GET /orders/{id}` (it serves customer names, emails, phones and
   * addresses): `Authorization: Bearer <token>`, at least 16 characters (`OPS_TOKEN`).
   * Without it the route answers 404, as if it did not exist; a wrong token is 401.
   */
  opsToken?: string | undefined;
  /** Largest webhook body accepted (413 above it, checked before decoding). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Told about every unexpected failure (answered 500). Default `console.error` (CloudWatch). */
  onError?: (error: unknown) => void;
  /**
   * Serve `GET /metrics` as Prometheus text from this registry (`createPrometheusMetrics()`
   * of @fulfil/metrics-prometheus, also given to the engine), behind `opsToken` like
   * `GET /orders/{id}`. A container's counters cover only the invocations it served: scrape
   * through a Pushgateway or use it for spot checks. `GET /metrics.json` (and `GET /metrics`
   * without this option or for `Accept: application/json`) is the engine's JSON snapshot.
   */
  prometheus?: { readonly contentType: string; metrics(): Promise<string> };
  /**
   * Slack's interactivity requests (review buttons of `@fulfil/alerts-slack`) at
   * `POST /slack/actions`: `slackFromEnv(env).actions(engine)` or `createSlackActionsHandler`.
   * It checks Slack's signature itself. Without it the route is 404.
   */
  slackActions?: (request: SlackActionRequest) => Promise<SlackActionResponse>;
  /**
   * The operations console (`createConsole({ basePath: '/ops', ...basicAuth({ users }) })` of
   * `@fulfil/console`), answering `/ops` and every path under it (any method; route
   * `ANY /ops` and `ANY /ops/{proxy+}` to the function). It authorizes every request itself
   * (401 with `WWW-Authenticate`) and guards its forms against CSRF. Without it `/ops` is 404.
   */
  opsConsole?: ConsoleHandler;
  /**
   * Readiness for `GET /readyz`: resolves when the host can serve (its configuration is
   * valid and the database answers). Without it `/readyz` only checks that the engine builds.
   */
  ready?: () => Promise<unknown>;
}

/**
 * The two Lambda functions of a production host:
 * - `http`: `POST /webhooks/shopify` (signed Shopify webhooks: stored in the
 *   inbox and decided, answered well inside Shopify's 5 s),
 *   `POST /webhooks/warehouses/{key}` (shipment webhooks of a warehouse
 *   adapter that declares `webhooks`), `GET /orders/{id}` (the order and every
 *   decision, explained; needs `opsToken`), `GET /metrics` (Prometheus text with
 *   `prometheus`) and `GET /metrics.json` (both need `opsToken`), the operations console
 *   under `/ops` (with `opsConsole`), `GET /healthz`; bodies above
 *   `maxBodyBytes` are 413, malformed paths 400, errors JSON without internals;
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
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  // Read on first use, like the other options: index.ts reads the environment lazily.
  let opsAllowed: ReturnType<typeof opsTokenCheck> | null = null;

  async function http(event: HttpEvent): Promise<HttpResult> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    const headers = event.headers ?? {};
    const size = bodySize(event);
    if (size > maxBodyBytes) {
      const reason = `body is ${size} bytes; the limit is ${maxBodyBytes}`;
      return json(413, { error: 'payload_too_large', reason });
    }
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    // Liveness: no configuration, no database, nothing that can throw.
    if (path === '/healthz') return json(200, { ok: true });
    if (path === '/readyz') return readiness();
    try {
      const engine = await options.engine();
      if (path === '/webhooks/shopify') {
        shopify ??= createShopifyWebhookHandler({
          engine,
          secrets: options.shopifySecrets,
          maxBodyBytes,
        });
        const out = await shopify({ method, headers, rawBody: body });
        return { statusCode: out.status, headers: out.headers, body: out.body };
      }
      if (path === '/slack/actions' && method === 'POST' && options.slackActions) {
        const out = await options.slackActions({ method, headers, rawBody: body.toString('utf8') });
        return { statusCode: out.status, headers: out.headers, body: out.body };
      }
      if (path === '/ops' || path.startsWith('/ops/')) {
        // The console authorizes every request itself (Basic, 401) and checks CSRF on POSTs.
        const handler = options.opsConsole;
        if (handler) return await toLambdaHandler(handler)(event);
      }
      const hook = path.match(/^\/webhooks\/warehouses\/([^/]+)$/);
      if (hook && method === 'POST') {
        const key = decoded(hook[1]!);
        if (key === undefined) return malformedPath();
        const adapter = Object.hasOwn(options.warehouses ?? {}, key)
          ? options.warehouses?.[key]
          : undefined;
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
      const metrics = path === '/metrics' || path === '/metrics.json';
      if (opsAllowed === null) opsAllowed = opsTokenCheck(options.opsToken);
      if ((order || metrics) && method === 'GET' && opsAllowed) {
        if (!opsAllowed(headers.authorization)) return unauthorized();
        if (metrics) return await metricsResult(engine, options.prometheus, path, headers.accept);
        const id = decoded(order![1]!);
        if (id === undefined) return malformedPath();
        return json(200, await engine.explain(id));
      }
      return json(404, { error: 'NOT_FOUND', message: `no route for ${method} ${path}` });
    } catch (err) {
      if (isFulfilError(err, 'ORDER_NOT_FOUND'))
        return json(404, { error: err.code, message: 'no such order' });
      if (isFulfilError(err, 'CONFIG_INVALID')) return misconfigured(err);
      // Never echo internals to the caller; the function's logs keep the details.
      (options.onError ?? console.error)(err);
      return json(500, { error: 'INTERNAL', message: 'internal error; see the function logs' });
    }
  }

  /** 200, or 503 saying which variables are missing or that the database does not answer. */
  async function readiness(): Promise<HttpResult> {
    try {
      await options.engine();
      await options.ready?.();
      return json(200, { ok: true });
    } catch (err) {
      if (isFulfilError(err, 'CONFIG_INVALID')) return misconfigured(err);
      (options.onError ?? console.error)(err);
      return json(503, {
        ok: false,
        error: 'NOT_READY',
        message: 'not ready; see the function logs',
      });
    }
  }

  /** A deployment without its configuration: 503 naming the variables (never their values). */
  function misconfigured(err: { message: string }): HttpResult {
    if (options.onError) options.onError(err);
    // One line in the function's log, no stack and no validation dump: the message says it all.
    else
      console.error(
        JSON.stringify({ level: 'error', event: 'config_invalid', message: err.message }),
      );
    return json(503, { ok: false, error: 'CONFIG_INVALID', message: err.message });
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

function unauthorized(): HttpResult {
  return {
    statusCode: 401,
    headers: { ...JSON_HEADERS, 'www-authenticate': 'Bearer realm="fulfil-ops"' },
    body: JSON.stringify({
      error: 'UNAUTHORIZED',
      message: 'send Authorization: Bearer <ops token>',
    }),
  };
}

/** Prometheus text at `/metrics` when a registry is given (unless JSON is asked for), else JSON. */
async function metricsResult(
  engine: Engine,
  prometheus: LambdaHostOptions['prometheus'],
  path: string,
  accept: string | undefined,
): Promise<HttpResult> {
  const wantsJson = /^\s*application\/json\s*(;|,|$)/i.test(accept ?? '');
  if (!prometheus || path === '/metrics.json' || wantsJson) return json(200, engine.metrics());
  return {
    statusCode: 200,
    headers: { 'content-type': prometheus.contentType },
    body: await prometheus.metrics(),
  };
}

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The body's size in bytes, computed without decoding it. */
function bodySize(event: HttpEvent): number {
  const text = event.body ?? '';
  if (!event.isBase64Encoded) return Buffer.byteLength(text);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** A path segment, percent-decoded; `undefined` when its encoding is malformed. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function malformedPath(): HttpResult {
  return json(400, { error: 'BAD_REQUEST', message: 'the path has malformed percent-encoding' });
}
