/**
 * console: the queries behind the operations console's overview and review queue
 * (`storage.insights` of @fulfil/storage-postgres) on the real PostgreSQL at 100,000 and
 * 1,000,000 orders.
 *
 * - Per size: a throwaway schema, rows made by SQL (see console-data.ts), VACUUM ANALYZE
 *   (as autovacuum leaves a settled table), then the queries through the storage, one warm-up
 *   and RUNS timed runs each, sequentially; then the schema is dropped.
 * - Overview: everything the overview page asks for, one query after another: throughput
 *   and processingTime for the last hour (minute buckets), 24 h (hour) and 7 days (day),
 *   ordersByState, timeInState and summary over 24 h. timeInState and summary over 7 days
 *   are timed too, outside the overview.
 * - Review queue: the first page (50), a page 5,000 items deep (reached by following
 *   nextCursor), and the first page filtered by a reason.
 * - Plans: `EXPLAIN` of each statement the storage sent (same text and parameters): the
 *   indexes it uses, and a warning for each sequential scan of a large table.
 *
 * Needs PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
 * skipped with a reason when it is not reachable. FULFIL_BENCH_CONSOLE_SIZES=100000 runs
 * one size.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import {
  createPostgresStorage,
  migrate,
  type PoolLike,
} from '../../packages/storage-postgres/src/index';
import { generateStatements } from './console-data';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 7;
const SIZES = (process.env.FULFIL_BENCH_CONSOLE_SIZES ?? '100000,1000000').split(',').map(Number);
const AIM = { overviewMs: 200, reviewPageMs: 50 };
const HOUR = 3_600_000;
/** Tables whose sequential scan is fine (a row per state or review reason, or a few moves). */
const SMALL = new Set([
  'insights_state_counts',
  'insights_state_moves',
  'insights_review_counts',
  'insights_review_moves',
]);

interface Pool extends PoolLike {
  on(event: 'error', listener: (err: Error) => void): unknown;
}
const pg = createRequire(new URL('../../packages/storage-postgres/package.json', import.meta.url))(
  'pg',
) as { Pool: new (options: { connectionString: string; max: number }) => Pool };

/** Runs the benchmark; returns headline figures as labelled strings. */
export async function run(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    const reason = `skipped: PostgreSQL not reachable at DATABASE_URL (${(err as Error).message})`;
    console.log(`console: ${reason}`);
    return { console: reason };
  }
  const figures: Record<string, string> = {};
  try {
    for (const size of SIZES) Object.assign(figures, await oneSize(url, pool, size));
  } finally {
    await pool.end();
  }
  return figures;
}

async function oneSize(url: string, pool: Pool, size: number): Promise<Record<string, string>> {
  const schema = `bench_console_${randomBytes(4).toString('hex')}`;
  const s = `"${schema}"`;
  const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
  const now = Date.now();
  console.log(`\n--- ${size.toLocaleString('en')} orders (schema ${schema}) ---`);
  try {
    let t = performance.now();
    await migrate({ connectionString: url, schema });
    // Indexes are built once after the load (faster than row by row); the trigger is off
    // (the statements write what it would have written).
    const { rows: indexes } = (await pool.query(
      `SELECT c.relname AS indexname, pg_get_indexdef(x.indexrelid) AS indexdef
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND NOT x.indisunique`,
      [schema],
    )) as { rows: { indexname: string; indexdef: string }[] };
    for (const i of indexes) await pool.query(`DROP INDEX ${s}."${i.indexname}"`);
    await pool.query(`ALTER TABLE ${s}.orders DISABLE TRIGGER USER`);
    const client = await pool.connect();
    try {
      await client.query(`SET work_mem = '64MB'`);
      for (const sql of generateStatements(s, size, new Date(now).toISOString())) {
        await client.query(sql);
      }
      await client.query(`SET maintenance_work_mem = '256MB'`);
      for (const i of indexes) await client.query(i.indexdef);
    } finally {
      client.release();
    }
    await pool.query(`ALTER TABLE ${s}.orders ENABLE TRIGGER USER`);
    const generated = performance.now() - t;
    t = performance.now();
    await pool.query(
      `VACUUM ANALYZE ${s}.orders, ${s}.history, ${s}.outbox, ${s}.insights_events, ${s}.insights_state_counts, ${s}.insights_review_counts`,
    );
    const vacuum = performance.now() - t;
    const counts = await pool.query(
      `SELECT (SELECT count(*) FROM ${s}.history)::int AS history,
         (SELECT count(*) FROM ${s}.insights_events)::int AS events,
         (SELECT count(*) FROM ${s}.orders WHERE review_since IS NOT NULL)::int AS review,
         (SELECT count(*) FROM ${s}.outbox)::int AS outbox,
         (SELECT count(*) FROM ${s}.outbox WHERE status = 'dead')::int AS dead`,
    );
    const c = counts.rows[0] as Record<string, number>;
    console.log(
      `rows: ${size} orders, ${c.history} history entries, ${c.events} insights events, ${c.review} in review, ${c.outbox} outbox rows (${c.dead} dead); generated (with indexes) in ${(generated / 1000).toFixed(1)} s, VACUUM ANALYZE ${(vacuum / 1000).toFixed(1)} s`,
    );
    const figures = await timeQueries(pool, schema, label, now);
    // Timings on a shared machine: the load average says how far to trust them.
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(
      `machine load average (1 min) after the timed runs: ${load} on ${os.cpus().length} cores`,
    );
    const key = `console ${label} rows`;
    return {
      [key]: `${size} orders, ${c.events} insights events, ${c.review} in review; generated in ${(generated / 1000).toFixed(0)} s; load average ${load} on ${os.cpus().length} cores`,
      ...figures,
    };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  }
}

interface Sent {
  text: string;
  params: unknown[];
}

async function timeQueries(pool: Pool, schema: string, label: string, now: number) {
  // The storage on a pool that remembers the statements it sent (for EXPLAIN).
  let sent: Sent[] = [];
  const recording: PoolLike = {
    query: (config, params) => {
      sent.push(
        typeof config === 'string'
          ? { text: config, params: params ?? [] }
          : { text: config.text, params: config.values ?? params ?? [] },
      );
      return pool.query(config, params);
    },
    connect: () => pool.connect(),
    end: async () => {},
  };
  const storage = createPostgresStorage({ pool: recording, schema, autoMigrate: false });
  const i = storage.insights;
  const range = (ms: number, bucket: 'minute' | 'hour' | 'day') => ({
    since: now - ms,
    until: now,
    bucket,
  });
  const overview: [string, () => Promise<unknown>][] = [];
  for (const [name, ms, bucket] of [
    ['1 h', HOUR, 'minute'],
    ['24 h', 24 * HOUR, 'hour'],
    ['7 d', 168 * HOUR, 'day'],
  ] as const) {
    overview.push([`throughput ${name}`, () => i.throughput(range(ms, bucket))]);
    overview.push([`processingTime ${name}`, () => i.processingTime(range(ms, bucket))]);
  }
  overview.push(['ordersByState', () => i.ordersByState()]);
  overview.push(['timeInState 24 h', () => i.timeInState({ since: now - 24 * HOUR, until: now })]);
  overview.push(['summary 24 h', () => i.summary({ since: now - 24 * HOUR, until: now })]);
  const extra: [string, () => Promise<unknown>][] = [
    ['timeInState 7 d', () => i.timeInState({ since: now - 168 * HOUR, until: now })],
    ['summary 7 d', () => i.summary({ since: now - 168 * HOUR, until: now })],
  ];
  // A cursor 5,000 items deep, and the rarest reason.
  let deep: string | undefined;
  const first = await i.reviewQueue({ limit: 50, now });
  for (let page = first, n = 0; n < 100 && page.nextCursor; n++) {
    deep = page.nextCursor;
    page = await i.reviewQueue({ limit: 50, cursor: deep, now });
  }
  const rare = first.reasons.at(-1)?.reason ?? 'high risk';
  const review: [string, () => Promise<unknown>][] = [
    ['reviewQueue first page', () => i.reviewQueue({ limit: 50, now })],
    ['reviewQueue page 5,000 deep', () => i.reviewQueue({ limit: 50, cursor: deep, now })],
    [`reviewQueue reason "${rare}"`, () => i.reviewQueue({ limit: 50, reason: rare, now })],
    ['failedCommands (incl. retrying)', () => i.failedCommands({ includeRetrying: true })],
    ['search "#1234"', () => i.search({ text: '#1234' })],
  ];

  const plans = new Map<string, string>();
  const timed = new Map<string, number[]>();
  const overviewRuns: number[] = [];
  for (let r = 0; r <= RUNS; r++) {
    let total = 0;
    for (const [name, fn] of [...overview, ...extra, ...review]) {
      sent = [];
      const t = performance.now();
      await fn();
      const ms = performance.now() - t;
      if (r === 0) plans.set(name, await explain(pool, sent));
      else timed.set(name, [...(timed.get(name) ?? []), ms]);
      if (overview.some(([n]) => n === name)) total += ms;
    }
    if (r > 0) overviewRuns.push(total);
  }
  const stat = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted.at(-1)! };
  };
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`${'query'.padEnd(36)} ${'p50'.padStart(9)} ${'max'.padStart(9)}  plan`);
  for (const [name] of [...overview, ...extra, ...review]) {
    const { p50, max } = stat(timed.get(name) ?? []);
    console.log(
      `${name.padEnd(36)} ${fmt(p50).padStart(9)} ${fmt(max).padStart(9)}  ${plans.get(name)}`,
    );
  }
  const o = stat(overviewRuns);
  const pages = [
    'reviewQueue first page',
    'reviewQueue page 5,000 deep',
    `reviewQueue reason "${rare}"`,
  ];
  const worstPage = Math.max(...pages.map((n) => stat(timed.get(n) ?? []).p50));
  const verdict = (ms: number, aim: number) =>
    ms <= aim ? `within the aim ≤ ${aim} ms` : `OVER the aim ≤ ${aim} ms`;
  const line = {
    [`console ${label} overview`]: `p50 ${fmt(o.p50)}, max ${fmt(o.max)} for the 9 overview queries in sequence (${RUNS} runs; ${verdict(o.p50, AIM.overviewMs)})`,
    [`console ${label} review page`]: `slowest of first / 5,000-deep / by-reason page p50 ${fmt(worstPage)} (${pages.map((n) => fmt(stat(timed.get(n) ?? []).p50)).join(' / ')}; ${verdict(worstPage, AIM.reviewPageMs)})`,
  };
  for (const [k, v] of Object.entries(line)) console.log(`${k}: ${v}`);
  return line;
}

/** The indexes each statement's plan uses, and its sequential scans of large tables. */
async function explain(pool: Pool, sent: Sent[]): Promise<string> {
  const used = new Set<string>();
  const warnings = new Set<string>();
  for (const { text, params } of sent) {
    const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${text}`, params);
    const plan = ((rows[0] as Record<string, unknown>)['QUERY PLAN'] as { Plan: PlanNode }[])[0]!
      .Plan;
    walk(plan, (node) => {
      if (node['Index Name']) used.add(`${node['Index Name']} (${node['Node Type']})`);
      if (node['Node Type'] === 'Seq Scan' && !SMALL.has(node['Relation Name'] ?? '')) {
        warnings.add(`Seq Scan on ${node['Relation Name']}!`);
      }
    });
  }
  return [...used, ...warnings].join(', ') || '(no index)';
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}
