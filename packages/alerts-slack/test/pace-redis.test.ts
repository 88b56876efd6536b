import { connect } from 'node:net';
import type { Alert } from '@fulfil/core';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAlerts, type SlackAlertSink } from '../src';
import { type FakeSlack, startFakeSlack } from '../src/testing';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const reachable = () =>
  new Promise<boolean>((resolve) => {
    const s = connect(6379, '127.0.0.1');
    s.once('connect', () => resolve(!!s.end()));
    s.once('error', () => resolve(false));
  });
const redisUp = process.env.REDIS_URL !== undefined || (await reachable());
const skip = redisUp ? '' : ' (skipped: no Redis at 127.0.0.1:6379 and REDIS_URL unset)';

const alert = (p: string, i: number): Alert => ({
  severity: 'info',
  title: `note ${p}${i}`,
  message: `reason ${p}${i}`,
  idempotencyKey: `${p}-${i}`,
});

let fake: FakeSlack | undefined;
const open: SlackAlertSink[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await fake?.close();
});

/** Two processes' sinks posting 15 alerts each to one channel at once; returns the fake's 429 count. */
async function twoProcesses(redis: Redis | undefined, channel: string): Promise<number> {
  // Burst 4: the fake shares the sinks' event loop, so a stall of S ms hands it S/60 posts at
  // once; 4 tolerates stalls up to 240 ms (2 gave a 429 under a loaded CI machine). Without the
  // shared pace the two sinks still overrun it (2 posts per 60 ms against 1 per 50 ms).
  fake = await startFakeSlack({ postIntervalMs: 50, burst: 4 });
  const make = () => {
    const s = createSlackAlerts({
      token: 'xoxb-t',
      channel,
      slackApiUrl: fake?.apiUrl ?? '',
      paceMs: 60,
      ...(redis ? { redis: { client: redis, clearDatastore: true } } : {}),
    });
    open.push(s);
    return s;
  };
  const [a, b] = [make(), make()];
  const sends = Array.from({ length: 15 }, (_, i) => [
    a.send(alert('a', i)),
    b.send(alert('b', i)),
  ]).flat();
  await Promise.all(sends);
  expect(fake.messages(channel)).toHaveLength(30);
  return fake.rateLimited();
}

describe('pace shared through Redis', () => {
  it.skipIf(!redisUp)(
    `two processes share one channel's pace: zero 429s${skip}`,
    async () => {
      const redis = new Redis(REDIS_URL);
      try {
        expect(await twoProcesses(redis, `C0SHARED${Date.now()}`)).toBe(0);
      } finally {
        await Promise.all(open.splice(0).map((s) => s.close()));
        redis.disconnect();
      }
    },
    30_000,
  );

  it('without Redis, two processes each at the pace overrun the channel (429s, waited out)', async () => {
    expect(await twoProcesses(undefined, 'C0LOCAL')).toBeGreaterThan(0);
  }, 30_000);
});
