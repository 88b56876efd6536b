import { describe } from 'vitest';
import type { DeliveryQueue } from '../ports/deliveries';
import { claimCases } from './deliveries/claim-cases';
import type { DeliveryCaseContext } from './deliveries/context';
import { enqueueCases } from './deliveries/enqueue-cases';
import { freshPerCase } from './helpers';

/** What a delivery queue factory hands the conformance suite. */
export interface DeliveryQueueTestSetup {
  /** The queue under test. It MUST start empty: no deliveries in any state. */
  queue: DeliveryQueue;
  /**
   * Opens a second handle on the same store, as another process would (a new pool, a new
   * client). Used by the durability and multi-handle cases; without it they are skipped.
   */
  connect?: () => Promise<DeliveryQueue>;
  /** Releases what the setup opened (pools, temp schemas). Runs after each case. */
  cleanup?: () => Promise<void>;
}

/** Makes a fresh, empty queue. Called once to see whether it can `connect`, then once per case. */
export type DeliveryQueueFactory = () => Promise<DeliveryQueueTestSetup>;

/**
 * Registers the {@link DeliveryQueue} conformance suite: one vitest case per MUST in the
 * port contract (stored before `enqueue` resolves, duplicates in every state, oldest first,
 * one caller per delivery, leases and reclaims, fencing with `CLAIM_LOST`, retries, dead
 * rows, stats, bodies byte for byte, headers, invalid input refused with nothing stored).
 * Cases that need a second handle on the same store are skipped, saying why, when the
 * setup has no `connect`.
 *
 * @example
 * ```ts
 * // test/delivery-queue.conformance.test.ts
 * import { deliveryQueueConformance } from '@fulfil/core/testing';
 * import { createMemoryDeliveryQueue } from '@fulfil/core';
 *
 * deliveryQueueConformance('memory', async () => ({ queue: createMemoryDeliveryQueue() }));
 * ```
 */
export function deliveryQueueConformance(name: string, factory: DeliveryQueueFactory): void {
  describe(`DeliveryQueue conformance: ${name}`, async () => {
    const probe = await factory();
    const canConnect = probe.connect !== undefined;
    await probe.cleanup?.();

    const fresh = freshPerCase('delivery queue', factory);
    const ctx: DeliveryCaseContext = {
      get queue() {
        return fresh.current.queue;
      },
      connect: async () => fresh.current.connect?.(),
      canConnect,
      get now() {
        return fresh.now;
      },
    };

    enqueueCases(ctx);
    claimCases(ctx);
  });
}
