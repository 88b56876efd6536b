/**
 * `pnpm --filter @fulfil/example-express-host start`: the Express host, configured from the
 * environment (`host.ts` reads it; the README lists every variable). On PostgreSQL when
 * `DATABASE_URL` is set, in memory otherwise. Logs one JSON line per event on stdout.
 * SIGTERM / SIGINT: graceful shutdown (see `serve.ts`), exit 0 once everything finished.
 */
import { isFulfilError } from '@fulfil/core';
import { createHostFromEnv } from './host';
import { createLogger } from './logging';
import { serve } from './serve';

const logger = createLogger({ level: process.env.LOG_LEVEL });
let host: ReturnType<typeof createHostFromEnv>;
try {
  host = createHostFromEnv(process.env, logger);
} catch (err) {
  if (!isFulfilError(err, 'CONFIG_INVALID')) throw err;
  logger.fatal({ event: 'config_invalid', error: { code: err.code, message: err.message } });
  process.exit(2);
}
const serving = await serve(host, {
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.HOST ? { hostname: process.env.HOST } : {}),
  shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 25_000),
  logger,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void serving.shutdown(signal).then((ok) => {
      logger.flush();
      process.exit(ok ? 0 : 1);
    });
  });
}
