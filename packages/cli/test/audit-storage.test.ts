import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadStock, runAudit } from '../src';
import type { Outcome } from '../src/audit/tracker';
import { writeSampleExport } from '../src/sample/sample';
import { tempDir } from './helpers';

const dir = tempDir();
const root = new URL('../../../', import.meta.url).pathname;

/** The report without its run figures (wall time, speed, RSS), which differ run to run. */
const comparable = (report: Awaited<ReturnType<typeof runAudit>>) => {
  const { run: _run, ...rest } = report;
  return JSON.parse(JSON.stringify(rest));
};

describe('fulfil audit storage', () => {
  it('the lean audit storage gives the same report and outcomes as core memory storage', async () => {
    const file = join(dir, 'sample.csv');
    const rows: string[] = [];
    const snapshot = writeSampleExport({ orders: 400, seed: 17, days: 20 }, (l) => rows.push(l));
    writeFileSync(file, `${rows.join('\n')}\n`);
    const stockFile = join(dir, 'stock.json');
    writeFileSync(stockFile, JSON.stringify(snapshot));
    const { config, path } = await loadConfig(join(root, 'examples/quickstart/fulfil.config.ts'));
    for (const stockSpec of ['unlimited', stockFile]) {
      const runs = [];
      for (const storage of ['memory', 'audit'] as const) {
        const outcomes: Outcome[] = [];
        const report = await runAudit({
          config,
          configFile: path,
          orders: file,
          stock: await loadStock(stockSpec, config.locations),
          storage,
          onOutcome: (o) => outcomes.push(o),
        });
        runs.push({ report: comparable(report), outcomes });
      }
      const [memory, audit] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(memory.report.totals.orders).toBeGreaterThan(350);
      expect(audit.report).toEqual(memory.report);
      expect(audit.outcomes).toEqual(memory.outcomes);
    }
  }, 120_000);
});
