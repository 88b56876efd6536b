/**
 * Slack in the Express host: review alerts at a fake Slack (real HTTP, the real Slack client),
 * a signed click at `POST /slack/actions` approves the order and sends it to the warehouse,
 * a forged click changes nothing; `slackFromEnv` reads the SLACK_* variables.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackAlerts, slackFromEnv } from '@fulfil/alerts-slack';
import { type FakeSlack, signedClick, startFakeSlack } from '@fulfil/alerts-slack/testing';
import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';

const SECRET = 'host-signing-secret';
const CHANNEL = 'C0OPS';

let fake: FakeSlack;
let server: Server | undefined;
beforeEach(async () => {
  fake = await startFakeSlack({ postIntervalMs: 20 });
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await fake.close();
});

async function host() {
  const clock = createSimulatedClock(Date.parse('2026-11-27T09:00:00.000Z'));
  const stock = { east: { 'TEE-M': 10 } };
  const east = createSimulatedWarehouse({ name: 'east-wh', clock, locations: ['east'], stock });
  const alerts = createSlackAlerts({
    token: 'xoxb-test',
    channel: CHANNEL,
    slackApiUrl: fake.apiUrl,
    paceMs: 20,
  });
  const engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    clock,
    alerts,
    warehouses: { 'east-wh': east },
    locations: [{ id: 'east', warehouse: 'east-wh' }],
    rules: [
      {
        id: 'all-review',
        stage: 'before_routing',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'review', reason: 'new customer' }],
      },
    ],
  });
  const slack = slackFromEnv({ SLACK_SIGNING_SECRET: SECRET, SLACK_ALLOWED_USERS: 'U0ADA, U0BOB' });
  const app = createApp({
    engine,
    shopifySecrets: ['shopify-secret'],
    ...(slack.actions ? { slackActions: slack.actions(engine) } : {}),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server?.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/actions`;
  const order = makeOrder();
  await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'recv-1',
    occurredAt: new Date(clock.now()).toISOString(),
    order,
  });
  const [message] = fake.messages(CHANNEL);
  if (!message) throw new Error('no Slack message for the review');
  return { engine, east, order, message, url, alerts };
}

/** A signed click on the review message, as Slack posts it to `POST /slack/actions`. */
function click(orderId: string, ts: string, user: string, signingSecret = SECRET) {
  const c = signedClick({
    signingSecret,
    orderId,
    ts,
    channel: CHANNEL,
    responseUrl: fake.responseUrl(CHANNEL, ts),
    user,
  });
  return { method: 'POST', headers: c.headers, body: c.body };
}

describe('Slack in the Express host', () => {
  it('a review alert with buttons → a signed Approve at /slack/actions → submitted, message says who', async () => {
    const { engine, east, order, message, url, alerts } = await host();
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(true);
    const res = await fetch(url, click(order.id, message.ts, 'U0ADA'));
    expect(res.status).toBe(200);
    await engine.idle();
    expect((await engine.get(order.id))?.status).toBe('submitted');
    expect(east.orders()).toHaveLength(1);
    expect(fake.messages(CHANNEL)[0]?.text).toContain('Approved by <@U0ADA>');
    await alerts.close();
  });

  it('a forged click, or one from a user not allowed, changes nothing', async () => {
    const { engine, east, order, message, url, alerts } = await host();
    const forged = await fetch(url, click(order.id, message.ts, 'U0ADA', 'not-the-secret'));
    expect(forged.status).toBe(401);
    const stranger = await fetch(url, click(order.id, message.ts, 'U0EVE'));
    expect(stranger.status).toBe(403);
    await engine.idle();
    expect((await engine.get(order.id))?.status).toBe('needs_review');
    expect(east.orders()).toHaveLength(0);
    await alerts.close();
  });

  it('without SLACK_SIGNING_SECRET there is no /slack/actions route', () => {
    expect(slackFromEnv({})).toEqual({});
    expect(
      slackFromEnv({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x' }).actions,
    ).toBeUndefined();
  });

  it('a half-set pair of variables fails with CONFIG_INVALID naming it', () => {
    expect(() => slackFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_CHANNEL_ID/);
    expect(() => slackFromEnv({ SLACK_CHANNEL_ID: 'C1' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() =>
      slackFromEnv({ SLACK_BOT_TOKEN: 'x', SLACK_CHANNEL_ID: 'C', SLACK_WEBHOOK_URL: 'https://h' }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
