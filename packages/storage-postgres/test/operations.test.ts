import { expectCode, makeCommand, makeCommit } from '@fulfil/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.truncate());

const at = (minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 27, 9, minute, second)).toISOString();

describe('operations queries', () => {
  it('ordersByStatus counts orders per state', async () => {
    const storage = db.storage();
    for (const status of ['on_hold', 'submitted', 'on_hold', 'needs_review']) {
      await storage.commit(makeCommit({ status }));
    }
    expect(await storage.ordersByStatus()).toEqual([
      { status: 'needs_review', count: 1 },
      { status: 'on_hold', count: 2 },
      { status: 'submitted', count: 1 },
    ]);
  });

  it('reviewQueue lists orders in review with reasons and age, oldest first; resolved ones leave it', async () => {
    const storage = db.storage();
    const late = makeCommit({
      status: 'needs_review',
      record: { review: { reasons: ['address changed'], since: at(20) } },
    });
    const early = makeCommit({
      status: 'needs_review',
      record: { review: { reasons: ['high risk', 'VIP'], since: at(5) } },
    });
    await storage.commit(late);
    await storage.commit(early);
    await storage.commit(makeCommit({ status: 'submitted' }));
    const now = Date.parse(at(30));
    expect(await storage.reviewQueue({ now })).toEqual([
      {
        orderId: early.orderId,
        status: 'needs_review',
        reasons: ['high risk', 'VIP'],
        since: at(5),
        ageMs: 25 * 60_000,
      },
      {
        orderId: late.orderId,
        status: 'needs_review',
        reasons: ['address changed'],
        since: at(20),
        ageMs: 10 * 60_000,
      },
    ]);
    await storage.commit(
      makeCommit({ previous: early.record, status: 'ready', record: { review: undefined } }),
    );
    expect((await storage.reviewQueue({ now })).map((r) => r.orderId)).toEqual([late.orderId]);
  });

  it('throughput buckets decisions per minute: events, new orders and states entered', async () => {
    const storage = db.storage();
    const a = makeCommit({ at: at(1, 10) });
    const b = makeCommit({ at: at(1, 50) });
    await storage.commit(a);
    await storage.commit(b);
    await storage.commit(makeCommit({ previous: a.record, status: 'submitted', at: at(2, 5) }));
    await storage.commit(makeCommit({ at: at(0, 30) })); // before `since`
    expect(await storage.throughput({ since: at(1), bucket: 'minute' })).toEqual([
      { at: at(1), events: 2, received: 2, entered: { received: 2 } },
      { at: at(2), events: 1, received: 0, entered: { submitted: 1 } },
    ]);
    expect(
      await storage.throughput({ since: Date.parse(at(0)), until: at(2), bucket: 'hour' }),
    ).toEqual([{ at: at(0), events: 3, received: 3, entered: { received: 3 } }]);
    await expectCode(storage.throughput({ since: 'yesterday' }), 'INVALID_INPUT');
  });

  it('timeInState: p50/p95/max per state over completed stays since a time', async () => {
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
    expect(await storage.timeInState({ since: at(0) })).toEqual([
      { state: 'on_hold', count: 1, p50Ms: 240_000, p95Ms: 240_000, maxMs: 240_000 },
      { state: 'received', count: 2, p50Ms: 90_000, p95Ms: 117_000, maxMs: 120_000 },
    ]);
    expect((await storage.timeInState({ since: at(1) })).map((s) => s.state)).toEqual(['on_hold']);
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
