import {
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStore,
  createNoteClassifier,
  createRiskScorer,
  createSimulatedClock,
  createSimulatedWarehouse,
  type InventorySnapshot,
  type Location,
  type Router,
  type SimulatedClock,
  type Storage,
  storageVelocitySource,
  type WarehouseAdapter,
} from '@fulfil/core';
import config from '../fulfil.config';
import { STORE } from './catalog';

const HOUR = 3_600_000;

/**
 * The demo's engine: the given storage (in memory unless `--storage` says otherwise), two
 * simulated warehouses sharing one stock table with the inventory source, the offline
 * multilingual note classifier, the rule-based risk scorer, and a simulated clock.
 */
export function createDemoWorld(
  /** Start time, or the simulated clock to use. */
  start: number | SimulatedClock,
  stock: InventorySnapshot,
  locations: Location[],
  /**
   * The storage, or a function making it from the demo's simulated clock (pass that clock as
   * `createMemoryStorage({ clock })` so the read model's "last hour" is the simulation's).
   */
  storage: Storage | ((clock: SimulatedClock) => Storage),
  /** Serves the west location instead of a simulated warehouse (e.g. ShipStation). */
  west?: WarehouseAdapter,
  /** The engine's router (default: the built-in optimal router). */
  router?: Router,
) {
  const clock = typeof start === 'number' ? createSimulatedClock(start) : start;
  const storage_ = typeof storage === 'function' ? storage(clock) : storage;
  const store = createMemoryStore({
    adminUrl: `https://admin.shopify.com/store/${STORE.handle}/orders/{externalId}`,
  });
  const alerts = createMemoryAlerts();
  const warehouse = (name: string, location: string) =>
    createSimulatedWarehouse({
      name,
      clock,
      locations: [location],
      stock,
      shipAfterMs: 6 * HOUR,
      deliverAfterMs: 48 * HOUR,
    });
  const east = warehouse('east-wh', 'east');
  const westSim = west ? undefined : warehouse('west-wh', 'west');
  const engine = createEngine({
    storage: storage_,
    store,
    alerts,
    clock,
    inventory: createMemoryInventory({ stock }),
    classifier: createNoteClassifier(config.notes || {}),
    // Velocity (orders per email / IP / address / phone) is counted from stored orders.
    risk: createRiskScorer({
      ...(config.risk || {}),
      velocity: storageVelocitySource(storage_),
    }),
    warehouses: {
      'east-wh': east,
      'west-wh': west ?? (westSim as WarehouseAdapter),
    },
    // A vendor's stock leaves the demo's table when it ships: keep reservations until then.
    ...(west ? { reservations: { releaseOn: 'shipped' as const } } : {}),
    locations,
    ...(router ? { router } : {}),
    rules: config.rules,
    timeZone: config.timeZone,
  });
  /** The simulated warehouses (west is absent when a vendor serves it). */
  const warehouses = { east, ...(westSim ? { west: westSim } : {}) };
  return { clock, storage: storage_, store, alerts, engine, warehouses };
}
