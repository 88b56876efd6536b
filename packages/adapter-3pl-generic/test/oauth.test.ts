import { isFulfilError } from '@fulfil/core';
import { makeShipmentRequest } from '@fulfil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExtensivWorld, extensivWorld } from './setups';

let world: ExtensivWorld | undefined;
afterEach(async () => {
  await world?.setup.cleanup?.();
  world = undefined;
});

const request = (n: number) =>
  makeShipmentRequest({
    locationId: 'loc-reno',
    lines: [{ sku: 'TEE-M', quantity: 1 }],
    orderId: `oa-${n}`,
  });

describe('OAuth2 client credentials (Extensiv preset against the fake)', () => {
  it('fetches one token for many calls, including concurrent first calls', async () => {
    world = await extensivWorld();
    const { adapter, fake } = world;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => adapter.submit(request(n), `k-${n}`)),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    await adapter.inventory!(['TEE-M']);
    expect(fake.tokenRequests).toBe(1);
    expect(adapter.tokenRequests).toBe(1);
  });

  it('refreshes a token the server expired once, on the 401, and goes on', async () => {
    world = await extensivWorld();
    const { adapter, fake } = world;
    await adapter.submit(request(10), 'k-10');
    expect(fake.tokenRequests).toBe(1);
    fake.expireTokens();
    const before = fake.apiCalls().length;
    const result = await adapter.submit(request(11), 'k-11');
    expect(result.status).toBe('accepted');
    expect(fake.tokenRequests).toBe(2);
    // one 401, then the same call again with the fresh token
    expect(
      fake
        .apiCalls()
        .slice(before)
        .map((c) => c.status),
    ).toEqual([401, 201]);
    await adapter.submit(request(12), 'k-12');
    expect(fake.tokenRequests).toBe(2);
  });

  it('refreshes before the announced expiry without a 401', async () => {
    let now = Date.now();
    world = await extensivWorld({ tokenLifetimeSeconds: 120 }, { now: () => now });
    const { adapter, fake } = world;
    await adapter.inventory!(['TEE-M']);
    now += 100_000; // past expires_in minus the 30 s skew
    await adapter.inventory!(['TEE-M']);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.apiCalls().filter((c) => c.status === 401)).toHaveLength(0);
  });

  it('a second 401 after the refresh fails for good: one refresh, never a loop', async () => {
    world = await extensivWorld();
    const { adapter, fake } = world;
    await adapter.inventory!(['TEE-M']);
    fake.refuseTokens(true);
    let error: unknown;
    try {
      await adapter.submit(request(20), 'k-20');
    } catch (err) {
      error = err;
    }
    expect(isFulfilError(error, 'ADAPTER_FAILED')).toBe(true);
    const e = error as { message: string; details: Record<string, unknown> };
    expect(e.details).toMatchObject({ status: 401, retryable: false, reason: 'auth_failed' });
    expect(e.message).toMatch(/again after a fresh token/);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.orders).toHaveLength(0);
    // the next call refreshes once more (one token request), then stops again
    await expect(adapter.inventory!(['TEE-M'])).rejects.toThrow(/401/);
    expect(fake.tokenRequests).toBe(3);
  });

  it('bad client credentials fail without retrying and name the fields to check', async () => {
    world = await extensivWorld({ clientSecret: 'the-real-one' });
    const { fake } = world;
    const { createGeneric3plWarehouse, extensivPreset } = await import('../src');
    const wrong = createGeneric3plWarehouse(
      extensivPreset({
        clientId: fake.clientId,
        clientSecret: 'wrong',
        tokenUrl: fake.tokenUrl,
        baseUrl: fake.url,
        customerId: fake.customerId,
        facilityId: 3,
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      }),
    );
    const err = await wrong.submit(request(30), 'k-30').catch((e: unknown) => e);
    expect(isFulfilError(err, 'ADAPTER_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/auth\.clientSecret/);
    expect((err as { details: { retryable: boolean } }).details.retryable).toBe(false);
    expect(fake.tokenRequests).toBe(1);
    expect((err as Error).message).not.toContain('wrong');
    await wrong.close();
  });
});
