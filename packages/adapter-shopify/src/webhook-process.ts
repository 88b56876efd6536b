import { FulfilError, isFulfilError, type OrderEvent } from '@fulfil/core';
import type { HeadersLike } from './headers';
import { defaultOrderId } from './normalize';
import { resolvePendingChanges } from './store-webhooks';
import type { ShopifyWebhookHandlerOptions } from './webhook-handler';
import { type ParsedShopifyWebhook, parseShopifyWebhook } from './webhook-parse';
import type { WebhookOutcome } from './webhook-queue';

/**
 * The steps after the checks, the same whether a webhook is processed before its answer
 * or drained from a queue after it: parse, look fulfillment orders up, ingest each event
 * (`engine.ingest(event, { dispatch: 'background' })`, or the `ingest` option).
 */
export function createWebhookProcessor(options: ShopifyWebhookHandlerOptions) {
  const ingest =
    options.ingest ??
    (async (events: OrderEvent[]) => {
      const results = [];
      for (const event of events)
        results.push(await options.engine!.ingest(event, { dispatch: 'background' }));
      return results;
    });
  return async function processWebhook(
    raw: Uint8Array | string,
    headers: HeadersLike,
  ): Promise<WebhookOutcome> {
    let parsed: ParsedShopifyWebhook;
    try {
      parsed = parseShopifyWebhook(raw, headers, options);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, status: 400, error: 'invalid_payload', reason, cause: err };
    }
    let events = parsed.events;
    if (parsed.pending) {
      if (!options.fulfillmentOrders) {
        options.onError?.(
          new FulfilError(
            'CONFIG_INVALID',
            `webhookHandler.fulfillmentOrders: ${parsed.topic} needs it to find the order; the webhook was acknowledged with no events`,
            { details: { path: 'webhookHandler.fulfillmentOrders' } },
          ),
          200,
        );
        return { ok: true, topic: parsed.topic, events: 0 };
      }
      try {
        const naming = options.orderId ?? defaultOrderId;
        events = await resolvePendingChanges(parsed.pending, options.fulfillmentOrders, (id) =>
          naming(parsed.shop, id),
        );
      } catch (err) {
        const reason = 'the fulfillment order could not be read; Shopify will retry';
        return { ok: false, status: 500, error: 'lookup_failed', reason, cause: err };
      }
    }
    if (events.length === 0) return { ok: true, topic: parsed.topic, events: 0 };
    try {
      await ingest(events, parsed);
    } catch (err) {
      if (isFulfilError(err, 'INVALID_INPUT')) {
        return {
          ok: false,
          status: 400,
          error: 'invalid_payload',
          reason: err.message,
          cause: err,
        };
      }
      const reason = 'not stored; Shopify will retry';
      return { ok: false, status: 500, error: 'ingest_failed', reason, cause: err };
    }
    const orderId = parsed.order?.id ?? orderIdOfEvents(events);
    return {
      ok: true,
      topic: parsed.topic,
      events: events.length,
      ...(orderId ? { orderId } : {}),
    };
  };
}

/** The order the events are about, when they name exactly one. */
function orderIdOfEvents(events: readonly OrderEvent[]): string | undefined {
  const ids = new Set<string>();
  for (const e of events) {
    const id = 'orderId' in e ? e.orderId : 'order' in e ? e.order.id : undefined;
    if (typeof id === 'string') ids.add(id);
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}
