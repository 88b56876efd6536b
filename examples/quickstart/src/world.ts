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
  start: number,
  stock: InventorySnapshot,
  locations: Location[],
  storage: Storage,
  /** Serves the west location instead of a simulated warehouse (e.g. ShipStation). */
  west?: WarehouseAdapter,
  /** The engine's router (default: the built-in optimal router). */
  router?: Router,
) {
  const clock = createSimulatedClock(start);
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
  const engine = createEngine({
    storage,
    store,
    alerts,
    clock,
    inventory: createMemoryInventory({ stock }),
    classifier: createNoteClassifier(config.notes || {}),
    // Velocity (orders per email / IP / address / phone) is counted from stored orders.
    risk: createRiskScorer({
      ...(config.risk || {}),
      velocity: storageVelocitySource(storage),
    }),
    warehouses: {
      'east-wh': warehouse('east-wh', 'east'),
      'west-wh': west ?? warehouse('west-wh', 'west'),
    },
    // A vendor's stock leaves the demo's table when it ships: keep reservations until then.
    ...(west ? { reservations: { releaseOn: 'shipped' as const } } : {}),
    locations,
    ...(router ? { router } : {}),
    rules: config.rules,
    timeZone: config.timeZone,
  });
  return { clock, storage, store, alerts, engine };
}
