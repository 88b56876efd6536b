import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, order, tempDir, writeConfig, writeExport } from './helpers';

const dir = tempDir();
const config = writeConfig(dir, 'fulfil.config.json', {
  locations: [
    {
      id: 'east',
      warehouse: 'east-wh',
      address: { country: 'US', province: 'NJ', lat: 40.69, lon: -74.15 },
    },
  ],
});

describe('fulfil audit: bad input', () => {
  it('an empty file is an error, not an empty report', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    const r = await cli(['audit', '--orders', file, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('INVALID_INPUT: the file is empty (no header row)');
  });

  it('a header with no order is an error', async () => {
    const file = writeExport(dir, 'header-only.csv', []);
    const r = await cli(['audit', '--orders', file, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('INVALID_INPUT: no readable order in the file');
  });

  it('missing required columns stop the run with the list', async () => {
    const file = join(dir, 'missing.csv');
    writeFileSync(
      file,
      'Name,Email,Created at,Lineitem quantity\n#1,a@b.c,2026-01-01 10:00:00 +0000,1\n',
    );
    const r = await cli(['audit', '--orders', file, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'INVALID_INPUT: not a Shopify order export: missing required columns "Financial Status", "Currency", "Lineitem name", "Lineitem price", "Lineitem sku" (found: Name, Email, Created at, Lineitem quantity)',
    );
  });

  it('a malformed row is reported with its row number and skipped; the run goes on', async () => {
    const file = writeExport(dir, 'bad-rows.csv', [
      order('#1001', ['MUG'], '2026-11-02T10:00:00Z'),
      order('#1002', ['MUG', 'TEE'], '2026-11-02T11:00:00Z'),
      order('#1003', ['TEE'], '2026-11-02T12:00:00Z'),
      order('#1004', ['TEE'], '2026-11-02T13:00:00Z'),
    ]);
    const lines = readFileSync(file, 'utf8').split('\n');
    // Row 3 (#1002's first line): a quantity that is not a number. Row 4 (#1002's second line) stays.
    lines[2] = (lines[2] as string).replace(',1,MUG,25.00,', ',two,MUG,25.00,');
    // Row 5 (#1003): a cell short.
    lines[4] = (lines[4] as string).replace(/,[^,]*$/, '');
    // Row 6 (#1004): an unreadable creation time.
    lines[5] = (lines[5] as string).replace('2026-11-02 13:00:00 +0000', 'yesterday');
    writeFileSync(file, lines.join('\n'));
    const r = await cli(['audit', '--orders', file, '--config', config, '--json']);
    expect(r.code).toBe(0);
    const { report } = JSON.parse(r.out);
    expect(report.input.problems).toEqual([
      {
        row: 3,
        message:
          'order #1002: "Lineitem quantity" "two" is not a positive whole number; line skipped',
      },
      { row: 5, message: '78 cells where the header has 79; skipped' },
      { row: 6, message: 'order #1004: "Created at" "yesterday" is not a time; skipped' },
    ]);
    expect(report.input.skipped).toBe(3);
    expect(report.totals.orders).toBe(2);
    expect(report.totals.automated).toBe(2);
  });

  it('a row csv cannot read (a stray quote) is reported with its row number; rows after it keep theirs', async () => {
    const file = writeExport(dir, 'quote.csv', [
      order('#1101', ['MUG'], '2026-11-03T10:00:00Z'),
      order('#1102', ['MUG'], '2026-11-03T11:00:00Z'),
      order('#1103', ['TEE', 'MUG'], '2026-11-03T12:00:00Z'),
    ]);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace('#1102,', '#11"02,');
    // Row 5 (#1103's second line): a bad quantity, reported at its own row.
    lines[4] = (lines[4] as string).replace(',1,MUG,25.00,', ',0,MUG,25.00,');
    writeFileSync(file, lines.join('\n'));
    const r = await cli(['audit', '--orders', file, '--config', config, '--json']);
    expect(r.code, r.err).toBe(0);
    const { report } = JSON.parse(r.out);
    expect(report.input.problems).toEqual([
      {
        row: 3,
        message: expect.stringMatching(
          /^unreadable CSV \(a quote is found on field 0 at line 3.*\); skipped$/,
        ),
      },
      {
        row: 5,
        message:
          'order #1103: "Lineitem quantity" "0" is not a positive whole number; line skipped',
      },
    ]);
    expect(report.totals.orders).toBe(2);
  });

  it('an unknown config key names its path', async () => {
    const bad = writeConfig(dir, 'bad.json', {
      locations: [{ id: 'east', warehouse: 'w' }],
      rulez: [],
    });
    const file = writeExport(dir, 'one.csv', [order('#2001', ['MUG'], '2026-11-02T10:00:00Z')]);
    const r = await cli(['audit', '--orders', file, '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^CONFIG_INVALID: .*bad\.json: \(root\): Unrecognized key: "rulez"/);
  });

  it('reads JSONL from a bulk operation (line items after their order, not always right after)', async () => {
    const file = join(dir, 'bulk.jsonl');
    const o = (n: number) => ({
      id: `gid://shopify/Order/${5000 + n}`,
      name: `#${5000 + n}`,
      email: `c${n}@example.com`,
      createdAt: `2026-11-0${n}T10:00:00Z`,
      updatedAt: `2026-11-0${n}T10:00:00Z`,
      displayFinancialStatus: 'PAID',
      currencyCode: 'USD',
      currentTotalPriceSet: { shopMoney: { amount: '25.00' } },
      shippingAddress: {
        address1: '1 Main St',
        city: 'Boston',
        provinceCode: 'MA',
        zip: '02116',
        countryCodeV2: 'US',
      },
    });
    const li = (n: number) => ({
      id: `gid://shopify/LineItem/${7000 + n}`,
      sku: 'MUG',
      name: 'Mug',
      quantity: 1,
      originalUnitPriceSet: { shopMoney: { amount: '25.00' } },
      __parentId: `gid://shopify/Order/${5000 + n}`,
    });
    writeFileSync(
      file,
      [o(1), o(2), li(2), li(1), '{not json', o(3), li(3)]
        .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
        .join('\n'),
    );
    const r = await cli(['audit', '--orders', file, '--config', config, '--json']);
    expect(r.code).toBe(0);
    const { report } = JSON.parse(r.out);
    expect(report.input.format).toBe('jsonl');
    expect(report.totals.orders).toBe(3);
    expect(report.totals.automated).toBe(3);
    expect(report.input.problems).toEqual([
      { row: 5, message: expect.stringMatching(/^not a JSON object/) },
    ]);
  });
});
