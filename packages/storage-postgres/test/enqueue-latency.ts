// Latency of `deliveries.enqueue` (the whole cost of a webhook acknowledgement) on the real
// server, next to a plain INSERT of the same bytes for reference. Not a test: run by hand.
//   DATABASE_URL=postgres://... node --conditions=@fulfil/source --import tsx \
//     packages/storage-postgres/test/enqueue-latency.ts [count]
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresStorage, migrate } from '../src';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const count = Number(process.argv[2] ?? 2_000);
const schema = `lat_${randomBytes(4).toString('hex')}`;
const pool = new pg.Pool({ connectionString: url, max: 4 });
const body = randomBytes(4096);
const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': 'x'.repeat(44) };

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const show = (what: string, xs: number[]) =>
  console.log(
    `${what}: n=${xs.length} p50=${pct(xs, 50).toFixed(3)} ms p99=${pct(xs, 99).toFixed(3)} ms max=${Math.max(...xs).toFixed(3)} ms`,
  );

try {
  await migrate({ pool, schema });
  await pool.query(`CREATE TABLE "${schema}".plain (key text PRIMARY KEY, body bytea)`);
  const storage = createPostgresStorage({ pool, schema, autoMigrate: false });
  const plain: number[] = [];
  const enqueue: number[] = [];
  for (let i = 0; i < 200; i++) {
    // Warm-up: connections opened, statements prepared.
    await storage.deliveries.enqueue({ key: `w${i}`, source: 's', headers, body, receivedAt: i });
    await pool.query({
      name: 'plain',
      text: `INSERT INTO "${schema}".plain VALUES ($1, $2)`,
      values: [`w${i}`, body],
    });
  }
  for (let i = 0; i < count; i++) {
    let t = performance.now();
    await pool.query({
      name: 'plain',
      text: `INSERT INTO "${schema}".plain VALUES ($1, $2)`,
      values: [`k${i}`, body],
    });
    plain.push(performance.now() - t);
    t = performance.now();
    await storage.deliveries.enqueue({
      key: `k${i}`,
      source: 'shopify',
      headers,
      body,
      receivedAt: Date.now(),
    });
    enqueue.push(performance.now() - t);
  }
  show('plain INSERT of 4 KB', plain);
  show('deliveries.enqueue of 4 KB', enqueue);
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
