import type { WarehouseWebhookRequest, WarehouseWebhookResult } from '@fulfil/core';
import { readShipmentRecords } from './inbound';
import { path, rootScope } from './mapping';
import { readPath } from './paths';
import type { ResolvedConfig } from './schema';
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
