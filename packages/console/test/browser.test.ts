import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from '../../core/test/notes/corpus';
import { duration, percent } from '../src/format';
import { ALICE, HOSTILE_NOTES, type SeededWorld, seededWorld, serveConsole } from './world';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ADDRESS_NOTE = 'Please change the shipping address to 5 Oak Ave, apt 2';

let world: SeededWorld;
let served: Awaited<ReturnType<typeof serveConsole>>;
let browser: Browser;
const hostileIds: string[] = [];
const reviewIds: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  world = await seededWorld({ orders: 80 });
  for (const note of [...HOSTILE_NOTES, ...HOSTILE.slice(0, 12).map((h) => h.note)]) {
    hostileIds.push((await world.addOrder({ note })).orderId);
  }
  for (let i = 0; i < 3; i++)
    reviewIds.push((await world.addOrder({ note: ADDRESS_NOTE })).orderId);
  world.clock.advance(1000); // so the orders just added fall inside [since, now)
  served = await serveConsole(world, { refreshMs: 1000 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** A signed-in page (HTTP Basic credentials), recording dialogs and page errors. */
async function signedIn(): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.newContext({
    httpCredentials: { username: ALICE.user, password: ALICE.password },
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, dialogs, errors };
}

describe.skipIf(!hasChromium)(
  `console in Chromium (${CHROMIUM}; skipped when it is missing)`,
  () => {
    it('401 without credentials', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Chromium answers a Basic challenge without credentials with ERR_INVALID_AUTH_CREDENTIALS
      // on the navigation; the response it received is the console's 401.
      const [res] = await Promise.all([
        page.waitForResponse(`${served.url}/`),
        page.goto(`${served.url}/`).catch(() => null),
      ]);
      expect(res.status()).toBe(401);
      expect(res.headers()['www-authenticate']).toMatch(/^Basic realm=/);
      expect(await res.text()).not.toContain('Orders received');
      await context.close();
    });

    it("the overview's numbers equal the read model's, and it refreshes by itself", async () => {
      const { page, errors } = await signedIn();
      await page.goto(`${served.url}/?range=7d`);
      const cards = page.locator('.cards');
      const since = Number(await cards.getAttribute('data-since'));
      const until = Number(await cards.getAttribute('data-until'));
      expect(until).toBe(world.clock.now());
      const insights = world.storage.insights;
      if (!insights) throw new Error('no insights');
      const states = {
        submittedStates: ['submitted', 'partially_shipped'],
        reviewStates: ['needs_review'],
      };
      const summary = await insights.summary({ since, until, ...states });
      const queue = await insights.reviewQueue({ limit: 1 });
      const figure = (key: string) =>
        page.locator(`[data-figure="${key}"] [data-value]`).textContent();
      expect(summary.received).toBeGreaterThan(80);
      expect(await figure('received')).toBe(String(summary.received));
      expect(await figure('automationRate')).toBe(percent(summary.automationRate));
      expect(await figure('reviewRate')).toBe(percent(summary.reviewRate));
      expect(await figure('errorRate')).toBe(percent(summary.errorRate));
      expect(await figure('splitShare')).toBe(percent(summary.splitShare));
      expect(await figure('backorderShare')).toBe(percent(summary.backorderShare));
      expect(await figure('llmNoteShare')).toBe(percent(summary.llmNoteShare));
      expect(await figure('reviewQueue')).toBe(String(queue.total));
      const byState = await insights.ordersByState();
      const rows = await page
        .locator('[data-table="ordersByState"] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute('data-state'), tr.querySelector('td.num')?.textContent]),
        );
      expect(rows).toEqual(byState.map((r) => [r.state, String(r.count)]));
      const times = await insights.timeInState({ since, until });
      const timeRows = await page
        .locator('[data-table="timeInState"] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
        );
      expect(timeRows).toEqual(
        times.map((t) => [
          t.state,
          String(t.count),
          duration(t.p50Ms),
          duration(t.p95Ms),
          duration(t.maxMs),
        ]),
      );
      const holds = await page.locator('[data-table="holdsByReason"] tbody tr').count();
      expect(holds).toBe(summary.holdsByReason.length);
      // Both charts are drawn, one polyline per series.
      expect(await page.locator('figure.chart svg polyline').count()).toBe(7);

      // A new order arrives: the page shows it without a reload (polling every second here).
      await world.addOrder({ note: null });
      world.clock.advance(1000);
      await expect
        .poll(() => page.locator('[data-figure="received"] [data-value]').textContent(), {
          timeout: 8000,
          interval: 250,
        })
        .toBe(String(summary.received + 1));
      expect(await page.locator('#overview').getAttribute('data-refreshed-at')).not.toBeNull();
      expect(errors).toEqual([]);
    });

    it('approving a review in the page sends the order to the warehouse and it leaves the queue', async () => {
      const { page } = await signedIn();
      const id = reviewIds[0] as string;
      await page.goto(`${served.url}/review`);
      const item = page.locator(`article[data-order-id="${id}"]`);
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.locator('[data-reason]').first().textContent()).toContain('address');
      expect(await item.locator('[data-admin-link]').getAttribute('href')).toMatch(
        /^https:\/\/admin\.shopify\.com\/store\/demo-store\/orders\/\d+$/,
      );
      await item.locator('textarea[name="comment"]').fill('customer confirmed the new address');
      // A double click: the page sends one form, the server acts once.
      await Promise.all([
        page.waitForURL(/done=(approve|duplicate)/),
        item.getByRole('button', { name: 'Approve' }).dblclick(),
      ]);
      expect(await page.locator('[data-flash]').getAttribute('data-flash')).toBe('approve');
      expect(await page.locator(`article[data-order-id="${id}"]`).count()).toBe(0);
      const record = await world.storage.load(id);
      expect(record?.status).toBe('submitted');
      expect(record?.review).toBeUndefined();
      const shipment = record?.shipments[0];
      expect(shipment?.status).toBe('accepted');
      expect(shipment?.warehouseOrderId).toMatch(/-wh-/); // the simulated warehouse's own id
      const resolved = (await world.storage.history(id)).filter(
        (h) => h.eventType === 'review.resolved',
      );
      expect(resolved).toHaveLength(1);
      expect(JSON.stringify(resolved[0]?.explanation.notes)).toContain(ALICE.user);
    });

    it('a hostile note runs no script and shows as text', async () => {
      const { page, dialogs, errors } = await signedIn();
      await page.goto(`${served.url}/review`);
      for (const id of hostileIds.slice(0, 3)) {
        await page.goto(`${served.url}/orders/${encodeURIComponent(id)}`);
        const note = await page.locator('[data-order] [data-note]').textContent();
        expect(note).toBe((await world.storage.load(id))?.order.note);
      }
      await page.goto(`${served.url}/review`);
      const notes = await page.locator('[data-note]').allTextContents();
      expect(notes).toEqual(expect.arrayContaining([...HOSTILE_NOTES]));
      expect(
        await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned),
      ).toBeUndefined();
      expect(await page.locator('main img, main script, main iframe').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('403 without the CSRF token (and with a forged one)', async () => {
      const { page } = await signedIn();
      const id = reviewIds[1] as string;
      for (const tamper of ['remove', 'forge'] as const) {
        await page.goto(`${served.url}/review`);
        const form = page.locator(`form[data-resolve="${id}"]`);
        await form.evaluate((f, how) => {
          const input = f.querySelector('input[name="_csrf"]');
          if (how === 'remove') input?.remove();
          else input?.setAttribute('value', 'A'.repeat(43));
        }, tamper);
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          form.getByRole('button', { name: 'Approve' }).click(),
        ]);
        expect(response.status()).toBe(403);
      }
      expect((await world.storage.history(id)).some((h) => h.eventType === 'review.resolved')).toBe(
        false,
      );
      expect((await world.storage.load(id))?.review).toBeDefined();
    });

    it('the order page shows each step with its explanation, the diagram and the outbox', async () => {
      const { page } = await signedIn();
      const id = reviewIds[0] as string; // approved above: received → review → submitted
      const history = await world.storage.history(id);
      await page.goto(`${served.url}/orders/${encodeURIComponent(id)}`);
      const steps = page.locator('[data-timeline] > li');
      expect(await steps.count()).toBe(history.length);
      for (const [i, entry] of history.entries()) {
        const step = steps.nth(i);
        expect(await step.getAttribute('data-event')).toBe(entry.eventType);
        expect(await step.locator('.summary').textContent()).toBe(entry.summary);
        await step.locator('summary').first().click();
        expect(await step.locator('.explanation').getAttribute('data-outcome')).toBe(
          entry.explanation.outcome,
        );
        for (const stage of entry.explanation.stages) {
          for (const rule of stage.rules.filter((r) => r.matched)) {
            const fired = step.locator(`.rule.fired[data-rule="${rule.ruleId}"]`);
            expect(await fired.count()).toBeGreaterThan(0);
            expect(JSON.parse((await fired.first().locator('pre').textContent()) ?? '')).toEqual(
              rule.facts,
            );
          }
        }
        if (entry.explanation.routing) {
          expect(await step.locator('[data-routing]').textContent()).toContain(
            entry.explanation.routing.reason,
          );
        }
      }
      // The step that entered review names the rule that sent it there, with its facts.
      expect(
        await page.locator('.rule.fired[data-rule="note-address_change"]').count(),
      ).toBeGreaterThan(0);
      expect(await page.locator('.state-diagram g.state.current').getAttribute('data-state')).toBe(
        'submitted',
      );
      expect(await page.locator('[data-table="shipments"] tbody tr').count()).toBe(1);
      const commands = await world.storage.insights?.orderCommands(id);
      expect(await page.locator('[data-table="commands"] tbody tr').count()).toBe(commands?.length);
    });
  },
);
