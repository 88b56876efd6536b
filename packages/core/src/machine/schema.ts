import { z } from 'zod';

/**
 * What a state means to the engine, so custom states are routed, measured and
 * drawn correctly:
 * - `pending`: waiting for something upstream (payment); not routed.
 * - `hold`: deliberately paused (a hold, a custom wait such as engraving); not routed.
 * - `review`: a person must act.
 * - `ready`: may be routed and submitted.
 * - `active`: at least one shipment is with a warehouse.
 * - `done`: everything shipped; only delivery may follow.
 * - `final`: nothing follows (delivered, cancelled).
 */
export const StateKind = z.enum(['pending', 'hold', 'review', 'ready', 'active', 'done', 'final']);
export type StateKind = z.infer<typeof StateKind>;

const StateName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'state names are lower_snake_case');
const EventName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'machine events are UPPER_SNAKE_CASE');

export const StateDefinition = z.object({
  kind: StateKind,
  description: z.string().optional(),
  /** Machine event → target state. */
  on: z.record(EventName, StateName).default({}),
});
export type StateDefinition = z.infer<typeof StateDefinition>;

/** A state machine as data: JSON-serializable. */
export const MachineDefinition = z.object({
  id: z.string().min(1),
  /** The state a new order starts in, before its first decision moves it on. */
  initial: StateName,
  states: z.record(StateName, StateDefinition),
});
export type MachineDefinition = z.infer<typeof MachineDefinition>;
export type MachineDefinitionInput = z.input<typeof MachineDefinition>;

/**
 * The machine events decide fires. A custom machine SHOULD accept the ones its
 * states need; an event a state does not accept is recorded as an invalid transition.
 */
export const MachineEvents = {
  AWAIT_PAYMENT: 'AWAIT_PAYMENT',
  HOLD: 'HOLD',
  REVIEW: 'REVIEW',
  READY: 'READY',
  SUBMIT: 'SUBMIT',
  SHIP_PARTIAL: 'SHIP_PARTIAL',
  SHIP: 'SHIP',
  DELIVER: 'DELIVER',
  CANCEL: 'CANCEL',
} as const;
