import { z } from 'zod';
import { MachineEvents } from '../machine/schema';
import { Order } from './order';
import { Id, Quantity, Timestamp } from './primitives';

/** Machine events decide fires itself; a host signal may not fire them (they carry work). */
const BUILT_IN_EVENTS: ReadonlySet<string> = new Set(Object.values(MachineEvents));

const base = {
  /** Deduplication key: the same key is processed at most once (the inbox). */
  idempotencyKey: z.string().min(1).max(512),
  /** When the event happened upstream. */
  occurredAt: Timestamp,
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
]);
export type OrderEvent = z.infer<typeof OrderEvent>;
/** An event as callers write it (defaults may be omitted). */
export type OrderEventInput = z.input<typeof OrderEvent>;
/** The `type` of every event. */
export type OrderEventType = OrderEvent['type'];
/** The event with the given `type`. */
export type EventOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>;
