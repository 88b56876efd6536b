import { describe, expect, it } from 'vitest';
import {
  configEngineOptions,
  createMemoryVelocitySource,
  defineConfig,
  KeywordNoteClassifier,
  noteRules,
  RuleBasedRiskScorer,
} from '../../src';
import { makeOrder } from '../../src/testing/fixtures';

const locations = [{ id: 'east', warehouse: 'east-wh' }];

describe('configEngineOptions', () => {
  it('maps what the config says and leaves out what it does not (engine defaults apply)', () => {
    const options = configEngineOptions(defineConfig({ locations }));
    expect(Object.keys(options).sort()).toEqual(['classifier', 'locations', 'risk']);
    expect(options.locations).toBe(locations);
    expect(options.classifier).toBeInstanceOf(KeywordNoteClassifier);
    expect(options.risk).toBeInstanceOf(RuleBasedRiskScorer);
  });

  it('passes rules, machine, time zone and notifyCustomer through as written', () => {
    const rules = noteRules();
    const options = configEngineOptions(
      defineConfig({ locations, rules, timeZone: 'Europe/Paris', notifyCustomer: false }),
    );
    expect(options.rules).toBe(rules);
    expect(options.timeZone).toBe('Europe/Paris');
    expect(options.notifyCustomer).toBe(false);
    expect(options.machine).toBeUndefined();
  });

  it('notes: false and risk: false mean no classifier and no scorer', () => {
    const options = configEngineOptions(defineConfig({ locations, notes: false, risk: false }));
    expect('classifier' in options).toBe(false);
    expect('risk' in options).toBe(false);
  });

  it("gives the risk scorer the config's settings and the host's velocity source", async () => {
    const recorded: string[] = [];
    const velocity = {
      ...createMemoryVelocitySource(),
      record: (order: { id: string }) => void recorded.push(order.id),
    };
    const { risk } = configEngineOptions(
      defineConfig({ locations, risk: { typicalOrderTotal: 1, highValueFactor: 2 } }),
      { velocity, recordOrders: true },
    );
    const order = makeOrder({ createdAt: '2026-11-27T09:00:00.000Z' });
    const assessment = await risk?.assess(order, { now: Date.parse(order.createdAt) });
    // The value signals are on only with the config's typicalOrderTotal.
    expect(assessment?.reasons.map((r) => r.signal)).toContain('high_value');
    expect(recorded).toEqual([order.id]);
  });
});
