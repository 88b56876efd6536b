import { describe, expect, it } from 'vitest';
import { FACTS, type FactName } from '../../src/rules/facts';
import type { Condition } from '../../src/rules/schema';
import {
  localDate,
  localHour,
  localWeekday,
  parseZonedDate,
  zoneOffset,
} from '../../src/rules/time';
import { makeContext, makeOrder, SHORT } from './fixtures';
import { holds } from './helpers';

const read = (name: FactName, ctx = full) => FACTS[name].get(ctx);

const full = makeContext({
  inventory: SHORT,
  record: { status: 'on_hold', visited: ['received', 'on_hold'], holds: [] },
  facts: {
    note: {
      tags: [
        { tag: 'gift', confidence: 0.9, text: 'Happy birthday' },
        { tag: 'ship_after', confidence: 0.8, date: '2026-12-01' },
      ],
      uncertain: true,
      classifier: 't',
    },
    risk: { score: 71, level: 'high', reasons: [], scorer: 't' },
    plan: {
      shipmentCount: 2,
      locations: ['east', 'west'],
      estimatedCost: 1250,
      backorderedUnits: 1,
      daysOfCover: [
        { sku: 'MUG-RED', locationId: 'east', days: 4.5 },
        { sku: 'A', locationId: 'west', days: 12 },
      ],
    },
  },
  order: makeOrder({
    lines: [
      { id: 'l-1', sku: 'MUG-RED', quantity: 2, unitPrice: 1500 },
      { id: 'l-2', sku: null, quantity: 5, unitPrice: 100 },
      {
        id: 'l-3',
        sku: 'BOX-KIT',
        quantity: 1,
        unitPrice: 4000,
        kit: { components: [{ sku: 'A', quantity: 1 }] },
      },
    ],
    storeRisk: { level: 'medium' },
  }),
});

describe('fact catalogue', () => {
  it('reads every built-in fact from a full context', () => {
    const values = Object.fromEntries(Object.keys(FACTS).map((k) => [k, read(k as FactName)]));
    expect(values).toEqual({
      'order.total': 6200,
      'order.subtotal': 5500,
      'order.discounts': 0,
      'order.shippingTotal': 700,
      'order.currency': 'USD',
      'order.itemCount': 8,
      'order.lineCount': 3,
      'order.tags': ['web'],
      'order.paymentStatus': 'paid',
      'order.channel': 'shopify',
      'order.store': 'acme.myshopify.com',
      'order.hasNote': true,
      'order.note': 'please ship after Dec 1',
      'customer.tags': ['VIP', 'wholesale'],
      'customer.email': 'ada@example.com',
      'customer.ordersCount': 3,
      'customer.isFirstOrder': false,
      'lines.skus': ['MUG-RED', 'BOX-KIT'],
      'lines.quantities': [2, 5, 1],
      'lines.hasKit': true,
      'lines.hasShipAfter': false,
      'lines.maxQuantity': 5,
      'lines.hasBackordered': true,
      'lines.shortSkus': ['MUG-RED'],
      'shipping.country': 'US',
      'shipping.province': 'NY',
      'shipping.postalCode': '10001',
      'shipping.method': 'Standard',
      'shipping.expedited': false,
      'shipping.hasAddress': true,
      'note.tags': ['gift', 'ship_after'],
      'note.uncertain': true,
      'note.shipAfter': '2026-12-01',
      'risk.level': 'high',
      'risk.score': 71,
      'store.riskLevel': 'medium',
      'inventory.canFillFromOneLocation': false,
      'inventory.hasBackorder': true,
      'inventory.shortLineIds': ['l-1'],
      'routing.shipmentCount': 2,
      'routing.estimatedCost': 1250,
      'routing.locations': ['east', 'west'],
      'routing.isSplit': true,
      'routing.backorderedUnits': 1,
      'forecast.daysOfCover': [4.5, 12],
      'forecast.minDaysOfCover': 4.5,
      'time.weekday': 'wed',
      'time.hour': 10,
      'time.date': '2026-03-04',
      'record.status': 'on_hold',
      'record.visited': ['received', 'on_hold'],
      'record.holdCount': 0,
      'event.type': 'order.received',
    });
  });

  it('gives undefined for what is not known', () => {
    const bare = makeContext({
      order: makeOrder({ customer: undefined, shippingAddress: undefined, note: '  ' }),
    });
    const missing = Object.keys(FACTS).filter((k) => read(k as FactName, bare) === undefined);
    expect(missing.sort()).toEqual(
      [
        'customer.tags',
        'customer.email',
        'customer.ordersCount',
        'customer.isFirstOrder',
        'lines.shortSkus',
        'shipping.country',
        'shipping.province',
        'shipping.postalCode',
        'note.tags',
        'note.uncertain',
        'note.shipAfter',
        'risk.level',
        'risk.score',
        'store.riskLevel',
        'inventory.canFillFromOneLocation',
        'inventory.hasBackorder',
        'inventory.shortLineIds',
        'routing.shipmentCount',
        'routing.estimatedCost',
        'routing.locations',
        'routing.isSplit',
        'routing.backorderedUnits',
        'forecast.daysOfCover',
        'forecast.minDaysOfCover',
        'record.status',
        'record.visited',
      ].sort(),
    );
    expect(read('order.hasNote', bare)).toBe(false);
    expect(read('lines.hasBackordered', bare)).toBe(false);
    expect(read('record.holdCount', bare)).toBe(0);
  });

  it('describes every fact', () => {
    for (const [name, def] of Object.entries(FACTS)) {
      expect(def.description.length, name).toBeGreaterThan(5);
    }
  });
});

describe('time facts in the store time zone', () => {
  const NY = 'America/New_York';
  it.each([
    // EST (UTC-5): 04:59:59Z is still Wednesday 23:00 local; 05:00Z is Thursday 00:00.
    ['2026-03-05T04:59:59Z', 'wed', 23, '2026-03-04'],
    ['2026-03-05T05:00:00Z', 'thu', 0, '2026-03-05'],
    // DST starts 2026-03-08 at 02:00 EST (07:00Z): 01:59 EST, then 03:00 EDT.
    ['2026-03-08T06:59:00Z', 'sun', 1, '2026-03-08'],
    ['2026-03-08T07:00:00Z', 'sun', 3, '2026-03-08'],
    // EDT (UTC-4): midnight is 04:00Z.
    ['2026-07-04T03:59:00Z', 'fri', 23, '2026-07-03'],
    ['2026-07-04T04:00:00Z', 'sat', 0, '2026-07-04'],
    // New Year's Eve across the year boundary.
    ['2027-01-01T04:30:00Z', 'thu', 23, '2026-12-31'],
  ])('%s → %s %i:00 on %s', (iso, weekday, hour, date) => {
    const ctx = makeContext({ now: Date.parse(iso), timeZone: NY });
    expect([read('time.weekday', ctx), read('time.hour', ctx), read('time.date', ctx)]).toEqual([
      weekday,
      hour,
      date,
    ]);
  });

  it('handles quarter-hour zones', () => {
    const at = Date.parse('2026-03-04T18:14:00Z');
    expect(zoneOffset('Asia/Kathmandu', at)).toBe((5 * 60 + 45) * 60_000);
    expect([localWeekday('Asia/Kathmandu', at), localHour('Asia/Kathmandu', at)]).toEqual([
      'wed',
      23,
    ]);
    expect(localDate('Asia/Kathmandu', Date.parse('2026-03-04T18:15:00Z'))).toBe('2026-03-05');
    expect(localHour('UTC', at)).toBe(18);
  });

  it('parses bare dates as the start of the day in the zone', () => {
    expect(parseZonedDate('2026-03-08', NY)).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(parseZonedDate('2026-03-09', NY)).toBe(Date.parse('2026-03-09T04:00:00Z'));
    expect(parseZonedDate('2026-03-09T10:00:00+01:00', NY)).toBe(
      Date.parse('2026-03-09T09:00:00Z'),
    );
    expect(parseZonedDate('next tuesday', NY)).toBeUndefined();
  });

  it('works in rules: weekend orders after 17:00 local', () => {
    const when: Condition = {
      any: [
        { fact: 'time.weekday', op: 'in', value: ['sat', 'sun'] },
        { fact: 'time.hour', op: 'gte', value: 17 },
      ],
    };
    // 2026-03-06 is a Friday; 21:30Z is 16:30 in New York, 22:00Z is 17:00.
    expect(holds(when, makeContext({ now: Date.parse('2026-03-06T21:30:00Z') }))).toBe(false);
    expect(holds(when, makeContext({ now: Date.parse('2026-03-06T22:00:00Z') }))).toBe(true);
    expect(holds(when, makeContext({ now: Date.parse('2026-03-07T05:00:00Z') }))).toBe(true);
  });

  it('rejects an unknown zone with CONFIG_INVALID', () => {
    expect(() => localHour('Mars/Olympus', 0)).toThrow(
      /CONFIG_INVALID: unknown time zone "Mars\/Olympus"/,
    );
  });
});
