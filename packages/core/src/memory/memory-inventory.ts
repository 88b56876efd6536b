import { z } from 'zod';
import { ErrorCodes, FulfilError } from '../errors';
import type { InventorySnapshot } from '../model/facts';
import { parseOptions } from '../options';
import type { InventorySource } from '../ports/services';
import type { WarehouseAdapter } from '../ports/warehouse';
import { StockTableOption } from './stock-option';

/**
 * Units on hand per location per SKU: `{ [locationId]: { [sku]: units } }`. The
 * simulated warehouse and the memory inventory share one such object, so what
 * the warehouse allocates is what the inventory source reports.
 */
export type StockTable = Record<string, Record<string, number>>;

/** Options for {@link createMemoryInventory}. */
export interface MemoryInventoryOptions {
  /**
   * The stock table(s) to read, by reference: later changes (by `set`, by a
   * simulated warehouse allocating stock, or by your test) are seen at once.
   * Several tables are merged; a location in two tables reads from the first.
   * Default: a new empty table.
   */
  stock?: StockTable | StockTable[];
}

const OptionsSchema = z.object({
  stock: z.union([StockTableOption, z.array(StockTableOption)]).optional(),
} satisfies Record<keyof MemoryInventoryOptions, z.ZodType>);

/** The in-memory {@link InventorySource}, plus a setter. */
export interface MemoryInventory extends InventorySource {
  /** The tables this source reads (the same objects that were passed in). */
  readonly tables: StockTable[];
  /**
   * Sets the units of `sku` at `location`, in the first table that has the
   * location (or in the first table).
   */
  set(location: string, sku: string, units: number): void;
}

/**
 * Creates an {@link InventorySource} that reads stock tables held in memory.
 * Negative units (oversold) read as 0; SKUs a location does not list are omitted.
 *
 * @example
 * ```ts
 * const stock = { 'loc-east': { 'TEE-M': 5 }, 'loc-west': { 'TEE-M': 0 } };
 * const inventory = createMemoryInventory({ stock });
 * inventory.set('loc-west', 'TEE-M', 3);
 * await inventory.available(['TEE-M']); // { 'loc-east': { 'TEE-M': 5 }, 'loc-west': { 'TEE-M': 3 } }
 * ```
 */
export function createMemoryInventory(options: MemoryInventoryOptions = {}): MemoryInventory {
  parseOptions(OptionsSchema, options, 'createMemoryInventory', { optional: true });
  const given = options.stock ?? {};
  const tables = Array.isArray(given) ? given : [given];
  if (tables.length === 0) tables.push({});
  return {
    tables,
    async available(skus) {
      const snapshot: InventorySnapshot = {};
      for (const table of tables) {
        for (const [location, units] of Object.entries(table)) {
          if (location in snapshot) continue;
          snapshot[location] = pick(units, skus);
        }
      }
      return snapshot;
    },
    set(location, sku, units) {
      if (!Number.isInteger(units)) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `inventory.set("${location}", "${sku}", ${units}): units must be an integer`,
          { details: { path: 'units' } },
        );
      }
      const table = tables.find((t) => location in t) ?? (tables[0] as StockTable);
      table[location] ??= {};
      (table[location] as Record<string, number>)[sku] = units;
    },
  };
}

/**
 * Creates one {@link InventorySource} over several warehouse adapters, by
 * calling each one's `inventory()` (adapters without the `inventory`
 * capability are skipped). Works with simulated and real warehouses alike.
 *
 * @example
 * ```ts
 * const inventory = inventoryFromWarehouses([east, west]);
 * const engine = createEngine({ inventory, warehouses: { east, west }, ... });
 * ```
 */
export function inventoryFromWarehouses(warehouses: WarehouseAdapter[]): InventorySource {
  return {
    async available(skus) {
      const snapshot: InventorySnapshot = {};
      const results = await Promise.all(
        warehouses.map((w) =>
          w.capabilities.inventory && w.inventory
            ? w.inventory(skus)
            : Promise.resolve<InventorySnapshot>({}),
        ),
      );
      for (const result of results) {
        for (const [location, units] of Object.entries(result)) {
          snapshot[location] ??= pick(units, skus);
        }
      }
      return snapshot;
    },
  };
}

function pick(units: Record<string, number>, skus: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sku of skus) {
    const value = units[sku];
    if (typeof value === 'number' && Number.isFinite(value))
      out[sku] = Math.max(0, Math.trunc(value));
  }
  return out;
}
