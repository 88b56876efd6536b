import { randomBytes } from 'node:crypto';
import { type Clock, createMemoryStorage, type Storage } from '@fulfil/core';
import type { DemoStorageKind } from './args';

/** The demo's storage, how to describe it, and how to clean up after the run. */
export interface DemoStorage {
  storage: Storage;
  /** For the report header, e.g. `PostgreSQL at 127.0.0.1:5432/test, schema demo_ab12cd34`. */
  label: string;
  /** Closes connections; `postgres` also drops the run's schema. */
  close(): Promise<void>;
}

/**
 * Opens the storage `--storage` asked for. PostgreSQL support is loaded only when asked:
 * - `memory`: core's in-memory storage;
 * - `pglite`: `@fulfil/storage-postgres` on PGlite, PostgreSQL embedded in this process;
 * - `postgres`: `@fulfil/storage-postgres` on the server at `env.DATABASE_URL`, in a fresh
 *   schema `demo_<random>` that `close()` drops.
 */
export async function openDemoStorage(
  kind: DemoStorageKind,
  env: Record<string, string | undefined> = process.env,
  /** The clock of the memory storage's read model (`insights`): the demo's simulated one. */
  clock?: Clock,
): Promise<DemoStorage> {
  if (kind === 'memory') {
    const storage = createMemoryStorage(clock ? { clock } : {});
    return { storage, label: 'in memory', close: async () => {} };
  }
  const { createPostgresStorage } = await import('@fulfil/storage-postgres');
  if (kind === 'pglite') {
    const { createPGlite } = await import('@fulfil/storage-postgres/pglite');
    // A fresh in-memory PGlite, started from a cached empty data directory (initdb takes seconds).
    const pglite = await createPGlite();
    const storage = createPostgresStorage({ pglite, schema: 'fulfil' });
    await storage.migrate();
    return {
      storage,
      label: 'PGlite (PostgreSQL embedded in this process)',
      close: () => pglite.close(),
    };
  }
  const url = env.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error(
      '--storage postgres reads DATABASE_URL: set it, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test',
    );
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {}); // an idle client losing its connection must not crash the demo
  const schema = `demo_${randomBytes(4).toString('hex')}`;
  const storage = createPostgresStorage({ pool, schema });
  try {
    await storage.migrate();
  } catch (err) {
    await pool.end();
    throw err;
  }
  const where = new URL(url);
  return {
    storage,
    label: `PostgreSQL at ${where.host}${where.pathname}, schema ${schema} (dropped at the end)`,
    async close() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}
