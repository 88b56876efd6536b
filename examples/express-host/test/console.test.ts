/**
 * The operations console mounted at `/ops` by the host built from the environment:
 * HTTP Basic accounts from CONSOLE_USERS / CONSOLE_PASSWORD, absent (404) without them; an
 * order in review approved through it over real HTTP.
 */
import { signShopifyWebhook } from '@fulfil/adapter-shopify';
import { ORDER_ID, SHOP, shopifyOrderText } from '@fulfil/adapter-shopify/testing';
import { CSRF_COOKIE } from '@fulfil/console';
import { describe, expect, it } from 'vitest';
import { createHostFromEnv } from '../src/host';
import { createLogger } from '../src/logging';
import { serveHost } from './serve';

const logger = createLogger({ destination: { write: () => undefined } });

const SECRET = 'test_secret_key';

async function start(env: Record<string, string>) {
  const host = createHostFromEnv({ SHOPIFY_SECRET: SECRET, ...env }, logger);
  return { host, ...(await serveHost(host)) };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the console at /ops', () => {
  it('CONSOLE_USERS: 401 without credentials or with a wrong password, 200 overview with them', async () => {
    const h = await start({ CONSOLE_USERS: 'alice:correct horse battery,bob:another long one' });
    try {
      const anonymous = await fetch(`${h.url}/ops/`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
      const wrong = await fetch(`${h.url}/ops/`, {
        headers: { authorization: basic('alice', 'correct horse batterx') },
      });
      expect(wrong.status).toBe(401);
      for (const [user, password] of [
        ['alice', 'correct horse battery'],
        ['bob', 'another long one'],
      ] as const) {
        const ok = await fetch(`${h.url}/ops/`, {
          headers: { authorization: basic(user, password) },
        });
        expect(ok.status).toBe(200);
        expect(await ok.text()).toContain('data-figure="received"');
      }
    } finally {
      await h.stop();
    }
  });

  it('CONSOLE_PASSWORD: one account, ops', async () => {
    const h = await start({ CONSOLE_PASSWORD: 'a long enough password' });
    try {
      const ok = await fetch(`${h.url}/ops/review`, {
        headers: { authorization: basic('ops', 'a long enough password') },
      });
      expect(ok.status).toBe(200);
    } finally {
      await h.stop();
    }
  });

  it('without accounts the console is not mounted (404); malformed CONSOLE_USERS is refused', async () => {
    const h = await start({});
    try {
      expect((await fetch(`${h.url}/ops/`)).status).toBe(404);
    } finally {
      await h.stop();
    }
    expect(() =>
      createHostFromEnv({ SHOPIFY_SECRET: SECRET, CONSOLE_USERS: 'alice' }, logger),
    ).toThrow(/CONFIG_INVALID: env\.CONSOLE_USERS: write user:password pairs/);
    expect(() =>
      createHostFromEnv({ SHOPIFY_SECRET: SECRET, CONSOLE_USERS: 'alice:short' }, logger),
    ).toThrow(/CONFIG_INVALID: env\.CONSOLE_USERS: the password of "alice" is 5 characters/);
  });

  it('approving an order in review: the order goes on, and its history names the signed-in user', async () => {
    const h = await start({ CONSOLE_USERS: 'alice:correct horse battery,bob:another long one' });
    try {
      // A signed Shopify webhook whose note asks for an address change: noteRules() send it to review.
      const body = shopifyOrderText({
        lines: [{ sku: 'TEE-M', quantity: 1, price: '25.00' }],
        note: 'Please change the shipping address to 12 Oak Street, Denver CO 80203',
      });
      const delivered = await fetch(`${h.url}/webhooks/shopify`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': signShopifyWebhook(body, SECRET),
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': SHOP,
          'x-shopify-webhook-id': 'wh-console-approve',
        },
      });
      expect(delivered.status).toBe(200);
      await h.host.app.webhooks.idle();
      await h.host.engine.idle();
      const orderId = `shopify:acme-outdoor:${ORDER_ID}`;
      expect((await h.host.engine.get(orderId))?.status).toBe('needs_review');

      const auth = { authorization: basic('alice', 'correct horse battery') };
      const review = await fetch(`${h.url}/ops/review`, { headers: auth });
      expect(review.status).toBe(200);
      const cookie = review.headers
        .getSetCookie()
        .map((c) => c.split(';')[0] ?? '')
        .find((c) => c.startsWith(`${CSRF_COOKIE}=`));
      expect(cookie).toBeDefined();
      const page = await review.text();
      const form = page.slice(page.indexOf(`data-resolve="${orderId}"`));
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1];
      const fields = {
        _csrf: field('_csrf') ?? '',
        nonce: field('nonce') ?? '',
        resolution: 'approve',
        comment: 'the customer confirmed the new address by phone',
        returnTo: '/ops/review',
      };
      expect(fields._csrf).toBe(cookie?.split('=')[1]);
      expect(fields.nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      const approve = await fetch(`${h.url}/ops/orders/${encodeURIComponent(orderId)}/resolve`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams(fields).toString(),
        headers: {
          ...auth,
          cookie: cookie ?? '',
          origin: h.url,
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      expect(approve.status).toBe(303);
      expect(approve.headers.get('location')).toMatch(/^\/ops\/review\?done=approve&order=/);
      await h.host.engine.idle();

      const record = await h.host.engine.get(orderId);
      expect(record?.review).toBeUndefined();
      expect(record?.status).toBe('submitted');
      const { history } = await h.host.engine.explain(orderId);
      const resolved = history.filter((e) => e.eventType === 'review.resolved');
      expect(resolved).toHaveLength(1);
      expect(resolved[0]?.eventKey).toBe(`console:${orderId}:${fields.nonce}`);
      expect(resolved[0]?.from).toBe('needs_review');
      expect(resolved[0]?.explanation.notes).toContain(
        'approved by alice: the customer confirmed the new address by phone',
      );
      // The order page's timeline says the same.
      const timeline = await fetch(`${h.url}/ops/orders/${encodeURIComponent(orderId)}`, {
        headers: auth,
      });
      expect(await timeline.text()).toContain('approved by alice');
    } finally {
      await h.stop();
    }
  });
});
