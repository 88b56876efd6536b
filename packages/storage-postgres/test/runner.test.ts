import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isFulfilError } from '@fulfil/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, LATEST_VERSION } from '../src';
import { createRunner } from '../src/runner';
import { DATABASE_URL } from './test-db';

// Item 5 of issue 13: a migration whose connection drops must reject with a typed error,
// never crash the process with `Emitted 'error' event on Client instance`. Needs a real
// server: PGlite runs in-process and has no backend to terminate.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TITLE = DATABASE_URL
  ? 'runner: a connection killed mid-transaction'
  : 'runner: a connection killed mid-transaction — SKIPPED: DATABASE_URL is unset, and PGlite has no server backend to kill';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const schemas: string[] = [];

/** Holds the migration lock of `schema` on its own connection, so a migration waits on it. */
async function holdMigrationLock(schema: string, admin: pg.Pool) {
  const holder = new pg.Client({ connectionString: DATABASE_URL });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fulfil:migrate:${schema}`]);
  return {
    /** Waits until a backend named `app` waits on a lock, then terminates it. */
    async killWaiter(app: string, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        // Not on `holder`: inside a transaction pg_stat_activity is a snapshot that never changes.
        const { rows } = await admin.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
           WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [app],
        );
        if (rows.some((r) => r.killed)) return;
        await sleep(50);
      }
      throw new Error(`no backend named ${app} waited on the migration lock`);
    },
    /** Waits until a backend of this process (`pid` list) waits on a lock, then terminates it. */
    async killWaitingPid(pids: () => Promise<number[]>, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const { rows } = await admin.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
           WHERE pid = ANY($1::int[]) AND wait_event_type = 'Lock'`,
          [await pids()],
        );
        if (rows.some((r) => r.killed)) return;
        await sleep(20);
      }
      throw new Error('no backend of the pool waited on the migration lock');
    },
    async release() {
      await holder.query('ROLLBACK');
      await holder.end();
    },
  };
}

/** Runs test/migrate-victim.ts in a child process; resolves with its exit code and output. */
function runVictim(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', 'tsx', 'test/migrate-victim.ts'],
    { cwd: PACKAGE_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

async function schemaExists(admin: pg.Pool, schema: string) {
  const { rows } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return rows.length > 0;
}

describe.skipIf(!DATABASE_URL)(TITLE, () => {
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  for (const mode of ['migrate', 'auto'] as const) {
    it(`${mode === 'auto' ? 'auto-migration' : 'migrate()'}: the process survives, the call rejects with ADAPTER_FAILED / connection_lost, nothing half-written`, async () => {
      const schema = `t_kill_${randomBytes(5).toString('hex')}`;
      const app = `fulfil-kill-${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      const lock = await holdMigrationLock(schema, admin);
      const victim = runVictim({ MODE: mode, FULFIL_SCHEMA: schema, FULFIL_APP_NAME: app });
      try {
        await lock.killWaiter(app);
      } finally {
        await lock.release();
      }
      const { code, stdout, stderr } = await victim;
      expect(stderr).not.toMatch(/Emitted 'error' event|Unhandled|uncaught/i);
      expect(code).toBe(0);
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(result).toMatchObject({
        outcome: 'rejected',
        name: 'FulfilError',
        code: 'ADAPTER_FAILED',
        reason: 'connection_lost',
      });
      expect(result.message).toMatch(/connection/i);
      // One transaction: the server rolled it back whole.
      expect(await schemaExists(admin, schema)).toBe(false);
    }, 90_000);
  }

  it('on a pool you own: the broken client is discarded and the next migration succeeds', async () => {
    const schema = `t_kill_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const poolErrors: Error[] = [];
    pool.on('error', (err) => poolErrors.push(err));
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const storage = createPostgresStorage({ pool, schema, autoMigrate: false });
    const lock = await holdMigrationLock(schema, admin);
    try {
      const pending = storage.migrate().then(
        () => null,
        (err: unknown) => err,
      );
      const pids = async () => {
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_advisory_xact_lock%' AND pid <> pg_backend_pid()`,
        );
        return rows.map((r) => r.pid);
      };
      await lock.killWaitingPid(pids);
      const err = await pending;
      await sleep(200); // the socket's end arrives after the query's error
      expect(uncaught).toEqual([]);
      expect(isFulfilError(err, 'ADAPTER_FAILED')).toBe(true);
      expect((err as { details: Record<string, unknown> }).details).toMatchObject({
        reason: 'connection_lost',
        retryable: true,
      });
    } finally {
      process.off('uncaughtException', onUncaught);
      await lock.release();
    }
    // max: 1 — were the dead client kept, this would fail with "not queryable".
    expect(await storage.migrate()).toMatchObject({ version: LATEST_VERSION });
    await pool.end();
  }, 60_000);
});

describe.skipIf(!DATABASE_URL)(TITLE.replace('killed mid-transaction', 'that stays up'), () => {
  it('an ordinary error rolls back, comes back unchanged, and the client returns to the pool', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const runner = createRunner({ pool });
    const boom = new Error('boom');
    await expect(
      runner.transaction(async (tx) => {
        await tx.query('SELECT 1');
        throw boom;
      }),
    ).rejects.toBe(boom);
    const sqlError = await runner
      .transaction((tx) => tx.query('SELECT * FROM no_such_table_here'))
      .catch((err: unknown) => err);
    expect(sqlError).toMatchObject({ code: '42P01' });
    expect(pool.totalCount).toBe(1);
    expect(await runner.transaction((tx) => tx.query('SELECT 2 AS n'))).toMatchObject({
      rows: [{ n: 2 }],
    });
    await pool.end();
  });
});
