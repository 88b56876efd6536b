/**
 * Slack review buttons in the Lambda host: `POST /slack/actions` with a signed click resolves
 * the review (the scheduled function then submits the order); a forged click changes nothing;
 * without `slackActions` the route does not exist.
 */
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
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLambdaHost, type HttpEvent } from '../src/host';

const SIGNING = 'lambda-signing-secret';
const CHANNEL = 'C0OPS';
let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({ postIntervalMs: 20 });
});
afterEach(() => fake.close());

async function world(withSlack: boolean) {
  const clock = createSimulatedClock('2026-11-27T09:00:00Z');
  const stock = { main: { 'TEE-M': 10 } };
  const main = createSimulatedWarehouse({ name: 'main', clock, locations: ['main'], stock });
  const alerts = createSlackAlerts({
    token: 'xoxb-test',
    channel: CHANNEL,
    slackApiUrl: fake.apiUrl,
    paceMs: 20,
  });
  const engine = createEngine({
    storage: createMemoryStorage(),
    inventory: createMemoryInventory({ stock }),
    warehouses: { main },
    locations: [{ id: 'main', warehouse: 'main' }],
    clock,
    alerts,
    autoDispatch: false,
    rules: [
      {
        id: 'all-review',
        stage: 'before_routing',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'review', reason: 'new customer' }],
      },
    ],
  });
  const actions = slackFromEnv({
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_ALLOWED_USERS: 'U0ADA',
  }).actions;
  const host = createLambdaHost({
    engine: async () => engine,
    shopifySecrets: ['shopify-secret'],
    ...(withSlack && actions ? { slackActions: actions(engine) } : {}),
  });
  const order = makeOrder();
  await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'recv-1',
    occurredAt: new Date(clock.now()).toISOString(),
    order,
  });
  await host.scheduled(); // the alert goes out from the scheduled function
  const [message] = fake.messages(CHANNEL);
  if (!message) throw new Error('no Slack message for the review');
  return { engine, main, host, order, message, alerts };
}

/** A signed click on the review message, as Slack posts it to `POST /slack/actions`. */
function click(orderId: string, ts: string, signingSecret = SIGNING): HttpEvent {
  const c = signedClick({
    signingSecret,
    orderId,
    ts,
    channel: CHANNEL,
    responseUrl: fake.responseUrl(CHANNEL, ts),
  });
  return {
    rawPath: '/slack/actions',
    headers: c.headers,
    body: c.body,
    requestContext: { http: { method: 'POST' } },
  };
}

it('a signed Approve resolves the review; the scheduled run submits the order', async () => {
  const { engine, main, host, order, message, alerts } = await world(true);
  const out = await host.http(click(order.id, message.ts));
  expect(out.statusCode).toBe(200);
  await host.scheduled();
  // Submitted by the scheduled run (whose warehouse poll may already see it shipped).
  expect(['submitted', 'shipped']).toContain((await engine.get(order.id))?.status);
  expect(main.orders()).toHaveLength(1);
  expect(fake.messages(CHANNEL)[0]?.text).toContain('Approved by <@U0ADA>');
  await alerts.close();
});

it('a forged click changes nothing; without slackActions the route is 404', async () => {
  const { engine, host, order, message, alerts } = await world(true);
  expect((await host.http(click(order.id, message.ts, 'forged'))).statusCode).toBe(401);
  await host.scheduled();
  expect((await engine.get(order.id))?.status).toBe('needs_review');
  const bare = await world(false);
  expect((await bare.host.http(click(bare.order.id, bare.message.ts))).statusCode).toBe(404);
  await alerts.close();
  await bare.alerts.close();
});
