import { expect } from 'vitest';
import { isFulfilError } from '../../errors';
import type { Insights } from '../../ports/insights';
import type { Storage } from '../../ports/storage';

/** What one insights conformance case sees. Internal to the suite. */
export interface InsightsCaseContext {
  /** The storage under test: fresh and empty for each case. */
  readonly storage: Storage;
  /** `storage.insights`. */
  readonly insights: Insights;
  /** "Now" for the case: the wall clock when it started. */
  readonly now: number;
}

/** 2026-11-27T09:00:00.000Z, the start of the seeded scenarios. */
export const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `T0 + seconds`, epoch ms. */
export const t = (seconds: number): number => T0 + seconds * SECOND;
/** ISO of `T0 + seconds`. */
export const at = (seconds: number): string => new Date(t(seconds)).toISOString();

/**
 * Asserts that `promise` rejects with `INVALID_INPUT` whose message and `details.path`
 * name `field` (the path ends with it, e.g. `query.limit` for `limit`).
 */
export async function expectInvalid(promise: Promise<unknown>, field: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, `expected INVALID_INPUT naming ${field}`).toBeDefined();
  expect(
    isFulfilError(error, 'INVALID_INPUT'),
    `expected INVALID_INPUT, got: ${String(error)}`,
  ).toBe(true);
  const e = error as { message: string; details: { path?: unknown } };
  expect(e.message).toContain(field);
  expect(String(e.details.path ?? '')).toMatch(new RegExp(`(^|\\.)${field}$`));
}
