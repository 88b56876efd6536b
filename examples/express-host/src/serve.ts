import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Host } from './host';
import type { Logger } from './logging';
import { startWorker, type Worker } from './worker';

/** Options of {@link serve}. */
export interface ServeOptions {
  port: number;
  /** Interface to listen on. Default: all. */
  hostname?: string;
  /** Longest a graceful shutdown may take before the process gives up (exit 1). Default 25 s. */
  shutdownTimeoutMs?: number;
  logger: Logger;
}

/** A listening host with its worker. */
export interface Serving {
  server: Server;
  worker: Worker;
  port: number;
  /**
   * Graceful shutdown: stop accepting connections, let requests in flight finish, stop the
   * worker after its current round, wait for the webhook drain and the engine's background
   * dispatch, flush Slack and end the database pool. Resolves `true` when all of it finished
   * within `shutdownTimeoutMs`. Calling it again returns the same promise.
   */
  shutdown(reason: string): Promise<boolean>;
}

/**
 * Starts the HTTP server and the worker loop of a {@link Host}.
 *
 * @example
 * ```ts
 * const serving = await serve(host, { port: 3000, logger });
 * process.once('SIGTERM', () => void serving.shutdown('SIGTERM').then((ok) => process.exit(ok ? 0 : 1)));
 * ```
 */
export async function serve(host: Host, options: ServeOptions): Promise<Serving> {
  const { logger } = options;
  const server = host.app.listen(options.port, options.hostname ?? '::');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // A slow client cannot hold a socket (and up to maxBodyBytes of memory) for Node's default 5 min.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const port = (server.address() as AddressInfo).port;
  const worker = startWorker({
    engine: host.engine,
    webhooks: host.app.webhooks,
    intervalMs: host.env.WORKER_INTERVAL_MS,
    logger,
  });
  logger.info({
    event: 'listening',
    port,
    storage: host.storageKind,
    classifier: host.classifierKind,
    alerts: host.alertsKind,
    opsRoutes: host.env.OPS_TOKEN !== undefined,
    config: host.configFile ?? null,
  });
  if (host.env.OPS_TOKEN === undefined)
    logger.warn({
      event: 'ops_routes_off',
      message: 'OPS_TOKEN is unset: GET /orders/:key and GET /metrics answer 404',
    });
  if (host.env.CONSOLE_USERS === undefined && host.env.CONSOLE_PASSWORD === undefined)
    logger.warn({
      event: 'console_off',
      message:
        'CONSOLE_USERS and CONSOLE_PASSWORD are unset: the operations console at /ops is disabled',
    });
  let stopping: Promise<boolean> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= stop(reason);
    return stopping;
  };
  async function stop(reason: string): Promise<boolean> {
    logger.info({ event: 'shutdown', reason });
    const timeoutMs = options.shutdownTimeoutMs ?? 25_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, false);
    });
    const steps = (async () => {
      // No new connections; requests in flight finish (idle keep-alive sockets are closed).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await worker.stop();
      await host.app.webhooks.idle();
      await host.engine.idle();
      await host.close();
      return true as const;
    })();
    const done = await Promise.race([steps, late]).catch((err: unknown) => {
      logger.error({ event: 'shutdown_failed', err });
      return false;
    });
    clearTimeout(timer);
    if (done) logger.info({ event: 'stopped', reason });
    else logger.error({ event: 'shutdown_timeout', timeoutMs });
    return done;
  }
  return { server, worker, port, shutdown };
}
