import { createEngine, type EngineOptions } from '../../src/engine';
import {
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import type { OrderInput } from '../../src/model';
import type { NoteClassifier } from '../../src/ports';
import { makeOrder } from '../../src/testing/fixtures';

/** 2026-11-27 10:00 in New York (a Friday). */
export const NOW = Date.parse('2026-11-27T15:00:00.000Z');
export const TZ = 'America/New_York';
export const HOUR = 3_600_000;

/** An engine with two locations (only `west` can personalize), in-memory ports and a simulated clock. */
export function noteWorld(classifier: NoteClassifier, options: Partial<EngineOptions> = {}) {
  const clock = createSimulatedClock(NOW);
  const stock = { east: { 'TEE-M': 10 }, west: { 'TEE-M': 10 } };
  const store = createMemoryStore();
  const storage = createMemoryStorage();
  const warehouse = createSimulatedWarehouse({
    name: 'wh',
    clock,
    locations: ['east', 'west'],
    stock,
  });
  const engine = createEngine({
    storage,
    store,
    clock,
    classifier,
    inventory: createMemoryInventory({ stock }),
    warehouses: { wh: warehouse },
    locations: [
      { id: 'east', warehouse: 'wh', priority: 1 },
      { id: 'west', warehouse: 'wh', priority: 2, capabilities: ['personalization'] },
    ],
    timeZone: TZ,
    ...options,
  });
  let seq = 0;
  return {
    clock,
    engine,
    store,
    warehouse,
    storage,
    async receive(overrides: Partial<OrderInput>) {
      const order = makeOrder({
        createdAt: new Date(clock.now()).toISOString(),
        updatedAt: new Date(clock.now()).toISOString(),
        ...overrides,
      });
      const result = await engine.ingest({
        type: 'order.received',
        idempotencyKey: `recv-${order.id}-${++seq}`,
        occurredAt: new Date(clock.now()).toISOString(),
        order,
      });
      return { order, result, record: await engine.get(order.id) };
    },
  };
}
