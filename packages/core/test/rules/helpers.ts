import { compileRules } from '../../src/rules/compile';
import type { FactCatalogue } from '../../src/rules/facts';
import type { Condition } from '../../src/rules/schema';
import type { RuleContext } from '../../src/rules/types';

/** Does `when` hold for `ctx`? (Compiles a one-rule set at stage `before_routing`.) */
export function holds(when: Condition, ctx: RuleContext, facts?: FactCatalogue): boolean {
  const compiled = compileRules(
    [{ id: 't', stage: 'before_routing', when, actions: [{ type: 'add_tag', tag: 'hit' }] }],
    facts === undefined ? {} : { facts },
  );
  const fast = compiled.evaluate('before_routing', ctx, { trace: false }).matched.length === 1;
  const traced = compiled.evaluate('before_routing', ctx).matched.length === 1;
  if (fast !== traced) throw new Error('trace and no-trace evaluations disagree');
  return fast;
}
