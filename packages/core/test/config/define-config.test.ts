import { describe, expect, it } from 'vitest';
import { defineConfig, type FulfilError, fact, hold, parseConfig, rule } from '../../src';

const locations = [{ id: 'east', warehouse: 'east-wh' }];

function error(input: unknown): FulfilError {
  try {
    parseConfig(input, 'fulfil.config.ts');
  } catch (err) {
    return err as FulfilError;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('defineConfig / parseConfig', () => {
  it('returns its argument, and a valid config parses', () => {
    const config = defineConfig({
      locations,
      rules: [
        rule('short')
          .at('before_routing')
          .when(fact('inventory.hasBackorder').eq(true))
          .do(hold({ for: { hours: 24 }, reason: 'stock' }))
          .build(),
      ],
      kits: { GIFT: { components: [{ sku: 'MUG', quantity: 1 }] } },
      notes: { certainty: 0.8 },
      risk: { thresholds: { medium: 20, high: 50 } },
      timeZone: 'America/New_York',
    });
    expect(parseConfig(config)).toBe(config);
  });

  it.each([
    [{}, 'CONFIG_INVALID: fulfil.config.ts: locations: '],
    [{ locations: [] }, 'CONFIG_INVALID: fulfil.config.ts: locations: '],
    [{ locations: [{ id: 'a' }] }, 'CONFIG_INVALID: fulfil.config.ts: locations[0].warehouse: '],
    [
      { locations: [...locations, ...locations] },
      'CONFIG_INVALID: fulfil.config.ts: locations[1].id: duplicate',
    ],
    [
      { locations, timeZone: 'Mars/Olympus' },
      'CONFIG_INVALID: fulfil.config.ts: timeZone: unknown IANA',
    ],
    [
      { locations, risk: { thresholds: { medium: 200 } } },
      'CONFIG_INVALID: fulfil.config.ts: risk.thresholds.medium: ',
    ],
    [{ locations, notes: { certainty: 2 } }, 'CONFIG_INVALID: fulfil.config.ts: notes.certainty: '],
    [{ locations, extra: 1 }, 'CONFIG_INVALID: fulfil.config.ts: (root): Unrecognized key'],
    [
      {
        locations,
        rules: [
          {
            id: 'r',
            stage: 'paid',
            when: { fact: 'order.totl', op: 'gt', value: 1 },
            actions: [{ type: 'review', reason: 'x' }],
          },
        ],
      },
      'CONFIG_INVALID: fulfil.config.ts: rules[0].when.fact: ',
    ],
    [
      { locations, kits: { A: { components: [{ sku: 'B', quantity: 0 }] } } },
      'CONFIG_INVALID: fulfil.config.ts: kits.A.components[0].quantity: ',
    ],
  ])('names the exact path: %j', (input, start) => {
    const err = error(input);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message.startsWith(start)).toBe(true);
  });

  it('checks the machine', () => {
    const err = error({
      locations,
      machine: { id: 'm', initial: 'nowhere', states: { a: { kind: 'final', on: {} } } },
    });
    expect(err.message).toMatch(/^CONFIG_INVALID: fulfil\.config\.ts: machine\./);
  });
});
