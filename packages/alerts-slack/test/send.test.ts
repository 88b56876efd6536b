import type { Alert } from '@fulfil/core';
import { expectConfigInvalid } from '@fulfil/core/testing';
import { UpstreamError } from '@fulfil/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAlerts, REVIEW_ACTIONS } from '../src';
import { type FakeSlack, startFakeSlack } from '../src/testing';

const CHANNEL = 'C0ALERTS';
let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({ postIntervalMs: 20 });
});
afterEach(() => fake.close());

const review: Alert = {
  severity: 'warning',
  title: 'Order #1001 needs review',
  message: 'risk is high\nbig order',
  orderId: 'o-1001',
  link: 'https://acme.myshopify.com/admin/orders/1001',
  idempotencyKey: 'cmd-1',
};
const sink = (extra: Partial<Parameters<typeof createSlackAlerts>[0]> = {}) =>
  createSlackAlerts({
    token: 'xoxb-test',
    channel: CHANNEL,
    slackApiUrl: fake.apiUrl,
    consoleUrl: (id) => `https://ops.example.com/orders/${id}`,
    paceMs: 25,
    ...extra,
  });

describe('createSlackAlerts', () => {
  it('posts a Block Kit message: severity, title, admin link, console link, reason, buttons', async () => {
    await sink().send(review);
    const [m] = fake.messages(CHANNEL);
    expect(m?.via).toBe('api');
    expect(m?.metadata).toEqual({ event_type: 'fulfil_alert', event_payload: { key: 'cmd-1' } });
    const text = JSON.stringify(m?.blocks);
    expect(m?.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Order #1001 needs review' },
    });
    expect(text).toContain('*WARNING*');
    expect(text).toContain('<https://acme.myshopify.com/admin/orders/1001|o-1001>');
    expect(text).toContain('<https://ops.example.com/orders/o-1001|open in console>');
    expect(text).toContain('*Reason:* risk is high; big order');
    expect(text).toContain('*Next:* Approve or cancel below, or open the order to change it.');
    const actions = m?.blocks.find((b) => b.type === 'actions') as {
      elements: Record<string, unknown>[];
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [REVIEW_ACTIONS.approve, 'o-1001'],
      [REVIEW_ACTIONS.cancel, 'o-1001'],
      [REVIEW_ACTIONS.open, 'o-1001'],
    ]);
    expect(actions.elements[2]?.url).toBe('https://ops.example.com/orders/o-1001');
  });

  it('gives other alerts no buttons and escapes mrkdwn', async () => {
    await sink().send({
      severity: 'critical',
      title: 'Warehouse down',
      message: 'a <b> & c',
      idempotencyKey: 'k2',
    });
    const [m] = fake.messages(CHANNEL);
    expect(m?.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(m?.blocks)).not.toContain('*Next:*');
    expect(JSON.stringify(m?.blocks)).toContain('a &lt;b&gt; &amp; c');
    await sink().send({ ...review, idempotencyKey: 'k3', link: 'https://x.test/a|evil>b <c' });
    expect(JSON.stringify(fake.messages(CHANNEL)[1]?.blocks)).toContain(
      '<https://x.test/a%7Cevil%3Eb%20%3Cc|o-1001>',
    );
  });

  it('posts through an incoming webhook', async () => {
    await createSlackAlerts({ webhookUrl: fake.webhookUrl, paceMs: 25 }).send(review);
    const [m] = fake.messages('C0WEBHOOK');
    expect(m?.via).toBe('webhook');
    expect(m?.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('maps refusals to non-retryable errors and outages to retryable ones', async () => {
    const bad = createSlackAlerts({
      token: 'xoxp-wrong',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
    });
    const auth = await bad.send(review).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(UpstreamError);
    expect(auth).toMatchObject({
      code: 'ADAPTER_FAILED',
      vendorCode: 'invalid_auth',
      retryable: false,
    });
    expect((auth as Error).message).toContain('check the bot token');

    const nochan = await sink({ channel: 'nope' })
      .send(review)
      .catch((e: unknown) => e);
    expect(nochan).toMatchObject({
      vendorCode: 'channel_not_found',
      retryable: false,
      details: { retryable: false },
    });

    fake.failNext('chat.postMessage', { status: 503 });
    const down = await sink()
      .send(review)
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 503, retryable: true });

    fake.failNext('webhook', { status: 404, error: 'channel_not_found' });
    const hook = await createSlackAlerts({ webhookUrl: fake.webhookUrl })
      .send(review)
      .catch((e: unknown) => e);
    expect(hook).toMatchObject({ status: 404, vendorCode: 'channel_not_found', retryable: false });
    expect((hook as Error).message).not.toContain('XXXXXXXX');

    await fake.close();
    const gone = await sink()
      .send(review)
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ retryable: true, details: { outcome: 'unknown' } });
    fake = await startFakeSlack();
  });

  it('refuses a configuration without exactly one of token and webhookUrl', () => {
    expect(() => createSlackAlerts({ channel: CHANNEL })).toThrow(
      /exactly one of token or webhookUrl/,
    );
    expect(() => createSlackAlerts({ token: 'xoxb-1' })).toThrow(/needs a channel/);
  });

  it('a misspelt option gets a suggestion; no options, a bad URL name their path', () => {
    expectConfigInvalid(
      () => createSlackAlerts({ token: 'xoxb-1', chanel: CHANNEL } as never),
      'chanel',
      /did you mean "channel"/,
    );
    expectConfigInvalid(
      () => createSlackAlerts({ webhookURL: 'https://hooks.slack.test/x' } as never),
      'webhookURL',
      /did you mean "webhookUrl"/,
    );
    expectConfigInvalid(() => createSlackAlerts(undefined as never), '(root)', /must be an object/);
    expectConfigInvalid(() => createSlackAlerts({ webhookUrl: 'not a url' }), 'webhookUrl');
    expectConfigInvalid(
      () => createSlackAlerts({ token: 'xoxb-1', channel: CHANNEL, digest: { afer: 3 } } as never),
      'digest.afer',
      /did you mean "after"/,
    );
  });
});
