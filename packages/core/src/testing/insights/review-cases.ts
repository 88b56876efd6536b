import { describe, expect, it } from 'vitest';
import type { ReviewQueueItem, ReviewQueuePage, ReviewQueueQuery } from '../../ports/insights';
import { at, type InsightsCaseContext, t } from './context';
import { type OrderJourney, seedJourney } from './seed';

const RISK = {
  score: 80,
  level: 'high' as const,
  reasons: [
    { signal: 'country_mismatch', weight: 50, reason: 'Billing and shipping countries differ' },
    { signal: 'first_order', weight: 30, reason: "First order from this customer's email" },
  ],
  scorer: 'rule-based',
};

const source = (n: number) => ({
  channel: 'shopify',
  store: `shöp-${n}.myshopify.com`,
  externalId: `gid://shopify/Order/82098291194615${4500 + n}`,
  name: `#${1000 + n}`,
});

/** A journey into review at `since` seconds with `reasons`. */
const inReview = (
  orderId: string,
  n: number,
  since: number,
  reasons: string[],
  extra: Partial<OrderJourney> = {},
): OrderJourney => ({
  orderId,
  order: { source: source(n), ...extra.order },
  ...(extra.facts === undefined ? {} : { facts: extra.facts }),
  steps: [
    { at: t(since - 5), to: 'received' },
    { at: t(since), to: 'needs_review', review: reasons },
    // A later decision that keeps the order in review keeps its `review.since`.
    { at: t(since + 1), to: 'needs_review', eventType: 'order.updated', review: reasons },
  ],
});

// Expected queue order: oldest review.since first, ties by order id (code units).
const QUEUE = ['rv\\bs', 'rv"dq', "rv'quote", 'rv%_wild', 'rv_under', 'rv-ünï 日本 🎁'];

const JOURNEYS: OrderJourney[] = [
  inReview("rv'quote", 1, 100, ['risk: high'], {
    order: { note: 'Please "hurry" <b>now</b>' },
    facts: {
      risk: RISK,
      note: { tags: [{ tag: 'rush', confidence: 0.9 }], uncertain: false, classifier: 'keyword' },
    },
  }),
  inReview('rv"dq', 2, 100, ['note: uncertain']),
  inReview('rv\\bs', 3, 50, ['risk: high', 'note: uncertain']),
  inReview('rv%_wild', 4, 200, ['cannot route: no stock']),
  inReview('rv_under', 5, 200, ['risk: high']),
  {
    // In review while on hold (a state that does not accept REVIEW): still in the queue.
    orderId: 'rv-ünï 日本 🎁',
    order: { source: source(6), note: 'ünïcödé 🎁 note' },
    steps: [
      { at: t(290), to: 'received' },
      { at: t(295), to: 'on_hold', holds: ['awaiting stock'] },
      { at: t(300), to: 'on_hold', review: ['note: uncertain'] },
    ],
  },
  {
    orderId: 'rv-resolved',
    steps: [
      { at: t(10), to: 'received' },
      { at: t(20), to: 'needs_review', review: ['risk: high'] },
      { at: t(30), to: 'ready', eventType: 'review.resolved', review: null },
    ],
  },
  { orderId: 'rv-never', steps: [{ at: t(5), to: 'received' }] },
];

const REASONS = [
  { reason: 'note: uncertain', count: 3 },
  { reason: 'risk: high', count: 3 },
  { reason: 'cannot route: no stock', count: 1 },
];

const NOW = t(1000);

/** Cases for reviewQueue. */
export function reviewCases(ctx: InsightsCaseContext): void {
  const seed = async () => {
    for (const journey of JOURNEYS) await seedJourney(ctx.storage, journey);
  };
  const ids = (page: ReviewQueuePage) => page.items.map((item) => item.orderId);
  /** Follows cursors to the end; checks every page's total and reasons. */
  const allPages = async (query: ReviewQueueQuery, total: number) => {
    const pages: ReviewQueuePage[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.insights.reviewQueue({ ...query, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(total);
      expect(page.reasons).toEqual(REASONS);
      pages.push(page);
      cursor = page.nextCursor;
      expect(pages.length, 'more pages than items').toBeLessThanOrEqual(total + 1);
    } while (cursor !== undefined);
    return pages;
  };

  describe('reviewQueue', () => {
    it('every order whose record carries review, oldest since first, ties by order id; ids verbatim', async () => {
      await seed();
      const page = await ctx.insights.reviewQueue({ now: NOW });
      expect(ids(page)).toEqual(QUEUE);
      expect(page.total).toBe(6);
      expect(page.nextCursor).toBeUndefined();
      expect(page.reasons).toEqual(REASONS);
    });

    it('an item carries the order name, external id, store, status, reasons, since, age, risk, note and tags', async () => {
      await seed();
      const page = await ctx.insights.reviewQueue({ now: NOW });
      const quote = page.items.find((item) => item.orderId === "rv'quote");
      expect(quote).toEqual({
        orderId: "rv'quote",
        name: '#1001',
        externalId: 'gid://shopify/Order/820982911946154501',
        store: 'shöp-1.myshopify.com',
        status: 'needs_review',
        reasons: ['risk: high'],
        since: at(100),
        ageMs: 900_000,
        risk: {
          score: 80,
          level: 'high',
          reasons: [
            'Billing and shipping countries differ',
            "First order from this customer's email",
          ],
        },
        note: 'Please "hurry" <b>now</b>',
        noteTags: ['rush'],
      } satisfies ReviewQueueItem);
      const bare = page.items.find((item) => item.orderId === 'rv"dq');
      expect(bare?.risk).toBeUndefined();
      expect(bare?.note ?? null).toBeNull();
      expect(bare?.noteTags).toEqual([]);
      expect(bare?.reasons).toEqual(['note: uncertain']);
      const held = page.items.find((item) => item.orderId === 'rv-ünï 日本 🎁');
      expect(held).toMatchObject({
        status: 'on_hold',
        since: at(300),
        ageMs: 700_000,
        note: 'ünïcödé 🎁 note',
      });
      const both = page.items.find((item) => item.orderId === 'rv\\bs');
      expect(both?.reasons).toEqual(['risk: high', 'note: uncertain']);
    });

    it('ageMs is never negative (a now before since gives 0); now defaults to the clock', async () => {
      await seed();
      const early = await ctx.insights.reviewQueue({ now: t(0) });
      expect(early.items.map((item) => item.ageMs)).toEqual([0, 0, 0, 0, 0, 0]);
      const page = await ctx.insights.reviewQueue();
      for (const item of page.items)
        expect(item.ageMs).toBeGreaterThanOrEqual(ctx.now - Date.parse(item.since));
    });

    it('reason filters to orders with that exact reason; total follows the filter, reasons do not', async () => {
      await seed();
      const risky = await ctx.insights.reviewQueue({ now: NOW, reason: 'risk: high' });
      expect(ids(risky)).toEqual(['rv\\bs', "rv'quote", 'rv_under']);
      expect(risky.total).toBe(3);
      expect(risky.reasons).toEqual(REASONS);
      const partial = await ctx.insights.reviewQueue({ now: NOW, reason: 'risk' });
      expect(partial.items).toEqual([]);
      expect(partial.total).toBe(0);
      expect(partial.reasons).toEqual(REASONS);
    });

    it('following nextCursor returns every item once, in order, with the whole total on each page', async () => {
      await seed();
      for (const limit of [1, 2, 4, 6]) {
        const pages = await allPages({ now: NOW, limit }, 6);
        expect(pages.flatMap(ids)).toEqual(QUEUE);
        for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
        expect(pages.at(-1)?.nextCursor).toBeUndefined();
      }
      const filtered = await allPages({ now: NOW, limit: 1, reason: 'note: uncertain' }, 3);
      expect(filtered.flatMap(ids)).toEqual(['rv\\bs', 'rv"dq', 'rv-ünï 日本 🎁']);
    });

    it('an empty queue: no items, total 0, no reasons, no cursor', async () => {
      const page = await ctx.insights.reviewQueue();
      expect(page).toEqual({ items: [], total: 0, reasons: [] });
    });

    it('returns copies: changing a returned item changes nothing stored', async () => {
      await seed();
      const page = await ctx.insights.reviewQueue({ now: NOW });
      page.items[0]?.reasons.push('mutated');
      page.reasons.push({ reason: 'mutated', count: 1 });
      const again = await ctx.insights.reviewQueue({ now: NOW });
      expect(again.items[0]?.reasons).toEqual(['risk: high', 'note: uncertain']);
      expect(again.reasons).toEqual(REASONS);
      const record = await ctx.storage.load('rv\\bs');
      expect(record?.review?.reasons).toEqual(['risk: high', 'note: uncertain']);
    });
  });
}
