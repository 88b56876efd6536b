import { createHash, timingSafeEqual } from 'node:crypto';
import type { WarehouseWebhookRequest, WarehouseWebhookResult } from '@fulfil/core';
import { isShipStationUrl, type ShipStationClient } from './client';
import { type EventContext, listShipments, shipmentsToEvents } from './shipments';
import { WebhookBody } from './types';

/** Webhook types that announce shipments. Others are answered 200 with no events. */
export const SHIPMENT_WEBHOOK_TYPES: ReadonlySet<string> = new Set([
  'SHIP_NOTIFY',
  'ITEM_SHIP_NOTIFY',
]);

/** Largest webhook body read (ShipStation's is a two-field JSON object). */
const MAX_BODY_BYTES = 16 * 1024;

/** What the webhook handler needs. */
export interface WebhookContext extends EventContext {
  client: ShipStationClient;
  token: string | undefined;
  tokenParam: string;
  pageSize: number;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares two secrets in constant time (hashing first hides their lengths too). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const refuse = (status: number, reason: string): WarehouseWebhookResult => ({
  status,
  reason,
  events: [],
});

/**
 * Handles a ShipStation webhook call. ShipStation signs nothing, so:
 * 1. the endpoint is authenticated by the secret token in its URL query
 *    (`?token=...`, constant-time compare) → 401 when missing or wrong;
 * 2. the body `{resource_url, resource_type}` is only a hint: `resource_url` is
 *    followed only when it is the `shipments` endpoint on ShipStation's own host
 *    family (https, an exact `*.shipstation.com` host such as `ssapi6.shipstation.com`,
 *    no port, no credentials) or on the configured `baseUrl`, so a forged body cannot
 *    make us send our credentials elsewhere; it is fetched with our own credentials,
 *    items included (see {@link resolveResourceUrl});
 * 3. each shipment becomes a `warehouse.shipped` event; shipments of orders we
 *    did not create are `unmatched`, never thrown.
 * Types other than SHIP_NOTIFY / ITEM_SHIP_NOTIFY answer 200 with no events.
 * Throws only when ShipStation cannot be read (the host answers 5xx; ShipStation retries).
 */
export async function handleShipStationWebhook(
  ctx: WebhookContext,
  request: WarehouseWebhookRequest,
): Promise<WarehouseWebhookResult> {
  if (!ctx.token) return refuse(401, 'no webhookToken is configured: every webhook is refused');
  if (typeof request?.url !== 'string') return refuse(400, 'request.url: must be a string');
  let url: URL;
  try {
    url = new URL(request.url, 'http://webhook.local');
  } catch {
    return refuse(400, 'request.url: not a URL');
  }
  const given = url.searchParams.get(ctx.tokenParam);
  if (!given) return refuse(401, `missing "${ctx.tokenParam}" query parameter`);
  if (!tokenMatches(given, ctx.token)) return refuse(401, `wrong "${ctx.tokenParam}"`);
  if (String(request.method).toUpperCase() !== 'POST') {
    return refuse(405, `method ${request.method}: ShipStation webhooks are POSTs`);
  }
  const body$ = request.body as unknown;
  // Hosts hand over a string or bytes; anything else (e.g. an already parsed object) is unreadable.
  const raw =
    typeof body$ === 'string'
      ? body$
      : body$ instanceof Uint8Array
        ? Buffer.from(body$.buffer, body$.byteOffset, body$.byteLength).toString('utf8')
        : '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return refuse(413, 'body larger than 16 KiB');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return refuse(400, 'body is not JSON');
  }
  const body = WebhookBody.safeParse(json);
  if (!body.success) {
    const issue = body.error.issues[0];
    return refuse(400, `body.${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const type = body.data.resource_type;
  if (!SHIPMENT_WEBHOOK_TYPES.has(type)) {
    return {
      status: 200,
      reason: `resource_type ${type} carries no shipments: ignored`,
      events: [],
    };
  }
  const target = resolveResourceUrl(body.data.resource_url, ctx.client.base);
  if (typeof target === 'string') return refuse(400, target);
  const { shipments, unreadable } = await listShipments(
    ctx.client,
    target.query,
    ctx.pageSize,
    target.origin,
  );
  const found = await shipmentsToEvents(shipments, ctx);
  const unmatched = [...unreadable, ...found.unmatched];
  const events = found.events;
  return { status: 200, events, ...(unmatched.length > 0 ? { unmatched } : {}) };
}

/** Where a SHIP_NOTIFY `resource_url` is read: the query to send, and on which host. */
export interface ResourceTarget {
  /** The `shipments` filters of the URL (paging and item parameters removed: ours to set). */
  query: Record<string, string>;
  /** A ShipStation-family origin to call instead of `baseUrl`; undefined: the configured client. */
  origin?: string;
}

/**
 * Where to read a `resource_url` from, or why it is refused. Accepted:
 * - the `shipments` endpoint on ShipStation's host family (https, an exact `*.shipstation.com`
 *   host, no port, no credentials: `https://ssapi6.shipstation.com/shipments?...`). With the
 *   production `baseUrl` (itself such a host) it is read from that very host; with a `baseUrl`
 *   override (a proxy, or a fake in tests) it is read from `baseUrl` instead, so an override
 *   only ever redirects ShipStation's own hosts, to the one address the operator configured;
 * - the `shipments` endpoint on the configured `baseUrl` itself (same scheme, host and port).
 * Anything else (another host, `http:`, a port, an IP, `user@host` tricks) is refused unread.
 */
export function resolveResourceUrl(resourceUrl: string, base: URL): ResourceTarget | string {
  let target: URL;
  try {
    target = new URL(resourceUrl);
  } catch {
    return 'body.resource_url: not an absolute URL';
  }
  if (target.username || target.password) return 'body.resource_url: must not carry credentials';
  const family = isShipStationUrl(target);
  if (!family && target.origin !== base.origin) {
    return `body.resource_url: host ${target.host || '(none)'} is neither ShipStation (https://*.shipstation.com) nor the configured baseUrl (${base.host}): not fetched`;
  }
  const prefix = target.origin === base.origin ? base.pathname : '/';
  const path = target.pathname.replace(/\/+$/, '').toLowerCase();
  if (path !== `${prefix}shipments`.toLowerCase()) {
    return `body.resource_url: ${target.pathname} is not the shipments endpoint: not fetched`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of target.searchParams) {
    if (!/^(includeShipmentItems|page|pageSize)$/i.test(k)) query[k] = v;
  }
  const direct = target.origin !== base.origin && isShipStationUrl(base);
  return direct ? { query, origin: target.origin } : { query };
}
