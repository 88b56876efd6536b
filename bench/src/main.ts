/**
 * `pnpm bench [filter]`: every benchmark (or those whose name contains `filter`),
 * in order, then a summary of the headline figures to quote. Ratios are measured
 * against baselines in the same run; absolute numbers vary with the machine.
 */
import os from 'node:os';
import { fmtNs, fmtUs } from './harness';

interface Suite {
  name: string;
  /** Runs the suite (which prints its own details) and returns its summary lines. */
  run: () => Promise<string[]>;
}

const x = (ratio: number, digits = 0) => `${ratio.toFixed(digits)}×`;
const pq = (m: { p50Us: number; p99Us: number }) => `p50 ${fmtUs(m.p50Us)}, p99 ${fmtUs(m.p99Us)}`;

// Imported lazily, so `pnpm bench decide` does not load json-rules-engine or XState.
const suites: Suite[] = [
  {
    name: 'rules',
    run: async () => {
      const f = await (await import('./rules')).run();
      return [
        `@fulfil vs json-rules-engine v7: ${x(f.vsJsonRulesEngine)} faster (aim ≥ 100×)`,
        `@fulfil vs hand-written TypeScript, same output: ${x(f.vsHandWritten, 2)} its time (aim ≤ 2×); ${x(f.vsHandConditionsOnly, 2)} vs conditions only`,
        `trace:true costs ${x(f.traceCost, 1)} trace:false; @fulfil evaluate ${fmtNs(f.fulfilNsPerOp)}/order`,
      ];
    },
  },
  {
    name: 'machine',
    run: async () => {
      const f = await (await import('./machine')).run();
      return [
        `@fulfil machine.transition() vs XState v5 transition(): ${x(f.vsXState)} faster (aim ≥ 10×)`,
        `vs XState with a reused actor scope: ${x(f.vsXStateReusedScope)}; machine.next(): ${x(f.nextVsXState)}; @fulfil ${fmtNs(f.fulfilNsPerTransition)}/transition`,
      ];
    },
  },
  {
    name: 'decide',
    run: async () => {
      const f = await (await import('./decide')).run();
      return [
        `decide, paid 10-line order, 2 locations, 30 rules: ${pq(f.received10)}`,
        `decide, warehouse.accepted on that record: ${pq(f.accepted10)}`,
        `decide, paid 100-line order: ${pq(f.received100)}`,
        `engine.ingest end to end (in-memory, webhook → both warehouses accepted), ${f.ingest.orders} orders: ${pq(f.ingest)}, ${f.ingest.ordersPerSecond.toFixed(0)} orders/s (target: webhook to warehouse well under 500 ms)`,
      ];
    },
  },
  // Suites that return their headline figures as labelled strings.
  ...(
    [
      'routing',
      'routing-mip',
      'forecast',
      'notes',
      'postgres',
      'postgres-rss',
      'shopify',
      'shipstation',
      'threepl',
      'burst',
      'audit',
      'console',
    ] as const
  ).map(
    (name): Suite => ({
      name,
      run: async () => {
        const mod = (await import(`./${name}.ts`)) as {
          run: () => Promise<Record<string, string>>;
        };
        return Object.entries(await mod.run()).map(([k, v]) => `${k}: ${v}`);
      },
    }),
  ),
];

// `pnpm bench -- rules` passes the `--` through to the script: skip it.
const only = process.argv.slice(2).find((a) => a !== '--');
// An exact name picks that benchmark alone (`postgres` without `postgres-rss`), except
// `routing`, which runs the MIP router's suite beside the built-in router's (`routing-mip`
// alone runs just the MIP router's).
const groups: Record<string, string[]> = { routing: ['routing', 'routing-mip'] };
const names = only === undefined ? [] : (groups[only] ?? [only]);
const exact = suites.filter((s) => names.includes(s.name));
const chosen =
  exact.length > 0 ? exact : suites.filter((s) => only === undefined || s.name.includes(only));
if (chosen.length === 0) {
  console.error(
    `no benchmark matches "${only}"; the benchmarks are: ${suites.map((s) => s.name).join(', ')}`,
  );
  process.exit(1);
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const env = `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpu} (${os.cpus().length} cores)`;
console.log(`@fulfil benchmarks: ${chosen.map((s) => s.name).join(', ')}\n${env}`);

const started = performance.now();
const summary: [string, string[]][] = [];
for (const [i, suite] of chosen.entries()) {
  console.log(`\n=== ${suite.name} (${i + 1}/${chosen.length}) ===`);
  summary.push([suite.name, await suite.run()]);
}

console.log('\n=== summary ===');
for (const [name, lines] of summary)
  for (const line of lines) console.log(`${name.padEnd(8)} ${line}`);
console.log(`${env}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
