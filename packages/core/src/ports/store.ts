import type { Tracking } from '../model/events';
import type { Order } from '../model/order';
import type { StoreHoldReason } from '../model/primitives';

/**
 * A store (Shopify, ...): where orders come from and where fulfillment is reported.
 *
 * Contract:
 * - Every method MUST be idempotent on `idempotencyKey` (or naturally idempotent:
 *   adding a tag twice leaves one tag).
 * - Methods MUST throw a `FulfilError` (code `ADAPTER_FAILED`) when the outcome is
 *   unknown, so the dispatcher retries.
 * - `adminUrl` MUST NOT do I/O.
 */
export interface StoreAdapter {
  readonly name: string;
  addTags(order: StoreOrderRef, tags: string[], idempotencyKey: string): Promise<void>;
  hold(
    order: StoreOrderRef,
    reason: StoreHoldReason,
    note: string,
    idempotencyKey: string,
  ): Promise<void>;
  releaseHold(order: StoreOrderRef, idempotencyKey: string): Promise<void>;
  fulfill(
    order: StoreOrderRef,
    fulfillment: {
      shipmentId: string;
      tracking: Tracking;
      lines: { lineId: string; quantity: number }[];
      notifyCustomer: boolean;
    },
    idempotencyKey: string,
  ): Promise<void>;
  /** Link to the order in the store's admin. */
  adminUrl?(order: StoreOrderRef): string | undefined;
  fetchOrder?(externalId: string): Promise<Order | undefined>;
}

/** How commands name an order to a store. */
export interface StoreOrderRef {
  orderId: string;
  externalId: string;
  store: string;
}
