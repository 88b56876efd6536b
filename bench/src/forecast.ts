/**
 * forecast: a one-step-ahead backtest of the demand model (damped-trend exponential
 * smoothing with day-of-week seasonality) on seeded synthetic daily demand with a trend and
 * a weekly pattern (26 weeks per series, the first 4 weeks as warm-up), against the naive
 * "same day last week" forecast, both scored by MAPE on days with demand. The model must
 * beat the baseline, or this throws. Also times `createForecaster().report()` per SKU/location.
 */
import { createForecaster } from '@fulfil/core';
import { backtest, syntheticSeries } from '../../packages/core/test/forecast/synthetic';
import { fmtUs, percentiles } from './harness';

const SERIES = 200;
const REPORT_KEYS = 500;

/** Headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const r = backtest(SERIES);
  if (!(r.model < r.naive))
    throw new Error(`forecast MAPE ${r.model} does not beat the naive baseline ${r.naive}`);
  const out: Record<string, string> = {
    mape: `forecast backtest MAPE ${(100 * r.model).toFixed(1)} % vs naive same-day-last-week ${(100 * r.naive).toFixed(1)} % (${SERIES} series, ${r.points} one-step forecasts; ${(r.naive / r.model).toFixed(2)}× lower error)`,
  };

  const f = createForecaster();
  const stock: Record<string, Record<string, number>> = { w: {} };
  let start = 0;
  for (let k = 0; k < REPORT_KEYS; k++) {
    const s = syntheticSeries(10_000 + k, 91);
    start = s.start;
    f.fromHistory([
      {
        sku: `S${k}`,
        locationId: 'w',
        start: new Date(s.start * 86_400_000).toISOString().slice(0, 10),
        daily: s.daily,
      },
    ]);
    (stock.w as Record<string, number>)[`S${k}`] = k % 200;
  }
  const asOf = (start + 91) * 86_400_000;
  const samples: number[] = [];
  let alerts = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    f.report({ asOf, stock });
    samples.push(((performance.now() - t0) * 1000) / REPORT_KEYS);
    alerts = f.alerts({ asOf, stock }).length;
  }
  const p = percentiles('report', samples);
  out.report = `report(): ${fmtUs(p.p50Us)} per SKU/location (91 days of history, ${REPORT_KEYS} keys); ${alerts} alerts`;
  for (const line of Object.values(out)) console.log(line);
  return out;
}
