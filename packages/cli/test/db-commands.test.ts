import {
  createEngine,
  createSimulatedClock,
  createSimulatedWarehouse,
  fact,
  rule,
  setService,
} from '@fulfil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../storage-postgres/test/test-db';
import { type Io, runCli } from '../src';
import { order, tempDir, writeConfig } from './helpers';

const dir = tempDir();
const locations = [
  {
    id: 'east',
    warehouse: 'east-wh',
    address: { country: 'US', province: 'NJ', lat: 40.69, lon: -74.15 },
  },
];
let db: TestDatabase;

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    errRaw: () => {},
    cwd: dir,
    env: {},
    stderrIsTTY: false,
    openStorage: () => db.storage(),
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  db = await openTestDatabase();
  const clock = createSimulatedClock('2026-11-02T10:00:00Z');
  const engine = createEngine({
    storage: db.storage(),
    clock,
    warehouses: {
      'east-wh': createSimulatedWarehouse({
        name: 'east-wh',
        clock,
        locations: ['east'],
        stock: { east: { MUG: 10 } },
      }),
    },
    locations,
    rules: [
      rule('mugs-express')
        .at('paid')
        .when(fact('lines.skus').contains('MUG'))
        .do(setService('express'))
        .build(),
    ],
  });
  const o = order('#4001', ['MUG'], '2026-11-02T10:00:00Z', { id: 'shopify:test:4001' });
  await engine.ingest({
    type: 'order.received',
    idempotencyKey: 'k1',
    occurredAt: '2026-11-02T10:00:00Z',
    order: o,
  });
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

describe('fulfil explain / replay (PostgreSQL at DATABASE_URL, or PGlite)', () => {
  it('explain prints the timeline with the explanations', async () => {
    const r = await cli(['explain', 'shopify:test:4001']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^#4001 \(shopify:test:4001\): submitted since /);
    expect(r.out).toContain('order.received  ∅ → ');
    expect(r.out).toContain('rule mugs-express @paid matched (lines.skus=["MUG"]) → set_service');
    expect(r.out).toContain('command warehouse.submit');
  });

  it('explain of an unknown order exits 1', async () => {
    const r = await cli(['explain', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ORDER_NOT_FOUND: no order "nope"');
  });

  it('replay shows what a changed config would do to the stored order', async () => {
    const same = writeConfig(dir, 'same.json', { locations });
    const stricter = writeConfig(dir, 'stricter.json', {
      locations,
      rules: [
        {
          id: 'mugs-review',
          stage: 'paid',
          when: { fact: 'lines.skus', op: 'contains', value: 'MUG' },
          actions: [{ type: 'review', reason: 'mugs are checked' }],
        },
      ],
    });
    const a = await cli(['replay', 'shopify:test:4001', '--config', same]);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('stored:   submitted east');
    expect(a.out).toContain('replayed: submitted east');
    expect(a.out.trim().endsWith('no change')).toBe(true);
    const b = await cli(['replay', 'shopify:test:4001', '--config', stricter, '--json']);
    expect(b.code, b.err).toBe(0);
    const json = JSON.parse(b.out);
    expect(json.changed).toBe(true);
    expect(json.replayed.outcome).toBe('needs_review (review: mugs-review: mugs are checked)');
  });
});

describe('fulfil check / diagram', () => {
  it('check exits 1 on rule errors, listing them with their path', async () => {
    const bad = writeConfig(dir, 'bad-rules.json', {
      locations,
      rules: [
        {
          id: 'r',
          stage: 'paid',
          when: { fact: 'order.totl', op: 'gt', value: 1 },
          actions: [{ type: 'review', reason: 'x' }],
        },
      ],
    });
    const r = await cli(['check', '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /CONFIG_INVALID: .*bad-rules\.json: rules\[0\]\.when\.fact: unknown fact "order\.totl"/,
    );
  });

  it('check passes a good config and diagram prints Mermaid', async () => {
    const good = writeConfig(dir, 'good.json', { locations });
    const c = await cli(['check', '--config', good]);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('0 error(s)');
    const d = await cli(['diagram', '--config', good]);
    expect(d.code).toBe(0);
    expect(d.out.startsWith('stateDiagram-v2')).toBe(true);
  });
});

describe('fulfil migrate', () => {
  it('needs DATABASE_URL', async () => {
    const r = await cli(['migrate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('DATABASE_URL is not set');
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'applies the storage-postgres migrations to a fresh schema (skipped without DATABASE_URL)',
    async () => {
      const schema = `cli_${Date.now().toString(36)}`;
      const out: string[] = [];
      const io: Io = {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        errRaw: () => {},
        cwd: dir,
        env: { DATABASE_URL: process.env.DATABASE_URL },
        stderrIsTTY: false,
      };
      try {
        expect(await runCli(['migrate', '--schema', schema], io)).toBe(0);
        expect(out.join('\n')).toMatch(new RegExp(`schema "${schema}": applied `));
      } finally {
        const pg = await import('pg');
        const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  );
});
