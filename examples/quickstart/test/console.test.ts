import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args';
import { type DemoConsole, startDemoConsole } from '../src/console';
import { type DemoRun, runDemo } from '../src/demo';

let run: DemoRun;
let served: DemoConsole;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'fulfil-demo-console-'));
  const args = parseArgs(['--', '--orders', '120', '--console', '--port', '0', '--out', out]);
  expect(args).toMatchObject({ console: true, port: 0 });
  run = await runDemo(args);
  if (!run.open) throw new Error('runDemo with --console left nothing open');
  served = await startDemoConsole(run.open.world, args.port);
}, 180_000);

afterAll(async () => {
  await served?.close();
  await run?.open?.close();
});

const number = (page: string, attr: RegExp) => Number(attr.exec(page)?.[1]);

describe('pnpm demo -- --console', () => {
  it('serves on 127.0.0.1 without sign-in; the overview shows the read model’s figures', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const insights = run.open?.world.storage.insights;
    const res = await fetch(`${served.url}?range=7d`);
    expect(res.status).toBe(200);
    const page = await res.text();
    const now = run.open?.world.clock.now() as number;
    const since = Math.floor((now - 7 * 86_400_000) / 86_400_000) * 86_400_000;
    const summary = await insights?.summary({ since, until: now });
    expect(summary?.received).toBeGreaterThan(0);
    const card = (key: string) =>
      new RegExp(
        `data-figure="${key}"><div class="label">[^<]*</div><div class="value" data-value>([^<]*)<`,
      );
    expect(number(page, card('received'))).toBe(summary?.received);
    const queue = await insights?.reviewQueue({ limit: 500 });
    expect(number(page, card('reviewQueue'))).toBe(queue?.total);
  });

  it('leaves orders in the review queue; the review page lists them', async () => {
    const queue = await run.open?.world.storage.insights?.reviewQueue({ limit: 500 });
    expect(queue?.total).toBeGreaterThan(0);
    const page = await (await fetch(`${served.url}review`)).text();
    expect(number(page, /data-total="(\d+)"/)).toBe(queue?.total);
    for (const item of queue?.items.slice(0, 5) ?? [])
      expect(page).toContain(`data-order-id="${item.orderId}"`);
  });
});
