import { createRateLimiter } from '@fulfil/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyAdminClient } from '../src';
import { TAGS_ADD } from '../src/queries';
import { startFakeShopify } from './fake-shopify';

let fake: Awaited<ReturnType<typeof startFakeShopify>>;
beforeAll(async () => {
  fake = await startFakeShopify({ maximumAvailable: 1000, restoreRate: 50, mutationCost: 10 });
  fake.seedOrder({
    id: '5820000000000000009',
    updatedAt: '2026-11-27T09:00:00Z',
    lines: [{ id: '14210000000000000009', sku: 'TEE-M', quantity: 1, price: '10.00' }],
  });
});
afterAll(() => fake.close());

describe('the server figure and calls in flight', () => {
  it('a correction counts what other callers have in flight as spent (they are not charged yet)', async () => {
    const limiter = createRateLimiter({ kind: 'cost' });
    const admin = createShopifyAdminClient({
      shop: fake.shop,
      accessToken: fake.token,
      endpoint: fake.endpoint,
      limiter,
    });
    const order = { id: 'gid://shopify/Order/5820000000000000009', tags: ['a'] };
    await admin.request(TAGS_ADD, order); // learns the bucket
    fake.setAvailable(200); // the shop spent budget elsewhere: the estimate is now far too high
    // another caller holds 60 units it has not spent at Shopify yet
    let finish: () => void = () => {};
    const other = limiter.schedule(() => new Promise<void>((r) => (finish = r)), 60);
    await new Promise((r) => setTimeout(r, 20));
    await admin.request(TAGS_ADD, order);
    const reported = fake.calls.at(-1)!;
    expect(reported.throttled).toBe(false);
    const server = fake.bucket().available; // what Shopify has now (a little restored since)
    const estimate = (await limiter.available()) ?? Number.NaN;
    // without counting the 60 in flight the estimate would be ≈ the server's figure
    expect(estimate).toBeLessThanOrEqual(server - 60 + 1);
    expect(estimate).toBeGreaterThan(server - 60 - 10);
    finish();
    await other;
    await limiter.disconnect();
  });
});
