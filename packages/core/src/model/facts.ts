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
