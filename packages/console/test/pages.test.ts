import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHandler, createConsole, type OverviewData, toNodeHandler } from '../src/index';
import { formField, session } from './helpers';
import { ALICE_AUTH, basicUser, type SeededWorld, seededWorld } from './world';

let world: SeededWorld;
let handler: ConsoleHandler;
const reviewIds: string[] = [];

beforeAll(async () => {
  world = await seededWorld({ orders: 30 });
  for (const note of [
    'Please change the shipping address to 5 Oak Ave',
    'Wrong address, please ship to my office',
    'Cancel this please, I ordered the wrong color',
  ]) {
    reviewIds.push((await world.addOrder({ note })).orderId);
  }
  world.clock.advance(1000);
  handler = createConsole({
    engine: world.engine,
    storage: world.storage,
    clock: world.clock,
    authorize: basicUser,
    basePath: '/ops',
    pageSize: 2,
  });
}, 120_000);

const alice = () => session(handler, 'http://console.test', ALICE_AUTH);

describe('pages', () => {
  it('GET /api/overview serves the read model figures for the range', async () => {
    const data = (await (await alice().get('/ops/api/overview?range=24h')).json()) as OverviewData;
    expect(data.range).toBe('24h');
    expect(data.until).toBe(world.clock.now());
    expect(data.since % 3_600_000).toBe(0);
    const insights = world.storage.insights;
    expect(data.summary).toEqual(
      await insights?.summary({
        since: data.since,
        until: data.until,
        submittedStates: data.submittedStates,
        reviewStates: data.reviewStates,
      }),
    );
    expect(data.ordersByState).toEqual(await insights?.ordersByState());
    expect(data.reviewQueueTotal).toBe((await insights?.reviewQueue())?.total);
    expect(data.submittedStates).toEqual(['submitted', 'partially_shipped']);
    expect(data.shippedStates).toEqual(['shipped', 'delivered']);
  });

  it('the review queue pages and filters by reason', async () => {
    const s = alice();
    const queue = await world.storage.insights?.reviewQueue({ limit: 500 });
    const seen: string[] = [];
    let path = '/ops/review';
    for (let i = 0; i < 20 && path; i++) {
      const page = await (await s.get(path)).text();
      seen.push(
        ...[...page.matchAll(/<article class="review-item" data-order-id="([^"]+)"/g)].map(
          (m) => m[1] as string,
        ),
      );
      const next = /href="([^"]+)" rel="next"/.exec(page)?.[1];
      path = next ? next.replace(/&amp;/g, '&') : '';
    }
    expect(seen).toEqual(queue?.items.map((item) => item.orderId));
    const reason = queue?.reasons.find((r) => r.reason.includes('address'))?.reason as string;
    const filtered = await (await s.get(`/ops/review?reason=${encodeURIComponent(reason)}`)).text();
    const ids = [...filtered.matchAll(/data-order-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const item = queue?.items.find((x) => x.orderId === id);
      expect(item?.reasons).toContain(reason);
    }
    // A malformed cursor is the client's mistake.
    expect((await s.get('/ops/review?cursor=%%%garbage')).status).toBe(400);
  });

  it('search finds an order by name (one hit opens it) and says when nothing matches', async () => {
    const s = alice();
    const record = await world.storage.load(reviewIds[0] as string);
    const name = record?.order.source.name as string;
    const hit = await s.get(`/ops/search?q=${encodeURIComponent(name)}`);
    expect(hit.status).toBe(303);
    expect(hit.headers.get('location')).toBe(
      `/ops/orders/${encodeURIComponent(record?.orderId as string)}`,
    );
    const miss = await (await s.get('/ops/search?q=%3Cb%3Enothing')).text();
    expect(miss).toContain('No order matches “&lt;b&gt;nothing”');
    expect((await s.get('/ops/orders/no-such-order')).status).toBe(404);
    const nowhere = await s.get('/ops/nowhere');
    expect(nowhere.status).toBe(404);
    expect(await nowhere.text()).toContain('No such page.');
  });

  it('toNodeHandler serves a form a body parser already read, and HEAD without a body', async () => {
    const node = toNodeHandler(handler);
    const server = createServer((req, res) => {
      if (req.method !== 'POST') return node(req, res);
      // What express.urlencoded() leaves behind: the stream read, the fields on req.body.
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        Object.assign(req, { body: Object.fromEntries(new URLSearchParams(raw)) });
        node(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const id = reviewIds[2] as string;
      const page = await fetch(`${base}/ops/orders/${id}`, {
        headers: { authorization: ALICE_AUTH },
      });
      const html = await page.text();
      const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
      const res = await fetch(`${base}/ops/orders/${id}/resolve`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          authorization: ALICE_AUTH,
          cookie,
          origin: base,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          _csrf: formField(html, '_csrf'),
          nonce: formField(html, 'nonce', id),
          resolution: 'cancel',
          comment: 'customer asked',
        }),
      });
      expect(res.status).toBe(303);
      expect((await world.storage.load(id))?.status).toBe('cancelled');
      const head = await fetch(`${base}/ops/`, {
        method: 'HEAD',
        headers: { authorization: ALICE_AUTH },
      });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
