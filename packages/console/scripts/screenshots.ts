/**
 * Screenshots of the console for the READMEs: the quickstart's seeded scenario (500 orders
 * over 3 simulated days, no operator, a few notes asking for an address change) on the
 * in-memory storage, the console on 127.0.0.1, Chromium at /usr/bin/chromium.
 *
 *   pnpm --filter @fulfil/console screenshots
 *
 * Writes docs/images/console-overview.png and docs/images/console-review.png.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ALICE, seededWorld, serveConsole } from '../test/world';

const out = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/images');
mkdirSync(out, { recursive: true });

const world = await seededWorld({ orders: 500, seed: 42, days: 3 });
for (const note of [
  'Please change the shipping address to 18 Harbour Rd, Unit 4',
  'Wrong address on the order, ship to my office instead please',
  'Can you change the address? I moved last week',
]) {
  await world.addOrder({ note });
}
world.clock.advance(1000);
const served = await serveConsole(world);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
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
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
    httpCredentials: { username: ALICE.user, password: ALICE.password },
  });
  const page = await context.newPage();
  await page.goto(`${served.url}/?range=7d`);
  await page.screenshot({ path: join(out, 'console-overview.png'), fullPage: true });
  await page.goto(`${served.url}/review`);
  await page.screenshot({
    path: join(out, 'console-review.png'),
    clip: { x: 0, y: 0, width: 1360, height: 1300 },
    fullPage: true,
  });
  console.log(`wrote ${join(out, 'console-overview.png')} and console-review.png`);
} finally {
  await browser.close();
  await served.close();
}
