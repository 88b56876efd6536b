/**
 * The quickstart demo: simulated orders through the @fulfil engine with in-memory
 * adapters and a simulated clock. `pnpm demo -- --orders 2000 --seed 7`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toMermaid } from '@fulfil/core';
import { parseArgs, USAGE } from './args';
import { formatReport } from './report';
import { applyRestock, generateScenario } from './scenario';
import { operatorResolves, summarize } from './summary';
import { createDemoWorld } from './world';

const HOUR = 3_600_000;

async function main(): Promise<void> {
  const args = parseArgs();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const wall = performance.now();
  const scenario = generateScenario({
    orders: args.orders,
    seed: args.seed,
    start: '2026-11-23T05:00:00Z',
    days: args.days,
  });
  const world = createDemoWorld(scenario.start, scenario.stock, scenario.locations);
  const { clock, engine } = world;
  const ingestMs: number[] = [];
  let duplicates = 0;

  /** Every simulated hour: fire due timers, poll warehouses, and let ops work the review queue. */
  const tickTo = async (t: number) => {
    while (clock.now() + HOUR <= t) {
      clock.advance(HOUR);
      await engine.runDue();
      await engine.pollWarehouses();
      if (new Date(clock.now()).getUTCHours() % 4 === 0) await operatorResolves(world);
    }
    if (t > clock.now()) clock.set(t);
  };

  for (const timed of scenario.events) {
    await tickTo(timed.at);
    const event = applyRestock(scenario.stock, timed);
    const t0 = performance.now();
    const result = await engine.ingest(event);
    if (event.type === 'order.received') ingestMs.push(performance.now() - t0);
    if (result.outcome === 'duplicate') duplicates++;
  }
  await tickTo(clock.now() + 4 * 24 * HOUR);

  mkdirSync(args.outDir, { recursive: true });
  const diagramPath = join(args.outDir, 'machine.mmd');
  writeFileSync(diagramPath, `${toMermaid(engine.config.machine)}\n`);
  const summary = await summarize(world, {
    orders: args.orders,
    ingestMs,
    duplicates,
    simulatedDays: Math.round(((clock.now() - scenario.start) / (24 * HOUR)) * 10) / 10,
    wallMs: performance.now() - wall,
    diagramPath,
  });
  console.log(
    `@fulfil quickstart: ${args.orders} orders, seed ${args.seed}, ${args.days} days of orders\n`,
  );
  console.log(formatReport(summary));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
