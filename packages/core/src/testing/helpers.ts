import { expect } from 'vitest';
import { type ErrorCode, isFulfilError } from '../errors';

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
