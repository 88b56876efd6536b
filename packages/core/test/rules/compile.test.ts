import { describe, expect, it } from 'vitest';
import { isFulfilError } from '../../src/errors';
import { compileRules } from '../../src/rules/compile';
import type { FactCatalogue } from '../../src/rules/facts';
import type { RuleInput } from '../../src/rules/schema';
import { makeContext, makeOrder, SHORT } from './fixtures';

const always = { fact: 'order.total', op: 'gte', value: 0 } as const;
const never = { fact: 'order.total', op: 'gt', value: 1_000_000 } as const;
const tag = (t: string) => [{ type: 'add_tag' as const, tag: t }];
const ctx = makeContext({ inventory: SHORT });

function ids(rules: RuleInput[], stage: 'paid' | 'before_routing' = 'paid') {
  return compileRules(rules)
    .evaluate(stage, ctx)
    .matched.map((m) => m.rule.id);
}

describe('evaluation order, stop and enabled', () => {
  it('runs by priority desc, then id asc', () => {
    expect(
      ids([
        { id: 'b', stage: 'paid', when: always, actions: tag('b') },
        { id: 'a', stage: 'paid', when: always, actions: tag('a') },
        { id: 'z', stage: 'paid', priority: 5, when: always, actions: tag('z') },
        { id: 'm', stage: 'paid', priority: -1, when: always, actions: tag('m') },
      ]),
    ).toEqual(['z', 'a', 'b', 'm']);
  });

  it('only runs rules of the stage asked for', () => {
    const rules: RuleInput[] = [
      { id: 'p', stage: 'paid', when: always, actions: tag('p') },
      { id: 'r', stage: 'before_routing', when: always, actions: tag('r') },
    ];
    expect(ids(rules, 'paid')).toEqual(['p']);
    expect(ids(rules, 'before_routing')).toEqual(['r']);
    expect(compileRules(rules).evaluate('received', ctx).traces).toEqual([]);
  });

  it.each([
    ['traced (closures)', true, true],
    ['untraced (generated code)', false, true],
    ['untraced (closures, codegen: false)', false, false],
  ])(
    'stop skips lower-priority rules, not same-priority ones, and says so: %s',
    (_, trace, codegen) => {
      const compiled = compileRules(
        [
          { id: 'top', stage: 'paid', priority: 20, when: always, actions: tag('0') },
          { id: 'first', stage: 'paid', priority: 10, stop: true, when: always, actions: tag('1') },
          { id: 'peer', stage: 'paid', priority: 10, when: always, actions: tag('2') },
          { id: 'low', stage: 'paid', priority: 1, stop: true, when: always, actions: tag('3') },
          { id: 'lower', stage: 'paid', priority: 0, when: always, actions: tag('4') },
        ],
        { codegen },
      );
      const result = compiled.evaluate('paid', ctx, { trace });
      expect(result.matched.map((m) => m.rule.id)).toEqual(['top', 'first', 'peer']);
      expect(result.traces.map((t) => t.ruleId)).toEqual(trace ? ['top', 'first', 'peer'] : []);
      expect(result.actions.tags).toEqual(['0', '1', '2']);
      expect(result.actions.conflicts).toEqual([
        'rule first matched with stop: lower-priority rules not evaluated (low, lower)',
      ]);
    },
  );

  it('a stop rule that does not match stops nothing', () => {
    const rules: RuleInput[] = [
      { id: 'a', stage: 'paid', priority: 10, stop: true, when: never, actions: tag('a') },
      { id: 'b', stage: 'paid', when: always, actions: tag('b') },
    ];
    expect(ids(rules)).toEqual(['b']);
    const fast = compileRules(rules).evaluate('paid', ctx, { trace: false });
    expect(fast.matched.map((m) => m.rule.id)).toEqual(['b']);
  });

  it('skips disabled rules entirely', () => {
    const result = compileRules([
      { id: 'off', stage: 'paid', enabled: false, when: always, actions: tag('off') },
      { id: 'on', stage: 'paid', when: always, actions: tag('on') },
    ]).evaluate('paid', ctx);
    expect(result.traces.map((t) => t.ruleId)).toEqual(['on']);
  });

  it('exposes the parsed rules with defaults applied', () => {
    const compiled = compileRules([{ id: 'a', stage: 'paid', when: always, actions: tag('a') }]);
    expect(compiled.rules[0]).toMatchObject({ priority: 0, stop: false, enabled: true });
  });
});

describe('traces', () => {
  const compiled = compileRules([
    {
      id: 'risky',
      stage: 'paid',
      when: {
        any: [
          { fact: 'risk.level', op: 'eq', value: 'high' },
          {
            all: [
              { fact: 'order.total', op: 'gt', value: 5000 },
              { fact: 'customer.isFirstOrder', op: 'eq', value: true },
            ],
          },
        ],
      },
      actions: [{ type: 'review', reason: 'risky' }],
    },
    {
      id: 'big',
      stage: 'paid',
      when: { fact: 'order.total', op: 'gt', value: 5000 },
      actions: tag('big'),
    },
  ]);

  it('lists every fact a rule names with its value (missing → null) and the actions applied', () => {
    const result = compiled.evaluate('paid', ctx);
    expect(result.traces).toEqual([
      {
        ruleId: 'big',
        matched: true,
        facts: { 'order.total': 6200 },
        actions: ['add_tag'],
      },
      {
        ruleId: 'risky',
        matched: false,
        facts: { 'risk.level': null, 'order.total': 6200, 'customer.isFirstOrder': false },
        actions: [],
      },
    ]);
    expect(JSON.parse(JSON.stringify(result.traces))).toEqual(result.traces);
  });

  it('trace: false gives the same matches and no traces', () => {
    const fast = compiled.evaluate('paid', ctx, { trace: false });
    expect(fast.traces).toEqual([]);
    expect(fast.matched).toEqual(compiled.evaluate('paid', ctx).matched);
  });
});

describe('generated code', () => {
  it('never writes rule values into the source: quotes and code in values are just data', () => {
    const evil = ["x'); throw new Error('pwned'); ('`$", '{1}`\\'].join('');
    const order = makeOrder({ note: evil, tags: [evil] });
    const compiled = compileRules([
      {
        id: 'n',
        stage: 'paid',
        when: { fact: 'order.note', op: 'eq', value: evil },
        actions: tag('n'),
      },
      {
        id: 't',
        stage: 'paid',
        when: { fact: 'order.tags', op: 'in', value: [evil] },
        actions: tag('t'),
      },
      {
        id: 'm',
        stage: 'paid',
        when: { fact: 'order.note', op: 'matches', value: "'\\)" },
        actions: tag('m'),
      },
    ]);
    const result = compiled.evaluate('paid', makeContext({ order }), { trace: false });
    expect(result.matched.map((m) => m.rule.id)).toEqual(['m', 'n', 't']);
  });
});

describe('custom facts and memoisation', () => {
  let calls = 0;
  const facts: FactCatalogue = {
    'order.giftWrap': {
      type: 'boolean',
      description: 'Gift wrap chosen at checkout',
      get: (c) => {
        calls++;
        return c.order.noteAttributes.some((a) => a.name === 'gift_wrap' && a.value === 'yes');
      },
    },
  };
  const rules: RuleInput[] = [
    {
      id: 'wrap',
      stage: 'paid',
      when: { fact: 'order.giftWrap', op: 'eq', value: true },
      actions: tag('gift'),
    },
    {
      id: 'wrap-vip',
      stage: 'paid',
      when: {
        all: [
          { fact: 'order.giftWrap', op: 'eq', value: true },
          { fact: 'customer.tags', op: 'contains', value: 'VIP' },
        ],
      },
      actions: [{ type: 'add_instruction', text: 'premium wrap' }],
    },
  ];
  const order = makeOrder({ noteAttributes: [{ name: 'gift_wrap', value: 'yes' }] });

  it.each([true, false])(
    'evaluates custom facts, reading each once per evaluation (codegen %s)',
    (codegen) => {
      const compiled = compileRules(rules, { facts, codegen });
      calls = 0;
      const result = compiled.evaluate('paid', makeContext({ order }), { trace: false });
      expect(result.actions.tags).toEqual(['gift']);
      expect(result.actions.instructions).toEqual(['premium wrap']);
      expect(calls).toBe(1);
      compiled.evaluate('paid', makeContext(), { trace: false });
      expect(calls).toBe(2);
    },
  );

  it('rejects a custom fact that is not given', () => {
    expect(() =>
      compileRules([
        {
          id: 'x',
          stage: 'paid',
          when: { fact: 'order.giftWrap', op: 'eq', value: true },
          actions: tag('x'),
        },
      ]),
    ).toThrow(/rules\[0\]\.when\.fact \(rule x\): unknown fact "order.giftWrap"/);
  });
});

describe('errors', () => {
  it('throws CONFIG_INVALID listing every error with its path', () => {
    try {
      compileRules([
        {
          id: 'a',
          stage: 'paid',
          when: { fact: 'customer.tag', op: 'contains', value: 'VIP' },
          actions: tag('a'),
        },
        { id: 'b', stage: 'shipped', when: always, actions: tag('b') },
      ] as RuleInput[]);
      expect.unreachable();
    } catch (err) {
      expect(isFulfilError(err, 'CONFIG_INVALID')).toBe(true);
      if (!isFulfilError(err)) throw err;
      expect(err.details.issues?.map((i) => i.path)).toEqual([
        'rules[0].when.fact',
        'rules[1].stage',
      ]);
      expect(err.details.path).toBe('rules[0].when.fact');
      expect(err.message).toContain('did you mean "customer.tags"?');
    }
  });

  it('rejects a non-array', () => {
    expect(() => compileRules({} as unknown as RuleInput[])).toThrow(/CONFIG_INVALID: rules/);
  });

  it('keeps warnings, and throws on them when strict', () => {
    const rules: RuleInput[] = [
      {
        id: 'w',
        stage: 'paid',
        when: { fact: 'inventory.hasBackorder', op: 'eq', value: true },
        actions: tag('w'),
      },
    ];
    expect(compileRules(rules).warnings).toEqual([
      expect.objectContaining({ ruleId: 'w', path: 'rules[0].when.fact', severity: 'warning' }),
    ]);
    expect(() => compileRules(rules, { strict: true })).toThrow(
      /inventory.hasBackorder" is only known/,
    );
  });

  it('rejects an unknown stage at evaluation', () => {
    const compiled = compileRules([]);
    expect(() => compiled.evaluate('nope' as 'paid', ctx)).toThrow(/unknown stage "nope"/);
  });
});
