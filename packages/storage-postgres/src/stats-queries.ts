import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import type { Tables } from './commit-sql';
import type { Run } from './operations';

// Demand statistics: daily demand. Internal; on PostgresStorage.

/** Units routed from one location for one SKU on one UTC day. */
export interface DailyDemand {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  sku: string;
  locationId: string;
  units: number;
}

/** Statistics over shipments. */
export interface StatsQueries {
  /**
   * Daily demand per SKU and location for forecasting: units in shipments created in
   * `[since, until)` (rejected and cancelled shipments left out; a kit shipped whole counts
   * its own SKU), by day, SKU and location.
   */
  dailyDemand(options: { since: number | string; until?: number | string }): Promise<DailyDemand[]>;
}

/** Epoch ms or an ISO 8601 timestamp. */
export const Instant = z.union([
  z.number().finite(),
  z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 timestamp'),
]);

export function createStatsQueries(run: Run, t: Tables): StatsQueries {
  return {
    async dailyDemand(options) {
      const o = parseOrThrow(
        z.object({ since: Instant, until: Instant.optional() }),
        options,
        'options',
      );
      const iso = (v: number | string) =>
        new Date(typeof v === 'number' ? v : Date.parse(v)).toISOString();
      return run('dailyDemand', async (db) => {
        const { rows } = await db.query<{
          day: string;
          sku: string;
          location_id: string;
          units: number;
        }>(
          `WITH s AS (
             SELECT sh.v AS shipment, (sh.v->>'createdAt')::timestamptz AS created
             FROM ${t.orders} o, json_array_elements(o.record->'shipments') AS sh(v)
             WHERE o.updated_at >= $1::timestamptz
           )
           SELECT to_char(date_trunc('day', s.created, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             l.v->>'sku' AS sku, s.shipment->>'locationId' AS location_id,
             sum((l.v->>'quantity')::int)::int AS units
           FROM s, json_array_elements(s.shipment->'lines') AS l(v)
           WHERE s.created >= $1::timestamptz AND ($2::timestamptz IS NULL OR s.created < $2::timestamptz)
             AND s.shipment->>'status' NOT IN ('rejected', 'cancelled')
           GROUP BY 1, 2, 3
           ORDER BY 1, (l.v->>'sku') COLLATE "C", (s.shipment->>'locationId') COLLATE "C"`,
          [iso(o.since), o.until === undefined ? null : iso(o.until)],
        );
        return rows.map((r) => ({
          day: r.day,
          sku: r.sku,
          locationId: r.location_id,
          units: Number(r.units),
        }));
      });
    },
  };
}
