import { describe, expect, it } from 'vitest';
import type { ThroughputPoint } from '../../ports/insights';
import { at, DAY, HOUR, type InsightsCaseContext, MINUTE, SECOND, T0, t } from './context';
import { seedShop } from './scenario';
import { seedJourney } from './seed';

const point = (seconds: number, p: Partial<Omit<ThroughputPoint, 'at'>>): ThroughputPoint => ({
  at: at(seconds),
  received: 0,
  submitted: 0,
  shipped: 0,
  exceptions: 0,
  ...p,
});

/** Cases for throughput, processingTime, ordersByState and timeInState. */
export function rangeCases(ctx: InsightsCaseContext): void {
  describe('throughput', () => {
    it('counts received, submitted, shipped and exceptions per UTC minute, oldest first, only non-empty buckets', async () => {
      await seedShop(ctx.storage);
      const points = await ctx.insights.throughput({
        since: T0,
        until: T0 + 2 * DAY,
        bucket: 'minute',
      });
      expect(points).toEqual([
        // A and B received; B entered review at 40.
        point(0, { received: 2, exceptions: 1 }),
        // C received at 65; A submitted at 70.
        point(60, { received: 1, submitted: 1 }),
        // D received at 120 and submitted at 150.
        point(120, { received: 1, submitted: 1 }),
        // B submitted at 210 (its return to ready at 180 is not a figure).
        point(180, { submitted: 1 }),
        // D's command.failed entry enters review: one exception, not two.
        point(240, { exceptions: 1 }),
        // A shipped at 300. Its delivery at 360 is not a second entry into the shipped
        // states, so minute 360 has no bucket.
        point(300, { shipped: 1 }),
        point(420, { shipped: 1 }),
        // E received and submitted; its second `submitted` entry at 3660 counts nothing.
        point(3600, { received: 1, submitted: 1 }),
        point(5400, { shipped: 1 }),
        point(86_700, { received: 1 }),
      ]);
    });

    it('hour and day buckets start at UTC hour and day starts', async () => {
      await seedShop(ctx.storage);
      const range = { since: T0 - DAY, until: T0 + 3 * DAY };
      expect(await ctx.insights.throughput({ ...range, bucket: 'hour' })).toEqual([
        point(0, { received: 4, submitted: 3, shipped: 2, exceptions: 2 }),
        point(3600, { received: 1, submitted: 1, shipped: 1 }),
        point(86_400, { received: 1 }),
      ]);
      expect(await ctx.insights.throughput({ ...range, bucket: 'day' })).toEqual([
        {
          at: '2026-11-27T00:00:00.000Z',
          received: 5,
          submitted: 4,
          shipped: 3,
          exceptions: 2,
        },
        { at: '2026-11-28T00:00:00.000Z', received: 1, submitted: 0, shipped: 0, exceptions: 0 },
      ]);
    });

    it('[since, until) is half-open: an entry at since counts, one at until does not', async () => {
      await seedShop(ctx.storage);
      // D received at exactly 120 = since; A shipped at exactly 300 = until.
      const points = await ctx.insights.throughput({
        since: t(120),
        until: t(300),
        bucket: 'minute',
      });
      expect(points).toEqual([
        point(120, { received: 1, submitted: 1 }),
        point(180, { submitted: 1 }),
        point(240, { exceptions: 1 }),
      ]);
    });

    it('a since inside a bucket still labels the bucket with its UTC start and counts only what is in range', async () => {
      await seedShop(ctx.storage);
      // [09:00:30, 09:01:01): B received at 30 and entered review at 40; A at 10 and C at 65 are out.
      const points = await ctx.insights.throughput({
        since: t(30),
        until: t(61),
        bucket: 'minute',
      });
      expect(points).toEqual([point(0, { received: 1, exceptions: 1 })]);
    });

    it('submittedStates, shippedStates and reviewStates choose the states that count', async () => {
      await seedShop(ctx.storage);
      const points = await ctx.insights.throughput({
        since: T0,
        until: T0 + 2 * DAY,
        bucket: 'day',
        submittedStates: ['ready'],
        shippedStates: ['delivered'],
        reviewStates: ['on_hold'],
      });
      expect(points).toEqual([
        // ready: A (20), B (180); delivered: A; exceptions: C on hold (66), D command.failed.
        { at: '2026-11-27T00:00:00.000Z', received: 5, submitted: 2, shipped: 1, exceptions: 2 },
        // F ready at 86710.
        { at: '2026-11-28T00:00:00.000Z', received: 1, submitted: 1, shipped: 0, exceptions: 0 },
      ]);
    });

    it('an order entering review twice is two exceptions', async () => {
      await seedJourney(ctx.storage, {
        orderId: 'twice',
        steps: [
          { at: t(0), to: 'received' },
          { at: t(1), to: 'needs_review', review: ['risk: high'] },
          { at: t(2), to: 'needs_review', review: ['risk: high', 'note: uncertain'] },
          { at: t(3), to: 'ready', eventType: 'review.resolved', review: null },
          { at: t(4), to: 'needs_review', review: ['cannot route: no stock'] },
        ],
      });
      expect(
        await ctx.insights.throughput({ since: T0, until: T0 + HOUR, bucket: 'minute' }),
      ).toEqual([point(0, { received: 1, exceptions: 2 })]);
    });

    it('an empty storage or an empty range has no buckets', async () => {
      expect(await ctx.insights.throughput({ since: 0, until: T0 + DAY, bucket: 'hour' })).toEqual(
        [],
      );
      await seedShop(ctx.storage);
      expect(
        await ctx.insights.throughput({ since: T0 + 3 * DAY, until: T0 + 4 * DAY, bucket: 'hour' }),
      ).toEqual([]);
      expect(await ctx.insights.throughput({ since: t(60), until: t(60), bucket: 'day' })).toEqual(
        [],
      );
    });

    it('until defaults to now: an order received in the future is not counted yet', async () => {
      const now = ctx.now;
      await seedJourney(ctx.storage, {
        orderId: 'past',
        steps: [{ at: now - 2 * MINUTE, to: 'received' }],
      });
      await seedJourney(ctx.storage, {
        orderId: 'future',
        steps: [{ at: now + HOUR, to: 'received' }],
      });
      const points = await ctx.insights.throughput({ since: now - DAY, bucket: 'day' });
      expect(points.reduce((n, p) => n + p.received, 0)).toBe(1);
    });
  });

  describe('processingTime', () => {
    it('per bucket of the submit time: count and nearest-rank p50/p95/p99 of submit - receive', async () => {
      // Bucket 09:10: 30 orders taking 1 s .. 30 s (committed in a scrambled order).
      // Bucket 09:20: 12 orders taking 1 s .. 12 s (scrambled). Bucket 09:30: one order, 42 s.
      const durations = Array.from({ length: 30 }, (_, i) => ((i * 7) % 30) + 1);
      const orders: { id: string; submitAt: number; ms: number }[] = [
        ...durations.map((s, i) => ({ id: `p10-${i}`, submitAt: t(600 + i), ms: s * SECOND })),
        ...Array.from({ length: 12 }, (_, i) => ({
          id: `p20-${i}`,
          submitAt: t(1200 + i),
          ms: (((i * 5) % 12) + 1) * SECOND,
        })),
        { id: 'p30', submitAt: t(1800), ms: 42 * SECOND },
        // Never submitted: no processing time.
        { id: 'p-held', submitAt: Number.NaN, ms: 0 },
      ];
      for (const o of orders) {
        const received = Number.isNaN(o.submitAt) ? t(10) : o.submitAt - o.ms;
        await seedJourney(ctx.storage, {
          orderId: o.id,
          steps: Number.isNaN(o.submitAt)
            ? [
                { at: received, to: 'received' },
                { at: received + 1, to: 'on_hold', holds: ['awaiting stock'] },
              ]
            : [
                { at: received, to: 'received' },
                { at: o.submitAt, to: 'submitted', routing: { locations: ['east'] } },
                // A later re-submission is not a second processing time.
                { at: o.submitAt + 5 * MINUTE, to: 'submitted' },
              ],
        });
      }
      const points = await ctx.insights.processingTime({
        since: T0,
        until: T0 + HOUR,
        bucket: 'minute',
      });
      expect(points).toEqual([
        // ranks: p50 ceil(15) = 15, p95 ceil(28.5) = 29, p99 ceil(29.7) = 30.
        { at: at(600), count: 30, p50Ms: 15_000, p95Ms: 29_000, p99Ms: 30_000 },
        // ranks: p50 ceil(6) = 6, p95 ceil(11.4) = 12 (rounding would give 11), p99 ceil(11.88) = 12.
        { at: at(1200), count: 12, p50Ms: 6_000, p95Ms: 12_000, p99Ms: 12_000 },
        { at: at(1800), count: 1, p50Ms: 42_000, p95Ms: 42_000, p99Ms: 42_000 },
      ]);
    });

    it('the shop scenario: one order per bucket, hour buckets, and half-open ranges', async () => {
      await seedShop(ctx.storage);
      expect(
        await ctx.insights.processingTime({ since: T0, until: T0 + DAY, bucket: 'minute' }),
      ).toEqual([
        // A: 70 - 10; D: 150 - 120; B: 210 - 30; E: 3645 - 3600.
        { at: at(60), count: 1, p50Ms: 60_000, p95Ms: 60_000, p99Ms: 60_000 },
        { at: at(120), count: 1, p50Ms: 30_000, p95Ms: 30_000, p99Ms: 30_000 },
        { at: at(180), count: 1, p50Ms: 180_000, p95Ms: 180_000, p99Ms: 180_000 },
        { at: at(3600), count: 1, p50Ms: 45_000, p95Ms: 45_000, p99Ms: 45_000 },
      ]);
      expect(
        await ctx.insights.processingTime({ since: T0, until: T0 + DAY, bucket: 'hour' }),
      ).toEqual([
        // 30, 60, 180 s: p50 rank 2, p95 and p99 rank 3.
        { at: at(0), count: 3, p50Ms: 60_000, p95Ms: 180_000, p99Ms: 180_000 },
        { at: at(3600), count: 1, p50Ms: 45_000, p95Ms: 45_000, p99Ms: 45_000 },
      ]);
      // The range applies to the submit time: A submitted at 70 is in [70, 150), D at 150 is not.
      expect(
        await ctx.insights.processingTime({ since: t(70), until: t(150), bucket: 'hour' }),
      ).toEqual([{ at: at(0), count: 1, p50Ms: 60_000, p95Ms: 60_000, p99Ms: 60_000 }]);
      // submittedStates: time to `ready` (A 10 s, B 150 s, F 10 s).
      expect(
        await ctx.insights.processingTime({
          since: T0,
          until: T0 + 2 * DAY,
          bucket: 'day',
          submittedStates: ['ready'],
        }),
      ).toEqual([
        { at: '2026-11-27T00:00:00.000Z', count: 2, p50Ms: 10_000, p95Ms: 150_000, p99Ms: 150_000 },
        { at: '2026-11-28T00:00:00.000Z', count: 1, p50Ms: 10_000, p95Ms: 10_000, p99Ms: 10_000 },
      ]);
    });
  });

  describe('ordersByState', () => {
    it('counts stored orders per current state, by state name; empty storage gives []', async () => {
      expect(await ctx.insights.ordersByState()).toEqual([]);
      await seedShop(ctx.storage);
      expect(await ctx.insights.ordersByState()).toEqual([
        { state: 'delivered', count: 1 },
        { state: 'needs_review', count: 1 },
        { state: 'on_hold', count: 1 },
        { state: 'ready', count: 1 },
        { state: 'shipped', count: 2 },
      ]);
    });
  });

  describe('timeInState', () => {
    it('ended stays per state: count, nearest-rank p50 and p95, max; self-transitions continue a stay', async () => {
      await seedShop(ctx.storage);
      expect(await ctx.insights.timeInState({ since: T0, until: T0 + 2 * DAY })).toEqual([
        // B 40 → 180.
        { state: 'needs_review', count: 1, p50Ms: 140_000, p95Ms: 140_000, maxMs: 140_000 },
        // A 20 → 70 (50 s), B 180 → 210 (30 s): rank 1 and rank 2.
        { state: 'ready', count: 2, p50Ms: 30_000, p95Ms: 50_000, maxMs: 50_000 },
        // A 10, B 10, C 1, D 30, E 45, F 10 s: sorted 1 10 10 10 30 45; p50 rank 3, p95 rank 6.
        { state: 'received', count: 6, p50Ms: 10_000, p95Ms: 45_000, maxMs: 45_000 },
        // A 300 → 360.
        { state: 'shipped', count: 1, p50Ms: 60_000, p95Ms: 60_000, maxMs: 60_000 },
        // A 230, B 210, D 90, E 3645 → 5400 (1755 s, through its second submitted entry).
        { state: 'submitted', count: 4, p50Ms: 210_000, p95Ms: 1_755_000, maxMs: 1_755_000 },
      ]);
    });

    it('only stays that began in [since, until) count, wherever they end', async () => {
      await seedShop(ctx.storage);
      // From 10:00: E received (45 s) and submitted (1755 s), F received (10 s).
      expect(await ctx.insights.timeInState({ since: t(3600), until: T0 + 2 * DAY })).toEqual([
        { state: 'received', count: 2, p50Ms: 10_000, p95Ms: 45_000, maxMs: 45_000 },
        { state: 'submitted', count: 1, p50Ms: 1_755_000, p95Ms: 1_755_000, maxMs: 1_755_000 },
      ]);
      // Until the next day: F is out. A stay beginning exactly at until is out too.
      expect(await ctx.insights.timeInState({ since: t(3600), until: t(3645) })).toEqual([
        { state: 'received', count: 1, p50Ms: 45_000, p95Ms: 45_000, maxMs: 45_000 },
      ]);
      expect(await ctx.insights.timeInState({ since: T0 + 3 * DAY, until: T0 + 4 * DAY })).toEqual(
        [],
      );
    });
  });
}
