import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeSampleExport } from '../src/sample/sample';
import { cli, tempDir } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const dir = tempDir();

describe('fulfil audit --html', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    `opens in Chromium and its totals match the JSON (skipped when ${CHROMIUM} is missing)`,
    async () => {
      const file = join(dir, 'sample.csv');
      const lines: string[] = [];
      writeSampleExport({ orders: 300, seed: 7, days: 5 }, (l) => lines.push(l));
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const html = join(dir, 'report.html');
      const config = join(process.cwd(), 'examples/quickstart/fulfil.config.ts');
      const r = await cli([
        'audit',
        '--orders',
        file,
        '--config',
        config,
        '--html',
        html,
        '--json',
      ]);
      expect(r.code, r.err).toBe(0);
      const { report } = JSON.parse(r.out);
      expect(report.totals.orders).toBe(300);
      const page = readFileSync(html, 'utf8');
      expect(page).not.toMatch(/<script(?! type="application\/json")/);
      expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const tab = await browser.newPage();
        const requests: string[] = [];
        tab.on('request', (q) => requests.push(q.url()));
        await tab.goto(pathToFileURL(html).href);
        const totals = await tab.$$eval('[data-total]', (els) =>
          Object.fromEntries(els.map((e) => [e.getAttribute('data-total'), Number(e.textContent)])),
        );
        expect(totals).toEqual({
          orders: report.totals.orders,
          automated: report.totals.automated,
          review: report.totals.review,
          held: report.totals.held,
          cancelled: report.totals.cancelled,
          open: report.totals.open,
          split: report.totals.split,
          backordered: report.totals.backordered,
          skipped: report.input.skipped,
          shipments: report.shipments.total,
          llm: report.notes.uncertain,
        });
        expect(await tab.locator('svg[role="img"]').count()).toBeGreaterThan(3);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
