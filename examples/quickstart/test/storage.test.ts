import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DemoStorageKind, parseArgs } from '../src/args';
import { runDemo } from '../src/demo';
import { openDemoStorage } from '../src/storage';

const DATABASE_URL = process.env.DATABASE_URL;
const outDir = mkdtempSync(join(tmpdir(), 'fulfil-demo-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** A short run: 12 orders over one day, diagram into a temp dir. */
const args = (storage: DemoStorageKind) =>
  parseArgs(['--orders', '12', '--days', '1', '--seed', '5', '--storage', storage], {
    cwd: outDir,
    packageDir: outDir,
  });

describe('the demo on PostgreSQL storage', () => {
  // One memory run as the reference the PostgreSQL runs must match.
  const reference = runDemo(args('memory'));

  it('--storage pglite: same outcome as in memory, kept in embedded PostgreSQL', async () => {
    const { summary, storageLabel } = await runDemo(args('pglite'));
    expect(storageLabel).toContain('PGlite');
    const memory = (await reference).summary;
    expect(summary.orders).toBe(12);
    expect(summary.byState).toEqual(memory.byState);
    expect(summary.commands).toEqual(memory.commands);
    expect(summary.duplicatesDropped).toBe(memory.duplicatesDropped);
  }, 60_000);

  it.skipIf(!DATABASE_URL)(
    `--storage postgres: runs on DATABASE_URL in a fresh schema and drops it${DATABASE_URL ? '' : ' (skipped: DATABASE_URL is not set)'}`,
    async () => {
      const { summary, storageLabel } = await runDemo(args('postgres'));
      const schema = /schema (demo_[0-9a-f]+)/.exec(storageLabel)?.[1];
      expect(schema).toBeDefined();
      expect(summary.byState).toEqual((await reference).summary.byState);
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
          schema,
        ]);
        expect(rows).toEqual([]);
      } finally {
        await client.end();
      }
    },
    60_000,
  );

  it('--storage postgres without DATABASE_URL says what to set', async () => {
    await expect(openDemoStorage('postgres', {})).rejects.toThrow(
      '--storage postgres reads DATABASE_URL',
    );
  });
});
