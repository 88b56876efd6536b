import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/rules/compile';
import { resolveActions } from '../../src/rules/resolve';
import { type ActionInput, Rule } from '../../src/rules/schema';
import { makeContext, NOW } from './fixtures';

const ctx = makeContext();
const HOUR = 3_600_000;

/** Rules given as [id, priority, actions], already in evaluation order. */
function resolve(entries: [string, number, ActionInput[]][], c = ctx) {
  const matched = entries.map(([id, priority, actions]) => {
    const rule = Rule.parse({ id, stage: 'paid', priority, when: { all: [] }, actions });
    return { rule, actions: rule.actions };
  });
  return resolveActions(matched, c);
}

describe('resolveActions', () => {
  it('returns empty actions when nothing matched', () => {
    expect(resolve([])).toEqual({
      holds: [],
      releaseHold: false,
      review: [],
      prefer: [],
      exclude: [],
      requiredCapabilities: [],
      tags: [],
      instructions: [],
      notify: [],
      transitions: [],
      conflicts: [],
    });
  });

  it('accumulates review reasons, prefixed by rule id', () => {
    const r = resolve([
      ['risk', 5, [{ type: 'review', reason: 'high risk' }]],
      ['addr', 0, [{ type: 'review', reason: 'PO box' }]],
    ]);
    expect(r.review).toEqual(['risk: high risk', 'addr: PO box']);
  });

  it('keeps every hold, resolving for / until / untilFact', () => {
    const c = makeContext({
      facts: {
        note: {
          tags: [{ tag: 'ship_after', confidence: 1, date: '2026-12-01' }],
          uncertain: false,
          classifier: 't',
        },
      },
    });
    const r = resolve(
      [
        ['a', 0, [{ type: 'hold', reason: 'wait', for: { days: 1, hours: 2, minutes: 30 } }]],
        [
          'b',
          0,
          [
            {
              type: 'hold',
              reason: 'until',
              until: '2026-04-01T00:00:00+02:00',
              storeHold: 'other',
            },
          ],
        ],
        [
          'c',
          0,
          [{ type: 'hold', reason: 'asked', untilFact: 'note.shipAfter', releaseOnStock: true }],
        ],
      ],
      c,
    );
    expect(r.holds).toEqual([
      { ruleId: 'a', reason: 'wait', until: NOW + 26.5 * HOUR, releaseOnStock: false },
      {
        ruleId: 'b',
        reason: 'until',
        until: Date.parse('2026-03-31T22:00:00Z'),
        releaseOnStock: false,
        storeHold: 'other',
      },
      // Start of 2026-12-01 in New York (EST, UTC-5).
      {
        ruleId: 'c',
        reason: 'asked',
        until: Date.parse('2026-12-01T05:00:00Z'),
        releaseOnStock: true,
      },
    ]);
    expect(r.conflicts).toEqual([]);
  });

  it('skips a hold whose fact is missing or whose end has passed, saying why', () => {
    const r = resolve([
      ['c', 0, [{ type: 'hold', reason: 'asked', untilFact: 'note.shipAfter' }]],
      ['d', 0, [{ type: 'hold', reason: 'late', until: '2020-01-01T00:00:00Z' }]],
    ]);
    expect(r.holds).toEqual([]);
    expect(r.conflicts).toEqual([
      'hold (rule c) skipped: fact note.shipAfter is missing',
      'hold (rule d) skipped: it ends at 2020-01-01T00:00:00.000Z, not after now',
    ]);
  });

  it('ignores release_hold when a hold matched at the same stage', () => {
    expect(resolve([['r', 0, [{ type: 'release_hold' }]]]).releaseHold).toBe(true);
    const r = resolve([
      ['h', 5, [{ type: 'hold', reason: 'x', for: { hours: 1 } }]],
      ['r', 0, [{ type: 'release_hold' }]],
    ]);
    expect(r.releaseHold).toBe(false);
    expect(r.conflicts).toEqual([
      'release_hold (rule r) ignored: a hold matched at the same stage (rule h)',
    ]);
  });

  it('a skipped hold does not block release_hold', () => {
    const r = resolve([
      ['h', 5, [{ type: 'hold', reason: 'x', untilFact: 'note.shipAfter' }]],
      ['r', 0, [{ type: 'release_hold' }]],
    ]);
    expect(r.releaseHold).toBe(true);
    expect(r.conflicts).toEqual(['hold (rule h) skipped: fact note.shipAfter is missing']);
  });

  it('split: the highest-priority rule wins', () => {
    const r = resolve([
      ['a', 10, [{ type: 'allow_split' }]],
      ['b', 0, [{ type: 'forbid_split' }]],
    ]);
    expect(r.allowSplit).toBe(true);
    expect(r.conflicts).toEqual([
      'split: allow_split (rule a, priority 10) overrides forbid_split (rule b, priority 0): the higher-priority rule wins',
    ]);
  });

  it('split: at equal priority forbid wins, whatever the id order', () => {
    const first = resolve([
      ['a', 5, [{ type: 'allow_split' }]],
      ['b', 5, [{ type: 'forbid_split' }]],
    ]);
    expect(first.allowSplit).toBe(false);
    expect(first.conflicts).toEqual([
      'split: forbid_split (rule b, priority 5) overrides allow_split (rule a, priority 5): at equal priority forbid wins',
    ]);
    const second = resolve([
      ['a', 5, [{ type: 'forbid_split' }]],
      ['b', 5, [{ type: 'allow_split' }]],
    ]);
    expect(second.allowSplit).toBe(false);
  });

  it('locations: exclude beats prefer and force; the highest-priority force wins', () => {
    const r = resolve([
      ['f1', 10, [{ type: 'force_location', locationId: 'east' }]],
      ['f2', 5, [{ type: 'force_location', locationId: 'west' }]],
      ['f3', 1, [{ type: 'force_location', locationId: 'north' }]],
      [
        'p',
        0,
        [
          { type: 'prefer_location', locationId: 'east' },
          { type: 'prefer_location', locationId: 'south' },
        ],
      ],
      ['x', 0, [{ type: 'exclude_location', locationId: 'east' }]],
    ]);
    expect(r.force).toBe('west');
    expect(r.prefer).toEqual(['south']);
    expect(r.exclude).toEqual(['east']);
    expect(r.conflicts).toEqual([
      'location east: exclude_location overrides prefer_location (rule p): exclude wins',
      'location east: exclude_location overrides force_location (rule f1): exclude wins',
      'force_location: west (rule f2, priority 5) wins over north (rule f3, priority 1): the higher-priority rule wins',
    ]);
  });

  it('service: the highest priority wins; priority: the largest wins', () => {
    const r = resolve([
      [
        'fast',
        10,
        [
          { type: 'set_service', service: 'express' },
          { type: 'set_priority', priority: 1 },
        ],
      ],
      [
        'cheap',
        0,
        [
          { type: 'set_service', service: 'ground' },
          { type: 'set_priority', priority: 7 },
        ],
      ],
    ]);
    expect(r.service).toBe('express');
    expect(r.priority).toBe(7);
    expect(r.conflicts).toEqual([
      "service: 'express' (rule fast, priority 10) wins over 'ground' (rule cheap, priority 0): the higher-priority rule wins",
      'priority: 7 (rule cheap) wins over 1 (rule fast): the largest wins',
    ]);
  });

  it('unions tags, instructions and capabilities in order; de-duplicates notify; keeps transitions', () => {
    const r = resolve([
      [
        'a',
        1,
        [
          { type: 'add_tag', tag: 'vip' },
          { type: 'add_instruction', text: 'gift wrap' },
          { type: 'require_capability', capability: 'engraving' },
          { type: 'notify', channel: 'ops', message: 'look' },
          { type: 'transition', event: 'ENGRAVE' },
        ],
      ],
      [
        'b',
        0,
        [
          { type: 'add_tag', tag: 'gift' },
          { type: 'add_tag', tag: 'vip' },
          { type: 'add_instruction', text: 'gift wrap' },
          { type: 'require_capability', capability: 'engraving' },
          { type: 'notify', channel: 'ops', message: 'look' },
          { type: 'notify', channel: 'warehouse', message: 'look' },
          { type: 'transition', event: 'REVIEW' },
        ],
      ],
    ]);
    expect(r.tags).toEqual(['vip', 'gift']);
    expect(r.instructions).toEqual(['gift wrap']);
    expect(r.requiredCapabilities).toEqual(['engraving']);
    expect(r.notify).toEqual([
      { channel: 'ops', message: 'look', ruleId: 'a' },
      { channel: 'warehouse', message: 'look', ruleId: 'b' },
    ]);
    expect(r.transitions).toEqual([
      { event: 'ENGRAVE', ruleId: 'a' },
      { event: 'REVIEW', ruleId: 'b' },
    ]);
    expect(r.conflicts).toEqual([]);
  });

  it('is what evaluate returns, in evaluation order', () => {
    const compiled = compileRules([
      {
        id: 'b-forbid',
        stage: 'paid',
        priority: 3,
        when: { all: [] },
        actions: [{ type: 'forbid_split' }],
      },
      {
        id: 'a-allow',
        stage: 'paid',
        priority: 3,
        when: { all: [] },
        actions: [{ type: 'allow_split' }],
      },
    ]);
    const { actions } = compiled.evaluate('paid', ctx);
    expect(actions.allowSplit).toBe(false);
    expect(actions.conflicts).toHaveLength(1);
  });
});
