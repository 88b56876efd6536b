import type { ForecastCover, InventorySnapshot } from '../model/facts';
import type { CoverTable } from '../routing/protect';
import type { Forecaster } from './forecaster';

/**
 * Where the engine reads days of cover from (`createEngine({ forecast })`). They feed the
 * `forecast.*` rule facts, the optimal router's `protect` option and stock alerts.
 *
 * Contract:
 * - `cover` MUST return, per location and SKU it has a figure for, `daysOfCover` as a finite
 *   number >= 0 given the units in `context.stock` (available now, reservations subtracted),
 *   and MAY add the replenishment `leadTimeDays`. Pairs without a figure (no demand history,
 *   cover beyond the forecast horizon) MUST be left out, not reported as 0.
 * - It MAY do I/O. A failure degrades the decision (no cover facts), it never fails the event.
 */
export interface ForecastSource {
  cover(
    skus: string[],
    context: { now: number; stock: InventorySnapshot },
  ): Promise<ForecastCover> | ForecastCover;
}

/**
 * A {@link ForecastSource} over a {@link Forecaster}: its `report()` rows for the order's SKUs
 * (days of cover and lead times); rows with no stockout in the horizon are left out.
 *
 * @example
 * ```ts
 * const forecaster = createForecaster({ leadTimeDays: 5 });
 * forecaster.fromHistory(await storage.dailyDemand({ since }));
 * const engine = createEngine({ ...options, forecast: forecasterSource(forecaster) });
 * ```
 */
export function forecasterSource(forecaster: Forecaster): ForecastSource {
  return {
    cover(skus, { now, stock }) {
      const out: ForecastCover = {};
      for (const row of forecaster.report({ asOf: now, stock, skus })) {
        if (row.daysOfCover === null) continue;
        const at = out[row.locationId] ?? {};
        at[row.sku] = { daysOfCover: row.daysOfCover, leadTimeDays: row.leadTimeDays };
        out[row.locationId] = at;
      }
      return out;
    },
  };
}

/** Days of cover as the optimal router's `request.cover` wants them. */
export function coverDays(cover: ForecastCover | undefined): CoverTable | undefined {
  if (cover === undefined) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const [loc, skus] of Object.entries(cover)) {
    const at: Record<string, number> = {};
    for (const [sku, figure] of Object.entries(skus)) at[sku] = figure.daysOfCover;
    out[loc] = at;
  }
  return out;
}
