// A child process for runner.test.ts: migrates a schema (MODE=migrate) or lets a storage
// auto-migrate on its first call (MODE=auto), on a connection named FULFIL_APP_NAME so the
// test can find its backend and kill it. Prints one JSON line with the outcome; an
// unhandled 'error' event would instead end the process with exit code 1 and a stack.
import { createPostgresStorage, migrate } from '../src';

const url = new URL(process.env.DATABASE_URL ?? '');
url.searchParams.set('application_name', process.env.FULFIL_APP_NAME ?? 'fulfil-victim');
const connectionString = url.toString();
const schema = process.env.FULFIL_SCHEMA ?? 'fulfil_victim';

async function main() {
  if (process.env.MODE === 'auto') {
    const storage = createPostgresStorage({ connectionString, schema });
    try {
      await storage.load('no-such-order');
    } finally {
      await storage.close();
    }
  } else {
    await migrate({ connectionString, schema });
  }
}

main().then(
  () => console.log(JSON.stringify({ outcome: 'resolved' })),
  (err: { name?: string; code?: string; message?: string; details?: Record<string, unknown> }) =>
    console.log(
      JSON.stringify({
        outcome: 'rejected',
        name: err.name,
        code: err.code,
        reason: err.details?.reason,
        message: err.message,
      }),
    ),
);
