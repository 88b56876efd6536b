import { parseArgs } from 'node:util';
import { isFulfilError } from '@fulfil/core';
import { migrate } from './migrations';
import { DEFAULT_SCHEMA } from './options';

/** Usage line of `fulfil-pg-migrate`. */
export const MIGRATE_USAGE =
  'usage: DATABASE_URL=postgres://... fulfil-pg-migrate [--schema NAME] (default schema: fulfil)';

/**
 * Runs `fulfil-pg-migrate`: applies missing migrations to `DATABASE_URL` in `--schema`.
 * Returns the process exit code (0 ok, 1 failed, 2 bad usage).
 */
export async function runMigrateCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  let schema: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { schema: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out(MIGRATE_USAGE);
      return 0;
    }
    schema = values.schema ?? DEFAULT_SCHEMA;
  } catch (e) {
    err(`${(e as Error).message}\n${MIGRATE_USAGE}`);
    return 2;
  }
  const connectionString = env.DATABASE_URL;
  if (!connectionString) {
    err(`DATABASE_URL is not set\n${MIGRATE_USAGE}`);
    return 2;
  }
  try {
    const result = await migrate({ connectionString, schema });
    out(
      result.applied.length === 0
        ? `schema "${result.schema}" is up to date (version ${result.version})`
        : `schema "${result.schema}": applied ${result.applied.join(', ')} (now version ${result.version})`,
    );
    return 0;
  } catch (e) {
    err(isFulfilError(e) ? e.message : String(e));
    return isFulfilError(e, 'CONFIG_INVALID') ? 2 : 1;
  }
}
