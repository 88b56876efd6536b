/**
 * `pnpm --filter @fulfil/example-express-host start`: the Express host, configured from the
 * environment (`host.ts` reads it; the README lists every variable) and the store's
 * `fulfil.config.ts` when there is one (`config-file.ts`). On PostgreSQL when
 * `DATABASE_URL` is set, in memory otherwise. Logs one JSON line per event on stdout.
 * SIGTERM / SIGINT: graceful shutdown (see `serve.ts`), exit 0 once everything finished.
 */
import { isFulfilError } from '@fulfil/core';
import { loadHostConfig } from './config-file';
import { createHostFromEnv } from './host';
import { createLogger } from './logging';
import { serve } from './serve';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const level = process.env.LOG_LEVEL?.trim() || 'info';
// An unknown level is reported by the configuration check below, in JSON.
const logger = createLogger({ level: LEVELS.includes(level) ? level : 'info' });
let host: ReturnType<typeof createHostFromEnv>;
try {
  // FULFIL_CONFIG, or fulfil.config.* in the working directory; none: the built-in demo.
  host = createHostFromEnv(process.env, logger, {}, await loadHostConfig(process.env));
} catch (err) {
  if (!isFulfilError(err, 'CONFIG_INVALID')) throw err;
  logger.fatal({ event: 'config_invalid', error: { code: err.code, message: err.message } });
  process.exit(2);
}
const serving = await serve(host, {
  port: host.env.PORT,
  ...(host.env.HOST ? { hostname: host.env.HOST } : {}),
  shutdownTimeoutMs: host.env.SHUTDOWN_TIMEOUT_MS,
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
