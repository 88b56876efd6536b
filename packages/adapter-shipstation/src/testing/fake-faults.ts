/**
 * Faults `FakeShipStation.failNext` can inject:
 * - `rate_limited` (429 with the reset header), `server_error` (500), `bad_request` (400 with
 *   ShipStation's `ModelState` error body): the request is not carried out;
 * - `broken_body`: 200 with a body cut short (unreadable JSON), the request NOT carried out;
 * - `broken_body_after_write`: the request IS carried out (an order really created or
 *   updated), then answered 200 with its JSON cut short (a connection or proxy cut);
 * - `wrong_shape_after_write`: carried out, then answered 200 with valid JSON that is not
 *   the documented answer (`{}`).
 */
export type FakeFault =
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'broken_body'
  | 'broken_body_after_write'
  | 'wrong_shape_after_write';

/** Which requests a fault is for (all given parts must match). */
export interface FaultTarget {
  /** E.g. `POST`. */
  method?: string;
  /** The path without query, e.g. `/orders/createorder`. */
  path?: string;
}

/** The queue of injected faults: each is taken by the first request it is meant for. */
export function createFaultQueue() {
  const queue: { fault: FakeFault; only?: FaultTarget }[] = [];
  const fits = (only: FaultTarget | undefined, method: string, path: string) =>
    !only ||
    ((only.method === undefined || only.method === method) &&
      (only.path === undefined || only.path === path));
  return {
    /** Queues `fault` for the next `times` requests (matching `only`, when given). */
    add(fault: FakeFault, times: number, only?: FaultTarget) {
      for (let i = 0; i < times; i++) queue.push(only ? { fault, only } : { fault });
    },
    /** Takes the first queued fault meant for a request (`path` without query). */
    take(method: string, path: string): FakeFault | undefined {
      const i = queue.findIndex(({ only }) => fits(only, method, path));
      return i < 0 ? undefined : queue.splice(i, 1)[0]!.fault;
    },
    clear() {
      queue.length = 0;
    },
  };
}
