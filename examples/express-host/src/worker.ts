import type { Engine } from '@fulfil/core';
import type { Logger } from './logging';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  engine: Pick<Engine, 'runDue' | 'pollWarehouses'>;
  /** The app's webhook queue (`app.webhooks`): drained every round. */
  webhooks?: { drain(): Promise<unknown> };
  /** Pause between the end of one round and the start of the next. Default 5 s. */
  intervalMs?: number;
  /** Poll warehouses that can be polled for shipments each round. Default true. */
  pollWarehouses?: boolean;
  logger?: Logger;
}

/** A running worker loop. */
export interface Worker {
  /** Runs one round now (joins a round already running). */
  tick(): Promise<void>;
  /** Starts no new round and resolves once the round running now (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * The background loop of a host, one per process (several processes on one PostgreSQL are
 * safe: claims use leases): each round drains the webhook delivery queue (retries, and what
 * a crashed process left), fires due timers and runs the outbox (`engine.runDue()`), then
 * polls warehouses for shipments. Rounds never overlap; a failing step is logged and the
 * next round runs as planned. `stop()` is for graceful shutdown: no new round, the current
 * one finishes.
 *
 * @example
 * ```ts
 * const worker = startWorker({ engine, webhooks: app.webhooks, logger });
 * process.once('SIGTERM', async () => { server.close(); await worker.stop(); ... });
 * ```
 */
export function startWorker(options: WorkerOptions): Worker {
  const intervalMs = options.intervalMs ?? 5_000;
  const { engine, logger } = options;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      logger?.error({ event: 'worker_failed', step: name, err });
    }
  };
  const round = async () => {
    // The drain, under steady traffic, keeps going: it runs beside the timers, not before.
    await Promise.all([
      options.webhooks ? step('drain', () => options.webhooks!.drain()) : undefined,
      step('runDue', async () => {
        const due = await engine.runDue();
        if (due.timers > 0 || due.dispatch.done > 0 || due.dispatch.failed > 0)
          logger?.info({ event: 'run_due', timers: due.timers, dispatch: due.dispatch });
        if (options.pollWarehouses === false) return;
        const polled = await engine.pollWarehouses();
        if (polled > 0) logger?.info({ event: 'warehouses_polled', events: polled });
      }),
    ]);
  };
  const tick = () => {
    running ??= round().finally(() => {
      running = undefined;
      schedule();
    });
    return running;
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  schedule();
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
