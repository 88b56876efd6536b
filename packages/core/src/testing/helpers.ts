import { afterEach, beforeEach, expect } from 'vitest';
import { type ErrorCode, type FulfilError, isFulfilError } from '../errors';

/** Asserts that `promise` rejects with a `FulfilError` of `code`. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, `expected a FulfilError with code ${code}`).toBeDefined();
  expect(
    isFulfilError(error, code),
    `expected a FulfilError with code ${code}, got: ${String(error)}`,
  ).toBe(true);
}

/** A case name that says why it is skipped when `enabled` is false. */
export function gated(enabled: boolean, name: string, why: string): string {
  return enabled ? name : `${name} (skipped: ${why})`;
}

/** Strings that break naive storage: quotes, SQL, separators, unicode, big numeric ids. */
export const AWKWARD_STRINGS: readonly string[] = [
  `it's "quoted"`,
  "Robert'); DROP TABLE orders;--",
  'semi;colon,comma|pipe\\backslash',
  'line\nbreak\ttab',
  'ünïcödé 日本語 🎁👩‍👩‍👧',
  '%_wildcards_%',
  '820982911946154508',
  'gid://shopify/Order/820982911946154508',
  ' padded ',
  '$1 $& {{y}} %s',
];

/**
 * Asserts that `create` throws a `FulfilError` with code `CONFIG_INVALID` whose
 * `details.path` is `path` (and whose message matches `message`, when given), and
 * returns it. For the option tests of a factory: a missing required option, a
 * misspelt key ("did you mean ...?"), a wrong port.
 *
 * @example
 * ```ts
 * expectConfigInvalid(() => createEngine({ warehouse: {} } as unknown as EngineOptions), 'warehouse', /did you mean "warehouses"/);
 * ```
 */
export function expectConfigInvalid(
  create: () => unknown,
  path: string,
  message?: RegExp,
): FulfilError {
  let error: unknown;
  try {
    create();
  } catch (err) {
    error = err;
  }
  expect(
    isFulfilError(error, 'CONFIG_INVALID'),
    `expected a FulfilError with code CONFIG_INVALID, got: ${String(error)}`,
  ).toBe(true);
  const e = error as FulfilError;
  expect(e.details.path, `details.path of: ${e.message}`).toBe(path);
  if (path !== '(root)') expect(e.message).toContain(path);
  if (message) expect(e.message).toMatch(message);
  return e;
}

/**
 * A fresh setup for every case of a suite: `factory()` before each, its `cleanup()` after.
 * `current` is the case's setup (an error naming `suite` outside a case or when the factory
 * failed); `now` is `Date.now()` when the case started.
 */
export function freshPerCase<S extends { cleanup?: () => unknown }>(
  suite: string,
  factory: () => Promise<S>,
): { readonly current: S; readonly now: number } {
  let setup: S | undefined;
  let now = 0;
  beforeEach(async () => {
    setup = await factory();
    now = Date.now();
  });
  afterEach(async () => {
    await setup?.cleanup?.();
    setup = undefined;
  });
  return {
    get current() {
      if (setup === undefined) throw new Error(`${suite} conformance: no setup (factory failed?)`);
      return setup;
    },
    get now() {
      return now;
    },
  };
}
