import { z } from 'zod';
import { StoreHoldReason } from '../model/primitives';

/**
 * When rules run:
 * - `received`: an order arrived (before the payment check).
 * - `paid`: the order is paid (on arrival if already paid, or on `order.paid`).
 * - `updated`: the store changed the order.
 * - `before_routing`: the order is about to be routed (inventory facts available).
 * - `hold_expired`: a hold's time ran out (before routing again).
 * - `warehouse_rejected`: a warehouse refused a shipment (before re-routing).
 */
export const Stage = z.enum([
  'received',
  'paid',
  'updated',
  'before_routing',
  'hold_expired',
  'warehouse_rejected',
]);
export type Stage = z.infer<typeof Stage>;

export const Operator = z.enum([
  'eq',
  'neq',
  'in',
  'contains',
  'matches',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
]);
export type Operator = z.infer<typeof Operator>;

/** A test of one fact. For list facts, `eq`/`in`/`matches`/... hold when any element does. */
export interface FactCondition {
  fact: string;
  op: Operator;
  value?: unknown;
}
/** A condition: a fact test, or `all` / `any` / `not` over conditions. */
export type Condition =
  | FactCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(Condition) }).strict(),
    z.object({ any: z.array(Condition) }).strict(),
    z.object({ not: Condition }).strict(),
    z.object({ fact: z.string().min(1), op: Operator, value: z.unknown().optional() }).strict(),
  ]),
);

/** The longest hold a rule may ask for: ten years. */
export const MAX_HOLD_DAYS = 3650;

/** A hold's length: any mix of days, hours and minutes, longer than zero, at most ten years. */
export const Duration = z
  .object({
    days: z.number().nonnegative().optional(),
    hours: z.number().nonnegative().optional(),
    minutes: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, {
    message: 'a duration must be longer than zero',
  })
  .refine(
    // Found by fuzzing: a duration past the end of time made every decision throw RangeError.
    (d) => (d.days ?? 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0) <= MAX_HOLD_DAYS * 1440,
    { message: `a duration may be at most ${MAX_HOLD_DAYS} days` },
  );
export type Duration = z.infer<typeof Duration>;

/** What a matching rule does. */
export const Action = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('hold'),
      reason: z.string().min(1),
      /** Hold this long ... */
      for: Duration.optional(),
      /** ... or until this time ... */
      until: z.iso.datetime({ offset: true }).optional(),
      /** ... or until the date a fact holds (e.g. `note.shipAfter`). */
      untilFact: z.string().optional(),
      /** Release early when every line can be filled. */
      releaseOnStock: z.boolean().default(false),
      /** Also hold the order in the store, with this reason. */
      storeHold: StoreHoldReason.optional(),
    })
    .strict(),
  z.object({ type: z.literal('release_hold') }).strict(),
  z.object({ type: z.literal('review'), reason: z.string().min(1) }).strict(),
  z.object({ type: z.literal('allow_split') }).strict(),
  z.object({ type: z.literal('forbid_split') }).strict(),
  z.object({ type: z.literal('prefer_location'), locationId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('exclude_location'), locationId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('force_location'), locationId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('require_capability'), capability: z.string().min(1) }).strict(),
  z.object({ type: z.literal('set_service'), service: z.string().min(1) }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.number().int() }).strict(),
  z.object({ type: z.literal('add_tag'), tag: z.string().min(1) }).strict(),
  z.object({ type: z.literal('add_instruction'), text: z.string().min(1) }).strict(),
  z
    .object({
      type: z.literal('notify'),
      channel: z.enum(['warehouse', 'ops']),
      message: z.string().min(1),
    })
    .strict(),
  /** Fire a machine event, e.g. to enter a custom state (`ENGRAVE` → `awaiting_engraving`). */
  z
    .object({ type: z.literal('transition'), event: z.string().regex(/^[A-Z][A-Z0-9_]*$/) })
    .strict(),
]);
export type Action = z.infer<typeof Action>;
export type ActionInput = z.input<typeof Action>;
export type ActionType = Action['type'];

/** A declarative rule: JSON-serializable. */
export const Rule = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'rule ids use letters, digits and _ . : -'),
    description: z.string().optional(),
    stage: Stage,
    /** Higher runs first. Ties run in id order. */
    priority: z.number().int().default(0),
    when: Condition,
    actions: z.array(Action).min(1, 'a rule needs at least one action'),
    /** When this rule matches, lower-priority rules at the same stage are not evaluated. */
    stop: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;
