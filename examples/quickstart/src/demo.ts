import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulatedClock, toMermaid } from '@fulfil/core';
import { createMipRouter } from '@fulfil/router-mip';
import type { DemoArgs } from './args';
import type { DemoSummary } from './report';
import { applyRestock, generateScenario } from './scenario';
import { openDemoStorage } from './storage';
import { operatorResolves, summarize } from './summary';
import { startDemoShipStation } from './vendors';
import { createDemoWorld } from './world';

const HOUR = 3_600_000;

/** What one demo run produced. */
export interface DemoRun {
  summary: DemoSummary;
  /** Where the engine kept its state, for the report header. */
  storageLabel: string;
  /** With `--warehouse shipstation`: what the vendor saw. */
  vendorLabel?: string;
  /**
   * With `--console`: the engine and storage, still open (for the console), and `close()`,
   * which the caller must call when done. Without it, everything is closed already.
   */
  open?: { world: DemoWorld; close(): Promise<void> };
}

type DemoWorld = ReturnType<typeof createDemoWorld>;

/**
 * With `--console` the demo's operator leaves about one order in three in review (by order
 * id, so the same ones every hour): the review queue has something to show.
 */
export function leftForTheConsole(orderId: string): boolean {
  let h = 0;
  for (const c of orderId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 3 === 0;
}

/**
 * Runs the demo: generates the seeded scenario, replays it through an engine on the
 * storage `args.storage` names, writes the state diagram to `args.outDir` and returns the
 * summary. Opens and closes its storage (a `postgres` run drops its schema at the end).
 */
export async function runDemo(
  args: DemoArgs,
  env: Record<string, string | undefined> = process.env,
): Promise<DemoRun> {
  const wall = performance.now();
  const scenario = generateScenario({
    orders: args.orders,
    seed: args.seed,
    start: '2026-11-23T05:00:00Z',
    days: args.days,
  });
  const simulated = createSimulatedClock(scenario.start);
  const opened = await openDemoStorage(args.storage, env, simulated);
  let keepOpen = false;
  const vendor =
    args.warehouse === 'shipstation' ? await startDemoShipStation(scenario.stock) : undefined;
  try {
    const world = createDemoWorld(
      simulated,
      scenario.stock,
      scenario.locations,
      opened.storage,
      vendor?.adapter,
      args.router === 'mip' ? await createMipRouter() : undefined,
    );
    const { clock, engine } = world;
    const ingestMs: number[] = [];
    let duplicates = 0;

    /** Every simulated hour: fire due timers, poll warehouses, and let ops work the review queue. */
    const tickTo = async (t: number) => {
      while (clock.now() + HOUR <= t) {
        clock.advance(HOUR);
        await vendor?.tick();
        await engine.runDue();
        await engine.pollWarehouses();
        if (new Date(clock.now()).getUTCHours() % 4 === 0)
          await operatorResolves(world, args.console ? leftForTheConsole : undefined);
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
    const close = async () => {
      try {
        await vendor?.close();
      } finally {
        await opened.close();
      }
    };
    keepOpen = args.console;
    return {
      summary,
      storageLabel: opened.label,
      ...(vendor ? { vendorLabel: vendor.describe() } : {}),
      ...(keepOpen ? { open: { world, close } } : {}),
    };
  } finally {
    if (!keepOpen) {
      await vendor?.close();
      await opened.close();
    }
  }
}
