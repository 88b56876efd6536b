import {
  createEngine,
  createMemoryInventory,
  createMemoryStorage,
  createMemoryStore,
  createSimulatedClock,
  createSimulatedWarehouse,
} from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackActionsHandler,
  createSlackAlerts,
  REVIEW_ACTIONS,
  slackSignature,
  verifySlackSignature,
} from '../src';
import { type FakeSlack, startFakeSlack } from '../src/testing';

const SECRET = 'test-signing-secret';
const CHANNEL = 'C0REVIEW';
const T0 = Date.parse('2026-11-27T09:00:00.000Z');

describe('Slack request signature', () => {
  it("matches Slack's published example", () => {
    // https://docs.slack.dev/authentication/verifying-requests-from-slack (copied in /work/shared/API-FACTS.md)
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const ts = '1531420618';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
    expect(slackSignature(secret, ts, body)).toBe(expected);
    const input = { signingSecret: secret, signature: expected, timestamp: ts, rawBody: body };
    expect(verifySlackSignature({ ...input, nowMs: 1531420618_000 + 60_000 })).toBe('ok');
    expect(verifySlackSignature({ ...input, nowMs: 1531420618_000 + 5 * 60_000 + 1000 })).toBe(
      'stale',
    );
    expect(verifySlackSignature({ ...input, rawBody: `${body}x`, nowMs: 1531420618_000 })).toBe(
      'mismatch',
    );
    expect(verifySlackSignature({ ...input, signature: undefined, nowMs: 1531420618_000 })).toBe(
      'missing',
    );
  });
});

/** An engine whose rule sends every order to review, alerting through Slack at the fake. */
function world(fake: FakeSlack) {
  const clock = createSimulatedClock(T0);
  const stock = { east: { 'TEE-M': 10 } };
  const east = createSimulatedWarehouse({ name: 'east-wh', clock, locations: ['east'], stock });
  const engine = createEngine({
    storage: createMemoryStorage(),
    store: createMemoryStore(),
    inventory: createMemoryInventory({ stock }),
    clock,
    alerts: createSlackAlerts({
      token: 'xoxb-test',
      channel: CHANNEL,
      slackApiUrl: fake.apiUrl,
      consoleUrl: (id) => `https://ops.example.com/orders/${id}`,
      paceMs: 20,
    }),
    warehouses: { 'east-wh': east },
    locations: [{ id: 'east', warehouse: 'east-wh', priority: 1 }],
    rules: [
      {
        id: 'all-review',
        stage: 'before_routing',
        when: { fact: 'order.total', op: 'gte', value: 0 },
        actions: [{ type: 'review', reason: 'first order from this customer' }],
      },
    ],
  });
  return { clock, engine, east };
}

/**
 * A click as Slack sends it: form-encoded `payload=` JSON, signed. Fields from Slack's
 * block_actions reference (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload),
 * bolt-js `src/types/actions/block-action.ts`, and a captured payload in TotoroSyd/heybot `payload.py`.
 */
function click(
  fake: FakeSlack,
  opts: {
    actionId: string;
    orderId: string;
    ts: string;
    blocks: unknown[];
    user?: string;
    at?: number;
    secret?: string;
  },
) {
  const payload = {
    type: 'block_actions',
    user: { id: opts.user ?? 'U0ADA', username: 'ada', name: 'ada', team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'verification-token',
    container: { type: 'message', message_ts: opts.ts, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: '12345.98765.abcd2358fdea',
    team: { id: 'T0001', domain: 'acme' },
    channel: { id: CHANNEL, name: 'fulfil-alerts' },
    message: { type: 'message', ts: opts.ts, text: 'alert', blocks: opts.blocks },
    response_url: fake.responseUrl(CHANNEL, opts.ts),
    actions: [
      {
        action_id: opts.actionId,
        block_id: 'fulfil_review',
        value: opts.orderId,
        type: 'button',
        action_ts: '1764234000.123456',
      },
    ],
  };
  const rawBody = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = String(Math.floor((opts.at ?? T0) / 1000));
  return {
    method: 'POST',
    headers: {
      'X-Slack-Request-Timestamp': ts,
      'X-Slack-Signature': slackSignature(opts.secret ?? SECRET, ts, rawBody),
    },
    rawBody,
  };
}

describe('createSlackActionsHandler', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack({ postIntervalMs: 20 });
  });
  afterEach(() => fake.close());

  async function flagged() {
    const w = world(fake);
    const order = makeOrder({
      source: {
        channel: 'manual',
        store: 's',
        externalId: 'e1',
        name: '#1001',
        adminUrl: 'https://acme.myshopify.com/admin/orders/1',
      },
    });
    const r = await w.engine.ingest({
      type: 'order.received',
      idempotencyKey: 'recv-1',
      occurredAt: new Date(T0).toISOString(),
      order,
    });
    expect(r.status).toBe('needs_review');
    await w.engine.dispatch();
    const [m] = fake.messages(CHANNEL);
    if (!m) throw new Error('no Slack message');
    return { ...w, order, m };
  }

  it('end to end: review alert with buttons → signed Approve → order submitted → message says who approved', async () => {
    const { engine, east, order, m, clock } = await flagged();
    expect(m.blocks.find((b) => b.type === 'actions')).toBeDefined();
    expect(JSON.stringify(m.blocks)).toContain('<https://acme.myshopify.com/admin/orders/1|');
    const handle = createSlackActionsHandler({
      signingSecret: SECRET,
      engine,
      authorizeUser: (u) => u.id === 'U0ADA',
      now: clock.now,
    });
    const out = await handle(
      click(fake, {
        actionId: REVIEW_ACTIONS.approve,
        orderId: order.id,
        ts: m.ts,
        blocks: m.blocks,
      }),
    );
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toMatchObject({ outcome: 'applied', resolution: 'approve' });
    await engine.idle(); // the handler answers Slack before the warehouse submit (3 s limit)
    expect((await engine.get(order.id))?.status).toBe('submitted');
    expect(east.orders()).toHaveLength(1);
    const updated = fake.messages(CHANNEL)[0];
    expect(updated?.edits.at(-1)?.via).toBe('response_url');
    expect(updated?.text).toBe(':white_check_mark: Approved by <@U0ADA>');
    expect(updated?.blocks.some((b) => b.type === 'actions')).toBe(false);
    const history = await engine.explain(order.id);
    expect(JSON.stringify(history)).toContain('slack:U0ADA');

    // A second click on the same message changes nothing.
    const again = await handle(
      click(fake, {
        actionId: REVIEW_ACTIONS.cancel,
        orderId: order.id,
        ts: m.ts,
        blocks: m.blocks,
      }),
    );
    expect(JSON.parse(again.body)).toMatchObject({ outcome: 'duplicate' });
    expect((await engine.get(order.id))?.status).toBe('submitted');
  });

  it('forged, stale and unsigned clicks change nothing (401)', async () => {
    const { engine, order, m, clock } = await flagged();
    const handle = createSlackActionsHandler({
      signingSecret: SECRET,
      engine,
      authorizeUser: () => true,
      now: clock.now,
    });
    const base = {
      actionId: REVIEW_ACTIONS.approve,
      orderId: order.id,
      ts: m.ts,
      blocks: m.blocks,
    };
    const forged = await handle(click(fake, { ...base, secret: 'not-the-secret' }));
    const stale = await handle(click(fake, { ...base, at: T0 - 6 * 60_000 }));
    const tampered = click(fake, base);
    tampered.rawBody = tampered.rawBody.replace('U0ADA', 'U0EVE');
    const unsigned = { ...click(fake, base), headers: {} };
    for (const r of [forged, stale, await handle(tampered), await handle(unsigned)])
      expect(r.status).toBe(401);
    expect(JSON.parse(stale.body).error).toBe('signature stale');
    expect((await engine.get(order.id))?.status).toBe('needs_review');
    expect(fake.messages(CHANNEL)[0]?.edits).toEqual([]);
  });

  it('refuses a user the host does not allow (403): no change, buttons stay', async () => {
    const { engine, order, m, clock } = await flagged();
    const handle = createSlackActionsHandler({
      signingSecret: SECRET,
      engine,
      authorizeUser: async (u) => u.id === 'U0BOSS',
      now: clock.now,
    });
    const out = await handle(
      click(fake, {
        actionId: REVIEW_ACTIONS.cancel,
        orderId: order.id,
        ts: m.ts,
        blocks: m.blocks,
      }),
    );
    expect(out.status).toBe(403);
    expect((await engine.get(order.id))?.status).toBe('needs_review');
    expect(fake.messages(CHANNEL)[0]?.edits).toEqual([]);
  });

  it('answers 503 and leaves the message when the engine cannot store the click; a throwing authorizeUser refuses', async () => {
    const { order, m, clock } = await flagged();
    const down = { ingest: async () => Promise.reject(new Error('storage down')) };
    const handle = createSlackActionsHandler({
      signingSecret: SECRET,
      engine: down,
      authorizeUser: () => true,
      now: clock.now,
    });
    const out = await handle(
      click(fake, {
        actionId: REVIEW_ACTIONS.approve,
        orderId: order.id,
        ts: m.ts,
        blocks: m.blocks,
      }),
    );
    expect(out.status).toBe(503);
    expect(fake.messages(CHANNEL)[0]?.edits).toEqual([]);
    const throwing = createSlackActionsHandler({
      signingSecret: SECRET,
      engine: down,
      authorizeUser: () => {
        throw new Error('directory down');
      },
      now: clock.now,
    });
    const refused = await throwing(
      click(fake, {
        actionId: REVIEW_ACTIONS.approve,
        orderId: order.id,
        ts: m.ts,
        blocks: m.blocks,
      }),
    );
    expect(refused.status).toBe(403);
  });

  it('answers 400 to a body without a payload and ignores the Open button', async () => {
    const { engine, order, m, clock } = await flagged();
    const handle = createSlackActionsHandler({
      signingSecret: SECRET,
      engine,
      authorizeUser: () => true,
      now: clock.now,
    });
    const ts = String(Math.floor(T0 / 1000));
    const bad = await handle({
      method: 'POST',
      headers: {
        'x-slack-request-timestamp': ts,
        'x-slack-signature': slackSignature(SECRET, ts, 'x=1'),
      },
      rawBody: 'x=1',
    });
    expect(bad.status).toBe(400);
    const open = await handle(
      click(fake, { actionId: REVIEW_ACTIONS.open, orderId: order.id, ts: m.ts, blocks: m.blocks }),
    );
    expect(open.status).toBe(200);
    expect((await engine.get(order.id))?.status).toBe('needs_review');
  });
});
