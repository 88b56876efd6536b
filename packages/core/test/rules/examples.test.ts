import { describe, expect, it } from 'vitest';
import { all, fact, not, rule } from '../../src/rules/builder';
import { addTag, allowSplit, hold, notify } from '../../src/rules/builder-actions';
import { compileRules } from '../../src/rules/compile';
import { IN_STOCK, makeContext, makeOrder, NOW, SHORT } from './fixtures';

const HOUR = 3_600_000;

describe('"backordered item AND VIP customer → split and notify the warehouse"', () => {
  const rules = compileRules([
    rule('vip-backorder')
      .at('before_routing')
      .priority(10)
      .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
      .do(allowSplit(), notify('warehouse', 'VIP order split: backordered item'))
      .build(),
  ]);

  it('splits and notifies for a VIP with a backordered line', () => {
    const result = rules.evaluate('before_routing', makeContext({ inventory: SHORT }));
    expect(result.matched.map((m) => m.rule.id)).toEqual(['vip-backorder']);
    expect(result.actions.allowSplit).toBe(true);
    expect(result.actions.notify).toEqual([
      {
        channel: 'warehouse',
        message: 'VIP order split: backordered item',
        ruleId: 'vip-backorder',
      },
    ]);
    expect(result.traces).toEqual([
      {
        ruleId: 'vip-backorder',
        matched: true,
        facts: { 'lines.hasBackordered': true, 'customer.tags': ['VIP', 'wholesale'] },
        actions: ['allow_split', 'notify'],
      },
    ]);
  });

  it('does nothing when everything is in stock', () => {
    const result = rules.evaluate('before_routing', makeContext({ inventory: IN_STOCK }));
    expect(result.matched).toEqual([]);
    expect(result.actions.allowSplit).toBeUndefined();
    expect(result.actions.notify).toEqual([]);
  });

  it('does nothing for a customer who is not VIP', () => {
    const order = makeOrder({ customer: { tags: ['retail'] } });
    const result = rules.evaluate('before_routing', makeContext({ order, inventory: SHORT }));
    expect(result.matched).toEqual([]);
  });
});

describe('"hold the order for 24 hours, re-check inventory, then route it"', () => {
  const rules = compileRules([
    rule('hold-short')
      .at('before_routing')
      .describe('Wait a day for stock before shipping a partial order')
      .when(
        all(
          fact('inventory.hasBackorder').eq(true),
          not(fact('record.visited').contains('on_hold')),
        ),
      )
      .do(hold({ for: { hours: 24 }, reason: 'awaiting stock', releaseOnStock: true }))
      .build(),
    rule('route-after-hold')
      .at('hold_expired')
      .when(fact('inventory.hasBackorder').eq(true))
      .do(allowSplit(), addTag('shipped-partial-after-hold'))
      .build(),
  ]);

  it('holds for 24 h (released early on stock) when a line is short', () => {
    const ctx = makeContext({ inventory: SHORT, record: { visited: ['received'] } });
    const { actions } = rules.evaluate('before_routing', ctx);
    expect(actions.holds).toEqual([
      {
        ruleId: 'hold-short',
        reason: 'awaiting stock',
        until: NOW + 24 * HOUR,
        releaseOnStock: true,
      },
    ]);
  });

  it('on expiry, re-checks inventory and routes (split) when still short', () => {
    const later = NOW + 24 * HOUR;
    const ctx = makeContext({
      now: later,
      inventory: SHORT,
      record: { status: 'on_hold', visited: ['received', 'on_hold'] },
    });
    const expired = rules.evaluate('hold_expired', ctx);
    expect(expired.actions.allowSplit).toBe(true);
    expect(expired.actions.tags).toEqual(['shipped-partial-after-hold']);
    // ... and routing is not held a second time.
    expect(rules.evaluate('before_routing', ctx).actions.holds).toEqual([]);
  });

  it('routes straight away when the stock arrived', () => {
    const ctx = makeContext({
      now: NOW + 24 * HOUR,
      inventory: IN_STOCK,
      record: { status: 'on_hold', visited: ['received', 'on_hold'] },
    });
    expect(rules.evaluate('hold_expired', ctx).matched).toEqual([]);
    expect(rules.evaluate('before_routing', ctx).matched).toEqual([]);
  });
});
