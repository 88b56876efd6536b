import { createMemoryStorage } from '../../src/memory';
import { insightsConformance } from '../../src/testing';

insightsConformance('memory', async () => ({ storage: createMemoryStorage() }));
