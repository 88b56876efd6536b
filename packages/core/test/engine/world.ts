import { createEngine, type EngineOptions } from '../../src/engine';
import {
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import type { OrderEventInput, OrderInput } from '../../src/model';
import { makeOrder } from '../../src/testing/fixtures';

export const T0 = Date.parse('2026-11-27T09:00:00.000Z');
export const HOUR = 3_600_000;

/** A small world: two locations (east preferred), in-memory everything, a simulated clock. */
export function createWorld(
  stock: Record<string, Record<string, number>> = {
    east: { 'TEE-M': 10, MUG: 5 },
    west: { 'TEE-M': 10, MUG: 5 },
  },
  options: Partial<EngineOptions> = {},
) {
  const clock = createSimulatedClock(T0);
  const storage = createMemoryStorage();
  const store = createMemoryStore();
  const alerts = createMemoryAlerts();
  const inventory = createMemoryInventory({ stock });
  const east = createSimulatedWarehouse({
    name: 'east-wh',
    clock,
    locations: ['east'],
    stock,
    shipAfterMs: 2 * HOUR,
    deliverAfterMs: 48 * HOUR,
  });
  const west = createSimulatedWarehouse({
    name: 'west-wh',
    clock,
    locations: ['west'],
    stock,
    shipAfterMs: 2 * HOUR,
    deliverAfterMs: 48 * HOUR,
  });
  const engine = createEngine({
    storage,
    store,
    alerts,
    inventory,
    clock,
    warehouses: { 'east-wh': east, 'west-wh': west },
    locations: [
      { id: 'east', warehouse: 'east-wh', priority: 1 },
      { id: 'west', warehouse: 'west-wh', priority: 2 },
    ],
    timeZone: 'America/New_York',
    dispatch: { maxAttempts: 3, backoffMs: 1000 },
    ...options,
  });
  let seq = 0;
  const at = () => new Date(clock.now()).toISOString();
  return {
    clock,
    storage,
    store,
    alerts,
    inventory,
    stock,
    east,
    west,
    engine,
    order: (overrides: Partial<OrderInput> = {}) => makeOrder(overrides),
    received: (order: OrderInput): OrderEventInput => ({
      type: 'order.received',
      idempotencyKey: `recv-${order.id}-${++seq}`,
      occurredAt: at(),
      order,
    }),
    event: <E extends Record<string, unknown>>(type: string, orderId: string, extra: E = {} as E) =>
      ({
        type,
        orderId,
        idempotencyKey: `${type}-${orderId}-${++seq}`,
        occurredAt: at(),
        ...extra,
      }) as unknown as OrderEventInput,
    /** Moves the clock, fires due timers, polls warehouses. */
    async advance(ms: number) {
      clock.advance(ms);
      await engine.runDue();
      await engine.pollWarehouses();
    },
  };
}
