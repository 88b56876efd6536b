import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { all, any, fact, factsOf, not, rule } from '../../src/rules/builder';
import {
  addInstruction,
  addTag,
  allowSplit,
  excludeLocation,
  forbidSplit,
  forceLocation,
  hold,
  notify,
  preferLocation,
  releaseHold,
  requireCapability,
  review,
  setPriority,
  setService,
  transition,
} from '../../src/rules/builder-actions';
import { compileRules } from '../../src/rules/compile';
import { FACTS, type FactCatalogue } from '../../src/rules/facts';
import type { RuleInput } from '../../src/rules/schema';
import { makeContext, makeOrder, SHORT } from './fixtures';

describe('rule builder', () => {
  it('builds the VIP backorder rule as plain JSON', () => {
    const built = rule('vip-backorder')
      .at('before_routing')
      .priority(10)
      .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
      .do(allowSplit(), notify('warehouse', 'VIP order split: backordered item'))
      .build();
    expect(built).toEqual({
      id: 'vip-backorder',
      stage: 'before_routing',
      priority: 10,
      when: {
        all: [
          { fact: 'lines.hasBackordered', op: 'eq', value: true },
          { fact: 'customer.tags', op: 'contains', value: 'VIP' },
        ],
      },
      actions: [
        { type: 'allow_split' },
        { type: 'notify', channel: 'warehouse', message: 'VIP order split: backordered item' },
      ],
    } satisfies RuleInput);
  });

  it('builds the hold rule as plain JSON', () => {
    expect(
      rule('hold-short')
        .at('before_routing')
        .when(fact('inventory.hasBackorder').eq(true))
        .do(hold({ for: { hours: 24 }, reason: 'awaiting stock', releaseOnStock: true }))
        .build(),
    ).toEqual({
      id: 'hold-short',
      stage: 'before_routing',
      when: { fact: 'inventory.hasBackorder', op: 'eq', value: true },
      actions: [
        { type: 'hold', reason: 'awaiting stock', for: { hours: 24 }, releaseOnStock: true },
      ],
    });
  });

  it('covers every operator, combinator and action, and round-trips through JSON', () => {
    const built = [
      rule('everything')
        .at('paid')
        .describe('all the helpers')
        .priority(3)
        .stop()
        .when(
          all(
            fact('order.total').between(1000, 50_000),
            fact('order.itemCount').gt(1),
            fact('order.lineCount').gte(1),
            fact('risk.score').lt(90),
            fact('customer.ordersCount').lte(100),
            fact('risk.level').in(['low', 'medium']),
            fact('shipping.country').neq('KP'),
            fact('order.note').contains('ship'),
            fact('customer.email').matches(/@example\.com$/i),
            fact('lines.skus').matches('^MUG-'),
            fact('lines.quantities').contains(2),
            any(fact('customer.tags').in(['VIP']), not(fact('note.tags').exists())),
            fact('store.riskLevel').exists(false),
          ),
        )
        .do(
          review('check'),
          releaseHold(),
          forbidSplit(),
          preferLocation('east'),
          excludeLocation('west'),
          forceLocation('east'),
          requireCapability('engraving'),
          setService('express'),
          setPriority(5),
          addTag('checked'),
          addInstruction('fragile'),
          notify('ops', 'look'),
          transition('ENGRAVE'),
          hold({ until: new Date('2027-01-01T00:00:00Z'), reason: 'later', storeHold: 'other' }),
        )
        .build(),
      rule('off').at('paid').enabled(false).when(all()).do(addTag('x')).build(),
    ];
    const email = (built[0]!.when as { all: unknown[] }).all[8];
    expect(email).toEqual({ fact: 'customer.email', op: 'matches', value: '/@example\\.com$/i' });
    const json = JSON.parse(JSON.stringify(built)) as RuleInput[];
    expect(json).toEqual(built);
    const compiled = compileRules(json);
    expect(compiled.rules.map((r) => r.id)).toEqual(['everything', 'off']);
    const result = compiled.evaluate(
      'paid',
      makeContext({
        inventory: SHORT,
        facts: { risk: { score: 10, level: 'low', reasons: [], scorer: 't' } },
      }),
    );
    expect(result.matched.map((m) => m.rule.id)).toEqual(['everything']);
    expect(result.actions).toMatchObject({
      review: ['everything: check'],
      allowSplit: false,
      force: 'east',
      service: 'express',
      priority: 5,
      holds: [{ ruleId: 'everything', until: Date.parse('2027-01-01T00:00:00Z') }],
    });
  });

  it('types facts from the catalogue, and custom facts through factsOf', () => {
    // @ts-expect-error unknown fact
    fact('customer.tag');
    // @ts-expect-error gt is for numbers
    fact('order.currency').gt(1);
    // @ts-expect-error risk.level values are low | medium | high
    fact('risk.level').eq('extreme');
    // @ts-expect-error a boolean fact takes a boolean
    fact('shipping.expedited').eq('yes');

    const custom = {
      'order.giftWrap': {
        type: 'boolean',
        description: 'Gift wrap chosen',
        get: (ctx) => ctx.order.noteAttributes.some((a) => a.name === 'gift_wrap'),
      },
    } satisfies FactCatalogue;
    const f = factsOf({ ...FACTS, ...custom });
    const built = rule('wrap')
      .at('paid')
      .when(f('order.giftWrap').eq(true))
      .do(addTag('gift'))
      .build();
    const ctx = makeContext({
      order: makeOrder({ noteAttributes: [{ name: 'gift_wrap', value: 'y' }] }),
    });
    expect(compileRules([built], { facts: custom }).evaluate('paid', ctx).actions.tags).toEqual([
      'gift',
    ]);
  });

  it('throws CONFIG_INVALID naming what is missing', () => {
    try {
      rule('incomplete').when(all()).build();
      expect.unreachable();
    } catch (err) {
      expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toContain('rule(incomplete).stage: missing: call .at(stage)');
      expect((err as Error).message).toContain(
        'rule(incomplete).actions: a rule needs at least one action',
      );
    }
    expect(() => rule('bad id!').at('paid').when(all()).do(addTag('x')).build()).toThrow(
      /rule\(bad id!\)\.id: rule ids use letters/,
    );
  });
});
