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

/** The facts gathered through ports before a decision. All optional: decide works with what it has. */
export interface DecisionFacts {
  note?: NoteClassification;
  risk?: RiskAssessment;
  inventory?: InventorySnapshot;
}
