import { createMemoryDeliveryQueue } from '../../src/memory';
import { deliveryQueueConformance } from '../../src/testing';

deliveryQueueConformance('memory', async () => ({ queue: createMemoryDeliveryQueue() }));

// Runs the cases gated on a second handle: one in-process instance stands in for both.
deliveryQueueConformance('self-check: memory with a second handle', async () => {
  const queue = createMemoryDeliveryQueue();
  return { queue, connect: async () => queue };
});
