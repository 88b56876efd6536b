import { describe, expect, it } from 'vitest';
import { createMemoryAlerts } from '../../src/memory';
import { createMemoryVelocitySource, RuleBasedRiskScorer, riskRules } from '../../src/risk';
import { checkRules, compileRules } from '../../src/rules';
import { NOW, noteWorld } from '../notes/world';

const US = {
  line1: '1 Main St',
  city: 'Springfield',
  province: 'IL',
  postalCode: '62701',
  country: 'US',
};
const high = {
  billingAddress: { ...US, country: 'BR' },
  storeRisk: { level: 'high' as const, recommendation: 'cancel' as const },
};
const medium = {
  billingAddress: { ...US, country: 'BR' },
  customer: { email: 'x@yopmail.com', tags: [] },
};
const noNotes = {
  name: 'none',
  classify: async () => ({ tags: [], uncertain: false, classifier: 'none' }),
};

describe('riskRules', () => {
  it('are valid plain rules', () => {
    for (const m of ['review', 'hold', 'tag', 'notify', 'none'] as const) {
      const rules = riskRules({ medium: m });
      expect(() => compileRules(rules)).not.toThrow();
      expect(checkRules(rules).filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('high → held in the store with the fraud reason, ops told now, review when the hold runs out; nothing ships', async () => {
    const alerts = createMemoryAlerts();
    const w = noteWorld(noNotes, {
      rules: riskRules(),
      risk: new RuleBasedRiskScorer({ velocity: createMemoryVelocitySource() }),
      alerts,
    });
    const { order, result, record } = await w.receive(high);
    expect(record?.facts.risk).toMatchObject({ level: 'high' });
    expect(result.status).toBe('on_hold');
    expect(record?.holds[0]).toMatchObject({
      ruleId: 'risk-high',
      storeHold: 'fraud',
      until: new Date(NOW + 72 * 3_600_000).toISOString(),
    });
    expect(w.store.order(order.id)?.holds[0]?.reason).toBe('fraud');
    expect(alerts.alerts().map((a) => a.message)).toContain(
      'High fraud risk: the order is held in the store; approve or cancel it',
    );
    const matched = result.explanation?.stages.flatMap((s) =>
      s.rules.filter((r) => r.matched).map((r) => r.ruleId),
    );
    expect(matched).toContain('risk-high');
    expect(w.warehouse.orders()).toHaveLength(0);
    w.clock.advance(72 * 3_600_000);
    await w.engine.runDue();
    const after = await w.engine.get(order.id);
    expect(after?.status).toBe('needs_review');
    expect(after?.review?.reasons.join()).toContain('high fraud risk');
    expect(w.warehouse.orders()).toHaveLength(0);
  });

  it.each([
    ['review', 'needs_review'],
    ['tag', 'submitted'],
    ['hold', 'on_hold'],
  ] as const)('medium → %s', async (m, status) => {
    const w = noteWorld(noNotes, {
      rules: riskRules({ medium: m }),
      risk: new RuleBasedRiskScorer(),
    });
    const { order, result, record } = await w.receive(medium);
    expect(record?.facts.risk?.level).toBe('medium');
    expect(result.status).toBe(status);
    if (m === 'tag') expect(w.store.order(order.id)?.tags).toContain('risk-medium');
  });

  it('low risk ships', async () => {
    const w = noteWorld(noNotes, { rules: riskRules(), risk: new RuleBasedRiskScorer() });
    expect((await w.receive({})).result.status).toBe('submitted');
  });
});
