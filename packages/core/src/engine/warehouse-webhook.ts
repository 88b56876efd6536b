import { FulfilError, isFulfilError } from '../errors';
import type { AlertSink } from '../ports/services';
import type { WarehouseAdapter, WarehouseWebhookRequest } from '../ports/warehouse';
import type { Engine, IngestResult } from './engine';

/** A shipment the engine could not attribute to one of its orders. */
export interface UnmatchedShipment {
  reason: string;
  details: Record<string, unknown>;
}

/** What {@link handleWarehouseWebhook} did, and what to answer the vendor. */
export interface WarehouseWebhookOutcome {
  /** HTTP status for the vendor: 200 handled, 401 refused, 400 unreadable, 500 retry later. */
  status: number;
  /** A short JSON body for the vendor (never echoes the request). */
  body: string;
  /** One result per event ingested, in order. */
  ingested: IngestResult[];
  /** Shipments for orders the adapter did not create or the engine does not know. */
  unmatched: UnmatchedShipment[];
}

/** Options of {@link handleWarehouseWebhook}. */
export interface WarehouseWebhookOptions {
  /** Each unmatched shipment becomes a `warning` alert here (deduplicated by its key). */
  alerts?: AlertSink;
}

/**
 * Handles a warehouse webhook in any host (Express, Lambda, Fetch-API):
 * the adapter authenticates and reads it, each event goes through
 * `engine.ingest` (so redeliveries are deduplicated by the inbox), and a
 * shipment the engine cannot place (an order entered by hand in the vendor's
 * UI, or one this engine never saw) is reported as `unmatched` and alerted,
 * never thrown: one odd shipment must not make the vendor redeliver the rest.
 *
 * Answers once the events are stored: each is ingested with `dispatch: 'background'`, so
 * the commands it leads to (e.g. the fulfillment in the store) run after the answer and a
 * slow store never delays it (await `engine.idle()` before shutting down). Answers 500
 * only when ingesting failed (storage down): the vendor's retry then delivers the event
 * again, so nothing is lost.
 *
 * @example
 * ```ts
 * app.post('/webhooks/shipstation', express.raw({ type: '*\/*' }), async (req, res) => {
 *   const out = await handleWarehouseWebhook(engine, shipstation, {
 *     method: req.method, url: req.originalUrl, headers: req.headers, body: req.body,
 *   }, { alerts });
 *   res.status(out.status).type('application/json').send(out.body);
 * });
 * ```
 */
export async function handleWarehouseWebhook(
  engine: Pick<Engine, 'ingest' | 'get'>,
  adapter: WarehouseAdapter,
  request: WarehouseWebhookRequest,
  options: WarehouseWebhookOptions = {},
): Promise<WarehouseWebhookOutcome> {
  if (!adapter.handleWebhook || adapter.capabilities.webhooks !== true) {
    throw new FulfilError(
      'CONFIG_INVALID',
      `warehouse "${adapter.name}" does not handle webhooks (capabilities.webhooks is not true)`,
    );
  }
  const read = await adapter.handleWebhook(request);
  if (read.status < 200 || read.status >= 300) {
    return {
      status: read.status,
      body: JSON.stringify({ error: read.reason ?? 'refused' }),
      ingested: [],
      unmatched: [],
    };
  }
  const ingested: IngestResult[] = [];
  const unmatched: UnmatchedShipment[] = [...(read.unmatched ?? [])];
  for (const event of read.events) {
    let result: IngestResult;
    try {
      result = await engine.ingest(event, { dispatch: 'background' });
    } catch (err) {
      if (isFulfilError(err, 'INVALID_INPUT')) {
        unmatched.push({
          reason: `the adapter produced an invalid event: ${(err as Error).message}`,
          details: { idempotencyKey: event.idempotencyKey, type: event.type },
        });
        continue;
      }
      return {
        status: 500,
        body: JSON.stringify({ error: 'could not store the event; please retry' }),
        ingested,
        unmatched,
      };
    }
    ingested.push(result);
    if (result.outcome !== 'ignored' || !('shipmentId' in event)) continue;
    const record = await engine.get(event.orderId);
    const known = record?.shipments.some((s) => s.id === event.shipmentId);
    if (known) continue;
    unmatched.push({
      reason: record ? 'the order has no such shipment' : 'no such order in the engine',
      details: {
        orderId: event.orderId,
        shipmentId: event.shipmentId,
        idempotencyKey: event.idempotencyKey,
        type: event.type,
      },
    });
  }
  if (options.alerts) {
    for (const u of unmatched) {
      try {
        await options.alerts.send({
          severity: 'warning',
          title: `${adapter.name}: shipment for an unknown order`,
          message: `${u.reason}: ${JSON.stringify(u.details)}`,
          idempotencyKey: `unmatched:${adapter.name}:${JSON.stringify(u.details)}`,
          ...(typeof u.details.orderId === 'string' ? { orderId: u.details.orderId } : {}),
        });
      } catch {
        // An alert channel being down must not make the vendor redeliver shipments we stored.
      }
    }
  }
  return {
    status: 200,
    body: JSON.stringify({ ok: true, events: ingested.length, unmatched: unmatched.length }),
    ingested,
    unmatched,
  };
}
