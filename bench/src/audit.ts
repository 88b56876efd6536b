/**
 * `pnpm bench audit`: `fulfil audit` on a generated Shopify export of AUDIT_BENCH_ORDERS
 * orders (default 100,000, over 90 days, the quickstart's store and config): orders per
 * second on wall time and on CPU time (the machine is shared), and peak RSS, with RSS sampled along the run to show whether it stays flat. The
 * export is written by a child process, so its generator's memory is not counted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, runAudit } from '@fulfil/cli';

export async function run(): Promise<Record<string, string>> {
  const orders = Number(process.env.AUDIT_BENCH_ORDERS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'fulfil-bench-audit-'));
  const file = join(dir, 'orders.csv');
  const root = new URL('../../', import.meta.url).pathname;
  try {
    const t0 = performance.now();
    execFileSync(
      process.execPath,
      [
        '--conditions=@fulfil/source',
        '--import',
        'tsx',
        join(root, 'packages/cli/src/main.ts'),
        'sample',
        '--orders',
        String(orders),
        '--days',
        '90',
        '--out',
        file,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    console.log(
      `audit: generated ${orders} orders (${(statSync(file).size / 1048576).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const { config, path } = await loadConfig(join(root, 'examples/quickstart/fulfil.config.ts'));
    const samples: string[] = [];
    let next = 0.25;
    const cpu0 = process.cpuUsage();
    const report = await runAudit({
      config,
      configFile: path,
      orders: file,
      stock: { kind: 'unlimited' },
      onProgress: (f, n) => {
        if (f >= next) {
          samples.push(`${n}: ${Math.round(process.memoryUsage.rss() / 1048576)} MB`);
          next += 0.25;
        }
      },
    });
    const used = process.cpuUsage(cpu0);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const seconds = report.run.wallMs / 1000;
    const n = report.totals.orders;
    console.log(
      `audit: ${n} orders in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, RSS along the run ${samples.join(', ')}`,
    );
    return {
      [`fulfil audit, ${n} orders (wall)`]: `${report.run.ordersPerSecond} orders/s, ${seconds.toFixed(1)} s (aim ≤ 60 s)`,
      // The machine is shared: CPU time (this process, user + system) is the steadier figure.
      [`fulfil audit, ${n} orders (CPU)`]: `${Math.round(n / Math.max(0.001, cpuSeconds))} orders/s, ${cpuSeconds.toFixed(1)} s CPU`,
      'fulfil audit peak RSS': `${report.run.peakRssMb} MB (RSS by orders read: ${samples.join(', ')})`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
