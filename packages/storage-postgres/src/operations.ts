import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import type { Queryable } from './runner';
import { createStatsQueries, Instant, type StatsQueries } from './stats-queries';

// Queries for operations and a dashboard, and retention. Internal; exposed on PostgresStorage.

const DAY_MS = 86_400_000;

/** How many orders are in one state. */
export interface StatusCount {
  status: string;
  count: number;
}

/** An order waiting for a person. */
export interface ReviewItem {
  orderId: string;
  status: string;
  /** Why the order needs review (from the rules that sent it there). */
  reasons: string[];
  /** When it entered review (ISO). */
  since: string;
  /** `now - since` in ms. */
  ageMs: number;
}

/** Activity in one time bucket, from the history table. */
export interface ThroughputBucket {
  /** Bucket start (ISO, UTC). */
  at: string;
  /** History entries (decisions committed). */
  events: number;
  /** New orders (history entries at version 1). */
  received: number;
  /** Orders entering each state (transitions whose `to` differs from `from`). */
  entered: Record<string, number>;
}

/** What {@link Operations.purge} removed. */
export interface PurgeResult {
  inbox: number;
  outbox: number;
  timers: number;
}

/** Queries for operations, dashboards and retention. */
export interface Operations extends StatsQueries {
  /** Order counts per state, by state name. */
  ordersByStatus(): Promise<StatusCount[]>;
  /** Orders in review (their record carries `review`), oldest first, with reasons and age. */
  reviewQueue(options?: { now?: number; limit?: number }): Promise<ReviewItem[]>;
  /** Decisions, new orders and state entries per minute or hour since `since` (epoch ms or ISO). */
  throughput(options: {
    since: number | string;
    until?: number | string;
    bucket?: 'minute' | 'hour';
  }): Promise<ThroughputBucket[]>;
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

    ordersByStatus: () =>
      run('ordersByStatus', async (db) => {
        const { rows } = await db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM ${t.orders} GROUP BY status ORDER BY status COLLATE "C"`,
        );
        return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
      }),

    async reviewQueue(options = {}) {
      const o = parseOrThrow(
        z.object({
          now: z.number().finite().optional(),
          limit: z.number().int().positive().optional(),
        }),
        options,
        'options',
      );
      const now = o.now ?? Date.now();
      return run('reviewQueue', async (db) => {
        const { rows } = await db.query<{ order_id: string; status: string; review: unknown }>(
          `SELECT order_id, status, record->'review' AS review FROM ${t.orders}
           WHERE review_since IS NOT NULL ORDER BY review_since, order_id COLLATE "C" LIMIT $1`,
          [o.limit ?? null],
        );
        return rows.map((r) => {
          const review = (r.review ?? {}) as { reasons?: unknown; since?: unknown };
          const since = typeof review.since === 'string' ? review.since : '';
          return {
            orderId: r.order_id,
            status: r.status,
            reasons: Array.isArray(review.reasons) ? review.reasons.map(String) : [],
            since,
            ageMs: Math.max(0, now - Date.parse(since)),
          };
        });
      });
    },

    async throughput(options) {
      const o = parseOrThrow(
        z.object({
          since: Instant,
          until: Instant.optional(),
          bucket: z.enum(['minute', 'hour']).default('minute'),
        }),
        options,
        'options',
      );
      const iso = (v: number | string) =>
        new Date(typeof v === 'number' ? v : Date.parse(v)).toISOString();
      return run('throughput', async (db) => {
        const { rows } = await db.query<{
          b: Date | string;
          to_status: string;
          n: number;
          received: number;
          entered: number;
        }>(
          `SELECT date_trunc($1, at, 'UTC') AS b, to_status, count(*)::int AS n,
             count(*) FILTER (WHERE version = 1)::int AS received,
             count(*) FILTER (WHERE from_status IS DISTINCT FROM to_status)::int AS entered
           FROM ${t.history}
           WHERE at >= $2::timestamptz AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
           GROUP BY 1, 2 ORDER BY 1`,
          [o.bucket, iso(o.since), o.until === undefined ? null : iso(o.until)],
        );
        const buckets = new Map<string, ThroughputBucket>();
        for (const r of rows) {
          const at = new Date(r.b).toISOString();
          const bucket = buckets.get(at) ?? { at, events: 0, received: 0, entered: {} };
          bucket.events += Number(r.n);
          bucket.received += Number(r.received);
          if (Number(r.entered) > 0) {
            bucket.entered[r.to_status] = (bucket.entered[r.to_status] ?? 0) + Number(r.entered);
          }
          buckets.set(at, bucket);
        }
        return [...buckets.values()].sort((a, b) => (a.at < b.at ? -1 : 1));
      });
    },

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
