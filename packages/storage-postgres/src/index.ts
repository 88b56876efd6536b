export { MIGRATE_USAGE, runMigrateCli } from './cli';
export {
  LATEST_VERSION,
  MIGRATIONS,
  type MigrateResult,
  type Migration,
  migrate,
} from './migrations';
export type { Operations, PurgeResult } from './operations';
export {
  type ConnectionOptions,
  DEFAULT_SCHEMA,
  POSTGRES_STORAGE_NAME,
  type PostgresStorageOptions,
} from './options';
export { createPostgresStorage, type PostgresStorage } from './postgres-storage';
export type { PGliteLike, PoolLike } from './runner';
export type { DailyDemand, StatsQueries } from './stats-queries';
export { type VelocityKey, type VelocityQuery, velocityValues } from './velocity';
