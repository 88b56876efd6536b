import type { ShipmentRequest } from '../model/commands';
import type { OrderEvent } from '../model/events';

/** What a warehouse answered to a submission. */
export type SubmitResult =
  | { status: 'accepted'; warehouseOrderId: string }
  | { status: 'rejected'; reason: string };

/** Warehouse feature flags; the conformance suite skips cases for missing ones, saying why. */
export interface WarehouseCapabilities {
  cancel: boolean;
  holdUntil: boolean;
  inventory: boolean;
  /** Can report shipments by polling (`pollEvents`). */
  shipmentEvents: boolean;
  /** Turns the vendor's shipment webhooks into events (`handleWebhook`). Default false. */
  webhooks?: boolean;
}

/**
 * An HTTP request exactly as the host received it, framework-free (Express,
 * Lambda and Fetch-API hosts can all build one). Signatures are computed over
 * `body`, so hosts MUST pass the raw bytes, not re-serialized JSON.
 */
export interface WarehouseWebhookRequest {
  method: string;
  /** Path and query as received, e.g. `/webhooks/shipstation?token=...`. */
  url: string;
  /** Header names in any case. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body. */
  body: Uint8Array | string;
}

/** What a warehouse made of a webhook. */
export interface WarehouseWebhookResult {
  /**
   * The HTTP status to answer with: 200 when handled (also when it carried
   * nothing to do), 401 for a bad or missing signature/token, 400 for a body
   * that cannot be read. Never throw for those: only for failures worth a
   * vendor retry (the host answers 5xx).
   */
  status: number;
  /** Why, when status is not 2xx. */
  reason?: string;
  /** Core events to ingest, each with a stable idempotency key (a redelivery yields the same keys). */
  events: OrderEvent[];
  /**
   * Shipments the adapter could not attribute to an order it created (e.g. an
   * order entered by hand in the vendor's UI): reported, never thrown, so one
   * odd shipment does not make the vendor redeliver the rest.
   */
  unmatched?: { reason: string; details: Record<string, unknown> }[];
}

/**
 * A warehouse, WMS or 3PL.
 *
 * Contract (checked by `warehouseConformance` in `@fulfil/core/testing`):
 * - `submit` MUST be idempotent on `idempotencyKey`: the same key again MUST NOT
 *   create a second upstream order and MUST return the same result.
 * - `submit` MUST resolve `{status:'rejected', reason}` when the warehouse refuses the
 *   shipment for a business reason (unknown SKU, bad address), and MUST throw when the
 *   outcome is unknown (network, 5xx after retries) so the dispatcher retries.
 * - `cancel` MUST be idempotent; cancelling an unknown or already cancelled shipment
 *   resolves without effect.
 * - `pollEvents(since)` MUST return the shipment/delivery events with
 *   `occurredAt > since` (epoch ms), oldest first, as core `warehouse.*` events with
 *   stable idempotency keys. Callers pass the last event's `occurredAt` as the next
 *   watermark, so no event is returned twice for the same watermark.
 * - `cancel` of a shipment that already shipped MUST throw (a `FulfilError` with code
 *   `ADAPTER_FAILED`, `details.reason: 'already_shipped'` and `details.retryable: false`);
 *   `holdUntil` of an unknown shipment MUST throw.
 * - Any method SHOULD mark a failure that retrying cannot fix with
 *   `details.retryable: false`: the dispatcher then gives up at once instead of
 *   retrying, and raises the exception (review + alert).
 * - A `warehouse.shipped` event for part of a shipment MUST list the shipped `lines`
 *   (`lineId` as sent in the request, quantity); without `lines` the whole shipment shipped.
 * - Upstream 429 and 5xx MUST be retried within limits (then thrown as retryable);
 *   a 4xx on `submit` that says the request is wrong MUST resolve `rejected` with
 *   the vendor's reason, without retrying.
 * - `handleWebhook` MUST answer 401 with no events for a bad or missing
 *   signature/token, and MUST treat the body as a hint where the vendor's
 *   webhooks are unsigned (fetch the resource with the adapter's own credentials).
 * - Methods for capabilities declared `false` MAY be absent.
 */
export interface WarehouseAdapter {
  readonly name: string;
  readonly capabilities: WarehouseCapabilities;
  submit(request: ShipmentRequest, idempotencyKey: string): Promise<SubmitResult>;
  cancel?(shipmentId: string, idempotencyKey: string): Promise<void>;
  holdUntil?(shipmentId: string, until: string): Promise<void>;
  /** Available units per SKU at this warehouse's locations: `{ [locationId]: { [sku]: units } }`. */
  inventory?(skus: string[]): Promise<Record<string, Record<string, number>>>;
  /** Shipment and delivery events since the watermark (epoch ms), oldest first. */
  pollEvents?(since: number): Promise<OrderEvent[]>;
  /** Authenticates and reads a vendor webhook. Present when `capabilities.webhooks`. */
  handleWebhook?(request: WarehouseWebhookRequest): Promise<WarehouseWebhookResult>;
}
