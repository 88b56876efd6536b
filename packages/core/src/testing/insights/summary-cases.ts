import { describe, expect, it } from 'vitest';
import type { InsightsSummary } from '../../ports/insights';
import { DAY, type InsightsCaseContext, T0, t } from './context';
import { seedShop } from './scenario';

const EMPTY: InsightsSummary = {
  received: 0,
  automated: 0,
  touched: 0,
  reviewed: 0,
  failed: 0,
  automationRate: 0,
  reviewRate: 0,
  errorRate: 0,
  splitShare: 0,
  backorderShare: 0,
  llmNoteShare: 0,
  withNote: 0,
  holdsByReason: [],
};

const SHARES = [
  'automationRate',
  'reviewRate',
  'errorRate',
  'splitShare',
  'backorderShare',
  'llmNoteShare',
] as const;

/** Counts and holds exactly; shares to 9 decimals (SQL may divide in another precision). */
function expectSummary(actual: InsightsSummary, expected: InsightsSummary): void {
  const strip = (s: InsightsSummary) => {
    const copy: Partial<InsightsSummary> = { ...s };
    for (const key of SHARES) delete copy[key];
    return copy;
  };
  expect(strip(actual)).toEqual(strip(expected));
  for (const key of SHARES) expect(actual[key], key).toBeCloseTo(expected[key], 9);
}

/** Cases for summary. */
export function summaryCases(ctx: InsightsCaseContext): void {
  describe('summary', () => {
    it('counts and shares of the orders received in the range, judged on their whole history', async () => {
      await seedShop(ctx.storage);
      // A to E are received on the first day (F the next).
      expectSummary(await ctx.insights.summary({ since: T0, until: T0 + DAY }), {
        received: 5,
        // A and E: submitted, never in review, never touched. D was submitted but later
        // entered review; C was never submitted.
        automated: 2,
        // B: a review.resolved entry.
        touched: 1,
        // B and D entered needs_review.
        reviewed: 2,
        // D: a command.failed entry.
        failed: 1,
        automationRate: 0.4,
        reviewRate: 0.4,
        errorRate: 0.2,
        // B routed to two shipments; D had a line backordered.
        splitShare: 0.2,
        backorderShare: 0.2,
        // Of A, B and E (classified notes), A and E by `claude`.
        llmNoteShare: 2 / 3,
        // A, B and E; D's note is empty, C has none.
        withNote: 3,
        // C holds `awaiting stock` and `ship after ...`, D holds `awaiting stock`.
        holdsByReason: [
          { reason: 'awaiting stock', count: 2 },
          { reason: 'ship after 2026-12-01', count: 1 },
        ],
      });
    });

    it('a range that cuts an order off by its receive time, not by its later entries', async () => {
      await seedShop(ctx.storage);
      // [09:01, 09:02): only C (received at 65) — its whole history is judged.
      const c = await ctx.insights.summary({ since: t(60), until: t(120) });
      expectSummary(c, {
        ...EMPTY,
        received: 1,
        holdsByReason: [
          { reason: 'awaiting stock', count: 1 },
          { reason: 'ship after 2026-12-01', count: 1 },
        ],
      });
      // [09:00:30, 09:00:31): B only; its review, resolution, split and shipping count even
      // though they happened after until.
      const b = await ctx.insights.summary({ since: t(30), until: t(31) });
      expectSummary(b, {
        ...EMPTY,
        received: 1,
        touched: 1,
        reviewed: 1,
        reviewRate: 1,
        splitShare: 1,
        withNote: 1,
      });
    });

    it('reading changes nothing: records and histories are the same after every read', async () => {
      await seedShop(ctx.storage);
      const ids = ['ord-A', 'ord-B', 'ord-C', 'ord-D', 'ord-E', 'ord-F'];
      const snapshot = async () =>
        Promise.all(
          ids.map(async (id) => [await ctx.storage.load(id), await ctx.storage.history(id)]),
        );
      const before = await snapshot();
      const range = { since: T0, until: T0 + 2 * DAY };
      await ctx.insights.throughput({ ...range, bucket: 'hour' });
      await ctx.insights.processingTime({ ...range, bucket: 'hour' });
      await ctx.insights.ordersByState();
      await ctx.insights.timeInState(range);
      await ctx.insights.summary(range);
      await ctx.insights.reviewQueue();
      await ctx.insights.failedCommands({ includeRetrying: true });
      await ctx.insights.orderCommands('ord-A');
      await ctx.insights.search({ text: 'ord-A' });
      expect(await snapshot()).toEqual(before);
    });

    it('no orders received: every count and share is 0 and holdsByReason is empty', async () => {
      expectSummary(await ctx.insights.summary({ since: 0, until: T0 }), EMPTY);
      await seedShop(ctx.storage);
      expectSummary(
        await ctx.insights.summary({ since: T0 + 5 * DAY, until: T0 + 6 * DAY }),
        EMPTY,
      );
    });

    it('llmClassifiers, submittedStates and reviewStates change what counts', async () => {
      await seedShop(ctx.storage);
      const keyword = await ctx.insights.summary({
        since: T0,
        until: T0 + DAY,
        llmClassifiers: ['keyword'],
      });
      expect(keyword.llmNoteShare).toBeCloseTo(1 / 3, 9);
      const none = await ctx.insights.summary({ since: T0, until: T0 + DAY, llmClassifiers: [] });
      expect(none.llmNoteShare).toBe(0);
      // "submitted" = shipped: A and E shipped untouched (B shipped but was reviewed).
      const shipped = await ctx.insights.summary({
        since: T0,
        until: T0 + DAY,
        submittedStates: ['shipped'],
      });
      expect(shipped.automated).toBe(2);
      // "review" = on_hold: C entered it; D now counts as automated; B does not (it is
      // still touched by a review.resolved entry).
      const held = await ctx.insights.summary({
        since: T0,
        until: T0 + DAY,
        reviewStates: ['on_hold'],
      });
      expect(held).toMatchObject({ reviewed: 1, automated: 3, touched: 1 });
      expect(held.reviewRate).toBeCloseTo(0.2, 9);
    });
  });
}
