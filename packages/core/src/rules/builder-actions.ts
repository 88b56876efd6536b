/**
 * Action helpers for the rule builder: each returns the plain action object
 * the schema describes (`{ type: 'hold', ... }`).
 *
 * @module
 */
import type { FactName } from './facts';
import type { ActionInput } from './schema';

type ActionOf<T extends ActionInput['type']> = Extract<ActionInput, { type: T }>;

/** Options of {@link hold}: exactly one of `for`, `until`, `untilFact`. */
export interface HoldOptions {
  /** Why; shown to people and in the store hold note. */
  reason: string;
  /** Hold this long (a day is 24 h). */
  for?: { days?: number; hours?: number; minutes?: number };
  /** Hold until this instant (a Date is stored as an ISO string). */
  until?: string | Date;
  /** Hold until the date a fact holds, e.g. `note.shipAfter`. */
  untilFact?: FactName | (string & {});
  /** Release early when every line can be filled. */
  releaseOnStock?: boolean;
  /** Also hold the order in the store, with this reason. */
  storeHold?: ActionOf<'hold'>['storeHold'];
}

/**
 * Holds the order; when the hold ends the order is evaluated again
 * (`hold_expired`, then routing).
 *
 * @example
 * ```ts
 * hold({ for: { hours: 24 }, reason: 'awaiting stock', releaseOnStock: true });
 * hold({ untilFact: 'note.shipAfter', reason: 'customer asked to ship later' });
 * ```
 */
export function hold(options: HoldOptions): ActionOf<'hold'> {
  const out: ActionOf<'hold'> = { type: 'hold', reason: options.reason };
  if (options.for !== undefined) out.for = { ...options.for };
  if (options.until !== undefined) {
    out.until = typeof options.until === 'string' ? options.until : options.until.toISOString();
  }
  if (options.untilFact !== undefined) out.untilFact = options.untilFact;
  if (options.releaseOnStock !== undefined) out.releaseOnStock = options.releaseOnStock;
  if (options.storeHold !== undefined) out.storeHold = options.storeHold;
  return out;
}

/** Releases the order's holds (ignored when a hold matches at the same stage). */
export function releaseHold(): ActionOf<'release_hold'> {
  return { type: 'release_hold' };
}

/** Sends the order to a person, with a reason. */
export function review(reason: string): ActionOf<'review'> {
  return { type: 'review', reason };
}

/** Allows routing to split the order across locations. */
export function allowSplit(): ActionOf<'allow_split'> {
  return { type: 'allow_split' };
}

/** Forbids splitting: the order ships from one location or waits. */
export function forbidSplit(): ActionOf<'forbid_split'> {
  return { type: 'forbid_split' };
}

/** Prefers a location when routing. */
export function preferLocation(locationId: string): ActionOf<'prefer_location'> {
  return { type: 'prefer_location', locationId };
}

/** Never routes to a location. */
export function excludeLocation(locationId: string): ActionOf<'exclude_location'> {
  return { type: 'exclude_location', locationId };
}

/** Routes everything to one location. */
export function forceLocation(locationId: string): ActionOf<'force_location'> {
  return { type: 'force_location', locationId };
}

/** Routes only to locations with a capability (e.g. `engraving`, `cold_chain`). */
export function requireCapability(capability: string): ActionOf<'require_capability'> {
  return { type: 'require_capability', capability };
}

/** Sets the shipping service sent to the warehouse. */
export function setService(service: string): ActionOf<'set_service'> {
  return { type: 'set_service', service };
}

/** Sets the warehouse priority (the largest requested wins). */
export function setPriority(priority: number): ActionOf<'set_priority'> {
  return { type: 'set_priority', priority };
}

/** Tags the order in the store. */
export function addTag(tag: string): ActionOf<'add_tag'> {
  return { type: 'add_tag', tag };
}

/** Adds a packing instruction for the warehouse. */
export function addInstruction(text: string): ActionOf<'add_instruction'> {
  return { type: 'add_instruction', text };
}

/** Notifies the warehouse or the operations team. */
export function notify(channel: 'warehouse' | 'ops', message: string): ActionOf<'notify'> {
  return { type: 'notify', channel, message };
}

/** Fires a machine event (UPPER_SNAKE_CASE), e.g. to enter a custom state. */
export function transition(event: string): ActionOf<'transition'> {
  return { type: 'transition', event };
}
