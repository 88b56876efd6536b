import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Alert } from '@fulfil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAlerts } from '../src';
import { type FakeSlack, startFakeSlack } from '../src/testing';

const CHANNEL = 'C0PACE';
let fake: FakeSlack | undefined;
afterEach(() => fake?.close());

const alert = (i: number, reason: string): Alert => ({
  severity: 'warning',
  title: `Order #${i} needs review`,
  message: reason,
  orderId: `o-${i}`,
  idempotencyKey: `alert-${i}`,
});

describe('pacing, digests and duplicates', () => {
  it('200 alerts at once reach Slack at its pace with zero 429s; a flood becomes one digest', async () => {
    // Slack's pace scaled down 50x (1/s → 1 per 20 ms) so the test runs in seconds; the sink
    // paces 25 % under the fake's limit. The fake and the sink share one event loop: a stall of
    // S ms delivers S/25 posts to the fake at once, so its burst of 6 tolerates stalls up to
    // 150 ms (a loaded CI machine stalled > 75 ms once and a burst of 3 gave one 429). Slack
    // itself tolerates short bursts; the pace on average is asserted below.
    fake = await startFakeSlack({ postIntervalMs: 20, burst: 6 });
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const sink = createSlackAlerts({
      token: 'xoxb-t',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
      paceMs: 25,
      consoleHomeUrl: 'https://ops.example.com/orders?status=on_hold',
    });
    const alerts = Array.from({ length: 200 }, (_, i) =>
      i < 150 ? alert(i, `reason ${i}`) : alert(i, 'missing SKU MUG-XL'),
    );
    const started = Date.now();
    const results = await Promise.allSettled(alerts.map((a) => sink.send(a)));
    const elapsed = Date.now() - started;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    stalls.disable();
    expect(
      fake.rateLimited(),
      `429s (worst event-loop stall ${(stalls.max / 1e6).toFixed(0)} ms)`,
    ).toBe(0);
    const messages = fake.messages(CHANNEL);
    // 150 distinct reasons + 3 of the flood on their own + 1 digest for the other 47.
    expect(messages).toHaveLength(154);
    const digest = messages.filter((m) =>
      m.text.includes('more warning alerts with the same reason'),
    );
    expect(digest).toHaveLength(1);
    expect(digest[0]?.text).toContain('47 more');
    expect(JSON.stringify(digest[0]?.blocks)).toContain(
      'https://ops.example.com/orders?status=on_hold',
    );
    // At the pace on average (single gaps jitter with the event loop; Slack tolerates short bursts).
    const at = fake.arrivals(CHANNEL);
    expect(((at.at(-1) ?? 0) - (at[0] ?? 0)) / (at.length - 1)).toBeGreaterThanOrEqual(18);
    expect(elapsed).toBeGreaterThanOrEqual(153 * 15);
  }, 60_000);

  it('honours 429 Retry-After and then delivers', async () => {
    fake = await startFakeSlack({ postIntervalMs: 1000, burst: 1 });
    const sink = createSlackAlerts({
      token: 'xoxb-t',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
      paceMs: 1,
      digest: false,
    });
    const started = Date.now();
    await Promise.all([sink.send(alert(1, 'a')), sink.send(alert(2, 'b'))]);
    expect(fake.rateLimited()).toBeGreaterThanOrEqual(1);
    expect(fake.messages(CHANNEL)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('does not post an alert twice when the outbox retries after a timeout', async () => {
    fake = await startFakeSlack({ postIntervalMs: 1 });
    const sink = createSlackAlerts({
      token: 'xoxb-t',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
      paceMs: 1,
      timeoutMs: 150,
    });
    fake.failNext('chat.postMessage', { delayMs: 500 });
    const first = await sink.send(alert(7, 'slow')).catch((e: unknown) => e);
    expect(first).toMatchObject({
      code: 'ADAPTER_FAILED',
      retryable: true,
      details: { outcome: 'unknown' },
    });
    expect(fake.messages(CHANNEL)).toHaveLength(1); // it did arrive
    await sink.send(alert(7, 'slow')); // the retry finds it in conversations.history
    expect(fake.messages(CHANNEL)).toHaveLength(1);
    // A timeout before Slack stored it: the retry posts it (once).
    fake.failNext('chat.postMessage', { status: 503 });
    await expect(sink.send(alert(8, 'down'))).rejects.toMatchObject({ retryable: true });
    await sink.send(alert(8, 'down'));
    expect(
      fake.messages(CHANNEL).filter((m) => m.metadata?.event_payload?.key === 'alert-8'),
    ).toHaveLength(1);
  });
});

describe('duplicates across processes', () => {
  it("checkHistory 'always' catches a retry in another process; the default does not", async () => {
    fake = await startFakeSlack({ postIntervalMs: 1 });
    const opts = {
      token: 'xoxb-t',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
      paceMs: 1,
      timeoutMs: 150,
    };
    const crashed = createSlackAlerts(opts);
    fake.failNext('chat.postMessage', { delayMs: 500 });
    await expect(crashed.send(alert(9, 'slow'))).rejects.toMatchObject({
      details: { outcome: 'unknown' },
    });
    await createSlackAlerts({ ...opts, checkHistory: 'always' }).send(alert(9, 'slow'));
    expect(fake.messages(CHANNEL)).toHaveLength(1);
    await createSlackAlerts(opts).send(alert(9, 'slow'));
    expect(fake.messages(CHANNEL)).toHaveLength(2);
  });
});

describe('incoming webhook pacing', () => {
  it('waits out a 429 from the webhook and delivers; digests floods there too', async () => {
    fake = await startFakeSlack({ postIntervalMs: 300, burst: 1 });
    const sink = createSlackAlerts({
      webhookUrl: fake.webhookUrl,
      paceMs: 1,
      digest: { after: 1 },
    });
    // paceMs 1 is far too fast for the fake: the second post meets a 429 and is retried.
    const sends = [alert(1, 'x'), alert(2, 'y'), alert(3, 'y'), alert(4, 'y')].map((a) =>
      sink.send(a),
    );
    await Promise.all(sends);
    const texts = fake.messages('C0WEBHOOK').map((m) => m.text);
    expect(fake.rateLimited()).toBeGreaterThanOrEqual(1);
    expect(texts.filter((t) => t.includes('needs review'))).toHaveLength(2);
    const digests = texts.filter((t) => t.includes('more warning alerts with the same reason'));
    expect(digests.length).toBeGreaterThanOrEqual(1);
    expect(digests.at(-1)).toContain('2 more');
  });
});
