import { type FulfilError, isFulfilError } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { type CreatePGliteOptions, createPGlite } from '../src/pglite';

/** The CONFIG_INVALID `createPGlite(options)` rejects with (before PGlite is loaded). */
async function rejection(options: unknown): Promise<FulfilError> {
  const err = await createPGlite(options as CreatePGliteOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFulfilError(err, 'CONFIG_INVALID'), String(err)).toBe(true);
  return err as FulfilError;
}

describe('createPGlite options', () => {
  it('a misspelt key gets "did you mean" (all options are optional)', async () => {
    const e = await rejection({ cachedir: '/tmp' });
    expect(e.details.path).toBe('cachedir');
    expect(e.message).toMatch(
      /createPGlite options: cachedir: unknown option \(did you mean "cacheDir"\?\)/,
    );
  });

  it('a wrong type names the path', async () => {
    expect((await rejection({ cache: 'no' })).details.path).toBe('cache');
    expect((await rejection({ cacheDir: 3 })).details.path).toBe('cacheDir');
    expect((await rejection('memory://')).details.path).toBe('(root)');
  });
});
