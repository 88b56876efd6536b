import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import type { Queryable } from './runner';
import { createStatsQueries, type StatsQueries } from './stats-queries';

// Demand statistics and retention. Internal; exposed on PostgresStorage. The figures for
// dashboards are `storage.insights` (insights.ts).

const DAY_MS = 86_400_000;

/** What {@link Operations.purge} removed. */
export interface PurgeResult {
  inbox: number;
  outbox: number;
  timers: number;
}

/** Demand statistics and retention. */
export interface Operations extends StatsQueries {
  /**
   * Deletes inbox keys processed more than `inboxOlderThanDays` ago, and outbox rows done
   * (and timers done or cancelled) more than `outboxDoneOlderThanDays` ago. Dead outbox
   * rows are kept: they need a person. A purged inbox key no longer stops a duplicate, so
   * keep it longer than any upstream retries (Shopify retries for 4 hours). Inbox times
   * are the events' decision times; outbox and timer completion times are the wall clock.
   */
  purge(options: {
    inboxOlderThanDays?: number;
    outboxDoneOlderThanDays?: number;
    now?: number;
  }): Promise<PurgeResult>;
}

export type Run = <T>(what: string, fn: (db: Queryable) => Promise<T>) => Promise<T>;

const Days = z.number().finite().nonnegative().optional();

export function createOperations(run: Run, t: Tables): Operations {
  return {
    ...createStatsQueries(run, t),

    async purge(options) {
      const o = parseOrThrow(
        z.object({
          inboxOlderThanDays: Days,
          outboxDoneOlderThanDays: Days,
          now: z.number().finite().optional(),
        }),
        options,
        'options',
      );
      const now = o.now ?? Date.now();
      return run('purge', async (db) => {
        const result: PurgeResult = { inbox: 0, outbox: 0, timers: 0 };
        if (o.inboxOlderThanDays !== undefined) {
          const r = await db.query(`DELETE FROM ${t.inbox} WHERE processed_at < $1`, [
            now - o.inboxOlderThanDays * DAY_MS,
          ]);
          result.inbox = r.rowCount;
        }
        if (o.outboxDoneOlderThanDays !== undefined) {
          const cutoff = now - o.outboxDoneOlderThanDays * DAY_MS;
          const r = await db.query(
            `DELETE FROM ${t.outbox} WHERE status = 'done' AND finished_at < $1`,
            [cutoff],
          );
          result.outbox = r.rowCount;
          const timers = await db.query(
            `DELETE FROM ${t.timers} WHERE status IN ('done', 'cancelled')
               AND claimed_until IS NULL AND finished_at < $1`,
            [cutoff],
          );
          result.timers = timers.rowCount;
        }
        return result;
      });
    },
  };
}
