import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/engine';
import {
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '../../src/memory';
import { expectConfigInvalid } from '../../src/testing/helpers';

/** createEngine as plain JavaScript calls it: no types to stop a mistake. */
const createFromJs = (options: unknown) => () => createEngine(options as EngineOptions);

function valid(): Record<string, unknown> {
  const clock = createSimulatedClock(0);
  return {
    storage: createMemoryStorage(),
    warehouses: {
      main: createSimulatedWarehouse({
        name: 'main',
        clock,
        locations: ['east'],
        stock: { east: { TEE: 5 } },
      }),
    },
    locations: [{ id: 'east', warehouse: 'main' }],
    clock,
  };
}

function without(key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = valid();
  return rest;
}

describe('createEngine options, as JavaScript callers pass them', () => {
  it('the valid options create an engine', () => {
    expect(createFromJs(valid())().config.locations).toHaveLength(1);
  });

  // The three raw TypeErrors of issue 16, now CONFIG_INVALID with a path.
  it('no storage: CONFIG_INVALID at storage, not "reading \'capabilities\'"', () => {
    const e = expectConfigInvalid(createFromJs(without('storage')), 'storage', /required/);
    expect(e.message).toMatch(/expected a Storage .*createMemoryStorage\(\)/);
    expect(e.message).not.toMatch(/Cannot read properties/);
  });

  it('no options at all: CONFIG_INVALID naming every required option, not "reading \'locations\'"', () => {
    const e = expectConfigInvalid(createFromJs(undefined), 'storage');
    expect(e.message).toBe(
      'CONFIG_INVALID: createEngine: called without options; required: storage, warehouses, locations',
    );
    expect(e.details.issues?.map((i) => i.path)).toEqual(['storage', 'warehouses', 'locations']);
  });

  it('`warehouse:` instead of `warehouses:`: did you mean, not "reading \'main\'"', () => {
    const { warehouses, ...rest } = valid();
    const e = expectConfigInvalid(
      createFromJs({ ...rest, warehouse: warehouses }),
      'warehouse',
      /warehouse: unknown option \(did you mean "warehouses"\?\)/,
    );
    expect(e.message).toMatch(/warehouses: required/);
  });

  it.each(['storage', 'warehouses', 'locations'])(
    'each required option missing in turn: %s',
    (key) => {
      expectConfigInvalid(createFromJs(without(key)), key, /required/);
    },
  );

  it('a misspelt optional key is refused with a suggestion, not silently ignored', () => {
    expectConfigInvalid(
      createFromJs({ ...valid(), timezone: 'Europe/Paris' }),
      'timezone',
      /did you mean "timeZone"/,
    );
    expectConfigInvalid(
      createFromJs({ ...valid(), dispatch: { maxAtempts: 3 } }),
      'dispatch.maxAtempts',
      /did you mean "maxAttempts"/,
    );
  });

  it('ports must be objects with their methods', () => {
    expectConfigInvalid(
      createFromJs({ ...valid(), storage: {} }),
      'storage',
      /missing methods load, commit/,
    );
    expectConfigInvalid(
      createFromJs({ ...valid(), warehouses: { main: 'shipstation' } }),
      'warehouses.main',
      /expected a WarehouseAdapter .*got a string/,
    );
    expectConfigInvalid(
      createFromJs({ ...valid(), clock: Date.now }),
      'clock',
      /missing method now/,
    );
    expectConfigInvalid(createFromJs({ ...valid(), classifier: {} }), 'classifier', /classify/);
    expectConfigInvalid(createFromJs({ ...valid(), onError: 'log' }), 'onError', /function/);
  });

  it('a port is used as passed, not copied', async () => {
    const options = valid();
    const engine = createFromJs(options)();
    expect(await engine.get('nothing')).toBeUndefined();
    expect((options.storage as ReturnType<typeof createMemoryStorage>).capabilities).toBeDefined();
  });

  it('options that are not an object', () => {
    expectConfigInvalid(
      createFromJs('postgres://localhost'),
      '(root)',
      /must be an object, got a string$/,
    );
    expectConfigInvalid(createFromJs([]), '(root)', /got an array/);
  });
});
