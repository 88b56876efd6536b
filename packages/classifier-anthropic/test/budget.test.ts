import { connect } from 'node:net';
import { isFulfilError } from '@fulfil/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from '../src';
import { startFakeMessagesApi } from './fake-messages-api';
import { cascade } from './helpers';

let api: Awaited<ReturnType<typeof startFakeMessagesApi>>;
beforeAll(async () => {
  api = await startFakeMessagesApi(() => ({
    kind: 'tool',
    input: { tags: [{ tag: 'other', confidence: 0.9 }], uncertain: false },
  }));
});
afterAll(() => api.close());

describe('createBudget', () => {
  it('takes a call and a token reservation, settles it, and refuses without waiting', async () => {
    const budget = createBudget({ callsPerMinute: 2, tokensPerDay: 1000 });
    expect(await budget.take('a', 600)).toEqual({ ok: true });
    await budget.settle('a', 600, 150);
    expect(await budget.remaining('a')).toEqual({ calls: 1, tokens: 850 });
    expect(await budget.take('a', 900)).toEqual({ ok: false, limit: 'tokens' });
    expect(await budget.remaining('a')).toEqual({ calls: 1, tokens: 850 }); // the call went back
    expect(await budget.take('a', 100)).toEqual({ ok: true });
    expect(await budget.take('a', 100)).toEqual({ ok: false, limit: 'calls' });
    // an answer longer than reserved is charged (never below zero)
    await budget.settle('a', 100, 2000);
    expect((await budget.remaining('a')).tokens).toBe(0);
    expect(await budget.remaining('b')).toEqual({ calls: 2, tokens: 1000 });
    await budget.close();
  });

  it('keeps limiters for at most maxStores stores (the least recently used are closed)', async () => {
    const closed: string[] = [];
    const limiter = (store: string) => ({
      tryTake: async () => true,
      adjust: async () => 0,
      available: async () => 1,
      disconnect: async () => {
        closed.push(store);
      },
    });
    const budget = createBudget({
      maxStores: 2,
      limiters: (s) => ({ calls: limiter(s), tokens: limiter(s) }),
    });
    await budget.take('a', 1);
    await budget.take('b', 1);
    await budget.take('a', 1);
    await budget.take('c', 1);
    expect(closed).toEqual(['b', 'b']);
    await budget.close();
    expect(closed.sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it.each([
    [{ callsPerMinute: 0 }, 'createBudget options: callsPerMinute'],
    [{ tokensPerDay: 1.5 }, 'createBudget options: tokensPerDay'],
    [{ redis: { client: {} } }, 'redis.client: must be an ioredis client'],
    [{ timeoutMs: -1 }, 'createBudget options: timeoutMs'],
    [{ perMinute: 3 }, 'perMinute: unknown option'],
  ])('rejects %j with CONFIG_INVALID naming the option', (options, path) => {
    let err: unknown;
    try {
      createBudget(options as never);
    } catch (e) {
      err = e;
    }
    expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain(path);
  });
});

// Redis: REDIS_URL when set (CI sets it, so there the test always runs); otherwise the local
// default if something answers there, else the test is skipped and says why.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = process.env.REDIS_URL !== undefined || (await reachable('127.0.0.1', 6379));
const skip = redisUp ? '' : ' (skipped: no Redis at 127.0.0.1:6379 and REDIS_URL unset)';

describe('a budget shared through Redis', () => {
  it.skipIf(!redisUp)(
    `two classifiers (two processes) draw on one budget per store${skip}`,
    async () => {
      const prefix = `fulfil-test-budget-${process.pid}-${Date.now()}`;
      const redisA = new Redis(REDIS_URL);
      const redisB = new Redis(REDIS_URL);
      const budget = { callsPerMinute: 3, tokensPerDay: 100_000 };
      const a = cascade(api.url, { budget: { ...budget, redis: { client: redisA, prefix } } });
      const b = cascade(api.url, { budget: { ...budget, redis: { client: redisB, prefix } } });
      try {
        api.requests.length = 0;
        const results = [];
        for (let i = 0; i < 8; i++) {
          results.push(await (i % 2 === 0 ? a : b).classify(`shared budget note ${i}?`));
        }
        const byModel = results.filter((r) => r.classifier === 'claude').length;
        expect(byModel).toBe(3);
        expect(api.requests).toHaveLength(3);
        expect(
          results.filter((r) => r.classifier.endsWith('(claude fallback: budget)')),
        ).toHaveLength(5);
        expect(
          a.counter('llm_budget_refused', { limit: 'calls' }) +
            b.counter('llm_budget_refused', { limit: 'calls' }),
        ).toBe(5);
        // both see the same budget: 3 calls and 3 × 150 tokens used (settled in the background)
        const left = { calls: 0, tokens: 100_000 - 3 * 150 };
        for (let i = 0; i < 200; i++) {
          if ((await a.classifier.remaining('test-store')).tokens === left.tokens) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(await a.classifier.remaining('test-store')).toEqual(left);
        expect(await b.classifier.remaining('test-store')).toEqual(left);
      } finally {
        await a.classifier.close();
        await b.classifier.close();
        const keys = await redisA.keys(`b_${prefix}*`);
        if (keys.length > 0) await redisA.del(...keys);
        expect(redisA.status).toBe('ready'); // the budget never closes the caller's client
        redisA.disconnect();
        redisB.disconnect();
      }
    },
  );
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
