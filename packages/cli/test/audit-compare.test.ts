import { describe, expect, it } from 'vitest';
import { cli, order, tempDir, writeConfig, writeExport } from './helpers';

const dir = tempDir();
const locations = [
  {
    id: 'east',
    warehouse: 'east-wh',
    address: { country: 'US', province: 'NJ', lat: 40.69, lon: -74.15 },
  },
];

describe('fulfil audit --compare', () => {
  it('lists exactly the orders a changed rule affects, with both explanations', async () => {
    const skus = [
      ['MUG'],
      ['LAMP', 'MUG'],
      ['TEE'],
      ['LAMP'],
      ['TEE', 'MUG'],
      ['CARD'],
      ['LAMP', 'TEE'],
    ];
    const orders = skus.map((s, i) => order(`#${3001 + i}`, s, `2026-11-0${i + 1}T10:00:00Z`));
    const file = writeExport(dir, 'orders.csv', orders);
    const before = writeConfig(dir, 'before.json', {
      locations,
      rules: [
        {
          id: 'tee-review',
          stage: 'paid',
          when: { fact: 'lines.skus', op: 'contains', value: 'TEE' },
          actions: [{ type: 'review', reason: 'tees are checked' }],
        },
      ],
    });
    // The change: lamps are reviewed too.
    const after = writeConfig(dir, 'after.json', {
      locations,
      rules: [
        {
          id: 'tee-review',
          stage: 'paid',
          when: {
            any: [
              { fact: 'lines.skus', op: 'contains', value: 'TEE' },
              { fact: 'lines.skus', op: 'contains', value: 'LAMP' },
            ],
          },
          actions: [{ type: 'review', reason: 'tees are checked' }],
        },
      ],
    });
    const r = await cli([
      'audit',
      '--orders',
      file,
      '--config',
      before,
      '--compare',
      after,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const { compare } = JSON.parse(r.out);
    // #3002 (LAMP, MUG) and #3004 (LAMP) change; #3007 (LAMP, TEE) was reviewed already.
    expect(compare.changes.map((c: { name: string }) => c.name)).toEqual(['#3002', '#3004']);
    const c = compare.changes[0];
    expect(c.before.outcome).toBe('submitted east');
    expect(c.after.outcome).toBe('needs_review (review: tee-review: tees are checked)');
    expect(c.before.explanation[0]).toBe('no rule matched');
    expect(c.after.explanation[0]).toBe('rules matched: tee-review');

    const text = await cli(['audit', '--orders', file, '--config', before, '--compare', after]);
    expect(text.out).toContain('2 order(s) would end differently');
    expect(text.out).toContain('#3004');
  });
});
