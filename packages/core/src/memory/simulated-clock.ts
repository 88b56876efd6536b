import { ErrorCodes, FulfilError } from '../errors';
import type { Clock } from '../ports/clock';

/** A {@link Clock} that moves only when told to. Never goes backwards. */
export interface SimulatedClock extends Clock {
  /** Moves time forward by `ms` (>= 0) and returns the new time. */
  advance(ms: number): number;
  /** Jumps to `time` (epoch ms or ISO 8601); throws `INVALID_INPUT` if that is in the past. */
  set(time: number | string): number;
  /** The current time as an ISO 8601 string. */
  iso(): string;
}

/**
 * Creates a simulated clock starting at `start` (epoch ms or an ISO 8601 timestamp).
 *
 * @example
 * ```ts
 * const clock = createSimulatedClock('2026-11-27T09:00:00Z');
 * clock.advance(24 * 60 * 60 * 1000); // a day later
 * clock.iso(); // '2026-11-28T09:00:00.000Z'
 * ```
 */
export function createSimulatedClock(start: number | string): SimulatedClock {
  let now = toEpoch(start, 'start', ErrorCodes.CONFIG_INVALID);
  return {
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0 || now + ms > MAX_EPOCH_MS) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `clock.advance(${ms}): must be a finite number of ms >= 0 (the clock never goes backwards)`,
          { details: { path: 'ms' } },
        );
      }
      now += ms;
      return now;
    },
    set(time) {
      const next = toEpoch(time, 'time', ErrorCodes.INVALID_INPUT);
      if (next < now) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `clock.set(${JSON.stringify(time)}): ${new Date(next).toISOString()} is before the current time ${new Date(now).toISOString()}; the clock never goes backwards`,
          { details: { path: 'time' } },
        );
      }
      now = next;
      return now;
    },
    iso: () => new Date(now).toISOString(),
  };
}

/** The largest time a `Date` can hold. */
const MAX_EPOCH_MS = 8.64e15;

function toEpoch(
  value: number | string,
  what: string,
  code: typeof ErrorCodes.CONFIG_INVALID | typeof ErrorCodes.INVALID_INPUT,
): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    throw new FulfilError(
      code,
      `${what}: ${JSON.stringify(value)} is not epoch milliseconds or an ISO 8601 timestamp`,
      { details: { path: what } },
    );
  }
  return ms;
}
