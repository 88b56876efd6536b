/** A small engine on in-memory ports with a simulated clock, for the fuzz tests. */
import {
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
  type EngineOptions,
  type WarehouseAdapter,
} from '@fulfil/core';

export const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const STOCK = { east: { 'TEE-M': 10, MUG: 5 }, west: { 'TEE-M': 3 } };

export function world(extra: Partial<EngineOptions> = {}) {
  const clock = createSimulatedClock(T0);
  const storage = createMemoryStorage();
  const wh = (name: string, loc: string) =>
    createSimulatedWarehouse({ name, clock, locations: [loc], stock: STOCK });
  const engine = createEngine({
    storage,
    clock,
    store: createMemoryStore(),
    alerts: createMemoryAlerts(),
    inventory: createMemoryInventory({ stock: STOCK }),
    warehouses: { 'east-wh': wh('east-wh', 'east'), 'west-wh': wh('west-wh', 'west') },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    ...extra,
  });
  return { clock, storage, engine };
}

/**
 * An engine on one warehouse adapter under test (key `name`, location `east` with `units`
 * `TEE-M`), in-memory storage, the simulated clock at {@link T0}, dispatch only when called:
 * for the adapters' webhook fuzzing.
 */
export function webhookWorld(name: string, adapter: WarehouseAdapter, units: number) {
  const storage = createMemoryStorage();
  const engine = createEngine({
    storage,
    clock: createSimulatedClock(T0),
    inventory: createMemoryInventory({ stock: { east: { 'TEE-M': units } } }),
    warehouses: { [name]: adapter },
    locations: [{ id: 'east', warehouse: name }],
    autoDispatch: false,
  });
  return { storage, engine };
}
