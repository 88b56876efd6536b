import { describe, expect, it } from 'vitest';
import { createForecaster } from '../../src/forecast/forecaster';
import {
  createConsoleAlerts,
  createMemoryDeliveryQueue,
  createMemoryInventory,
  createMemoryMetrics,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import { expectConfigInvalid } from '../../src/testing/helpers';

/** Calls a factory as JavaScript may: with anything. */
const js =
  <A>(create: (options: A) => unknown, options: unknown) =>
  () =>
    create(options as A);

describe('core factories validate their options', () => {
  const clock = createSimulatedClock('2026-01-01T00:00:00Z');

  it('all-optional factories accept no options and {}', () => {
    for (const create of [
      createMemoryStorage,
      createMemoryDeliveryQueue,
      createConsoleAlerts,
      createMemoryMetrics,
      createMemoryStore,
      createMemoryInventory,
      createForecaster,
      createOptimalRouter,
    ] as ((o?: unknown) => unknown)[]) {
      expect(create()).toBeTruthy();
      expect(create({})).toBeTruthy();
    }
  });

  it('a misspelt key gets "did you mean"', () => {
    const cases: [() => unknown, string, string][] = [
      [js(createMemoryStorage, { retainComplete: false }), 'retainComplete', 'retainCompleted'],
      [js(createMemoryStorage, { clok: clock }), 'clok', 'clock'],
      [js(createMemoryDeliveryQueue, { clocks: clock }), 'clocks', 'clock'],
      [js(createConsoleAlerts, { dedup: false }), 'dedup', 'dedupe'],
      [js(createMemoryMetrics, { maxSample: 10 }), 'maxSample', 'maxSamples'],
      [js(createMemoryStore, { adminURL: 'x' }), 'adminURL', 'adminUrl'],
      [js(createMemoryInventory, { stocks: {} }), 'stocks', 'stock'],
      [js(createForecaster, { serviceLvl: 0.9 }), 'serviceLvl', 'serviceLevel'],
      [js(createForecaster, { smoothing: { alpah: 0.3 } }), 'smoothing.alpah', 'alpha'],
      [js(createOptimalRouter, { exactLimt: 4 }), 'exactLimt', 'exactLimit'],
      [
        js(createOptimalRouter, { protect: { thresholdDay: 3 } }),
        'protect.thresholdDay',
        'thresholdDays',
      ],
      [
        js(createSimulatedWarehouse, { name: 'w', clock, location: ['l'] }),
        'location',
        'locations',
      ],
    ];
    for (const [create, path, hint] of cases) {
      expectConfigInvalid(create, path, new RegExp(`did you mean "${hint}"`));
    }
  });

  it('a wrong type names the path', () => {
    expectConfigInvalid(js(createMemoryStorage, { retainCompleted: 'no' }), 'retainCompleted');
    expectConfigInvalid(js(createMemoryStorage, { clock: {} }), 'clock', /missing method now/);
    expectConfigInvalid(js(createMemoryDeliveryQueue, { clock: 5 }), 'clock', /Clock/);
    expectConfigInvalid(js(createConsoleAlerts, { write: 'stdout' }), 'write', /function/);
    expectConfigInvalid(js(createMemoryMetrics, { maxSeries: -1 }), 'maxSeries');
    expectConfigInvalid(js(createMemoryStore, { adminUrl: 42 }), 'adminUrl');
    expectConfigInvalid(js(createMemoryInventory, { stock: 'lots' }), 'stock', /stock table/);
    expectConfigInvalid(js(createForecaster, { leadTimeDays: '7' }), 'leadTimeDays');
    expectConfigInvalid(js(createOptimalRouter, { costPerKm: -1 }), 'costPerKm');
    expectConfigInvalid(js(createMemoryStorage, 'yes'), '(root)', /must be an object/);
    expectConfigInvalid(
      js(createSimulatedWarehouse, { name: 'w', clock, locations: ['l'], shipAfterMs: -1 }),
      'shipAfterMs',
      /must be a number >= 0/,
    );
    expectConfigInvalid(
      js(createSimulatedWarehouse, { name: 'w', clock, locations: [] }),
      'locations',
      /at least one location id/,
    );
  });

  it('createSimulatedWarehouse: each required option missing in turn', () => {
    const full = { name: 'w', clock, locations: ['loc'] };
    expect(createSimulatedWarehouse(full).name).toBe('w');
    expectConfigInvalid(
      js(createSimulatedWarehouse, undefined),
      'name',
      /called without options; required: name, clock, locations/,
    );
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(js(createSimulatedWarehouse, rest), key, /required/);
    }
  });

  it('stock tables are kept by reference, not copied', () => {
    const stock = { loc: { A: 2 } };
    const inventory = createMemoryInventory({ stock });
    expect(inventory.tables[0]).toBe(stock);
  });

  it('createSimulatedClock (a start time, not an options object) keeps its own check', () => {
    expectConfigInvalid(js(createSimulatedClock, 'tomorrow'), 'start');
  });
});
