import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  createPostgresStorage,
  migrate,
  type PostgresStorage,
  type PostgresStorageOptions,
} from '../src';
import { createPGlite } from '../src/pglite';

/** The real server when set (`.ci/run` sets it), else embedded PGlite. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** One test file's database: its own schema `t_<random>`, dropped by `drop()`. */
export interface TestDatabase {
  kind: 'postgres' | 'pglite';
  schema: string;
  /** Runs one statement (for tests that poke at rows). */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** A storage on this schema (sharing the file's pool or PGlite). */
  storage(options?: Partial<PostgresStorageOptions>): PostgresStorage;
  /** A storage on this schema that records the text of every statement it sends. */
  countedStorage(options?: Partial<PostgresStorageOptions>): {
    storage: PostgresStorage;
    statements: string[];
  };
  /** A storage on its own pool, as another process would have (PGlite: the same instance). */
  connect(): PostgresStorage;
  /** Empties every table. */
  truncate(): Promise<void>;
  /** Drops the schema and closes everything. */
  drop(): Promise<void>;
}

/** Opens the file's database and migrates a fresh schema. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const opened: PostgresStorage[] = [];
  let source: Pick<PostgresStorageOptions, 'pool' | 'pglite'>;
  let close: () => Promise<void>;
  if (DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 8 });
    source = { pool };
    close = () => pool.end();
  } else {
    const pglite = await createPGlite();
    source = { pglite };
    close = () => pglite.close();
  }
  await migrate({ ...source, schema });
  const run = async <R>(text: string, params?: unknown[]) => {
    const result = source.pool
      ? await source.pool.query(text, params)
      : await source.pglite!.query(text, params);
    return result.rows as R[];
  };
  return {
    kind: DATABASE_URL ? 'postgres' : 'pglite',
    schema,
    sql: run,
    storage: (options = {}) =>
      createPostgresStorage({ ...source, schema, autoMigrate: false, ...options }),
    countedStorage(options = {}) {
      const statements: string[] = [];
      const { pool, pglite } = source;
      const counted: Pick<PostgresStorageOptions, 'pool' | 'pglite'> = pool
        ? {
            pool: {
              query: (config, params) => {
                statements.push(typeof config === 'string' ? config : config.text);
                return pool.query(config, params);
              },
              connect: () => pool.connect(),
              end: async () => {},
            },
          }
        : {
            pglite: {
              query: (text, params) => {
                statements.push(text);
                return pglite!.query(text, params);
              },
              transaction: (fn) => pglite!.transaction(fn),
            },
          };
      const storage = createPostgresStorage({ ...counted, schema, autoMigrate: false, ...options });
      return { storage, statements };
    },
    connect() {
      const storage = DATABASE_URL
        ? createPostgresStorage({ connectionString: DATABASE_URL, schema, autoMigrate: false })
        : createPostgresStorage({ ...source, schema, autoMigrate: false });
      opened.push(storage);
      return storage;
    },
    async truncate() {
      const s = `"${schema}"`;
      await run(
        `TRUNCATE ${s}.orders, ${s}.history, ${s}.inbox, ${s}.outbox, ${s}.timers, ${s}.reservations, ${s}.deliveries, ${s}.insights_events, ${s}.insights_state_counts, ${s}.insights_state_moves, ${s}.insights_review_counts, ${s}.insights_review_moves, ${s}.insights_hours, ${s}.insights_hourly, ${s}.insights_processing RESTART IDENTITY`,
      );
      await run(`ALTER SEQUENCE ${s}.reservation_release_seq RESTART`);
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    },
    async drop() {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
      await run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await close();
    },
  };
}
