/**
 * The in-memory `DeliveryQueue` of @fulfil/core (the port's reference implementation), with a
 * fault switch: `failNext(n)` makes the next `n` enqueues reject as if storage were down.
 */
import { createMemoryDeliveryQueue, type DeliveryQueue } from '@fulfil/core';

export function createQueueDouble() {
  const memory = createMemoryDeliveryQueue();
  let failures = 0;
  const queue: DeliveryQueue = {
    async enqueue(delivery) {
      if (failures > 0) {
        failures--;
        throw new Error('queue storage unreachable');
      }
      return memory.enqueue(delivery);
    },
    claim: (options) => memory.claim(options),
    complete: (key, token) => memory.complete(key, token),
    fail: (key, token, outcome) => memory.fail(key, token, outcome),
    stats: () => memory.stats(),
  };
  return {
    queue,
    /** Every delivery stored (see `MemoryDeliveryQueue.rows`). */
    rows: () => memory.rows(),
    /** The next `n` enqueues reject. */
    failNext(n = 1) {
      failures = n;
    },
  };
}
