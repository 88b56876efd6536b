// A child process of the stock race (test/stock-race.test.ts): one engine on its own pool.
// Env: DATABASE_URL, FULFIL_SCHEMA, WAREHOUSE_URL. Prints `{"stockConflicts": n}`.
import pg from 'pg';
import { createPostgresStorage } from '../src/index';
import { raceEngine } from './race-engine';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`race worker: ${name} is not set`);
  return value;
};
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 4 });
try {
  const storage = createPostgresStorage({
    pool,
    schema: env('FULFIL_SCHEMA'),
    autoMigrate: false,
  });
  const stats = await raceEngine(storage, env('WAREHOUSE_URL')).run();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  await pool.end();
} catch (err) {
  console.error(err);
  process.exit(1);
}
