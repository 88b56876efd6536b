import { expectConfigInvalid } from '@fulfil/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics, type PrometheusMetricsOptions } from '../src/index';

const js = (options: unknown) => () => createPrometheusMetrics(options as PrometheusMetricsOptions);

describe('createPrometheusMetrics options', () => {
  it('no options and a shared registry are fine', () => {
    expect(createPrometheusMetrics().registry).toBeInstanceOf(Registry);
    const registry = new Registry();
    expect(createPrometheusMetrics({ registry }).registry).toBe(registry);
  });

  it('a misspelt option gets a suggestion instead of being ignored', () => {
    expectConfigInvalid(
      js({ maxLabelvalues: 5 }),
      'maxLabelvalues',
      /did you mean "maxLabelValues"/,
    );
    expectConfigInvalid(js({ prefx: 'shop_' }), 'prefx', /did you mean "prefix"/);
  });

  it('a wrong value or a registry that is not one names its path', () => {
    expectConfigInvalid(js({ maxMetrics: 0 }), 'maxMetrics');
    expectConfigInvalid(js({ registry: {} }), 'registry', /prom-client Registry/);
    expectConfigInvalid(js({ buckets: ['1'] }), 'buckets[0]');
  });
});
