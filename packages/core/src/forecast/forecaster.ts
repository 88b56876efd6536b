import { z } from 'zod';
import { FulfilError, parseOrThrow } from '../errors';
import type { InventorySnapshot } from '../model/facts';
import { Id, Timestamp } from '../model/primitives';
import { parseOptions } from '../options';
import {
  type DemandState,
  emptyDemandState,
  inverseNormal,
  predictDemand,
  type SmoothingParams,
  updateDemand,
} from './model';

const DAY_MS = 86_400_000;
const Fraction = z.number().gt(0).lte(1);

/** Options of {@link createForecaster}. */
export const ForecasterOptions = z
  .object({
    /** Probability of not stocking out during the lead time, in (0, 1). Default 0.95. */
    serviceLevel: z.number().gt(0).lt(1).default(0.95),
    /** Replenishment lead time in days when `leadTimes` has no entry. Default 7. */
    leadTimeDays: z.number().positive().default(7),
    /** Lead times by `sku@locationId` or by `sku` (the first wins). */
    leadTimes: z.record(z.string(), z.number().positive()).default({}),
    /** Days of demand `velocity` averages. Default 7. */
    velocityDays: z.number().int().min(1).max(365).default(7),
    /** Days ahead to look for a stockout; beyond, cover is reported as `null`. Default 365. */
    horizonDays: z.number().int().min(1).max(3650).default(365),
    smoothing: z
      .object({ alpha: Fraction, beta: Fraction, gamma: Fraction, damping: Fraction })
      .partial()
      .strict()
      .default({}),
  })
  .strict();
/** {@link ForecasterOptions} as callers write them. */
export type ForecasterOptionsInput = z.input<typeof ForecasterOptions>;

/** One sale (or shipment) of a SKU from a location. `at` is when it happened. */
export const Sale = z.object({
  sku: z.string().min(1),
  locationId: Id,
  quantity: z.number().int().nonnegative(),
  at: z.union([Timestamp, z.number().int()]),
});
export type Sale = z.input<typeof Sale>;

/** Daily demand for one SKU at one location, from `start` (`YYYY-MM-DD`, UTC) on. */
export const DemandHistory = z.object({
  sku: z.string().min(1),
  locationId: Id,
  start: z.iso.date(),
  daily: z.array(z.number().nonnegative()),
});
export type DemandHistory = z.input<typeof DemandHistory>;

/** One row of {@link Forecaster.report}. */
export interface ForecastRow {
  sku: string;
  locationId: string;
  /** Expected units per day over the next `velocityDays`. */
  velocity: number;
  /** Units available now (from the snapshot; negative read as 0). */
  available: number;
  /** Days until stock runs out at the forecast demand; `null` beyond the horizon or with no demand. */
  daysOfCover: number | null;
  /** `YYYY-MM-DD` of the projected stockout, or `null`. */
  stockoutDate: string | null;
  leadTimeDays: number;
  /** Demand expected during the lead time. */
  leadTimeDemand: number;
  /** z × σ(daily error) × √lead time, rounded up. */
  safetyStock: number;
  /** Reorder when available units fall to this (lead-time demand + safety stock, rounded up). */
  reorderPoint: number;
}

/** A SKU whose days of cover at a location are below its lead time. */
export interface ForecastAlert extends ForecastRow {
  message: string;
}

/** Collects demand history and reports velocity, cover, stockout dates and reorder points. */
export interface Forecaster {
  /** Adds one sale. Sales MAY come in any order; they are bucketed by UTC day. */
  record(sale: Sale): void;
  /** Adds whole daily series (e.g. from a warehouse export). */
  fromHistory(history: readonly DemandHistory[]): void;
  /**
   * Per SKU and location with history: the figures as of `asOf` with stock from `stock`
   * (only the SKUs in `skus`, when given).
   */
  report(input: {
    asOf: number | string;
    stock: InventorySnapshot;
    skus?: readonly string[];
  }): ForecastRow[];
  /** The rows whose days of cover fall below the lead time, most urgent first. */
  alerts(input: { asOf: number | string; stock: InventorySnapshot }): ForecastAlert[];
  /** Expected demand for each of the `days` days from `asOf`. */
  forecast(
    sku: string,
    locationId: string,
    input: { asOf: number | string; days: number },
  ): number[];
}

/**
 * Creates a forecaster. Pure: it keeps only what it is given and reads time only from
 * `asOf`. Demand per SKU and location is smoothed with a damped trend and day-of-week
 * seasonality; the reorder point adds safety stock `z(serviceLevel) × σ × √leadTime`, σ being
 * the exponentially weighted one-step forecast error. Bad input throws `INVALID_INPUT`,
 * bad options `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * const f = createForecaster({ serviceLevel: 0.95, leadTimeDays: 5 });
 * f.record({ sku: 'MUG', locationId: 'east', quantity: 3, at: '2026-11-20T10:00:00Z' });
 * f.report({ asOf: '2026-11-27T00:00:00Z', stock: { east: { MUG: 12 } } });
 * f.alerts({ asOf: Date.now(), stock }); // SKUs that run out before new stock can arrive
 * ```
 */
export function createForecaster(options: ForecasterOptionsInput = {}): Forecaster {
  const o = parseOptions(ForecasterOptions, options, 'createForecaster', { optional: true });
  const smoothing: SmoothingParams = {
    alpha: o.smoothing.alpha ?? 0.15,
    beta: o.smoothing.beta ?? 0.02,
    gamma: o.smoothing.gamma ?? 0.2,
    damping: o.smoothing.damping ?? 0.98,
  };
  const z = inverseNormal(o.serviceLevel);
  /** key → day → units, plus the last fit (reused until a sale is added or the day moves). */
  const series = new Map<string, Series>();
  const add = (sku: string, locationId: string, day: number, units: number) => {
    const key = `${sku}\u0000${locationId}`;
    let s = series.get(key);
    if (!s) {
      s = { sku, locationId, days: new Map() };
      series.set(key, s);
    }
    s.days.set(day, (s.days.get(day) ?? 0) + units);
    s.fit = undefined;
  };
  const fitSeries = (s: Series, until: number): DemandState => {
    if (s.fit?.until === until) return s.fit.state;
    let state = emptyDemandState();
    const first = Math.min(...s.days.keys());
    for (let d = first; d < until; d++)
      state = updateDemand(state, s.days.get(d) ?? 0, d, smoothing);
    s.fit = { until, state };
    return state;
  };
  const leadTime = (sku: string, loc: string) =>
    o.leadTimes[`${sku}@${loc}`] ?? o.leadTimes[sku] ?? o.leadTimeDays;

  const row = (s: Series, today: number, stock: InventorySnapshot): ForecastRow => {
    const state = fitSeries(s, today);
    const predict = (h: number) => predictDemand(state, today + h, smoothing);
    let velocity = 0;
    for (let h = 0; h < o.velocityDays; h++) velocity += predict(h) / o.velocityDays;
    const raw = stock[s.locationId]?.[s.sku] ?? 0;
    const available = Number.isFinite(raw) && raw > 0 ? raw : 0;
    let daysOfCover: number | null = null;
    let left = available;
    for (let h = 0; h < o.horizonDays; h++) {
      const d = predict(h);
      if (d > 0 && left < d) {
        daysOfCover = h + left / d;
        break;
      }
      left -= d;
    }
    const lt = leadTime(s.sku, s.locationId);
    let leadTimeDemand = 0;
    for (let h = 0; h < Math.ceil(lt); h++) leadTimeDemand += predict(h) * Math.min(1, lt - h);
    const safetyStock = Math.ceil(z * Math.sqrt(state.variance) * Math.sqrt(lt));
    return {
      sku: s.sku,
      locationId: s.locationId,
      velocity: round(velocity),
      available,
      daysOfCover: daysOfCover === null ? null : round(daysOfCover),
      stockoutDate:
        daysOfCover === null
          ? null
          : new Date((today + Math.floor(daysOfCover)) * DAY_MS).toISOString().slice(0, 10),
      leadTimeDays: lt,
      leadTimeDemand: round(leadTimeDemand),
      safetyStock: Math.max(0, safetyStock),
      reorderPoint: Math.ceil(leadTimeDemand + Math.max(0, safetyStock)),
    };
  };

  const report: Forecaster['report'] = ({ asOf, stock, skus }) => {
    const today = dayOf(asOf, 'asOf');
    const only = skus === undefined ? undefined : new Set(skus);
    return [...series.values()]
      .filter((s) => only === undefined || only.has(s.sku))
      .filter((s) => Math.min(...s.days.keys()) < today)
      .map((s) => row(s, today, stock))
      .sort((a, b) =>
        a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.locationId < b.locationId ? -1 : 1,
      );
  };

  return {
    record(sale) {
      const s = parseOrThrow(Sale, sale, 'sale');
      add(s.sku, s.locationId, dayOf(s.at, 'sale.at'), s.quantity);
    },
    fromHistory(history) {
      history.forEach((h, i) => {
        const s = parseOrThrow(DemandHistory, h, `history[${i}]`);
        const start = Date.parse(s.start) / DAY_MS;
        s.daily.forEach((units, d) => {
          add(s.sku, s.locationId, start + d, units);
        });
      });
    },
    report,
    alerts(input) {
      return report(input)
        .filter((r) => r.daysOfCover !== null && r.daysOfCover < r.leadTimeDays)
        .sort((a, b) => (a.daysOfCover ?? 0) - (b.daysOfCover ?? 0))
        .map((r) => ({
          ...r,
          message: `${r.sku} at ${r.locationId}: ${r.daysOfCover} day(s) of cover, below the ${r.leadTimeDays}-day lead time; runs out ${r.stockoutDate}; reorder point ${r.reorderPoint}`,
        }));
    },
    forecast(sku, locationId, { asOf, days }) {
      const today = dayOf(asOf, 'asOf');
      const s = series.get(`${sku}\u0000${locationId}`);
      if (!s) return new Array<number>(days).fill(0);
      const state = fitSeries(s, today);
      return Array.from({ length: days }, (_, h) => predictDemand(state, today + h, smoothing));
    },
  };
}

/** One demand series and its cached fit. */
interface Series {
  sku: string;
  locationId: string;
  days: Map<number, number>;
  fit?: { until: number; state: DemandState } | undefined;
}

function dayOf(at: number | string, path: string): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms))
    throw new FulfilError('INVALID_INPUT', `${path}: not a time: ${String(at)}`, {
      details: { path },
    });
  return Math.floor(ms / DAY_MS);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
