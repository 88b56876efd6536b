import { type FulfilError, isFulfilError } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { type RunAuditOptions, runAudit } from '../src';

/** The CONFIG_INVALID `runAudit(options)` rejects with, before reading anything. */
async function rejection(options: unknown, path: string): Promise<FulfilError> {
  const err = await runAudit(options as RunAuditOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFulfilError(err, 'CONFIG_INVALID'), String(err)).toBe(true);
  expect((err as FulfilError).details.path).toBe(path);
  return err as FulfilError;
}

const full = {
  config: {},
  configFile: 'fulfil.config.ts',
  orders: 'orders.csv',
  stock: { kind: 'unlimited' },
};

describe('runAudit options', () => {
  it('each required option missing in turn, a misspelt key, a wrong type', async () => {
    for (const key of Object.keys(full) as (keyof typeof full)[]) {
      const { [key]: _dropped, ...rest } = full;
      const e = await rejection(rest, key);
      // `stock` is a union: its message lists the accepted shapes rather than "required".
      if (key !== 'stock') expect(e.message).toMatch(/required/);
    }
    expect((await rejection({ ...full, onProgres: () => {} }, 'onProgres')).message).toMatch(
      /did you mean "onProgress"/,
    );
    await rejection({ ...full, orders: 42 }, 'orders');
  });
});
