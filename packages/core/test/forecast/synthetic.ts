/**
 * Synthetic daily demand (level, linear trend, weekly seasonality, Poisson-like noise) and a
 * one-step-ahead backtest against the naive "same day last week" forecast. Shared by the
 * forecast tests and bench/src/forecast.ts.
 */
import { emptyDemandState, predictDemand, updateDemand } from '../../src/forecast/model';
import { rng } from '../routing/instances';

/** Mon..Sun multipliers of the synthetic weekly pattern. */
export const WEEKLY_PATTERN = [0.9, 1.0, 1.1, 1.1, 1.3, 0.7, 0.6];

/** One series: `days` days starting on day number `start` (days since 1970-01-01). */
export function syntheticSeries(seed: number, days = 182): { start: number; daily: number[] } {
  const r = rng(seed);
  const base = 8 + r() * 40;
  const slope = (r() - 0.3) * 0.25;
  const start = 20_600 + Math.floor(r() * 7);
  const daily: number[] = [];
  for (let t = 0; t < days; t++) {
    const weekday = (start + t + 3) % 7; // 0 = Monday
    const mu = Math.max(0, (base + slope * t) * (WEEKLY_PATTERN[weekday] ?? 1));
    const gauss = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
    daily.push(Math.max(0, Math.round(mu + gauss * Math.sqrt(mu))));
  }
  return { start, daily };
}

/** Mean absolute percentage error of one-step forecasts after `warmup` days (days with demand). */
export function backtest(
  series: number,
  warmup = 28,
): { model: number; naive: number; points: number } {
  let model = 0;
  let naive = 0;
  let points = 0;
  for (let s = 1; s <= series; s++) {
    const { start, daily } = syntheticSeries(s);
    let state = emptyDemandState();
    daily.forEach((y, t) => {
      if (t >= warmup && y > 0) {
        model += Math.abs(y - predictDemand(state, start + t)) / y;
        naive += Math.abs(y - (daily[t - 7] ?? 0)) / y;
        points++;
      }
      state = updateDemand(state, y, start + t);
    });
  }
  return { model: model / points, naive: naive / points, points };
}
