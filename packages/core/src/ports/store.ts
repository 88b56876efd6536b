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
 * - `addNote` MAY be absent (the dispatcher then skips `store.add_note`, counted in
 *   `commands_skipped`). When present it MUST append `text` where people working the
 *   order in the store see it, once per `idempotencyKey`, and MUST NOT overwrite what
 *   the customer or the merchant wrote (e.g. the order's own note).
 * - Store adapters that turn store webhooks into `store.fulfillment_changed` events
 *   MUST leave out the holds this adapter placed (they echo back as webhooks).
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
  /** Appends a line to the order's history in the store (see the contract above). */
  addNote?(order: StoreOrderRef, text: string, idempotencyKey: string): Promise<void>;
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
