import type { OrderEventInput, OrderInput } from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type CrashPoint,
  type CrashWorld,
  createCrashWorld,
  MINUTE,
  prng,
} from './engine-crash-world';
import { recordTrial, soak, trials } from './report';

// Crash points at every storage call of the engine's paths: orders go received → submitted →
// shipped (warehouse shipment events), some are cancelled, some go to review (address changed
// after submission, a warehouse refusing for good). Each run crashes its "process" at 1–3
// seeded storage calls (before or after the call took effect), restarts it on the same
// storage, and settles with the clock moved past leases and retries. Every order must end
// shipped, cancelled, or in review with an alert delivered for it; no event is lost and no
// unit reaches a warehouse twice.

const DONE = new Set(['shipped', 'delivered', 'cancelled']);

interface Step {
  at: number;
  event: OrderEventInput;
}

/** The seeded plan of one run: 2–4 orders, duplicate deliveries, cancels, address changes. */
function plan(random: () => number, seed: number, t0: number) {
  const orders: OrderInput[] = [];
  const steps: Step[] = [];
  const count = 2 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const id = `o${seed}-${i}`;
    const lines = [
      { id: 'l1', sku: 'TEE-M', quantity: 1 + Math.floor(random() * 2), unitPrice: 2500 },
    ];
    if (random() < 0.3) lines.push({ id: 'l2', sku: 'MUG', quantity: 1, unitPrice: 1200 });
    const order = makeOrder({ id, lines });
    orders.push(order);
    const at = t0 + i * 2 * MINUTE;
    const received = { type: 'order.received' as const, idempotencyKey: `recv:${id}`, order };
    steps.push({ at, event: { ...received, occurredAt: new Date(at).toISOString() } });
    if (random() < 0.15)
      steps.push({
        at: at + MINUTE,
        event: { ...received, occurredAt: new Date(at).toISOString() },
      });
    if (random() < 0.25) {
      const when = at + Math.floor(random() * 90) * MINUTE;
      steps.push({
        at: when,
        event: {
          type: 'order.cancelled' as const,
          idempotencyKey: `cancel:${id}`,
          occurredAt: new Date(when).toISOString(),
          orderId: id,
          reason: 'customer asked',
        },
      });
    }
    if (random() < 0.2) {
      const when = at + Math.floor(random() * 60) * MINUTE;
      const updatedAt = new Date(when).toISOString();
      const shippingAddress = { ...order.shippingAddress!, line1: '9 Elsewhere Rd' };
      steps.push({
        at: when,
        event: {
          type: 'order.updated' as const,
          idempotencyKey: `upd:${id}`,
          occurredAt: updatedAt,
          upstreamUpdatedAt: updatedAt,
          order: { ...order, shippingAddress, updatedAt },
        },
      });
    }
  }
  steps.sort((a, b) => a.at - b.at);
  return { orders, steps };
}

/** Delivers an event as a store does: redelivered until it is stored. */
async function deliver(w: CrashWorld, event: OrderEventInput): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const dispatch = w.random() < 0.5 ? 'background' : 'wait';
    const stored = await w.run((e) => e.ingest(event, { dispatch }));
    if (dispatch === 'background') await w.run((e) => e.idle());
    if (stored.ok) return;
    w.clock.advance(5_000);
  }
  throw new Error(`event ${event.idempotencyKey} was never stored`);
}

/** A worker's scheduled round: due timers and commands, then warehouse shipment events. */
async function tick(w: CrashWorld): Promise<void> {
  await w.run((e) => e.runDue());
  await w.run((e) => e.pollWarehouses());
}

async function quiet(w: CrashWorld, orders: OrderInput[]): Promise<boolean> {
  const rows = w.inner.outbox(w.clock.now());
  if (rows.some((r) => r.status === 'pending' || r.status === 'claimed')) return false;
  if (w.inner.timers(w.clock.now()).some((t) => t.status !== 'done' && t.status !== 'cancelled'))
    return false;
  for (const o of orders) {
    const status = (await w.inner.load(o.id))?.status;
    if (!status || (!DONE.has(status) && status !== 'needs_review')) return false;
  }
  // Every shipment event the warehouses produced has been read.
  const read = new Set(w.inner.inbox().map((k) => k.key));
  for (const sim of Object.values(w.sims)) {
    for (const e of sim.events()) if (!read.has(e.idempotencyKey)) return false;
  }
  return true;
}

/** What one run left behind: violations of the invariants, and tallies. */
async function check(w: CrashWorld, orders: OrderInput[]) {
  const problems: string[] = [];
  const tally = { shipped: 0, cancelled: 0, review: 0 };
  const upstream = Object.values(w.sims).flatMap((s) => s.orders());
  const keys = new Map<string, number>();
  for (const u of upstream) keys.set(u.idempotencyKey, (keys.get(u.idempotencyKey) ?? 0) + 1);
  const duplicates = [...keys.values()].filter((n) => n > 1).length;
  if (duplicates > 0) problems.push(`${duplicates} idempotency keys with several warehouse orders`);
  // No event lost: every shipment event the warehouses produced was read into the inbox.
  const read = new Set(w.inner.inbox().map((k) => k.key));
  for (const sim of Object.values(w.sims)) {
    for (const e of sim.events())
      if (!read.has(e.idempotencyKey)) problems.push(`${e.type} ${e.idempotencyKey}: never read`);
  }
  for (const o of orders) {
    const record = await w.inner.load(o.id);
    if (!record) {
      problems.push(`${o.id}: lost (never stored)`);
      continue;
    }
    const alerted = w.alerts.alerts().some((a) => a.orderId === o.id);
    if (DONE.has(record.status)) tally[record.status === 'cancelled' ? 'cancelled' : 'shipped']++;
    else if (record.status === 'needs_review' && alerted) tally.review++;
    else problems.push(`${o.id}: stuck in ${record.status}${alerted ? '' : ' with no alert'}`);
    // No unit at a warehouse twice: live upstream orders carry each line at most once.
    for (const line of o.lines) {
      const units = upstream
        .filter((u) => u.request.orderId === o.id && u.status !== 'cancelled')
        .flatMap((u) => u.request.lines.filter((l) => l.lineId === line.id))
        .reduce((n, l) => n + l.quantity, 0);
      if (units > line.quantity)
        problems.push(`${o.id}/${line.id}: ${units} units sent for ${line.quantity}`);
    }
  }
  return { problems, tally, duplicates };
}

/**
 * One seeded run; returns its problems and tallies. `span` holds the calls of a run without
 * crashes, in all (`*`) and per method: half the crash points pick the Nth call of the run,
 * half the Nth call of one method (so rare calls are hit as often as frequent ones).
 */
async function runOnce(
  seed: number,
  span: Readonly<Record<string, number>>,
  warehouseFaults: boolean,
) {
  const random = prng(seed * 7919 + 1);
  const methods = Object.keys(span).filter((m) => m !== '*');
  const planned = span['*'] === undefined ? 0 : 1 + Math.floor(random() * 3);
  const crashes: CrashPoint[] = Array.from({ length: planned }, () => {
    const method = random() < 0.5 ? methods[Math.floor(random() * methods.length)] : undefined;
    const at = 1 + Math.floor(random() * (span[method ?? '*'] ?? 0));
    return { ...(method ? { method } : {}), at, when: random() < 0.5 ? 'before' : 'after' };
  });
  const w = createCrashWorld(seed, crashes, warehouseFaults);
  const { orders, steps } = plan(w.random, seed, w.clock.now());
  for (const step of steps) {
    if (step.at > w.clock.now()) w.clock.set(step.at);
    await deliver(w, step.event);
    await tick(w);
  }
  let rounds = 0;
  while (rounds++ < 60 && !(await quiet(w, orders))) {
    w.clock.advance(20 * MINUTE);
    await tick(w);
  }
  return { ...(await check(w, orders)), world: w };
}

describe('engine crash points: every order ends shipped, cancelled, or in review with an alert', () => {
  it(
    'holds over thousands of seeded runs with crashes at storage calls and warehouse faults',
    async () => {
      // The span of crash points: the storage calls of runs without crashes (largest seen).
      const span: Record<string, number> = {};
      for (let seed = 1; seed <= 20; seed++) {
        for (const [m, n] of Object.entries((await runOnce(-seed, {}, true)).world.calls))
          span[m] = Math.max(span[m] ?? 0, n);
      }
      const runs = trials(1500, 30_000);
      const problems: string[] = [];
      const totals = {
        orders: 0,
        shipped: 0,
        cancelled: 0,
        review: 0,
        crashes: 0,
        restarts: 0,
        duplicates: 0,
      };
      const sites = new Map<string, number>();
      const faults = new Map<string, number>();
      const started = performance.now();
      for (let seed = 1; seed <= runs; seed++) {
        const r = await runOnce(seed, span, seed % 4 !== 0);
        for (const p of r.problems) problems.push(`seed ${seed}: ${p}`);
        totals.shipped += r.tally.shipped;
        totals.cancelled += r.tally.cancelled;
        totals.review += r.tally.review;
        totals.duplicates += r.duplicates;
        totals.crashes += r.world.sites.length;
        totals.restarts += r.world.restarts;
        for (const s of r.world.sites) sites.set(s, (sites.get(s) ?? 0) + 1);
        for (const [k, n] of Object.entries(r.world.faults))
          faults.set(k, (faults.get(k) ?? 0) + n);
      }
      totals.orders = totals.shipped + totals.cancelled + totals.review;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const summary = `${runs} runs in ${seconds} s, ${totals.crashes} crashes at ${sites.size} call sites, ${totals.restarts} restarts; ${[...faults].map(([k, n]) => `${n} ${k}`).join(', ')}`;
      const result =
        problems.length === 0
          ? `${totals.orders} orders: ${totals.shipped} shipped, ${totals.cancelled} cancelled, ${totals.review} reviews each with an alert; 0 stuck, 0 lost, ${totals.duplicates} duplicate warehouse orders`
          : `${problems.length} violations, e.g. ${problems.slice(0, 3).join('; ')}`;
      console.log(
        `engine crash points: ${summary}\n  ${result}\n  sites: ${[...sites].map(([k, n]) => `${k}×${n}`).join(', ')}`,
      );
      recordTrial({
        area: 'engine',
        fault:
          'process crash at a seeded storage call (before / after it took effect) on received → submitted → shipped, cancels and reviews; warehouse 503s, timeouts after the effect, permanent refusals, rejections and hangs; alert sink 503s',
        trials: runs,
        result: `${result} (${summary})`,
        ok: problems.length === 0,
      });
      expect(problems.slice(0, 20)).toEqual([]);
      // The crash points covered every kind of storage call the paths make, both ways.
      const kinds = ['commit', 'load', 'loadWithReserved', 'isProcessed', 'claimCommands'];
      kinds.push('completeCommand', 'failCommand', 'claimDueTimers');
      for (const site of kinds)
        for (const when of ['before', 'after'])
          expect(sites.get(`${site}:${when}`), `${site}:${when}`).toBeGreaterThan(0);
    },
    soak ? 3_600_000 : 180_000,
  );
});
