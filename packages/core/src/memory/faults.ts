import { ErrorCodes, FulfilError } from '../errors';

/** Options for a planned failure (`failNext`). */
export interface FailNextOptions<M extends string = string> {
  /** Only calls of this method fail. Default: the component's default (any method for most). */
  method?: M;
  /**
   * Fail after the effect happened (the upstream order exists, the tag was
   * added), as when a response is lost on the way back. The retry with the
   * same idempotency key must then have no second effect. Default `false`.
   */
  afterEffect?: boolean;
}

interface PlannedFailure {
  method: string | undefined;
  error: unknown;
  afterEffect: boolean;
}

/** Fault injection shared by the in-memory adapters. Internal. */
export interface Faults {
  failNext(times: number, error: unknown, method: string | undefined, afterEffect: boolean): void;
  failAlways(on: boolean, error?: unknown): void;
  /**
   * Call first thing in a method: throws a planned failure that happens before
   * the effect; returns one that must be thrown after the effect, if planned.
   */
  enter(method: string): (() => never) | undefined;
}

export function createFaults(component: string): Faults {
  const queue: PlannedFailure[] = [];
  let always: { error: unknown } | undefined;
  const toError = (error: unknown, method: string, why: string): unknown => {
    if (error !== undefined && typeof error !== 'string') return error;
    return new FulfilError(
      ErrorCodes.ADAPTER_FAILED,
      `${component}: ${error ?? `simulated failure of ${method} (${why})`}`,
      { details: { simulated: true, method } },
    );
  };
  return {
    failNext(times, error, method, afterEffect) {
      if (!Number.isInteger(times) || times < 0) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `${component}: failNext(${times}): times must be an integer >= 0`,
          { details: { path: 'times' } },
        );
      }
      for (let i = 0; i < times; i++) queue.push({ method, error, afterEffect });
    },
    failAlways(on, error) {
      always = on ? { error } : undefined;
    },
    enter(method) {
      if (always !== undefined) throw toError(always.error, method, 'failAlways');
      const index = queue.findIndex((f) => f.method === undefined || f.method === method);
      if (index === -1) return undefined;
      const [planned] = queue.splice(index, 1) as [PlannedFailure];
      const error = toError(planned.error, method, 'failNext');
      if (!planned.afterEffect) throw error;
      return () => {
        throw error;
      };
    },
  };
}
