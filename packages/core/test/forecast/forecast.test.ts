import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { createForecaster } from '../../src/forecast/forecaster';
import {
  emptyDemandState,
  inverseNormal,
  predictDemand,
  updateDemand,
  weekdayOf,
} from '../../src/forecast/model';
import { backtest } from './synthetic';

const START = '2026-08-03'; // a Monday
const DAY = 86_400_000;
const startDay = Date.parse(START) / DAY;
const asOfAfter = (days: number) => (startDay + days) * DAY;
/** Mon..Sun multipliers. */
const WEEKLY = [1.0, 1.1, 1.1, 1.2, 1.5, 0.5, 0.6];

describe('demand model', () => {
  it('weekdays: 1970-01-01 was a Thursday; the start date is a Monday', () => {
    expect(weekdayOf(0)).toBe(4);
    expect(weekdayOf(startDay)).toBe(1);
  });

  it('inverse normal matches known quantiles', () => {
    expect(inverseNormal(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormal(0.95)).toBeCloseTo(1.644854, 5);
    expect(inverseNormal(0.99)).toBeCloseTo(2.326348, 5);
    expect(inverseNormal(0.01)).toBeCloseTo(-2.326348, 5);
    expect(inverseNormal(0.999)).toBeCloseTo(3.090232, 5);
    expect(() => inverseNormal(1)).toThrow(RangeError);
  });

  it('is pure: updating returns a new state and leaves the old one alone; gaps are zero days', () => {
    const s0 = emptyDemandState();
    const s1 = updateDemand(s0, 5, 100);
    expect(s0.days).toBe(0);
    expect(updateDemand(s1, 5, 103).days).toBe(4);
    expect(() => updateDemand(s1, 1, 100)).toThrow(RangeError);
    expect(predictDemand(s0, 1)).toBe(0);
  });
});

describe('createForecaster on synthetic series', () => {
  it('flat demand: velocity ≈ the rate; cover, stockout date and reorder point follow', () => {
    const f = createForecaster({ leadTimeDays: 5, serviceLevel: 0.95 });
    f.fromHistory([
      { sku: 'MUG', locationId: 'east', start: START, daily: new Array(56).fill(10) },
    ]);
    const [row] = f.report({ asOf: asOfAfter(56), stock: { east: { MUG: 35 } } });
    expect(row?.velocity).toBeCloseTo(10, 5);
    expect(row?.daysOfCover).toBeCloseTo(3.5, 5);
    expect(row?.stockoutDate).toBe(new Date(asOfAfter(59)).toISOString().slice(0, 10));
    expect(row?.safetyStock).toBe(0); // no variance
    expect(row?.reorderPoint).toBe(50);
    expect(f.alerts({ asOf: asOfAfter(56), stock: { east: { MUG: 35 } } })).toHaveLength(1);
    expect(f.alerts({ asOf: asOfAfter(56), stock: { east: { MUG: 80 } } })).toEqual([]);
  });

  it('trend: the forecast keeps rising, so cover is shorter than stock / today’s rate', () => {
    const f = createForecaster();
    f.fromHistory([
      {
        sku: 'TEE',
        locationId: 'w',
        start: START,
        daily: Array.from({ length: 84 }, (_, t) => 10 + 0.5 * t),
      },
    ]);
    const next = f.forecast('TEE', 'w', { asOf: asOfAfter(84), days: 14 });
    expect(next[13]).toBeGreaterThan(next[0] as number);
    const [row] = f.report({ asOf: asOfAfter(84), stock: { w: { TEE: 600 } } });
    expect(row?.daysOfCover).toBeLessThan(600 / (next[0] as number));
    expect(next[0]).toBeGreaterThan(48); // true value 52: a small lag, far less than a week's
  });

  it('weekly seasonality: the forecast follows the weekday pattern', () => {
    const f = createForecaster();
    const daily = Array.from({ length: 112 }, (_, t) => 20 * (WEEKLY[t % 7] as number));
    f.fromHistory([{ sku: 'CAP', locationId: 'w', start: START, daily }]);
    const next = f.forecast('CAP', 'w', { asOf: asOfAfter(112), days: 7 }); // starts on a Monday
    next.forEach((v, i) => {
      expect(v).toBeCloseTo(20 * (WEEKLY[i] as number), 0);
    });
  });

  it('noisy demand gets safety stock that grows with the service level', () => {
    let seed = 7;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647 - 0.5) * 8;
    };
    const daily = Array.from({ length: 70 }, () => Math.max(0, Math.round(20 + noise())));
    const rp = (serviceLevel: number) => {
      const f = createForecaster({ serviceLevel });
      f.fromHistory([{ sku: 'A', locationId: 'w', start: START, daily }]);
      return f.report({ asOf: asOfAfter(70), stock: {} })[0];
    };
    const low = rp(0.8);
    const high = rp(0.99);
    expect(low?.safetyStock).toBeGreaterThan(0);
    expect(high?.safetyStock).toBeGreaterThan(low?.safetyStock ?? 0);
    expect(high?.reorderPoint).toBe(
      Math.ceil((high?.leadTimeDemand ?? 0) + (high?.safetyStock ?? 0)),
    );
    expect(high?.available).toBe(0);
    expect(high?.daysOfCover).toBe(0);
  });

  it('record(): sales bucket by UTC day, in any order; lead times per SKU@location win', () => {
    const f = createForecaster({ leadTimeDays: 3, leadTimes: { 'MUG@east': 10, MUG: 4 } });
    for (let d = 13; d >= 0; d--) {
      f.record({ sku: 'MUG', locationId: 'east', quantity: 2, at: asOfAfter(d) + 3_600_000 });
      f.record({
        sku: 'MUG',
        locationId: 'east',
        quantity: 2,
        at: new Date(asOfAfter(d) + 7_200_000).toISOString(),
      });
      f.record({ sku: 'MUG', locationId: 'west', quantity: 1, at: asOfAfter(d) });
    }
    const rows = f.report({ asOf: asOfAfter(14), stock: { east: { MUG: 30 }, west: { MUG: -5 } } });
    expect(rows.map((r) => [r.locationId, r.velocity, r.leadTimeDays, r.available])).toEqual([
      ['east', 4, 10, 30],
      ['west', 1, 4, 0],
    ]);
    const alerts = f.alerts({
      asOf: asOfAfter(14),
      stock: { east: { MUG: 30 }, west: { MUG: -5 } },
    });
    expect(alerts.map((a) => a.locationId)).toEqual(['west', 'east']);
    expect(alerts[1]?.message).toContain(
      'MUG at east: 7.5 day(s) of cover, below the 10-day lead time',
    );
    // Nothing before asOf: no row.
    expect(f.report({ asOf: asOfAfter(0), stock: {} })).toEqual([]);
  });

  it('no demand: cover is null (never runs out), no alert', () => {
    const f = createForecaster();
    f.fromHistory([{ sku: 'X', locationId: 'w', start: START, daily: new Array(30).fill(0) }]);
    expect(f.report({ asOf: asOfAfter(30), stock: { w: { X: 5 } } })[0]).toMatchObject({
      velocity: 0,
      daysOfCover: null,
      stockoutDate: null,
    });
    expect(f.forecast('nope', 'w', { asOf: asOfAfter(30), days: 2 })).toEqual([0, 0]);
  });

  it('bad input and options → FulfilError with the path', () => {
    const f = createForecaster();
    expect(() => f.record({ sku: 'A', locationId: 'w', quantity: -1, at: 0 })).toThrow(
      /INVALID_INPUT: sale.quantity/,
    );
    expect(() => f.record({ sku: 'A', locationId: 'w', quantity: 1, at: 'yesterday' })).toThrow(
      FulfilError,
    );
    expect(() =>
      f.fromHistory([{ sku: 'A', locationId: 'w', start: '2026-13-01', daily: [] }]),
    ).toThrow(/history\[0\].start/);
    expect(() => f.report({ asOf: 'soon', stock: {} })).toThrow(/asOf/);
    expect(() => createForecaster({ serviceLevel: 1 })).toThrow(
      /CONFIG_INVALID: createForecaster options: serviceLevel/,
    );
    expect(() => createForecaster({ smoothing: { alpha: 0 } })).toThrow(
      /createForecaster options: smoothing.alpha/,
    );
  });
});

describe('backtest on synthetic demand with trend and weekly seasonality', () => {
  it('beats the naive "same day last week" forecast on MAPE', () => {
    const r = backtest(30);
    expect(r.points).toBeGreaterThan(3000);
    expect(r.model).toBeLessThan(r.naive);
  });
});
