import {
  createEngine,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { expectConfigInvalid } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import { basicAuth, type ConsoleOptions, createConsole, parseConsoleUsers } from '../src';

const clock = createSimulatedClock('2026-01-01T00:00:00Z');
const storage = createMemoryStorage({ clock });
const engine = createEngine({
  storage,
  clock,
  warehouses: { main: createSimulatedWarehouse({ name: 'main', clock, locations: ['loc'] }) },
  locations: [{ id: 'loc', warehouse: 'main', stock: 'untracked' }],
});
const full = { engine, storage, authorize: 'anonymous-allowed' as const };
const create = (o: unknown) => () => createConsole(o as ConsoleOptions);

describe('createConsole options', () => {
  it('valid options give a handler', () => {
    expect(typeof createConsole(full)).toBe('function');
  });

  it('no options, and each required option missing in turn', () => {
    expectConfigInvalid(create(undefined), 'engine', /required: engine, storage, authorize/);
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      expectConfigInvalid(create(rest), key);
    }
  });

  it('a misspelt key gets "did you mean"', () => {
    expectConfigInvalid(
      create({ ...full, basepath: '/ops' }),
      'basepath',
      /did you mean "basePath"/,
    );
    expectConfigInvalid(create({ ...full, pagesize: 10 }), 'pagesize', /did you mean "pageSize"/);
  });

  it('a wrong type names the path', () => {
    expectConfigInvalid(create({ ...full, maskCustomer: 'yes' }), 'maskCustomer');
    expectConfigInvalid(create({ ...full, clock: {} }), 'clock.now');
    expectConfigInvalid(
      create({
        ...full,
        storage: { ...storage, capabilities: { ...storage.capabilities, insights: false } },
      }),
      'storage.capabilities.insights',
    );
  });
});

describe('basicAuth options', () => {
  it('required users, a misspelt key, a wrong type', () => {
    expectConfigInvalid(() => basicAuth(undefined as never), 'users', /required: users/);
    expectConfigInvalid(
      () => basicAuth({ users: { ops: 'a-long-enough-password' }, relm: 'x' } as never),
      'relm',
      /did you mean "realm"/,
    );
    expectConfigInvalid(() => basicAuth({ users: 'ops' } as never), 'users');
  });
});

describe('parseConsoleUsers (CONSOLE_USERS / CONSOLE_PASSWORD)', () => {
  it('user:password pairs; the password keeps its colons and spaces; names and the whole value are trimmed', () => {
    expect(
      parseConsoleUsers(' alice:correct horse:battery , bob :pw two is long  \n', 'ignored'),
    ).toEqual({
      alice: 'correct horse:battery ',
      bob: 'pw two is long',
    });
  });

  it('CONSOLE_PASSWORD alone is the account ops; both unset or blank: no console', () => {
    expect(parseConsoleUsers(undefined, 'a long enough password')).toEqual({
      ops: 'a long enough password',
    });
    expect(parseConsoleUsers('  ', 'a long enough password')).toEqual({
      ops: 'a long enough password',
    });
    expect(parseConsoleUsers(undefined, undefined)).toBeUndefined();
    expect(parseConsoleUsers('', '')).toBeUndefined();
  });

  it('a pair without "user:" is CONFIG_INVALID naming env.CONSOLE_USERS', () => {
    for (const bad of ['alice', ':password-only', 'alice:long-password-1,']) {
      expectConfigInvalid(
        () => parseConsoleUsers(bad, undefined),
        'env.CONSOLE_USERS',
        /user:password/,
      );
    }
  });

  it('a password under 12 characters is CONFIG_INVALID naming the variable it came from', () => {
    expectConfigInvalid(
      () => parseConsoleUsers('alice:long-enough-pw,bob:short', undefined),
      'env.CONSOLE_USERS',
      /the password of "bob" is 5 characters; use at least 12/,
    );
    expectConfigInvalid(
      () => parseConsoleUsers(undefined, 'short'),
      'env.CONSOLE_PASSWORD',
      /the password is 5 characters; use at least 12/,
    );
  });
});
