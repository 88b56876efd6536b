import {
  configEngineOptions,
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  type Engine,
  type FulfilConfig,
  type HistoryEntry,
  type InventorySource,
  type OrderRecord,
  type SimulatedClock,
  type Storage,
  type WarehouseAdapter,
} from '@fulfil/core';
import { createAuditStorage } from './audit-storage';
import type { AuditStock } from './stock';
import { createWindowedVelocity } from './velocity';

/** What an audit replays through: an engine on the audit storage, a simulated clock, no I/O. */
export interface AuditWorld {
  engine: Engine;
  clock: SimulatedClock;
  storage: Storage;
  /** Drops a settled order from memory: its record, processed event keys and timers. */
  forget(orderId: string): void;
}

const HOUR = 3_600_000;

/** Units reported for every SKU at every location under `--stock unlimited`. */
export const UNLIMITED_UNITS = 1_000_000_000;

/**
 * Builds the audit's engine from the configuration: the audit's lean storage (no copies,
 * only open orders; see {@link createAuditStorage}), a simulated clock starting at `start`, dry-run warehouses (one per warehouse
 * key the locations name) that accept every shipment at once and take its units from the
 * stock table, the configured note classifier and risk scorer (velocity counted in a
 * window index), and no store (store commands are skipped). `observe` sees every commit
 * after it is stored.
 */
export function createAuditWorld(
  config: FulfilConfig,
  stock: AuditStock,
  start: number,
  observe: (entry: HistoryEntry, record: OrderRecord) => void,
  kind: AuditStorageKind = 'audit',
): AuditWorld {
  const clock = createSimulatedClock(start);
  const storage = kind === 'audit' ? createAuditStorage(observe) : memoryAuditStorage(observe);
  const table = stock.kind === 'table' ? structuredClone(stock.table) : undefined;
  const inventory: InventorySource = table
    ? createMemoryInventory({ stock: table })
    : {
        async available(skus) {
          const out: Record<string, Record<string, number>> = {};
          for (const l of config.locations)
            out[l.id] = Object.fromEntries(skus.map((s) => [s, UNLIMITED_UNITS]));
          return out;
        },
      };
  const warehouses: Record<string, WarehouseAdapter> = {};
  for (const l of config.locations) warehouses[l.warehouse] ??= dryRunWarehouse(l.warehouse, table);
  const engine = createEngine({
    // The hosts' mapping (rules, machine, notes, risk, time zone), with velocity counted
    // in a window index and every location's stock tracked from the audit's table.
    ...configEngineOptions(config, {
      velocity: createWindowedVelocity(
        (config.risk ? (config.risk.velocityWindowHours ?? 24) : 24) * HOUR,
      ),
      recordOrders: true,
    }),
    storage,
    clock,
    inventory,
    warehouses,
    locations: config.locations.map((l) => ({ ...l, stock: 'tracked' as const })),
    reservations: false,
    forecastAlerts: false,
  });
  return {
    engine,
    clock,
    storage,
    forget: (orderId) => storage.forget(orderId),
  };
}

/**
 * Which storage the audit replays on: `audit` (default, {@link createAuditStorage}) or
 * `memory`, core's reference memory storage (deep copies every write; slower). The two give
 * the same report; `memory` is kept to prove it (tests).
 */
export type AuditStorageKind = 'audit' | 'memory';

/** Core's memory storage, telling `observe` about every commit and forgetting settled orders. */
function memoryAuditStorage(
  observe: (entry: HistoryEntry, record: OrderRecord) => void,
): Storage & { forget(orderId: string): void } {
  const memory = createMemoryStorage({ retainCompleted: false });
  const keys = new Map<string, string[]>();
  return {
    ...memory,
    async commit(commit) {
      await memory.commit(commit);
      const list = keys.get(commit.orderId) ?? [];
      list.push(...commit.inboxKeys);
      keys.set(commit.orderId, list);
      observe(commit.history, commit.record);
    },
    forget(orderId) {
      memory.forget([orderId], keys.get(orderId) ?? []);
      keys.delete(orderId);
    },
  };
}

/** A warehouse that accepts every shipment at once and takes its units from `table`. */
function dryRunWarehouse(
  name: string,
  table: Record<string, Record<string, number>> | undefined,
): WarehouseAdapter {
  let n = 0;
  return {
    name,
    capabilities: { cancel: true, holdUntil: false, inventory: false, shipmentEvents: false },
    async submit(request) {
      const row = table?.[request.locationId];
      if (row) {
        for (const line of request.lines) {
          for (const c of line.components ?? [{ sku: line.sku, quantity: 1 }]) {
            row[c.sku] = Math.max(0, (row[c.sku] ?? 0) - c.quantity * line.quantity);
          }
        }
      }
      return { status: 'accepted', warehouseOrderId: `${name}-${++n}` };
    },
    async cancel() {},
  };
}

export type { Storage };
