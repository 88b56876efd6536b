import { expectCode, makeCommand, makeCommit } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const at = (minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 27, 9, minute, second)).toISOString();

describe('insights on PostgreSQL (beyond the conformance cases)', () => {
  it('ordersByState counts per state through the moves, and folds them into the counts', async () => {
    const storage = db.storage();
    const commits = ['on_hold', 'submitted', 'on_hold', 'needs_review'].map((status) =>
      makeCommit({ status }),
    );
    for (const commit of commits) await storage.commit(commit);
    await storage.commit(makeCommit({ previous: commits[0]!.record, status: 'submitted' }));
    const expected = [
      { state: 'needs_review', count: 1 },
      { state: 'on_hold', count: 1 },
      { state: 'submitted', count: 2 },
    ];
    expect(await storage.insights.ordersByState()).toEqual(expected);
    const moves = `"${db.schema}".insights_state_moves`;
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${moves}`)).toEqual([{ n: 5 }]);
    // 5,000 moves make a read fold them into insights_state_counts; the figures stay.
    await db.sql(`INSERT INTO ${moves} SELECT 'on_hold', 'on_hold' FROM generate_series(1, 5000)`);
    expect(await storage.insights.ordersByState()).toEqual(expected);
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${moves}`)).toEqual([{ n: 0 }]);
    expect(await storage.insights.ordersByState()).toEqual(expected);
  });

  it('reviewQueue pages by cursor on (review.since, order id) and filters by reason', async () => {
    const storage = db.storage();
    for (let i = 0; i < 7; i++) {
      await storage.commit(
        makeCommit({
          orderId: `r${i}`,
          status: 'needs_review',
          record: {
            review: { reasons: i % 2 ? ['high risk'] : ['VIP'], since: at(10 - (i >> 1)) },
          },
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await storage.insights.reviewQueue({
        limit: 3,
        cursor,
        now: Date.parse(at(30)),
      });
      expect(page.total).toBe(7);
      expect(page.reasons).toEqual([
        { reason: 'VIP', count: 4 },
        { reason: 'high risk', count: 3 },
      ]);
      seen.push(...page.items.map((item) => item.orderId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['r6', 'r4', 'r5', 'r2', 'r3', 'r0', 'r1']);
    const risky = await storage.insights.reviewQueue({ reason: 'high risk', limit: 2 });
    expect(risky.items.map((item) => item.orderId)).toEqual(['r5', 'r3']);
    expect(risky.total).toBe(3);
    await expectCode(storage.insights.reviewQueue({ cursor: 'bm9wZQ' }), 'INVALID_INPUT');
  });

  it('reviewQueue counts come from the trigger-kept counts, through join, change, leave and fold', async () => {
    const storage = db.storage();
    const review = (reasons: string[], minute: number) => ({
      status: 'needs_review',
      record: { review: { reasons, since: at(minute) } },
    });
    const a = makeCommit(review(['VIP', 'high risk', 'VIP'], 1)); // a repeated reason counts once
    const b = makeCommit(review(['high risk'], 2));
    await storage.commit(a);
    await storage.commit(b);
    await storage.commit(makeCommit({ status: 'submitted' })); // never queued
    const counts = async (reason?: string) => {
      const page = await storage.insights.reviewQueue({
        limit: 1,
        ...(reason ? { reason } : {}),
      });
      return { total: page.total, reasons: page.reasons };
    };
    expect(await counts()).toEqual({
      total: 2,
      reasons: [
        { reason: 'high risk', count: 2 },
        { reason: 'VIP', count: 1 },
      ],
    });
    // b's reasons change (still queued); then a leaves the queue.
    const b2 = makeCommit({ previous: b.record, ...review(['address changed'], 2) });
    await storage.commit(b2);
    await storage.commit(makeCommit({ previous: a.record, status: 'submitted' }));
    const after = { total: 1, reasons: [{ reason: 'address changed', count: 1 }] };
    expect(await counts()).toEqual(after);
    expect(await counts('address changed')).toEqual(after);
    expect((await counts('VIP')).total).toBe(0);
    // 5,000 moves make a read fold them into insights_review_counts; the figures stay.
    const moves = `"${db.schema}".insights_review_moves`;
    await db.sql(
      `INSERT INTO ${moves} SELECT 'r', 'x', (-1) ^ g FROM generate_series(1, 5000) AS g`,
    );
    expect(await counts()).toEqual(after);
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${moves}`)).toEqual([{ n: 0 }]);
    expect(await counts()).toEqual(after);
  });

  it('throughput and processingTime come from the events the commits wrote', async () => {
    const storage = db.storage();
    const a = makeCommit({ at: at(1, 10) });
    const b = makeCommit({ at: at(1, 50) });
    await storage.commit(a);
    await storage.commit(b);
    await storage.commit(makeCommit({ previous: a.record, status: 'submitted', at: at(2, 5) }));
    await storage.commit(makeCommit({ at: at(0, 30) })); // before `since`
    const until = Date.parse(at(59));
    expect(
      await storage.insights.throughput({ since: Date.parse(at(1)), until, bucket: 'minute' }),
    ).toEqual([
      { at: at(1), received: 2, submitted: 0, shipped: 0, exceptions: 0 },
      { at: at(2), received: 0, submitted: 1, shipped: 0, exceptions: 0 },
    ]);
    expect(
      await storage.insights.processingTime({ since: Date.parse(at(0)), until, bucket: 'hour' }),
    ).toEqual([{ at: at(0), count: 1, p50Ms: 55_000, p95Ms: 55_000, p99Ms: 55_000 }]);
    await expectCode(
      storage.insights.throughput({ since: until, until: 0, bucket: 'minute' }),
      'INVALID_INPUT',
    );
  });

  it('hour buckets read closed hours from the rollup; a later entry in a rolled-up hour voids it', async () => {
    const storage = db.storage();
    const q = {
      since: Date.parse(at(0)),
      until: Date.parse(at(0)) + 3 * 3_600_000,
      bucket: 'hour' as const,
    };
    const a = makeCommit({ at: at(1) });
    await storage.commit(a);
    expect(await storage.insights.throughput(q)).toEqual([
      { at: at(0), received: 1, submitted: 0, shipped: 0, exceptions: 0 },
    ]);
    const hours = `"${db.schema}".insights_hours`;
    expect((await db.sql(`SELECT count(*)::int AS n FROM ${hours}`))[0]).toEqual({ n: 3 });
    // A commit stamped inside that hour (a clock behind the database's) voids its rollup.
    await storage.commit(makeCommit({ previous: a.record, status: 'submitted', at: at(30) }));
    await storage.commit(makeCommit({ at: at(61) }));
    expect(await storage.insights.throughput(q)).toEqual([
      { at: at(0), received: 1, submitted: 1, shipped: 0, exceptions: 0 },
      { at: at(60), received: 1, submitted: 0, shipped: 0, exceptions: 0 },
    ]);
    const minutes = await storage.insights.throughput({ ...q, bucket: 'day' });
    expect(minutes).toEqual([
      { at: at(-540), received: 2, submitted: 1, shipped: 0, exceptions: 0 },
    ]);
  });

  it('processingTime keeps closed hour and day buckets; a late entry voids its hour and day', async () => {
    const storage = db.storage();
    const journey = async (received: number, submitted: number) => {
      const r = makeCommit({ at: at(received) });
      await storage.commit(r);
      await storage.commit(
        makeCommit({ previous: r.record, status: 'submitted', at: at(submitted) }),
      );
    };
    const point = (minute: number, count: number, p: [number, number, number]) => ({
      at: at(minute),
      count,
      p50Ms: p[0],
      p95Ms: p[1],
      p99Ms: p[2],
    });
    const kept = async () =>
      (
        await db.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${db.schema}".insights_processing`,
        )
      )[0]?.n;
    await journey(1, 2); // 60 s in hour 09
    await journey(5, 65); // 1 h, submitted in hour 10
    const hours = { since: Date.parse(at(0)), until: Date.parse(at(180)), bucket: 'hour' as const };
    const first = [
      point(0, 1, [60_000, 60_000, 60_000]),
      point(60, 1, [3_600_000, 3_600_000, 3_600_000]),
    ];
    expect(await storage.insights.processingTime(hours)).toEqual(first);
    expect(await kept()).toBe(3); // hours 09, 10 and the empty 11
    expect(await storage.insights.processingTime(hours)).toEqual(first);
    // A since inside a bucket: that end is read from the events, the rest from what is kept.
    expect(
      await storage.insights.processingTime({ ...hours, since: Date.parse(at(1, 30)) }),
    ).toEqual([
      point(0, 1, [60_000, 60_000, 60_000]),
      point(60, 1, [3_600_000, 3_600_000, 3_600_000]),
    ]);
    const day = {
      since: Date.parse(at(-540)),
      until: Date.parse(at(-540)) + 86_400_000,
      bucket: 'day' as const,
    };
    expect(await storage.insights.processingTime(day)).toEqual([
      point(-540, 2, [60_000, 3_600_000, 3_600_000]),
    ]);
    expect(await kept()).toBe(4);
    // A late entry (stamped in hour 09 of a past day) voids hour 09 and that day.
    await journey(10, 20); // 10 min
    expect(await kept()).toBe(2);
    expect(await storage.insights.processingTime(hours)).toEqual([
      point(0, 2, [60_000, 600_000, 600_000]),
      point(60, 1, [3_600_000, 3_600_000, 3_600_000]),
    ]);
    expect(await storage.insights.processingTime(day)).toEqual([
      point(-540, 3, [600_000, 3_600_000, 3_600_000]),
    ]);
    // Another set of submitted states is kept apart.
    expect(await storage.insights.processingTime({ ...day, submittedStates: ['shipped'] })).toEqual(
      [],
    );
    expect(await kept()).toBe(5);
  });

  it('timeInState: nearest-rank p50/p95/max per state over finished stays', async () => {
    const storage = db.storage();
    // Order A: received 09:00 → on_hold 09:01 → (note, still on_hold) 09:03 → ready 09:05.
    let a = makeCommit({ at: at(0) });
    await storage.commit(a);
    for (const [status, minute] of [
      ['on_hold', 1],
      ['on_hold', 3],
      ['ready', 5],
    ] as const) {
      a = makeCommit({ previous: a.record, status, at: at(minute) });
      await storage.commit(a);
    }
    // Order B: received 09:00 → on_hold 09:02, still there (an open stay is not counted).
    const b = makeCommit({ at: at(0) });
    await storage.commit(b);
    await storage.commit(makeCommit({ previous: b.record, status: 'on_hold', at: at(2) }));
    const until = Date.parse(at(59));
    expect(await storage.insights.timeInState({ since: Date.parse(at(0)), until })).toEqual([
      { state: 'on_hold', count: 1, p50Ms: 240_000, p95Ms: 240_000, maxMs: 240_000 },
      { state: 'received', count: 2, p50Ms: 60_000, p95Ms: 120_000, maxMs: 120_000 },
    ]);
    const later = await storage.insights.timeInState({ since: Date.parse(at(1)), until });
    expect(later.map((s) => s.state)).toEqual(['on_hold']);
  });

  it('countRecentOrders: orders per normalized email / IP / address / phone in a window', async () => {
    const storage = db.storage();
    const placed = (minute: number, customer: Record<string, unknown>, clientIp: string | null) =>
      makeCommit({
        record: {
          order: {
            createdAt: at(minute),
            customer: { tags: [], ...customer },
            clientIp,
            shippingAddress: {
              name: 'A',
              line1: '1 Main St.',
              city: 'X',
              postalCode: '62701',
              country: 'US',
            },
          },
        },
      });
    const a = placed(0, { email: 'Ada@Example.com' }, '203.0.113.9');
    const b = placed(10, { email: ' ada@example.COM', phone: '555-010-9999' }, '203.0.113.9');
    const c = placed(50, { email: 'bob@example.com', phone: '(555) 010 9999' }, null);
    for (const commit of [a, b, c]) await storage.commit(commit);
    const window = { since: Date.parse(at(0)), until: Date.parse(at(30)) };
    const count = (key: 'email' | 'ip' | 'address' | 'phone', value: string, extra = {}) =>
      storage.countRecentOrders({ key, value, ...window, ...extra });
    expect(await count('email', 'ada@example.com')).toBe(2);
    expect(await count('email', 'ada@example.com', { excludeOrderId: b.orderId })).toBe(1);
    expect(await count('ip', '203.0.113.9')).toBe(2);
    expect(await count('phone', '5550109999')).toBe(1);
    expect(await count('address', '1mainst||62701|us')).toBe(2);
    expect(await count('phone', '5550109999', { until: Date.parse(at(60)) })).toBe(2);
    expect(await count('email', "x' OR '1'='1")).toBe(0);
  });

  it('dailyDemand sums routed units per day, SKU and location; rejected shipments left out', async () => {
    const storage = db.storage();
    const shipment = (
      id: string,
      day: number,
      locationId: string,
      status: string,
      qty: number,
    ) => ({
      id,
      locationId,
      status,
      lines: [{ lineId: 'l1', sku: 'TEE-M', quantity: qty }],
      createdAt: new Date(Date.UTC(2026, 10, day, 15)).toISOString(),
    });
    const withShipments = (shipments: unknown[]) =>
      makeCommit({ record: { shipments: shipments as never, updatedAt: at(0) } });
    await storage.commit(withShipments([shipment('s1', 25, 'east', 'accepted', 2)]));
    await storage.commit(
      withShipments([
        shipment('s2', 25, 'east', 'shipped', 3),
        shipment('s3', 25, 'west', 'pending', 1),
      ]),
    );
    await storage.commit(withShipments([shipment('s4', 26, 'east', 'rejected', 5)]));
    await storage.commit(withShipments([shipment('s5', 26, 'east', 'delivered', 4)]));
    expect(await storage.dailyDemand({ since: '2026-11-20T00:00:00Z' })).toEqual([
      { day: '2026-11-25', sku: 'TEE-M', locationId: 'east', units: 5 },
      { day: '2026-11-25', sku: 'TEE-M', locationId: 'west', units: 1 },
      { day: '2026-11-26', sku: 'TEE-M', locationId: 'east', units: 4 },
    ]);
    expect(
      await storage.dailyDemand({ since: '2026-11-26T00:00:00Z', until: '2026-11-27T00:00:00Z' }),
    ).toEqual([{ day: '2026-11-26', sku: 'TEE-M', locationId: 'east', units: 4 }]);
  });

  it('purge drops old inbox keys and old done outbox rows; keeps recent, pending and dead rows', async () => {
    const storage = db.storage();
    const DAY = 86_400_000;
    const now = Date.now();
    await storage.markProcessed(['old'], now - 10 * DAY);
    await storage.markProcessed(['new'], now - 1 * DAY);
    const commit = makeCommit({ inboxKeys: [] });
    commit.commands = [0, 1, 2].map(() => makeCommand(commit.orderId));
    await storage.commit(commit);
    const [done, dead] = await storage.claimCommands({ now, limit: 2, leaseMs: 1000 });
    await storage.completeCommand(done!.command.id, done!.claimToken);
    await storage.failCommand(dead!.command.id, dead!.claimToken, { error: 'gone' });

    // Completed just now: kept with a 7-day window, removed when "now" is 8 days later.
    expect(await storage.purge({ inboxOlderThanDays: 7, outboxDoneOlderThanDays: 7, now })).toEqual(
      {
        inbox: 1,
        outbox: 0,
        timers: 0,
        reservations: 0,
        deliveries: 0,
      },
    );
    expect(await storage.isProcessed('old')).toBe(false);
    expect(await storage.isProcessed('new')).toBe(true);
    expect(await storage.purge({ outboxDoneOlderThanDays: 7, now: now + 8 * DAY })).toEqual({
      inbox: 0,
      outbox: 1,
      timers: 0,
      reservations: 0,
      deliveries: 0,
    });
    const left = await db.sql<{ id: string; status: string }>(
      `SELECT id, status FROM "${db.schema}".outbox ORDER BY seq`,
    );
    expect(left).toEqual([
      { id: dead!.command.id, status: 'dead' },
      { id: commit.commands[2]!.id, status: 'pending' },
    ]);
    await expectCode(storage.purge({ inboxOlderThanDays: -1 }), 'INVALID_INPUT');
  });
});
