import { z } from 'zod';
import { Tracking } from './events';
import { NoteClassification, RiskAssessment } from './facts';
import { KitComponent, Order } from './order';
import { Id, StoreHoldReason, Timestamp } from './primitives';

/** Status of one shipment (one warehouse's part of an order). */
export const ShipmentStatus = z.enum([
  'pending',
  'accepted',
  'rejected',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
]);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

/** A unit of routed work: these lines from this location. */
export const ShipmentLine = z.object({
  lineId: Id,
  sku: z.string(),
  quantity: z.number().int().positive(),
  /** For a kit that ships whole: its components per kit unit. */
  components: z.array(KitComponent).optional(),
});
export type ShipmentLine = z.infer<typeof ShipmentLine>;

export const Shipment = z.object({
  id: Id,
  locationId: Id,
  status: ShipmentStatus,
  lines: z.array(ShipmentLine),
  /** Units shipped so far per line id. */
  shipped: z.record(z.string(), z.number().int()).default({}),
  warehouseOrderId: z.string().optional(),
  tracking: z.array(Tracking).default([]),
  rejectReason: z.string().optional(),
  createdAt: Timestamp,
});
export type Shipment = z.infer<typeof Shipment>;

export const Hold = z.object({
  id: Id,
  reason: z.string(),
  /** Rule that placed it, if any. */
  ruleId: z.string().optional(),
  since: Timestamp,
  /** When the hold expires (a timer fires then). Absent: until released. */
  until: Timestamp.optional(),
  /** Release early when stock for every line becomes available. */
  releaseOnStock: z.boolean().default(false),
  /** The order is also held in the store, with this reason. */
  storeHold: StoreHoldReason.optional(),
});
export type Hold = z.infer<typeof Hold>;

/** Routing preferences collected from rules and reviews. */
export const RoutingPolicy = z.object({
  allowSplit: z.boolean().optional(),
  prefer: z.array(Id).default([]),
  exclude: z.array(Id).default([]),
  force: Id.optional(),
  service: z.string().optional(),
  priority: z.number().int().optional(),
  requiredCapabilities: z.array(z.string()).default([]),
  /** Most shipments a plan may have (routers that support it; `allowSplit: false` means 1). */
  maxShipments: z.number().int().positive().optional(),
});
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;

/** The persisted state of one order. `version` equals the number of history entries. */
export const OrderRecord = z.object({
  orderId: Id,
  version: z.number().int().nonnegative(),
  status: z.string(),
  statusSince: Timestamp,
  order: Order,
  upstreamUpdatedAt: Timestamp,
  shipments: z.array(Shipment).default([]),
  /** Units waiting for stock, per line id. */
  backordered: z.array(ShipmentLine).default([]),
  holds: z.array(Hold).default([]),
  /** Ids of rules whose one-shot actions (holds) were already applied. */
  appliedRules: z.array(z.string()).default([]),
  review: z.object({ reasons: z.array(z.string()), since: Timestamp }).optional(),
  /** A person approved the order: later review actions from rules are ignored. */
  approved: z.boolean().default(false),
  policy: RoutingPolicy.default({ prefer: [], exclude: [], requiredCapabilities: [] }),
  /** Tags the engine added to the order. */
  tags: z.array(z.string()).default([]),
  /** Packing instructions for the warehouse. */
  instructions: z.array(z.string()).default([]),
  /** States this order has been in, in order of first visit. */
  visited: z.array(z.string()).default([]),
  /** Cached port facts. */
  facts: z
    .object({ note: NoteClassification.optional(), risk: RiskAssessment.optional() })
    .default({}),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OrderRecord = z.infer<typeof OrderRecord>;
