import { createMemoryStorage } from '../../src/memory';
import { storageConformance } from '../../src/testing';

storageConformance('memory', async () => ({ storage: createMemoryStorage() }));

storageConformance('memory (retainCompleted: false)', async () => ({
  storage: createMemoryStorage({ retainCompleted: false }),
}));
