import { describe, expect, it } from 'vitest';
import { createMemoryMetrics } from '../../src/memory';
import type { MetricLabels } from '../../src/ports/services';

describe('createMemoryMetrics', () => {
  it('counts per name and labels, label order not mattering', () => {
    const metrics = createMemoryMetrics();
    metrics.increment('events', { type: 'order.paid', outcome: 'applied' });
    metrics.increment('events', { outcome: 'applied', type: 'order.paid' }, 2);
    metrics.increment('events');
    expect(metrics.snapshot().counters).toEqual([
      { key: 'events', name: 'events', labels: {}, value: 1 },
      {
        key: 'events{outcome="applied",type="order.paid"}',
        name: 'events',
        labels: { outcome: 'applied', type: 'order.paid' },
        value: 3,
      },
    ]);
  });

  it('keeps label sets that only differ around separator characters apart (keys are remembered)', () => {
    const metrics = createMemoryMetrics();
    for (let i = 0; i < 3; i++) {
      metrics.increment('e', { a: '1\u0000b\u00012' });
      metrics.increment('e', { a: '1', b: '2' });
      metrics.increment('e', { b: '2', a: '1' });
      metrics.increment('e', { a: 1 } as unknown as MetricLabels);
      metrics.increment('e', { a: '1' });
    }
    expect(metrics.snapshot().counters.map((c) => [c.key, c.value])).toEqual([
      ['e{a="1",b="2"}', 6],
      ['e{a="1"}', 6],
      ['e{a="1\\u0000b\\u00012"}', 3],
    ]);
  });

  it('summarizes histograms with count, sum, min, max and percentiles', () => {
    const metrics = createMemoryMetrics();
    for (let i = 1; i <= 100; i++) metrics.observe('stage_ms', i, { stage: 'decide' });
    const [h] = metrics.snapshot().histograms;
    expect(h).toEqual({
      key: 'stage_ms{stage="decide"}',
      name: 'stage_ms',
      labels: { stage: 'decide' },
      count: 100,
      sum: 5050,
      min: 1,
      max: 100,
      mean: 50.5,
      p50: 50,
      p95: 95,
      p99: 99,
    });
    expect(JSON.parse(JSON.stringify(metrics.snapshot()))).toEqual(metrics.snapshot());
  });

  it('keeps a bounded, deterministic reservoir; count, sum, min and max stay exact', () => {
    const run = () => {
      const metrics = createMemoryMetrics({ maxSamples: 100 });
      for (let i = 0; i < 10_000; i++) metrics.observe('ms', i % 1000);
      return metrics.snapshot().histograms[0]!;
    };
    const a = run();
    expect(a).toMatchObject({ count: 10_000, min: 0, max: 999, sum: 4_995_000 });
    expect(a.p50).toBeGreaterThan(300);
    expect(a.p50).toBeLessThan(700);
    expect(run()).toEqual(a);
  });

  it('never throws, dropping samples it cannot use', () => {
    const metrics = createMemoryMetrics({ maxSeries: 2 });
    const weird = {
      get x(): string {
        throw new Error('bad label');
      },
    } as MetricLabels;
    expect(() => {
      metrics.observe('ms', Number.NaN);
      metrics.increment('n', undefined, Number.POSITIVE_INFINITY);
      metrics.increment('n', weird);
      metrics.increment('a');
      metrics.increment('b');
      metrics.increment('c');
      metrics.observe('d', 1);
    }).not.toThrow();
    const snapshot = metrics.snapshot();
    expect(snapshot.counters.map((c) => c.key)).toEqual(['a', 'b']);
    expect(snapshot.droppedSamples).toBe(5);
  });

  it('reset forgets everything', () => {
    const metrics = createMemoryMetrics();
    metrics.increment('a');
    metrics.reset();
    expect(metrics.snapshot()).toEqual({ counters: [], histograms: [], droppedSamples: 0 });
  });
});
