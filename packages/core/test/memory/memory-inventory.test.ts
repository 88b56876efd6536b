import { describe, expect, it } from 'vitest';
import {
  createMemoryInventory,
  createSimulatedClock,
  createSimulatedWarehouse,
  inventoryFromWarehouses,
} from '../../src/memory';
import type { WarehouseAdapter } from '../../src/ports/warehouse';

describe('createMemoryInventory', () => {
  it('reports requested SKUs per location; negatives read 0; unknown SKUs omitted', async () => {
    const inventory = createMemoryInventory({
      stock: { east: { TEE: 4, MUG: -2 }, west: { TEE: 1 } },
    });
    expect(await inventory.available(['TEE', 'MUG', 'NOPE'])).toEqual({
      east: { TEE: 4, MUG: 0 },
      west: { TEE: 1 },
    });
  });

  it('reads the table by reference and set() writes to it', async () => {
    const stock: Record<string, Record<string, number>> = { east: { TEE: 4 } };
    const inventory = createMemoryInventory({ stock });
    stock.east!.TEE = 9;
    inventory.set('north', 'TEE', 2);
    expect(await inventory.available(['TEE'])).toEqual({ east: { TEE: 9 }, north: { TEE: 2 } });
    expect(stock.north).toEqual({ TEE: 2 });
    expect(() => inventory.set('east', 'TEE', 1.5)).toThrow(/INVALID_INPUT/);
  });

  it('merges several tables, the first table winning for a shared location', async () => {
    const a = { east: { TEE: 1 } };
    const b = { east: { TEE: 99 }, west: { TEE: 2 } };
    const inventory = createMemoryInventory({ stock: [a, b] });
    expect(await inventory.available(['TEE'])).toEqual({ east: { TEE: 1 }, west: { TEE: 2 } });
    inventory.set('west', 'TEE', 5);
    expect(b.west.TEE).toBe(5);
  });

  it('starts empty without options', async () => {
    const inventory = createMemoryInventory();
    expect(await inventory.available(['TEE'])).toEqual({});
    inventory.set('east', 'TEE', 3);
    expect(await inventory.available(['TEE'])).toEqual({ east: { TEE: 3 } });
  });
});

describe('inventoryFromWarehouses', () => {
  it('combines the inventory of warehouses that have it', async () => {
    const clock = createSimulatedClock(0);
    const east = createSimulatedWarehouse({
      name: 'east',
      clock,
      locations: ['e1', 'e2'],
      stock: { e1: { TEE: 3 }, e2: { TEE: -1 } },
      shipAfterMs: 0,
    });
    const west = createSimulatedWarehouse({
      name: 'west',
      clock,
      locations: ['w1'],
      stock: { w1: { MUG: 2 } },
      shipAfterMs: 0,
    });
    const blind: WarehouseAdapter = {
      name: 'blind',
      capabilities: { cancel: false, holdUntil: false, inventory: false, shipmentEvents: false },
      submit: async () => ({ status: 'rejected', reason: 'n/a' }),
    };
    const inventory = inventoryFromWarehouses([east, west, blind]);
    expect(await inventory.available(['TEE', 'MUG'])).toEqual({
      e1: { TEE: 3 },
      e2: { TEE: 0 },
      w1: { MUG: 2 },
    });
  });
});
