/**
 * Time, injected. The engine and adapters read time only through a Clock.
 *
 * Contract:
 * - `now()` MUST return milliseconds since the Unix epoch and MUST NOT go backwards
 *   within one process.
 */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
