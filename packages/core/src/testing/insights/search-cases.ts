import { describe, expect, it } from 'vitest';
import type { OrderSearchHit } from '../../ports/insights';
import { AWKWARD_STRINGS } from '../helpers';
import { at, type InsightsCaseContext, t } from './context';
import { seedJourney } from './seed';

const order = (store: string, externalId: string, name?: string) => ({
  source: { channel: 'shopify', store, externalId, ...(name === undefined ? {} : { name }) },
});

/** Cases for search. */
export function searchCases(ctx: InsightsCaseContext): void {
  const seed = async () => {
    const orders: [string, ReturnType<typeof order>, number][] = [
      ['s-1001', order('acme.myshopify.com', 'gid://shopify/Order/450789469', '#1001'), 10],
      ['s-A1003', order('acme.myshopify.com', '1003-ext', '#A1003'), 20],
      // The same name in two stores: both match, the newest first.
      ['s-2000-old', order('acme.myshopify.com', 'ext-2000-a', '#2000'), 30],
      ['s-2000-new', order('other.myshopify.com', 'ext-2000-b', '#2000'), 40],
      ['s-noname', order('acme.myshopify.com', 'ext-noname'), 50],
      ...AWKWARD_STRINGS.map((s, i): [string, ReturnType<typeof order>, number] => [
        s,
        order('ünï.example', `ext ${s}`, `#${s}`),
        100 + i,
      ]),
    ];
    for (const [orderId, o, seconds] of orders)
      await seedJourney(ctx.storage, {
        orderId,
        order: o,
        steps: [{ at: t(seconds), to: 'received' }],
      });
  };
  const find = async (text: string, limit?: number) =>
    (await ctx.insights.search({ text, ...(limit === undefined ? {} : { limit }) })).map(
      (hit) => hit.orderId,
    );

  describe('search', () => {
    it('by order id, with every field of the hit', async () => {
      await seed();
      expect(await ctx.insights.search({ text: 's-1001' })).toEqual([
        {
          orderId: 's-1001',
          name: '#1001',
          externalId: 'gid://shopify/Order/450789469',
          store: 'acme.myshopify.com',
          status: 'received',
          createdAt: at(10),
        },
      ] satisfies OrderSearchHit[]);
    });

    it('by store order name, with or without #, ignoring ASCII case', async () => {
      await seed();
      expect(await find('#1001')).toEqual(['s-1001']);
      expect(await find('1001')).toEqual(['s-1001']);
      expect(await find('#a1003')).toEqual(['s-A1003']);
      expect(await find('a1003')).toEqual(['s-A1003']);
    });

    it('by external id, exactly', async () => {
      await seed();
      expect(await find('gid://shopify/Order/450789469')).toEqual(['s-1001']);
      expect(await find('1003-ext')).toEqual(['s-A1003']);
      expect(await find('ext-noname')).toEqual(['s-noname']);
    });

    it('several hits: most recently created first; limit caps them', async () => {
      await seed();
      expect(await find('#2000')).toEqual(['s-2000-new', 's-2000-old']);
      expect(await find('2000', 1)).toEqual(['s-2000-new']);
    });

    it('exact matches only: no prefixes, no substrings, no wildcards', async () => {
      await seed();
      expect(await find('100')).toEqual([]);
      expect(await find('#100')).toEqual([]);
      expect(await find('s-')).toEqual([]);
      expect(await find('gid://shopify/Order/')).toEqual([]);
      expect(await find('%')).toEqual([]);
      expect(await find('_')).toEqual([]);
      expect(await find('s-1001 ')).toEqual([]);
    });

    it('awkward ids, names and external ids are found and returned verbatim', async () => {
      await seed();
      for (const s of AWKWARD_STRINGS) {
        const hits = await ctx.insights.search({ text: s });
        expect(
          hits.map((hit) => hit.orderId),
          s,
        ).toContain(s);
        expect(new Set(hits.map((hit) => hit.orderId)).size, 'one hit per order').toBe(hits.length);
        const hit = hits.find((h) => h.orderId === s);
        expect(hit?.name).toBe(`#${s}`);
        expect(hit?.externalId).toBe(`ext ${s}`);
        expect(hit?.store).toBe('ünï.example');
        expect(await find(`ext ${s}`), `external id of ${s}`).toEqual([s]);
      }
    });

    it('nothing stored or nothing matching: []', async () => {
      expect(await find('#1001')).toEqual([]);
      await seed();
      expect(await find('#9999')).toEqual([]);
    });
  });
}
