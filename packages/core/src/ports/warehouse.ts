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
}
