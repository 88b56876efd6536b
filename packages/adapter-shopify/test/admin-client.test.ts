import { UpstreamError } from '@fulfil/http';
import { afterAll, describe, expect, it } from 'vitest';
import { assertNoUserErrors, createShopifyAdminClient } from '../src';
import { TAGS_ADD } from '../src/queries';
import { startFakeShopify } from './fake-shopify';

const fakes: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
});
async function fake(options: Parameters<typeof startFakeShopify>[0] = {}) {
  const f = await startFakeShopify(options);
  fakes.push(f);
  for (let i = 0; i < 5; i++)
    f.seedOrder({
      id: `582000000000000000${i}`,
      updatedAt: '2026-11-27T09:00:00Z',
      lines: [{ id: `1421000000000000000${i}`, sku: 'TEE-M', quantity: 1, price: '10.00' }],
    });
  return f;
}
const client = (f: Awaited<ReturnType<typeof fake>>, extra = {}) =>
  createShopifyAdminClient({ shop: f.shop, accessToken: f.token, endpoint: f.endpoint, ...extra });

describe('createShopifyAdminClient', () => {
  it('a burst larger than the bucket completes with no failed call, learning size and rate', async () => {
    const f = await fake({ maximumAvailable: 50, restoreRate: 200 });
    const admin = client(f);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        admin.request(TAGS_ADD, {
          id: `gid://shopify/Order/582000000000000000${i % 5}`,
          tags: [`t${i}`],
        }),
      ),
    );
    expect(results).toHaveLength(40);
    expect(f.calls.filter((c) => !c.throttled)).toHaveLength(40);
    expect(admin.limiter.budget()).toEqual({ maximum: 50, restoreRate: 200, learned: true });
    expect(f.order('5820000000000000000')?.tags).toEqual([
      't0',
      't5',
      't10',
      't15',
      't20',
      't25',
      't30',
      't35',
    ]);
    // learned from the responses, the limiter waited instead of being throttled
    expect(admin.stats().throttled).toBeLessThanOrEqual(2);
  });

  it('retries THROTTLED (HTTP 200) after waiting for the budget', async () => {
    // A slow restore (50/s): on a loaded machine the bucket must still be short when the call lands.
    const f = await fake({ maximumAvailable: 100, restoreRate: 50 });
    const admin = client(f);
    await admin.request(TAGS_ADD, { id: 'gid://shopify/Order/5820000000000000001', tags: ['a'] });
    f.setAvailable(0); // someone else drained the bucket
    await admin.request(TAGS_ADD, { id: 'gid://shopify/Order/5820000000000000001', tags: ['b'] });
    expect(f.calls.filter((c) => c.throttled).length).toBeGreaterThanOrEqual(1);
    expect(admin.stats().throttled).toBeGreaterThanOrEqual(1);
    expect(f.order('5820000000000000001')?.tags).toEqual(['a', 'b']);
  });

  it('being wrong about the THROTTLED status is harmless: a 429 works too', async () => {
    const f = await fake({ maximumAvailable: 100, restoreRate: 500, throttledStatus: 429 });
    const admin = client(f, { http: { retry: { minDelayMs: 5, maxDelayMs: 20 } } });
    await admin.request(TAGS_ADD, { id: 'gid://shopify/Order/5820000000000000002', tags: ['a'] });
    f.setAvailable(0);
    await admin.request(TAGS_ADD, { id: 'gid://shopify/Order/5820000000000000002', tags: ['b'] });
    expect(f.order('5820000000000000002')?.tags).toEqual(['a', 'b']);
  });

  it('surfaces userErrors as UpstreamError with their code', async () => {
    const f = await fake();
    const admin = client(f);
    const data = await admin.request<{ tagsAdd: { userErrors: [] } }>(TAGS_ADD, {
      id: 'gid://shopify/Order/1',
      tags: ['x'],
    });
    const err = (() => {
      try {
        assertNoUserErrors('tagsAdd', data.tagsAdd);
      } catch (e) {
        return e as UpstreamError;
      }
    })();
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      code: 'ADAPTER_FAILED',
      vendorCode: 'USER_ERROR',
      retryable: false,
    });
    expect(err?.message).toContain('id: Order does not exist');
    expect(() =>
      assertNoUserErrors('x', { userErrors: [{ field: ['a'], message: 'm', code: 'TAKEN' }] }),
    ).toThrow(expect.objectContaining({ vendorCode: 'TAKEN' }));
  });

  it('a bad token is a non-retryable 401 with the token redacted', async () => {
    const f = await fake();
    const admin = createShopifyAdminClient({
      shop: f.shop,
      accessToken: 'shpat_wrong_token',
      endpoint: f.endpoint,
    });
    const err = await admin
      .request('query { shop { name } }')
      .catch((e: unknown) => e as UpstreamError);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 401, retryable: false, attempts: 1 });
    expect(JSON.stringify(err)).not.toContain('shpat_wrong_token');
  });
});
