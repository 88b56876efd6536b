import { createMemoryStorage, isFulfilError } from '@fulfil/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from '../../core/test/notes/corpus';
import { maskEmails } from '../src/format';
import { escapeHtml } from '../src/html';
import {
  basicAuth,
  CONTENT_SECURITY_POLICY,
  type ConsoleHandler,
  createConsole,
  toLambdaHandler,
} from '../src/index';
import { formField, session } from './helpers';
import { ALICE, ALICE_AUTH, HOSTILE_NOTES, type SeededWorld, seededWorld } from './world';

let world: SeededWorld;
let handler: ConsoleHandler;
const hostileIds: string[] = [];
/** Orders a person must look at (an address change in the note), in stock: approving ships them. */
const reviewIds: string[] = [];

beforeAll(async () => {
  world = await seededWorld({ orders: 60 });
  for (const note of [...HOSTILE_NOTES, ...HOSTILE.map((h) => h.note)]) {
    const { orderId } = await world.addOrder({ note });
    hostileIds.push(orderId);
  }
  for (let i = 0; i < 5; i++) {
    const { orderId } = await world.addOrder({
      note: 'Please change the shipping address to 5 Oak Ave, apt 2',
    });
    reviewIds.push(orderId);
  }
  handler = createConsole({
    engine: world.engine,
    storage: world.storage,
    clock: world.clock,
    basePath: '/ops',
    adminLinks: 'https://admin.shopify.com/store/{shop}/orders/{externalId}',
    pageSize: 200,
    ...basicAuth({ users: { [ALICE.user]: ALICE.password } }),
  });
}, 120_000);

const alice = () => session(handler, 'http://console.test', ALICE_AUTH);

async function queueIds(): Promise<string[]> {
  const page = await world.storage.insights?.reviewQueue({ limit: 500 });
  return page?.items.map((i) => i.orderId) ?? [];
}

/** The next order of `reviewIds` still waiting for review. */
async function waiting(): Promise<string> {
  const queue = await queueIds();
  const id = reviewIds.find((r) => queue.includes(r));
  if (!id) throw new Error('no test order left in the review queue');
  return id;
}

describe('options', () => {
  it('requires authorize and a storage with insights (CONFIG_INVALID naming the path)', () => {
    const attempt = (options: object) => {
      try {
        createConsole({ engine: world.engine, storage: world.storage, ...options } as never);
      } catch (err) {
        if (isFulfilError(err, 'CONFIG_INVALID')) return err.message;
        throw err;
      }
      return 'accepted';
    };
    expect(attempt({ authorize: undefined })).toMatch(/createConsole options: authorize/);
    expect(attempt({ authorize: 'yes' })).toMatch(/createConsole options: authorize/);
    const bare = { ...createMemoryStorage(), insights: undefined };
    expect(attempt({ authorize: 'anonymous-allowed', storage: bare })).toMatch(
      /createConsole options: storage/,
    );
    expect(attempt({ authorize: 'anonymous-allowed', basePath: 'ops' })).toMatch(
      /createConsole options: basePath/,
    );
    expect(attempt({ authorize: 'anonymous-allowed', refreshMs: 60_000 })).toMatch(
      /createConsole options: refreshMs/,
    );
    expect(attempt({ authorize: 'anonymous-allowed' })).toBe('accepted');
  });

  it('basicAuth refuses short passwords', () => {
    expect(() => basicAuth({ users: { ops: 'short' } })).toThrow(
      /CONFIG_INVALID: basicAuth options: users\.ops/,
    );
  });
});

describe('authorization', () => {
  it('answers 401 without credentials, with wrong ones, and when authorize throws', async () => {
    for (const auth of [undefined, 'Basic b3BzOm5vcGU=', `${ALICE_AUTH}x`]) {
      const res = await session(handler, 'http://console.test', auth).get('/ops/');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const throwing = createConsole({
      engine: world.engine,
      storage: world.storage,
      authorize: () => {
        throw new Error('sso down');
      },
    });
    expect((await throwing(new Request('http://x/'))).status).toBe(401);
    // Assets and the JSON API are behind authorization too.
    for (const path of ['/ops/assets/console.js', '/ops/api/overview', '/ops/review']) {
      expect((await session(handler).get(path)).status).toBe(401);
    }
  });

  it("opens only with an explicit 'anonymous-allowed', recording actions by 'anonymous'", async () => {
    const open = createConsole({
      engine: world.engine,
      storage: world.storage,
      authorize: 'anonymous-allowed',
    });
    const res = await open(new Request('http://x/review'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-user="anonymous"');
  });
});

describe('response headers', () => {
  it('sends a CSP without unsafe-inline, frame denial and nosniff on pages, assets and errors', async () => {
    const s = alice();
    const responses = [
      await s.get('/ops/'),
      await s.get('/ops/assets/console.js'),
      await s.get('/ops/nowhere'),
      await session(handler).get('/ops/'),
    ];
    for (const res of responses) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toBe(CONTENT_SECURITY_POLICY);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 401]);
  });

  it('pages load only the console script file (no inline script) and set a strict CSRF cookie', async () => {
    const res = await alice().get('/ops/review');
    const page = await res.text();
    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script src="/ops/assets/console.js" defer>']);
    // No event-handler attribute in any tag (escaped notes have no tags at all).
    expect(page).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(res.headers.get('set-cookie')).toMatch(
      /^fulfil_console_csrf=[A-Za-z0-9_-]{43}; Path=\/ops; HttpOnly; SameSite=Strict$/,
    );
  });
});

describe('escaping', () => {
  it('shows every hostile note as text on the review queue and the order page', async () => {
    const s = alice();
    const queue = await (await s.get('/ops/review')).text();
    let onQueue = 0;
    for (const id of hostileIds) {
      const record = await world.storage.load(id);
      const note = record?.order.note as string;
      const order = await (await s.get(`/ops/orders/${encodeURIComponent(id)}`)).text();
      expect(order).toContain(escapeHtml(note));
      if (record?.review) {
        expect(queue).toContain(escapeHtml(note));
        onQueue++;
      }
      for (const page of [queue, order]) {
        expect(page).not.toContain('<img src=x');
        expect(page).not.toContain('<svg onload');
        expect(page).not.toContain('</script><script>');
        expect(page).not.toContain('<tool_use');
        expect(page).not.toContain('<instructions>');
      }
    }
    // The address-change notes went to review, so the queue really showed hostile text.
    expect(onQueue).toBeGreaterThanOrEqual(3);
  });

  it('masks customer email and address with maskCustomer', async () => {
    const masked = createConsole({
      engine: world.engine,
      storage: world.storage,
      authorize: 'anonymous-allowed',
      maskCustomer: true,
    });
    const id = hostileIds[0] as string;
    const record = await world.storage.load(id);
    const email = record?.order.customer?.email as string;
    const line1 = record?.order.shippingAddress?.line1 as string;
    const plain = await (await alice().get(`/ops/orders/${id}`)).text();
    const hidden = await (await masked(new Request(`http://x/orders/${id}`))).text();
    expect(plain).toContain(escapeHtml(email));
    expect(plain).toContain(escapeHtml(line1));
    expect(hidden).not.toContain(escapeHtml(email));
    expect(hidden).not.toContain(escapeHtml(line1));
    // Emails inside rule facts and risk reasons are masked too.
    expect(maskEmails('{ "customer.email": "ada.l@example.co.uk" } seen for bob@x.io')).toBe(
      '{ "customer.email": "a•••@example.co.uk" } seen for b•••@x.io',
    );
    expect(hidden).toContain(
      `${escapeHtml(email.slice(0, 1))}•••${escapeHtml(email.slice(email.lastIndexOf('@')))}`,
    );
  });
});

describe('CSRF', () => {
  it('refuses a POST without the token, with a wrong token, from another origin, or with no origin (403)', async () => {
    const s = alice();
    const page = await (await s.get('/ops/review')).text();
    const id = await waiting();
    const fields = {
      _csrf: formField(page, '_csrf'),
      nonce: formField(page, 'nonce', id),
      resolution: 'approve',
    };
    const path = `/ops/orders/${encodeURIComponent(id as string)}/resolve`;
    const { _csrf: _, ...noToken } = fields;
    const attempts = [
      await s.post(path, noToken),
      await s.post(path, { ...fields, _csrf: `${fields._csrf.slice(0, -2)}xx` }),
      await s.post(path, fields, { origin: 'https://evil.example' }),
      await s.post(path, fields, { origin: 'null' }),
      await session(handler, 'http://console.test', ALICE_AUTH).post(path, fields), // no cookie
      await handler(
        new Request(`http://console.test${path}`, {
          method: 'POST',
          body: new URLSearchParams(fields),
          headers: { authorization: ALICE_AUTH, cookie: s.cookie },
        }),
      ), // neither Origin nor Referer
    ];
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    const history = await world.storage.history(id as string);
    expect(history.some((h) => h.eventType === 'review.resolved')).toBe(false);
    expect(await queueIds()).toContain(id);
  });
});

describe('actions', () => {
  it('approve: one review.resolved by the signed-in user, even when the form is posted twice', async () => {
    const s = alice();
    const page = await (await s.get('/ops/review')).text();
    const id = await waiting();
    const fields = {
      _csrf: formField(page, '_csrf'),
      nonce: formField(page, 'nonce', id),
      resolution: 'approve',
      comment: 'checked with the customer',
      returnTo: '/ops/review',
    };
    const path = `/ops/orders/${encodeURIComponent(id as string)}/resolve`;
    const first = await s.post(path, fields);
    const second = await s.post(path, fields);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/ops\/review\?done=approve&order=/);
    expect(second.headers.get('location')).toMatch(/^\/ops\/review\?done=duplicate&order=/);
    const resolved = (await world.storage.history(id as string)).filter(
      (h) => h.eventType === 'review.resolved',
    );
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.eventKey).toBe(`console:${id}:${fields.nonce}`);
    expect(await queueIds()).not.toContain(id);
    expect(resolved[0]?.summary + JSON.stringify(resolved[0]?.explanation.notes)).toContain(
      'ops-alice',
    );
    // Approved and in stock: on to the warehouse.
    expect((await world.storage.load(id))?.status).toBe('submitted');
  });

  it('route needs a known location; cancel and route become review.resolved events', async () => {
    const s = alice();
    const queue = await queueIds();
    const [a, b] = reviewIds.filter((r) => queue.includes(r));
    const page = await (await s.get('/ops/review')).text();
    const bad = await s.post(`/ops/orders/${encodeURIComponent(a as string)}/resolve`, {
      _csrf: formField(page, '_csrf'),
      nonce: formField(page, 'nonce', a),
      resolution: 'route',
      locationId: 'atlantis',
    });
    expect(bad.headers.get('location')).toContain('error=invalid');
    const west = 'west';
    const routed = await s.post(`/ops/orders/${encodeURIComponent(a as string)}/resolve`, {
      _csrf: formField(page, '_csrf'),
      nonce: formField(page, 'nonce', a),
      resolution: 'route',
      locationId: west,
    });
    expect(routed.headers.get('location')).toContain('done=route');
    const cancelled = await s.post(`/ops/orders/${encodeURIComponent(b as string)}/resolve`, {
      _csrf: formField(page, '_csrf'),
      nonce: formField(page, 'nonce', b),
      resolution: 'cancel',
      comment: 'fraud',
    });
    expect(cancelled.headers.get('location')).toContain('done=cancel');
    expect((await world.storage.load(b as string))?.status).toBe('cancelled');
    const routedRecord = await world.storage.load(a as string);
    expect(routedRecord?.shipments.at(-1)?.locationId).toBe(west);
  });

  it('a returnTo outside the console falls back to the queue', async () => {
    const s = alice();
    const page = await (await s.get('/ops/review')).text();
    const id = await waiting();
    for (const returnTo of ['https://evil.example/', '//evil.example/ops', '/elsewhere']) {
      const res = await s.post(`/ops/orders/${encodeURIComponent(id as string)}/resolve`, {
        _csrf: formField(page, '_csrf'),
        nonce: 'n'.repeat(20),
        resolution: 'nonsense',
        returnTo,
      });
      expect(res.headers.get('location')).toMatch(/^\/ops\/review\?error=invalid/);
    }
  });
});

describe('Lambda adapter', () => {
  it('reads cookies from event.cookies and returns Set-Cookie in cookies', async () => {
    const lambda = toLambdaHandler(handler);
    const base = {
      rawPath: '/ops/review',
      rawQueryString: '',
      requestContext: {
        domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
        http: { method: 'GET' },
      },
    };
    expect((await lambda({ ...base, headers: {} })).statusCode).toBe(401);
    const ok = await lambda({ ...base, headers: { authorization: ALICE_AUTH } });
    expect(ok.statusCode).toBe(200);
    expect(ok.cookies?.[0]).toMatch(/^fulfil_console_csrf=/);
    expect(ok.headers['set-cookie']).toBeUndefined();
    expect(ok.isBase64Encoded).toBe(false);
    const token = String(ok.cookies?.[0]).split(';')[0] as string;
    const again = await lambda({
      ...base,
      headers: { authorization: ALICE_AUTH },
      cookies: [token],
    });
    expect(again.cookies).toBeUndefined(); // the cookie it sent is kept
    expect(again.body).toContain(`value="${token.split('=')[1]}"`);
  });
});
