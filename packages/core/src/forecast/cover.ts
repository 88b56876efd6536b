import type { CoverTable } from '../routing/protect';
import type { ForecastRow } from './forecaster';

/**
 * Days of cover per location per SKU from report rows, for `createOptimalRouter({ protect })`
 * (`request.cover`). Rows without a stockout in the horizon are left out (never protected).
 *
 * @example
 * ```ts
 * const cover = coverTable(forecaster.report({ asOf: now, stock }));
 * router.route({ ...request, cover });
 * ```
 */
export function coverTable(rows: readonly ForecastRow[]): CoverTable {
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    if (r.daysOfCover === null) continue;
    const at = out[r.locationId] ?? {};
    at[r.sku] = r.daysOfCover;
    out[r.locationId] = at;
  }
  return out;
}
