import {
  isFulfilError,
  type WarehouseWebhookRequest,
  type WarehouseWebhookResult,
} from '@fulfil/core';
import type { VendorOrder } from './adapter';
import { readShipmentRecords } from './inbound';
import { path, rootScope } from './mapping';
import { readPath } from './paths';
import type { ResolvedConfig, ShipmentsMapping } from './schema';
import { header, verifySignature } from './signature';

/**
 * Authenticates and reads one vendor webhook: 405 for a non-POST, 401 (no
 * events) for a missing or bad signature or a stale timestamp, 400 for a body
 * that is not JSON, 200 with no events for an ignored topic, else 200 with the
 * shipped events and the shipments that could not be attributed.
 */
export async function handleVendorWebhook(
  hook: NonNullable<ResolvedConfig['webhook']>,
  request: WarehouseWebhookRequest,
  ctx: { name: string; now: number },
): Promise<WarehouseWebhookResult> {
  if (request.method.toUpperCase() !== 'POST')
    return { status: 405, reason: 'webhooks are POST requests', events: [] };
  const check = verifySignature(hook.signature, request.body, request.headers, ctx.now);
  if (!check.ok) return { status: 401, reason: check.reason, events: [] };
  let body: unknown;
  try {
    body = JSON.parse(
      typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8'),
    );
  } catch {
    return { status: 400, reason: 'body is not JSON', events: [] };
  }
  if (hook.topic) {
    const topic = hook.topic.header
      ? [hook.topic.header]
          .flat()
          .map((name) => header(request.headers, name))
          .find((v) => v !== undefined)
      : readPath(path(hook.topic.path!), rootScope(body));
    if (!hook.topic.accept.includes(String(topic)))
      return { status: 200, reason: `topic "${String(topic)}" ignored`, events: [] };
  }
  const { events, unmatched } = readShipmentRecords(hook.shipments, body, ctx);
  return { status: 200, events, ...(unmatched.length > 0 ? { unmatched } : {}) };
}

/**
 * Shipments of a webhook that carry none of our ids (a vendor that sends a
 * shipment without its order's tags) are read again from their order, looked
 * up by the reference the shipment carries, with the `listShipments` mapping.
 * A shipment still not attributable stays unmatched, with the more precise
 * reason when its order was found.
 */
export async function resolveThroughOrder(
  out: WarehouseWebhookResult,
  listing: ShipmentsMapping,
  ctx: { name: string; now: number },
  lookup: (reference: string) => Promise<VendorOrder | undefined>,
): Promise<WarehouseWebhookResult> {
  const events = [...out.events];
  const unmatched: NonNullable<WarehouseWebhookResult['unmatched']> = [];
  for (const u of out.unmatched ?? []) {
    const { reference, orderId, trackingNumber, vendorShipmentId } = u.details;
    const order =
      orderId === undefined && typeof reference === 'string'
        ? await lookup(reference).catch((err: unknown) => {
            // A lookup that can never work (a bad value, a 4xx) leaves the shipment unmatched;
            // a passing fault fails the delivery, and the vendor delivers it again.
            if (permanent(err)) return undefined;
            throw err;
          })
        : undefined;
    const again = order
      ? readShipmentRecords(listing, [order.raw], ctx)
      : { events: [], unmatched: [] };
    const same = (number: unknown, id: unknown) =>
      (number !== undefined && number === trackingNumber) ||
      (vendorShipmentId !== undefined && id === vendorShipmentId);
    const found = again.events.filter((e) =>
      same(e.tracking.number, e.idempotencyKey.split(':').at(-1)),
    );
    for (const e of found)
      if (!events.some((x) => x.idempotencyKey === e.idempotencyKey)) events.push(e);
    if (found.length > 0) continue;
    const why = again.unmatched.filter((x) =>
      same(x.details.trackingNumber, x.details.vendorShipmentId),
    );
    unmatched.push(...(why.length > 0 ? why : [u]));
  }
  const { unmatched: _before, ...rest } = out;
  return { ...rest, events, ...(unmatched.length > 0 ? { unmatched } : {}) };
}

function permanent(err: unknown): boolean {
  if (isFulfilError(err)) return err.details.retryable === false;
  return (err as { retryable?: unknown } | null)?.retryable === false;
}
