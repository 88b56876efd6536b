import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import type { OrderInput } from '../../src/model';
import {
  createMemoryVelocitySource,
  createRiskScorer,
  RuleBasedRiskScorer,
  type RuleBasedRiskScorerOptions,
  storageVelocitySource,
  type VelocitySource,
} from '../../src/risk';
import { makeOrder } from '../../src/testing/fixtures';
import { expectConfigInvalid } from '../../src/testing/helpers';

const NOW = Date.parse('2026-11-27T15:00:00.000Z');
const US = {
  line1: '1 Main St',
  city: 'Springfield',
  province: 'IL',
  postalCode: '62701',
  country: 'US',
};
const order = (o: Partial<OrderInput> = {}) =>
  makeOrder({ createdAt: new Date(NOW).toISOString(), ...o });
const signals = (a: { reasons: { signal: string }[] }) => a.reasons.map((r) => r.signal);

describe('RuleBasedRiskScorer', () => {
  const scorer = new RuleBasedRiskScorer({ typicalOrderTotal: { USD: 5000 } });

  it('a plain order is low risk with no reasons', async () => {
    expect(await scorer.assess(order(), { now: NOW })).toEqual({
      score: 0,
      level: 'low',
      reasons: [],
      scorer: 'rule-based',
    });
  });

  it('each signal gives its weight and a readable reason', async () => {
    const cases: [Partial<OrderInput>, string, RegExp][] = [
      [
        { billingAddress: { ...US, country: 'FR', postalCode: '75002' } },
        'address_mismatch',
        /billing country FR differs from shipping country US/,
      ],
      [
        { billingAddress: { ...US, postalCode: '10001' } },
        'address_mismatch',
        /postal code 10001 differs/,
      ],
      [
        { shippingAddress: { ...US, company: 'MyUS.com', line2: 'Suite 12345' } },
        'freight_forwarder',
        /parcel forwarder \(myus\)/,
      ],
      [
        { totals: { subtotal: 40000, total: 40000 } },
        'high_value',
        /total \$400\.00 is 8\.0× the typical \$50\.00/,
      ],
      [
        {
          totals: { subtotal: 15000, total: 15000 },
          shipping: { expedited: true },
          customer: { email: 'a@b.com', ordersCount: 1, tags: [] },
        },
        'first_order_rush',
        /first order, expedited shipping/,
      ],
      [
        { customer: { email: 'x@Mailinator.com', tags: [] } },
        'disposable_email',
        /disposable domain mailinator.com/,
      ],
      [
        { storeRisk: { level: 'high', recommendation: 'cancel' } },
        'store_risk',
        /rates it high risk and recommends: cancel/,
      ],
    ];
    for (const [o, signal, reason] of cases) {
      const a = await scorer.assess(order(o), { now: NOW });
      expect(signals(a), signal).toEqual([signal]);
      expect(a.reasons[0]?.reason).toMatch(reason);
      expect(a.score).toBe(a.reasons[0]?.weight);
    }
  });

  it('sums, caps at 100 and sets the level by configurable thresholds', async () => {
    const risky = order({
      billingAddress: { ...US, country: 'BR' },
      customer: { email: 'x@yopmail.com', ordersCount: 1, tags: [] },
      shipping: { expedited: true },
      totals: { subtotal: 90000, total: 90000 },
      storeRisk: { level: 'high' },
    });
    const a = await scorer.assess(risky, { now: NOW });
    expect(a.score).toBe(100);
    expect(a.level).toBe('high');
    const strict = new RuleBasedRiskScorer({ thresholds: { medium: 10, high: 20 } });
    expect(
      (await strict.assess(order({ billingAddress: { ...US, country: 'BR' } }), { now: NOW }))
        .level,
    ).toBe('high');
    const off = new RuleBasedRiskScorer({ weights: { address_mismatch: 0 } });
    expect(
      (await off.assess(order({ billingAddress: { ...US, country: 'BR' } }), { now: NOW })).score,
    ).toBe(0);
  });

  it('velocity: orders per email / IP / address / phone in the window, through a VelocitySource', async () => {
    const velocity = createMemoryVelocitySource();
    const s = new RuleBasedRiskScorer({
      velocity,
      recordOrders: true,
      velocityLimit: 3,
      velocityKeys: ['email', 'ip'],
    });
    const burst = (i: number, at = NOW) =>
      order({
        id: `v-${i}`,
        clientIp: '192.0.2.7',
        customer: { email: 'Burst@Example.com', tags: [] },
        createdAt: new Date(at).toISOString(),
      });
    for (let i = 0; i < 3; i++) expect(signals(await s.assess(burst(i), { now: NOW }))).toEqual([]);
    const a = await s.assess(burst(3), { now: NOW });
    expect(a.reasons).toEqual([
      { signal: 'velocity', weight: 20, reason: '3 other orders with the same email in 24 h' },
      { signal: 'velocity', weight: 10, reason: '3 other orders with the same ip in 24 h' },
    ]);
    // Outside the window nothing counts.
    const later = NOW + 25 * 3_600_000;
    expect(signals(await s.assess(burst(9, later), { now: later }))).toEqual([]);
  });

  it('a failing velocity source is skipped, never fatal', async () => {
    const s = new RuleBasedRiskScorer({
      velocity: { countRecentOrders: () => Promise.reject(new Error('db down')) },
    });
    expect((await s.assess(order(), { now: NOW })).score).toBe(0);
    expect(storageVelocitySource({})).toBeUndefined();
    const counted = storageVelocitySource({ countRecentOrders: async () => 7 });
    expect(await counted?.countRecentOrders({ key: 'email', value: 'a', since: 0, until: 1 })).toBe(
      7,
    );
  });

  it('known forwarder addresses are configurable', async () => {
    const s = new RuleBasedRiskScorer({
      forwarders: { addresses: [{ country: 'US', postalCode: '97230', line: 'NE Airport Way' }] },
    });
    const a = await s.assess(
      order({
        shippingAddress: { ...US, line1: '7000 NE Airport Way #1234', postalCode: '97230' },
        billingAddress: { ...US, line1: '7000 NE Airport Way #1234', postalCode: '97230' },
      }),
      { now: NOW },
    );
    expect(a.reasons).toEqual([
      {
        signal: 'freight_forwarder',
        weight: 30,
        reason: 'shipping address looks like a parcel forwarder (known address 97230 US)',
      },
    ]);
  });

  it('does not modify the order', async () => {
    const o = order({ billingAddress: { ...US, country: 'FR' }, storeRisk: { level: 'medium' } });
    const copy = structuredClone(o);
    await new RuleBasedRiskScorer({
      velocity: createMemoryVelocitySource(),
      recordOrders: true,
    }).assess(deepFreeze(o), { now: NOW });
    expect(o).toEqual(copy);
  });

  it('rejects bad options with CONFIG_INVALID naming the path', () => {
    let err: unknown;
    try {
      new RuleBasedRiskScorer({ thresholds: { medium: 80, high: 20 }, highValueFactor: -1 });
    } catch (e) {
      err = e;
    }
    expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
    expect(String(err)).toMatch(/RuleBasedRiskScorer options: .*highValueFactor: Too small/);
    expect(String(err)).toMatch(/thresholds: medium must be <= high/);
  });

  it('a misspelt option, signal weight or a velocity source without its method: CONFIG_INVALID with the path', () => {
    expectConfigInvalid(
      () => createRiskScorer({ typicalOrdertotal: 5000 } as unknown as RuleBasedRiskScorerOptions),
      'typicalOrdertotal',
      /did you mean "typicalOrderTotal"/,
    );
    expectConfigInvalid(
      () => createRiskScorer({ weights: { adress_mismatch: 10 } as Record<string, number> }),
      'weights.adress_mismatch',
      /did you mean "address_mismatch"/,
    );
    expectConfigInvalid(
      () => createRiskScorer({ velocity: {} as unknown as VelocitySource }),
      'velocity',
      /VelocitySource .*missing method countRecentOrders/,
    );
    expect(createRiskScorer()).toBeInstanceOf(RuleBasedRiskScorer);
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
