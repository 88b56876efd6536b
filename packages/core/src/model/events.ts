import { z } from 'zod';
import { MachineEvents } from '../machine/schema';
import { Order } from './order';
import { Id, Quantity, StoreHoldReason, Timestamp } from './primitives';
import { MAX_LISTED_REPAIRS, TextRepair } from './sanitize-text';

/** Machine events decide fires itself; a host signal may not fire them (they carry work). */
const BUILT_IN_EVENTS: ReadonlySet<string> = new Set(Object.values(MachineEvents));

const base = {
  /** Deduplication key: the same key is processed at most once (the inbox). */
  idempotencyKey: z.string().min(1).max(512),
  /** When the event happened upstream. */
  occurredAt: Timestamp,
  /**
   * Text the engine repaired in this event before validating it (NULs removed, lone UTF-16
   * surrogates replaced with U+FFFD; see `sanitizeText`). Set by `engine.ingest`; a sender
   * that repaired text itself may list its own repairs. Decide copies it into the explanation.
   */
  sanitized: z
    .array(TextRepair)
    .max(MAX_LISTED_REPAIRS + 1)
    .optional(),
};
const forOrder = { ...base, orderId: Id };

/** Tracking information for a shipment. */
export const Tracking = z.object({
  carrier: z.string().min(1),
  number: z.string().min(1),
  url: z.url().optional(),
});
export type Tracking = z.infer<typeof Tracking>;

/** A line and a quantity, e.g. the lines of a shipment. */
export const LineQuantity = z.object({ lineId: Id, quantity: Quantity });
export type LineQuantity = z.infer<typeof LineQuantity>;

/** A store created an order. */
export const OrderReceived = z.object({ type: z.literal('order.received'), ...base, order: Order });
/** A store changed an order. Older `upstreamUpdatedAt` than the stored one is ignored as stale. */
export const OrderUpdated = z.object({
  type: z.literal('order.updated'),
  ...base,
  order: Order,
  upstreamUpdatedAt: Timestamp,
});
export const OrderPaid = z.object({ type: z.literal('order.paid'), ...forOrder });
export const OrderCancelled = z.object({
  type: z.literal('order.cancelled'),
  ...forOrder,
  reason: z.string().optional(),
});
/**
 * Stock changed. Without `orderId` the engine re-checks every order waiting for stock;
 * with it, only that order.
 */
export const InventoryChanged = z.object({
  type: z.literal('inventory.changed'),
  ...base,
  orderId: Id.optional(),
  locationId: Id,
  sku: z.string().min(1),
  available: z.number().int(),
});
/** A stored timer is due. Produced by `engine.runDue()`. */
export const TimerFired = z.object({
  type: z.literal('timer.fired'),
  ...forOrder,
  timerId: Id,
  purpose: z.string(),
});
export const WarehouseAccepted = z.object({
  type: z.literal('warehouse.accepted'),
  ...forOrder,
  shipmentId: Id,
  warehouseOrderId: z.string().optional(),
});
export const WarehouseRejected = z.object({
  type: z.literal('warehouse.rejected'),
  ...forOrder,
  shipmentId: Id,
  reason: z.string(),
});
/** A shipment (or part of it) left the warehouse. Without `lines`, everything in the shipment shipped. */
export const WarehouseShipped = z.object({
  type: z.literal('warehouse.shipped'),
  ...forOrder,
  shipmentId: Id,
  tracking: Tracking,
  lines: z.array(LineQuantity).optional(),
});
export const WarehouseDelivered = z.object({
  type: z.literal('warehouse.delivered'),
  ...forOrder,
  shipmentId: Id,
});
/** A person resolved a review (or released a hold by hand). */
export const ReviewResolved = z
  .object({
    type: z.literal('review.resolved'),
    ...forOrder,
    resolution: z.enum(['approve', 'cancel', 'route', 'release_hold']),
    /** With `route`: the location to ship from. */
    locationId: Id.optional(),
    by: z.string().optional(),
    comment: z.string().optional(),
  })
  .refine((e) => e.resolution !== 'route' || e.locationId !== undefined, {
    message: 'a "route" resolution needs a locationId',
    path: ['locationId'],
  });
/** A command failed for good after its retries. Produced by the dispatcher. */
export const CommandFailed = z.object({
  type: z.literal('command.failed'),
  ...forOrder,
  commandId: Id,
  commandType: z.string(),
  error: z.string(),
  /** For a `warehouse.submit`: the shipment it carried (no longer counted as placed). */
  shipmentId: Id.optional(),
});
/** A host-defined signal that fires a machine event of the same name (custom states). */
export const OrderSignal = z.object({
  type: z.literal('order.signal'),
  ...forOrder,
  signal: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE_CASE machine event')
    .refine((name) => !BUILT_IN_EVENTS.has(name), {
      message:
        'built-in machine events cannot be signalled; send the matching event (order.cancelled, warehouse.shipped, ...)',
    }),
});

/** A hold placed in the store by someone other than the engine (a merchant, another app). */
export const StoreHoldPlaced = z.object({
  kind: z.literal('hold_placed'),
  /** The store's id of the hold (Shopify: the `FulfillmentHold` gid). */
  holdId: Id,
  /** The held group of lines (Shopify: the fulfillment order gid), when the store has one. */
  fulfillmentOrderId: Id.optional(),
  reason: StoreHoldReason,
  /** The store's own reason code, verbatim (Shopify: `HIGH_RISK_OF_FRAUD`, ...). */
  storeReason: z.string().max(200).optional(),
  /** The merchant's words. */
  notes: z.string().max(2000).optional(),
});
/** Holds placed in the store were released. Without `holdIds`: every hold on the group (or order). */
export const StoreHoldReleased = z.object({
  kind: z.literal('hold_released'),
  fulfillmentOrderId: Id.optional(),
  holdIds: z.array(Id).optional(),
});
/** The store moved the work to another location. */
export const StoreMoved = z.object({
  kind: z.literal('moved'),
  /** The engine's location id, when the store location maps to one. */
  locationId: Id.optional(),
  /** The store's location id, verbatim. */
  storeLocationId: z.string().min(1).max(512),
  fulfillmentOrderId: Id.optional(),
});
/** Units were fulfilled in the store (by the merchant, another app, or a warehouse's own integration). */
export const StoreFulfilled = z.object({
  kind: z.literal('fulfilled'),
  /** The store's id of the fulfillment: a later change to it (more tracking) is the same fulfillment. */
  fulfillmentId: Id,
  lines: z.array(LineQuantity).min(1, 'a fulfillment lists at least one line'),
  tracking: z.array(Tracking).default([]),
  /** The engine's location id, when the store location maps to one. */
  locationId: Id.optional(),
  storeLocationId: z.string().max(512).optional(),
});
/** A group of lines was cancelled in the store (`replaced`: another group took its lines over). */
export const StoreFulfillmentCancelled = z.object({
  kind: z.literal('cancelled'),
  fulfillmentOrderId: Id,
  replaced: z.boolean().default(false),
});
/** One store-side change to how an order is fulfilled. */
export const StoreFulfillmentChange = z.discriminatedUnion('kind', [
  StoreHoldPlaced,
  StoreHoldReleased,
  StoreMoved,
  StoreFulfilled,
  StoreFulfillmentCancelled,
]);
export type StoreFulfillmentChange = z.infer<typeof StoreFulfillmentChange>;

/**
 * Something changed on the store's side of fulfillment, not by the engine: a merchant
 * held or released the order, moved it to a location, fulfilled units by hand, or a
 * fulfillment group was cancelled. Store adapters MUST NOT report the engine's own
 * holds and moves (they echo back as webhooks); the engine's own fulfillments are
 * recognised by their tracking numbers and ignored.
 */
export const StoreFulfillmentChanged = z.object({
  type: z.literal('store.fulfillment_changed'),
  ...forOrder,
  change: StoreFulfillmentChange,
});

/** Every event the engine accepts. */
export const OrderEvent = z.discriminatedUnion('type', [
  OrderReceived,
  OrderUpdated,
  OrderPaid,
  OrderCancelled,
  InventoryChanged,
  TimerFired,
  WarehouseAccepted,
  WarehouseRejected,
  WarehouseShipped,
  WarehouseDelivered,
  ReviewResolved,
  CommandFailed,
  OrderSignal,
  StoreFulfillmentChanged,
]);
export type OrderEvent = z.infer<typeof OrderEvent>;
/** An event as callers write it (defaults may be omitted). */
export type OrderEventInput = z.input<typeof OrderEvent>;
/** The `type` of every event. */
export type OrderEventType = OrderEvent['type'];
/** The event with the given `type`. */
export type EventOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>;
