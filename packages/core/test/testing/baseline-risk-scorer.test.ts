import { describe, expect, it } from 'vitest';
import { RiskAssessment } from '../../src/model';
import {
  BASELINE_RISK_WEIGHTS,
  createBaselineRiskScorer,
  expectConfigInvalid,
  makeOrder,
} from '../../src/testing';

const ctx = { now: Date.parse('2026-11-27T09:00:00Z') };
const scorer = createBaselineRiskScorer({ typicalOrderTotal: { USD: 8_000, JPY: 9_000 } });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('createBaselineRiskScorer', () => {
  it('scores an ordinary order 0 / low with no reasons', async () => {
    expect(await scorer.assess(makeOrder(), ctx)).toEqual({
      score: 0,
      level: 'low',
      reasons: [],
      scorer: 'baseline',
    });
  });

  it('adds a weighted reason per signal', async () => {
    const order = makeOrder({
      customer: { email: 'x@Mailinator.com', ordersCount: 1, tags: [] },
      billingAddress: { country: 'GB' },
      shipping: { expedited: true },
      totals: { subtotal: 50_000, total: 50_000 },
      storeRisk: { level: 'medium', recommendation: 'investigate' },
    });
    const result = await scorer.assess(order, ctx);
    expect(result.reasons).toEqual([
      { signal: 'store_risk', weight: 20, reason: 'the store rates this order medium risk' },
      { signal: 'store_recommendation', weight: 15, reason: 'the store recommends: investigate' },
      { signal: 'high_total', weight: 25, reason: 'total $500.00 is 6.3× the typical $80.00' },
      {
        signal: 'country_mismatch',
        weight: 20,
        reason: 'billing country GB differs from shipping country US',
      },
      {
        signal: 'first_order_rush',
        weight: 25,
        reason: 'first order, expedited shipping, total $500.00',
      },
      {
        signal: 'disposable_email',
        weight: 20,
        reason: 'email uses the disposable domain mailinator.com',
      },
    ]);
    expect(result).toMatchObject({ score: 100, level: 'high' }); // 125 capped
    expect(RiskAssessment.parse(result)).toEqual(result);
  });

  it('uses the currency of the order for the typical total, and skips unlisted currencies', async () => {
    const yen = makeOrder({ currency: 'JPY', totals: { subtotal: 100_000, total: 100_000 } });
    expect((await scorer.assess(yen, ctx)).reasons[0]?.reason).toBe(
      'total ¥100,000 is 11.1× the typical ¥9,000',
    );
    const euro = makeOrder({ currency: 'EUR', totals: { subtotal: 900_000, total: 900_000 } });
    expect((await scorer.assess(euro, ctx)).reasons).toEqual([]);
  });

  it('levels by configurable thresholds and weights', async () => {
    const order = makeOrder({ storeRisk: { level: 'high' } });
    expect((await scorer.assess(order, ctx)).level).toBe('medium'); // 40
    const strict = createBaselineRiskScorer({
      thresholds: { medium: 10, high: 40 },
      name: 'strict',
    });
    expect(await strict.assess(order, ctx)).toMatchObject({
      score: 40,
      level: 'high',
      scorer: 'strict',
    });
    const off = createBaselineRiskScorer({ weights: { store_risk: 0 } });
    expect((await off.assess(order, ctx)).reasons).toEqual([]);
    expect(BASELINE_RISK_WEIGHTS.store_risk).toBe(40);
  });

  it('rejects bad options with CONFIG_INVALID', () => {
    expect(() => createBaselineRiskScorer({ thresholds: { medium: 80, high: 50 } })).toThrow(
      /CONFIG_INVALID/,
    );
    expect(() => createBaselineRiskScorer({ weights: { high_total: -1 } })).toThrow(
      /weights.high_total/,
    );
  });

  it('does not modify the order', async () => {
    const order = deepFreeze(makeOrder({ storeRisk: { level: 'high', recommendation: 'cancel' } }));
    const copy = structuredClone(order);
    await scorer.assess(order, ctx);
    expect(order).toEqual(copy);
  });
});

describe('createBaselineRiskScorer options', () => {
  it('a misspelt option or signal is refused with a suggestion', () => {
    expectConfigInvalid(
      () => createBaselineRiskScorer({ highTotalfactor: 3 } as never),
      'highTotalfactor',
      /did you mean "highTotalFactor"/,
    );
    expectConfigInvalid(
      () => createBaselineRiskScorer({ weights: { high_totals: 3 } } as never),
      'weights.high_totals',
      /did you mean "high_total"/,
    );
  });
});
