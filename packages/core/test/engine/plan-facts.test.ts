import { describe, expect, it } from 'vitest';
import { createForecaster, forecasterSource } from '../../src/forecast';
import type { ForecastCover } from '../../src/model/facts';
import { createOptimalRouter } from '../../src/routing/optimal-router';
import type { Router } from '../../src/routing/router';
import { addTag, all, checkRules, fact, preferLocation, review, rule } from '../../src/rules';
import { createWorld, T0 } from './world';

const tee = (quantity: number) => [{ id: 'l1', sku: 'TEE-M', quantity, unitPrice: 2500 }];

/** Counts `route` calls of the router it wraps. */
function counting(inner: Router) {
  const counter = { calls: 0 };
  const router: Router = {
    name: inner.name,
    route(request) {
      counter.calls++;
      return inner.route(request);
    },
  };
  return { router, counter };
}

describe('plan facts at before_routing (routed once, reused)', () => {
  const noSplitForSmall = rule('no-split-small')
    .at('before_routing')
    .when(all(fact('routing.isSplit').eq(true), fact('order.total').lt(10_000)))
    .do(review('small order would ship in two parcels'))
    .build();

  it('a rule reads the shipment count: a split small order goes to review, a one-parcel order is routed with one routing', async () => {
    const { router, counter } = counting(createOptimalRouter());
    const w = createWorld(
      { east: { 'TEE-M': 1, MUG: 5 }, west: { 'TEE-M': 5, MUG: 0 } },
      { rules: [noSplitForSmall], router },
    );
    const split = w.order({
      lines: [
        { id: 'l1', sku: 'TEE-M', quantity: 2, unitPrice: 2500 },
        { id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 },
      ],
    });
    const a = await w.engine.ingest(w.received(split));
    expect(a.status).toBe('needs_review');
    expect((await w.engine.get(split.id))?.review?.reasons.join()).toContain(
      'small order would ship in two parcels',
    );
    const trace = a.explanation?.stages.find((s) => s.stage === 'before_routing')?.rules[0];
    expect(trace?.matched).toBe(true);
    expect(JSON.stringify(trace)).toContain('routing.isSplit');

    counter.calls = 0;
    const single = w.order({ lines: tee(1) });
    const b = await w.engine.ingest(w.received(single));
    expect(b.status).toBe('submitted');
    expect(b.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['east']);
    expect(counter.calls).toBe(1);
  });

  it('a rule that changes the policy from the plan (estimated cost) makes decide route again', async () => {
    const { router, counter } = counting(
      createOptimalRouter({ objective: ['shipments', 'preferred', 'priority', 'cost'] }),
    );
    const preferCheap = rule('prefer-west-when-costly')
      .at('before_routing')
      .when(all(fact('routing.estimatedCost').gt(500), fact('routing.locations').contains('east')))
      .do(preferLocation('west'), addTag('rerouted-for-cost'))
      .build();
    const w = createWorld(undefined, {
      rules: [preferCheap],
      router,
      locations: [
        { id: 'east', warehouse: 'east-wh', priority: 1, costPerShipment: 900 },
        { id: 'west', warehouse: 'west-wh', priority: 2, costPerShipment: 300 },
      ],
    });
    const r = await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    expect(counter.calls).toBe(2);
    expect(r.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['west']);
    expect((await w.engine.get(r.orderId!))?.tags).toContain('rerouted-for-cost');
  });

  it('rule checks know the new facts: stage warnings and "did you mean"', () => {
    const at = (stage: 'paid' | 'before_routing', name: string) => ({
      id: `r-${stage}`,
      stage,
      when: { fact: name, op: 'gt', value: 1 },
      actions: [{ type: 'add_tag', tag: 'x' }],
    });
    expect(checkRules([at('before_routing', 'routing.shipmentCount')])).toEqual([]);
    expect(checkRules([at('before_routing', 'forecast.minDaysOfCover')])).toEqual([]);
    const late = checkRules([at('paid', 'routing.shipmentCount')]);
    expect(late).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('only known at before_routing'),
      }),
    ]);
    const typo = checkRules([at('before_routing', 'routing.shipmentcount')]);
    expect(typo[0]).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('did you mean "routing.shipmentCount"'),
    });
    expect(
      checkRules([
        {
          ...at('before_routing', 'routing.estimatedCost'),
          when: { fact: 'routing.estimatedCost', op: 'lt', value: -1 },
        },
      ])[0]?.severity,
    ).toBe('error');
  });
});

describe('forecast source: days of cover facts, stock protection and alerts', () => {
  /** TEE-M sold 2 a day at east for four weeks; west has no history (no cover figure). */
  function forecast() {
    const f = createForecaster({ leadTimeDays: 5 });
    f.fromHistory([
      { sku: 'TEE-M', locationId: 'east', start: '2026-10-30', daily: Array(28).fill(2) },
    ]);
    return forecasterSource(f);
  }
  const lowCover = rule('low-cover')
    .at('before_routing')
    .when(fact('forecast.minDaysOfCover').lt(4))
    .do(addTag('low-cover'))
    .build();

  it('forecasterSource reports cover and lead time per location for the SKUs asked', async () => {
    const cover = (await forecast().cover(['TEE-M', 'MUG'], {
      now: T0,
      stock: { east: { 'TEE-M': 6 }, west: { 'TEE-M': 20 } },
    })) as ForecastCover;
    expect(Object.keys(cover)).toEqual(['east']);
    expect(cover.east?.['TEE-M']?.leadTimeDays).toBe(5);
    expect(cover.east?.['TEE-M']?.daysOfCover).toBeGreaterThan(2);
    expect(cover.east?.['TEE-M']?.daysOfCover).toBeLessThan(4);
  });

  it('routing from a low-cover location: the rule sees the cover, and one stock alert per location, SKU and day goes out', async () => {
    const w = createWorld(
      { east: { 'TEE-M': 6 }, west: { 'TEE-M': 20 } },
      { rules: [lowCover], forecast: forecast() },
    );
    const first = await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    expect(first.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['east']);
    expect((await w.engine.get(first.orderId!))?.tags).toContain('low-cover');
    const trace = first.explanation?.stages.find((s) => s.stage === 'before_routing')?.rules[0];
    expect(trace?.matched).toBe(true);
    await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    const alerts = w.alerts.alerts().filter((a) => a.title.startsWith('Low stock'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: 'warning',
      title: 'Low stock: TEE-M at east',
      idempotencyKey: 'stock-cover:east:TEE-M:2026-11-27',
    });
    expect(alerts[0]?.message).toMatch(/day\(s\) of cover, below the 5-day lead time/);
  });

  it('forecastAlerts: false sends none', async () => {
    const w = createWorld(
      { east: { 'TEE-M': 6 }, west: { 'TEE-M': 20 } },
      { forecast: forecast(), forecastAlerts: false },
    );
    await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    expect(w.alerts.alerts()).toEqual([]);
  });

  it("the router's protect option gets the cover: low-cover stock is left alone when another location serves", async () => {
    const w = createWorld(
      { east: { 'TEE-M': 6 }, west: { 'TEE-M': 20 } },
      {
        forecast: forecast(),
        router: createOptimalRouter({ protect: { thresholdDays: 4, maxExtraCost: 0 } }),
      },
    );
    const r = await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    expect(r.explanation?.routing?.shipments.map((s) => s.locationId)).toEqual(['west']);
    expect(r.explanation?.routing?.reason).toContain('left low-cover stock alone (east/TEE-M');
  });

  it('a failing forecast source degrades: the order is routed without cover facts', async () => {
    const w = createWorld(undefined, {
      rules: [lowCover],
      forecast: {
        cover() {
          throw new Error('forecast service down');
        },
      },
    });
    const r = await w.engine.ingest(w.received(w.order({ lines: tee(1) })));
    expect(r.status).toBe('submitted');
    expect(w.engine.metrics().counters).toContainEqual(
      expect.objectContaining({ name: 'degraded', labels: { port: 'forecast' } }),
    );
  });

  it('bad forecast or reservation options fail with CONFIG_INVALID naming the option', () => {
    const bad = (extra: Record<string, unknown>) => () => createWorld(undefined, extra as never);
    expect(bad({ forecast: {} })).toThrow(/forecast: expected a ForecastSource/);
    expect(bad({ forecastAlerts: 'yes' })).toThrow(/forecastAlerts/);
    expect(bad({ reservations: { releaseOn: 'never' } })).toThrow(/reservations\.releaseOn/);
    try {
      bad({ reservations: true })();
    } catch (err) {
      expect((err as { code?: string }).code).toBe('CONFIG_INVALID');
    }
  });
});
