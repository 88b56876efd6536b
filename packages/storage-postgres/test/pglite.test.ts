import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPGlite } from '../src/pglite';

// Each start takes seconds here, so the file starts three instances in all, one per test.
const cacheDir = mkdtempSync(join(tmpdir(), 'fulfil-pglite-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The cache directory's files (the cache tar, and any partial write left behind). */
const files = () => readdir(cacheDir);
const cacheFile = async () => {
  const [name] = await files();
  return join(cacheDir, name!);
};
const tableExists = async (pglite: Awaited<ReturnType<typeof createPGlite>>) => {
  const { rows } = await pglite.query<{ t: string | null }>(
    "SELECT to_regclass('public.kept')::text AS t",
  );
  return rows[0]!.t !== null;
};

describe('createPGlite', () => {
  it('first start: runs initdb and writes the cache, atomically', async () => {
    expect(await files()).toEqual([]);
    const pglite = await createPGlite({ cacheDir });
    try {
      const names = await files();
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^fulfil-pglite-[0-9a-f]{12}\.tar$/);
      // Written here so the next test can prove its instance does not see it.
      await pglite.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (1);');
      expect(await tableExists(pglite)).toBe(true);
    } finally {
      await pglite.close();
    }
  }, 60_000);

  it('later starts load the cache (left as it is) and start empty', async () => {
    const file = await cacheFile();
    const before = await stat(file);
    const pglite = await createPGlite({ cacheDir });
    try {
      expect((await pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(await tableExists(pglite)).toBe(false);
      // Loaded, not rewritten: a fallback start would have renamed a new file over it.
      const after = await stat(file);
      expect(after.ino).toBe(before.ino);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(await files()).toEqual([file.slice(cacheDir.length + 1)]);
    } finally {
      await pglite.close();
    }
  }, 60_000);

  it('a corrupt cache falls back to a plain start and is replaced', async () => {
    const file = await cacheFile();
    const whole = await readFile(file);
    // Not a tar: PGlite itself would fail on it with an unhandled rejection (an error here).
    await writeFile(file, Buffer.from('not a tar file\n'.repeat(1024)));
    const pglite = await createPGlite({ cacheDir });
    try {
      expect((await pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(await tableExists(pglite)).toBe(false);
      const rewritten = await readFile(file);
      expect(rewritten.length).toBe(whole.length);
      expect(await files()).toHaveLength(1);
    } finally {
      await pglite.close();
    }
  }, 60_000);

  it('without @electric-sql/pglite installed: CONFIG_INVALID saying to install it', async () => {
    vi.resetModules();
    vi.doMock('@electric-sql/pglite', () => {
      throw Object.assign(new Error("Cannot find package '@electric-sql/pglite'"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    try {
      const { createPGlite: withoutPGlite } = await import('../src/pglite');
      const error = await withoutPGlite({ cacheDir }).catch((err: unknown) => err);
      // After resetModules the module has its own copy of @fulfil/core: compare by name and code.
      expect(error).toMatchObject({ name: 'FulfilError', code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain('install it (npm install @electric-sql/pglite)');
    } finally {
      vi.doUnmock('@electric-sql/pglite');
      vi.resetModules();
    }
  });
});
