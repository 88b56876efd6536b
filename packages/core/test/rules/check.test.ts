import { describe, expect, it } from 'vitest';
import { checkRules, type RuleIssue } from '../../src/rules/check';
import type { Condition } from '../../src/rules/schema';

const tag = [{ type: 'add_tag', tag: 'x' }];

/** Checks one rule with id `r1` at stage `paid` and the given `when`. */
function checkWhen(when: unknown, stage = 'paid'): RuleIssue[] {
  return checkRules([{ id: 'r1', stage, when, actions: tag }]);
}

function errors(issues: RuleIssue[]) {
  return issues.filter((i) => i.severity === 'error').map(({ ruleId, path }) => ({ ruleId, path }));
}

const c = (fact: string, op: string, value?: unknown) => ({ fact, op, value }) as Condition;

describe('checkRules', () => {
  it('accepts a valid rule set', () => {
    expect(
      checkRules([
        {
          id: 'ok',
          stage: 'before_routing',
          when: {
            all: [c('order.total', 'gte', 10_000), c('risk.level', 'in', ['medium', 'high'])],
          },
          actions: [{ type: 'review', reason: 'big and risky' }],
        },
      ]),
    ).toEqual([]);
  });

  it('reports an unknown fact with the closest name', () => {
    const issues = checkRules([
      {
        id: 'a',
        stage: 'paid',
        when: { all: [{ any: [c('order.total', 'gt', 1)] }] },
        actions: tag,
      },
      {
        id: 'b',
        stage: 'paid',
        when: { all: [c('customer.tag', 'contains', 'VIP')] },
        actions: tag,
      },
    ]);
    expect(issues).toEqual([
      {
        ruleId: 'b',
        path: 'rules[1].when.all[0].fact',
        message: 'unknown fact "customer.tag" (did you mean "customer.tags"?)',
        severity: 'error',
      },
    ]);
  });

  it.each([
    [c('order.currency', 'gt', 1), 'rules[0].when.op', /operator "gt" needs a number fact/],
    [c('shipping.expedited', 'contains', 'x'), 'rules[0].when.op', /needs a string or list fact/],
    [c('lines.quantities', 'matches', '^1'), 'rules[0].when.op', /"matches" needs a string fact/],
    [c('order.total', 'gt', '100'), 'rules[0].when.value', /needs a number, got "100"/],
    [c('order.total', 'between', [1]), 'rules[0].when.value', /needs \[low, high\]/],
    [c('order.total', 'between', 5), 'rules[0].when.value', /needs \[low, high\]/],
    [c('shipping.country', 'in', 'US'), 'rules[0].when.value', /needs an array of strings/],
    [c('shipping.country', 'in', ['US', 3]), 'rules[0].when.value[1]', /needs strings, got 3/],
    [c('customer.email', 'matches', '(unclosed'), 'rules[0].when.value', /invalid pattern/],
    [c('customer.tags', 'eq', 1), 'rules[0].when.value', /needs a string, got 1/],
    [c('order.total', 'eq'), 'rules[0].when.value', /needs a number, got nothing/],
    [c('risk.level', 'exists', 'yes'), 'rules[0].when.value', /true, false or no value/],
  ])('operator / type mismatch: %j', (when, path, message) => {
    const issues = checkWhen(when);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ ruleId: 'r1', path, severity: 'error' });
    expect(issues[0]?.message).toMatch(message);
  });

  it.each([
    [
      c('risk.level', 'eq', 'extreme'),
      'rules[0].when.value',
      /"extreme" is not a value of risk.level \(low, medium, high\)/,
    ],
    [c('time.weekday', 'in', ['sat', 'sunday']), 'rules[0].when.value', /"sunday" is not a value/],
    [
      c('time.hour', 'gt', 23),
      'rules[0].when',
      /time.hour gt 23 can never hold: time.hour is within 0..23/,
    ],
    [c('order.total', 'lt', 0), 'rules[0].when', /can never hold/],
    [c('order.total', 'between', [10, 5]), 'rules[0].when', /between \[10, 5\] is empty/],
    [c('shipping.country', 'in', []), 'rules[0].when', /`in: \[\]` can never hold/],
    [{ any: [] }, 'rules[0].when.any', /empty `any` can never hold \(rule "r1" can never fire\)/],
  ])('never fires: %j', (when, path, message) => {
    const issues = checkWhen(when);
    expect(errors(issues)).toEqual([{ ruleId: 'r1', path }]);
    expect(issues[0]?.message).toMatch(message);
  });

  it.each([
    [[c('order.total', 'gt', 100), c('order.total', 'lt', 50)], 'rules[0].when.all[1]'],
    [[c('order.total', 'gte', 100), c('order.total', 'lt', 100)], 'rules[0].when.all[1]'],
    [
      [c('order.total', 'between', [0, 10]), { all: [c('order.total', 'eq', 11)] }],
      'rules[0].when.all[1].all[0]',
    ],
    [
      [c('shipping.country', 'eq', 'US'), c('shipping.country', 'eq', 'CA')],
      'rules[0].when.all[1]',
    ],
    [
      [c('shipping.country', 'in', ['US', 'CA']), c('shipping.country', 'in', ['MX'])],
      'rules[0].when.all[1]',
    ],
    [
      [c('shipping.country', 'eq', 'US'), c('shipping.country', 'neq', 'US')],
      'rules[0].when.all[1]',
    ],
    [[c('risk.level', 'exists', false), c('risk.level', 'eq', 'high')], 'rules[0].when.all[1]'],
    [
      [c('shipping.expedited', 'eq', true), c('shipping.expedited', 'eq', false)],
      'rules[0].when.all[1]',
    ],
  ])('contradictory tests inside one all: %j', (list, path) => {
    const issues = checkWhen({ all: list });
    expect(errors(issues)).toEqual([{ ruleId: 'r1', path }]);
    expect(issues[0]?.message).toMatch(/contradict each other .*can never fire/);
  });

  it('does not confuse list facts (any element) or compatible bounds with contradictions', () => {
    expect(
      checkWhen({ all: [c('lines.quantities', 'gt', 5), c('lines.quantities', 'lt', 2)] }),
    ).toEqual([]);
    expect(
      checkWhen({ all: [c('customer.tags', 'eq', 'a'), c('customer.tags', 'eq', 'b')] }),
    ).toEqual([]);
    expect(
      checkWhen({ all: [c('order.total', 'gte', 100), c('order.total', 'lte', 100)] }),
    ).toEqual([]);
    expect(
      checkWhen({ all: [c('order.total', 'eq', 100), c('order.total', 'in', [100, 200])] }),
    ).toEqual([]);
    expect(checkWhen({ any: [c('order.total', 'gt', 100), c('order.total', 'lt', 50)] })).toEqual(
      [],
    );
  });

  it('a dead branch that does not stop the rule is a warning', () => {
    const issues = checkWhen({ any: [c('order.total', 'gt', 100), { any: [] }] });
    expect(issues).toEqual([
      {
        ruleId: 'r1',
        path: 'rules[0].when.any[1].any',
        message: 'an empty `any` can never hold (dead branch; the rule can still fire)',
        severity: 'warning',
      },
    ]);
  });

  it('reports duplicate rule ids', () => {
    const rule = { id: 'dup', stage: 'paid', when: { all: [] }, actions: tag };
    expect(checkRules([rule, { ...rule, id: 'other' }, rule])).toEqual([
      {
        ruleId: 'dup',
        path: 'rules[2].id',
        message: 'duplicate rule id "dup" (also rules[0])',
        severity: 'error',
      },
    ]);
  });

  it('reports unknown stages and schema errors at their path', () => {
    const issues = checkRules([
      { id: 'a', stage: 'shipped', when: { all: [] }, actions: tag },
      { id: 'b', stage: 'paid', when: { all: [] }, actions: [] },
      { id: 'c', stage: 'paid', when: { all: [] }, actions: [{ type: 'explode' }] },
    ]);
    expect(errors(issues)).toEqual([
      { ruleId: 'a', path: 'rules[0].stage' },
      { ruleId: 'b', path: 'rules[1].actions' },
      { ruleId: 'c', path: 'rules[2].actions[0].type' },
    ]);
    expect(issues[2]?.message).toMatch(/unknown action type; expected one of hold, release_hold/);
  });

  it('explains malformed conditions field by field', () => {
    const issues = checkWhen({
      all: [
        { fact: 'order.total', op: 'equals', value: 1 },
        { fact: 'order.total', operator: 'eq', value: 1 },
        { all: [], any: [] },
        { anyOf: [] },
        'order.total > 1',
      ],
    });
    expect(issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'rules[0].when.all[0].op',
        message: 'unknown operator "equals" (did you mean "eq"?)',
      },
      {
        path: 'rules[0].when.all[1].operator',
        message: 'unknown key operator (a fact test has fact, op, value)',
      },
      {
        path: 'rules[0].when.all[1].op',
        message: expect.stringMatching(/an operator is required/),
      },
      {
        path: 'rules[0].when.all[2]',
        message: expect.stringMatching(/exactly one of .* \(got all, any\)/),
      },
      {
        path: 'rules[0].when.all[3]',
        message: expect.stringMatching(/needs one of .* \(got anyOf\)/),
      },
      { path: 'rules[0].when.all[4]', message: expect.stringMatching(/a condition is an object/) },
    ]);
  });

  it('checks hold actions', () => {
    const issues = checkRules([
      {
        id: 'h',
        stage: 'paid',
        when: { all: [] },
        actions: [
          { type: 'hold', reason: 'none' },
          { type: 'hold', reason: 'two', for: { hours: 1 }, until: '2026-01-01T00:00:00Z' },
          { type: 'hold', reason: 'bad fact', untilFact: 'note.shipafter' },
          { type: 'hold', reason: 'not a date', untilFact: 'order.tags' },
          { type: 'hold', reason: 'fine', untilFact: 'note.shipAfter' },
        ],
      },
    ]);
    expect(issues.map(({ ruleId, path, message }) => ({ ruleId, path, message }))).toEqual([
      {
        ruleId: 'h',
        path: 'rules[0].actions[0]',
        message: 'a hold needs one of `for`, `until` or `untilFact`',
      },
      {
        ruleId: 'h',
        path: 'rules[0].actions[1]',
        message: 'a hold takes one of `for`, `until`, `untilFact`, not for and until',
      },
      {
        ruleId: 'h',
        path: 'rules[0].actions[2].untilFact',
        message: 'unknown fact "note.shipafter" (did you mean "note.shipAfter"?)',
      },
      {
        ruleId: 'h',
        path: 'rules[0].actions[3].untilFact',
        message: 'untilFact needs a date fact (string or epoch ms), but order.tags is string[]',
      },
    ]);
  });

  it('warns about facts read where they are unknown and contradictory actions', () => {
    const issues = checkRules([
      {
        id: 'w',
        stage: 'received',
        when: c('inventory.canFillFromOneLocation', 'eq', false),
        actions: [
          { type: 'allow_split' },
          { type: 'forbid_split' },
          { type: 'exclude_location', locationId: 'east' },
          { type: 'prefer_location', locationId: 'east' },
        ],
      },
    ]);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(issues.map((i) => i.path)).toEqual([
      'rules[0].when.fact',
      'rules[0].actions',
      'rules[0].actions[3].locationId',
    ]);
  });

  it('accepts custom facts', () => {
    const facts = {
      'order.giftWrap': { type: 'boolean' as const, description: 'gift', get: () => true },
    };
    expect(
      checkRules(
        [{ id: 'g', stage: 'paid', when: c('order.giftWrap', 'eq', true), actions: tag }],
        facts,
      ),
    ).toEqual([]);
  });
});
