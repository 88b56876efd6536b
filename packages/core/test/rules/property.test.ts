import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/rules/compile';
import { FACTS, type FactName } from '../../src/rules/facts';
import type { Condition } from '../../src/rules/schema';
import type { RuleContext } from '../../src/rules/types';
import { makeContext, makeOrder } from './fixtures';

/** A naive reference interpreter of the documented operator semantics. */
function reference(cond: Condition, ctx: RuleContext): boolean {
  if ('all' in cond) return cond.all.every((c) => reference(c, ctx));
  if ('any' in cond) return cond.any.some((c) => reference(c, ctx));
  if ('not' in cond) return !reference(cond.not, ctx);
  const v = FACTS[cond.fact as FactName].get(ctx);
  const x = cond.value;
  const one = (e: unknown): boolean => {
    switch (cond.op) {
      case 'eq':
      case 'contains':
        return Array.isArray(v) ? e === x : typeof e === 'string' && e.includes(x as string);
      case 'in':
        return (x as unknown[]).includes(e);
      case 'gt':
        return typeof e === 'number' && e > (x as number);
      case 'gte':
        return typeof e === 'number' && e >= (x as number);
      case 'lt':
        return typeof e === 'number' && e < (x as number);
      case 'lte':
        return typeof e === 'number' && e <= (x as number);
      case 'matches': {
        const lit = /^\/(.+)\/([a-z]*)$/.exec(x as string);
        const re = lit ? new RegExp(lit[1]!, lit[2]) : new RegExp(x as string);
        return typeof e === 'string' && re.test(e);
      }
      case 'between':
        return typeof e === 'number' && e >= (x as number[])[0]! && e <= (x as number[])[1]!;
      default:
        throw new Error(`no reference for ${cond.op}`);
    }
  };
  if (cond.op === 'exists') return (v !== undefined && v !== null) === (x ?? true);
  if (cond.op === 'neq') return Array.isArray(v) ? !(v as unknown[]).includes(x) : v !== x;
  if (cond.op === 'eq' && !Array.isArray(v)) return v === x;
  if (v === undefined || v === null) return false;
  return Array.isArray(v) ? v.some(one) : one(v);
}

const numberFacts = ['order.total', 'order.itemCount', 'risk.score', 'lines.quantities'] as const;
const stringFacts = ['shipping.country', 'customer.tags', 'order.note', 'note.tags'] as const;
const words = ['US', 'CA', 'VIP', 'gift', 'ship', 'retail'];

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc
    .record({
      fact: fc.constantFrom(...numberFacts),
      op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'),
      value: fc.integer({ min: 0, max: 8000 }),
    })
    .map((c) => (c.op === 'exists' ? { fact: c.fact, op: c.op } : c)),
  fc.record({
    fact: fc.constantFrom(...numberFacts),
    op: fc.constant('between' as const),
    value: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 100, max: 8000 })),
  }),
  fc.record({
    fact: fc.constantFrom(...stringFacts),
    op: fc.constantFrom('eq', 'neq', 'contains'),
    value: fc.constantFrom(...words),
  }),
  fc
    .record({
      fact: fc.constantFrom(...stringFacts),
      op: fc.constantFrom('matches' as const, 'exists' as const),
      value: fc.constantFrom('^U', 'i', 'P$', '/^v/i'),
    })
    .map((c) => (c.op === 'exists' ? { fact: c.fact, op: c.op, value: c.value.length > 1 } : c)),
  fc.record({
    fact: fc.constantFrom('shipping.expedited', 'customer.isFirstOrder', 'lines.hasBackordered'),
    op: fc.constantFrom('eq' as const, 'neq' as const),
    value: fc.boolean(),
  }),
  fc.record({
    fact: fc.constantFrom(...stringFacts),
    op: fc.constant('in' as const),
    value: fc.uniqueArray(fc.constantFrom(...words), { minLength: 1 }),
  }),
);
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('c'), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('c').map((not) => ({ not })),
  ),
})).c;

const contexts = [
  makeContext({
    facts: { note: { tags: [{ tag: 'gift', confidence: 1 }], uncertain: false, classifier: 't' } },
  }),
  makeContext({
    order: makeOrder({ customer: undefined, shippingAddress: undefined, note: null }),
    facts: { risk: { score: 64, level: 'medium', reasons: [], scorer: 't' } },
  }),
  makeContext({
    order: makeOrder({
      shippingAddress: { country: 'CA' },
      lines: [{ id: 'a', sku: 'X', quantity: 7, unitPrice: 100 }],
      totals: { subtotal: 700, total: 700 },
    }),
  }),
];

describe('generated code, closures and a reference interpreter agree; checks are sound', () => {
  it('on random condition trees', () => {
    let compared = 0;
    fc.assert(
      fc.property(condition, (when) => {
        const rules = [
          {
            id: 'r',
            stage: 'paid' as const,
            when,
            actions: [{ type: 'add_tag' as const, tag: 'x' }],
          },
        ];
        let compiledFast: ReturnType<typeof compileRules>;
        try {
          compiledFast = compileRules(rules);
        } catch (err) {
          // Only "can never fire" is possible here (every leaf is well typed): it must be true.
          expect((err as Error).message).toMatch(/can never (fire|hold)/);
          for (const ctx of contexts) expect(reference(when, ctx)).toBe(false);
          return;
        }
        const closures = compileRules(rules, { codegen: false });
        compared++;
        for (const ctx of contexts) {
          const expected = reference(when, ctx);
          expect(compiledFast.evaluate('paid', ctx, { trace: false }).matched.length === 1).toBe(
            expected,
          );
          expect(compiledFast.evaluate('paid', ctx).matched.length === 1).toBe(expected);
          expect(closures.evaluate('paid', ctx, { trace: false }).matched.length === 1).toBe(
            expected,
          );
        }
      }),
      { numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(200);
  });
});
