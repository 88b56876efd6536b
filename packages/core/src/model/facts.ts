import { z } from 'zod';
import { Address, Id } from './primitives';

/** A tag found in an order note, with what was extracted. */
export const NoteTag = z.object({
  tag: z.string().min(1),
  confidence: z.number().min(0).max(1),
  /** Extracted date (ship after, need by), ISO 8601. */
  date: z.string().optional(),
  /** Extracted text (gift message, personalization). */
  text: z.string().optional(),
});
export type NoteTag = z.infer<typeof NoteTag>;

/** What a NoteClassifier found in an order's note. */
export const NoteClassification = z.object({
  tags: z.array(NoteTag),
  /** True when the classifier is not sure and a person should read the note. */
  uncertain: z.boolean().default(false),
  classifier: z.string(),
});
export type NoteClassification = z.infer<typeof NoteClassification>;

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** What a RiskScorer concluded, with readable reasons. */
export const RiskAssessment = z.object({
  score: z.number().min(0).max(100),
  level: RiskLevel,
  reasons: z.array(z.object({ signal: z.string(), weight: z.number(), reason: z.string() })),
  scorer: z.string(),
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

/** A place stock ships from, served by one warehouse adapter. */
export const Location = z.object({
  id: Id,
  name: z.string().optional(),
  /** The key of the WarehouseAdapter (in `createEngine({ warehouses })`) that serves this location. */
  warehouse: z.string().min(1),
  /** Lower numbers are preferred when everything else is equal. */
  priority: z.number().int().default(100),
  address: Address.optional(),
  capabilities: z.array(z.string()).default([]),
  open: z.boolean().default(true),
  /**
   * `tracked` (the default): stock comes from the engine's `inventory` source or the
   * warehouse's `inventory()`. `untracked`: nobody reports stock here (ShipStation, for
   * one, has no stock API), so the router treats the location as able to fill any
   * quantity; the warehouse rejects what it cannot fill and the order is routed again
   * without this location.
   */
  stock: z.enum(['tracked', 'untracked']).optional(),
  /** Estimated cost of one shipment from here, in minor units, before distance or zone costs. Used by `createOptimalRouter`. */
  costPerShipment: z.number().nonnegative().optional(),
  /** Estimated cost per kilometre (great-circle, `address.lat/lon` to the destination's), in minor units. */
  costPerKm: z.number().nonnegative().optional(),
  /**
   * Per-shipment cost by destination zone, in minor units, replacing the distance cost when a
   * key matches. Keys tried in order: `US-CA` (country-province), `US` (country), `*`.
   */
  zoneCosts: z.record(z.string(), z.number().nonnegative()).optional(),
  /** Daily order cutoff, `HH:MM` in `timeZone`; shipments routed later leave the next day. */
  cutoff: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
    .optional(),
  /** IANA time zone of `cutoff`. Default `UTC`. */
  timeZone: z
    .string()
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'unknown IANA time zone' },
    )
    .optional(),
});
export type Location = z.infer<typeof Location>;
export type LocationInput = z.input<typeof Location>;

/** Available units per location per SKU: `{ [locationId]: { [sku]: units } }`. */
export const InventorySnapshot = z.record(z.string(), z.record(z.string(), z.number().int()));
export type InventorySnapshot = z.infer<typeof InventorySnapshot>;

/** Days of cover (and the replenishment lead time, when known) of one SKU at one location. */
export interface CoverFigure {
  /** Days until the units available now run out at the forecast demand. */
  daysOfCover: number;
  /** Replenishment lead time in days; cover below it raises a stock alert. */
  leadTimeDays?: number;
}

/** Days of cover per location per SKU: `{ [locationId]: { [sku]: CoverFigure } }`. */
export type ForecastCover = Record<string, Record<string, CoverFigure>>;

/** The plan routing would choose for the order's outstanding units (rule facts `routing.*`). */
export interface PlanFacts {
  /** Shipments in the plan. */
  shipmentCount: number;
  /** Location ids of the shipments, in plan order. */
  locations: string[];
  /** Estimated cost in minor units, when the router estimates one (the optimal router does). */
  estimatedCost?: number;
  /** Units left to backorder. */
  backorderedUnits: number;
  /** Per SKU the plan ships: days of cover at the location it ships from (when known). */
  daysOfCover: { sku: string; locationId: string; days: number }[];
}

/** The facts gathered through ports before a decision. All optional: decide works with what it has. */
export interface DecisionFacts {
  note?: NoteClassification;
  risk?: RiskAssessment;
  /**
   * Units available per location per SKU to route on. With stock reservations, other
   * decisions' reserved units are already subtracted (see `stock`).
   */
  inventory?: InventorySnapshot;
  /**
   * Set when the storage keeps stock reservations: the InventorySource figures before
   * reservations were subtracted, and the `storage.reserved()` watermark read before them.
   * decide reserves what it routes against these.
   */
  stock?: { available: InventorySnapshot; basis: number };
  /** Days of cover per location per SKU, from the engine's forecast source. */
  cover?: ForecastCover;
  /**
   * Carrier rate of one parcel per location id (minor units), from the engine's `rates`
   * source, for the router (`RouteRequest.rates`). Locations without a quote are absent.
   */
  rates?: Record<string, number>;
  /**
   * Computed by decide (not gathered): the plan routing would choose, read by `routing.*`
   * and `forecast.*` rule facts at `before_routing`.
   */
  plan?: PlanFacts;
}
