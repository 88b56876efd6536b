import { describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter } from '../src';

describe('createSlidingWindowLimiter', () => {
  it('never starts a call before the window has passed since the response that freed its slot', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 2, windowMs: 50 });
    const spans: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limiter.schedule(async () => {
          const start = performance.now();
          await new Promise((r) => setTimeout(r, 5));
          spans.push({ start, end: performance.now() });
        }),
      ),
    );
    spans.sort((a, b) => a.start - b.start);
    expect(spans).toHaveLength(6);
    // any `limit + 1` consecutive starts span more than the window after the first one's response
    for (let i = 0; i + 2 < spans.length; i++) {
      expect(spans[i + 2]!.start - spans[i]!.end).toBeGreaterThanOrEqual(50);
    }
    await limiter.disconnect();
  });

  it('closing fails the calls still waiting (retryable), and runs none of them', async () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 60_000 });
    let ran = 0;
    await limiter.schedule(async () => void ran++);
    const waiting = limiter.schedule(async () => void ran++).catch((err: unknown) => err);
    await limiter.disconnect();
    expect(await waiting).toMatchObject({
      code: 'ADAPTER_FAILED',
      details: { retryable: true, reason: 'limiter_closed' },
    });
    expect(ran).toBe(1);
  });
});
