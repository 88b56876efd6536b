import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseArgs } from '../src/args';
import { runDemo } from '../src/demo';

const outDir = mkdtempSync(join(tmpdir(), 'fulfil-demo-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('--warehouse shipstation: the west location ships through a fake ShipStation and the real adapter', async () => {
  const args = parseArgs(
    ['--orders', '40', '--days', '1', '--seed', '3', '--warehouse', 'shipstation'],
    {
      cwd: outDir,
      packageDir: outDir,
    },
  );
  const { summary, vendorLabel } = await runDemo(args);
  const created = Number(/(\d+) orders created there/.exec(vendorLabel ?? '')?.[1]);
  const labels = Number(/(\d+) labels/.exec(vendorLabel ?? '')?.[1]);
  expect(created).toBeGreaterThan(0);
  expect(labels).toBe(created);
  expect(summary.orders).toBe(40);
  const done = (summary.byState.shipped ?? 0) + (summary.byState.delivered ?? 0);
  expect(done).toBeGreaterThanOrEqual(created);
}, 60_000);

it('refuses an unknown --warehouse, listing the choices', () => {
  expect(() => parseArgs(['--warehouse', 'fedex'])).toThrow(/simulated, shipstation/);
});
