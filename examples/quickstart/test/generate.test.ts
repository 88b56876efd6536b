import type { Order } from '@fulfil/core';
import { Location, OrderEvent } from '@fulfil/core';
import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../src/args';
import { CATALOG, LOCATIONS } from '../src/catalog';
import { createRandom } from '../src/random';
import { type DemoSummary, formatDuration, formatReport, percent } from '../src/report';
import { applyRestock, generateScenario, type TimedEvent } from '../src/scenario';

const START = '2026-11-30T05:00:00Z';
const base = generateScenario({ orders: 500, seed: 42, start: START });
const originals = base.events.filter((e) => !e.duplicate);
const received = originals.flatMap((e) => (e.event.type === 'order.received' ? [e] : []));
const orders = received
  .map((e) => OrderEvent.parse(e.event))
  .map((e) => (e as { order: Order }).order);
const share = (pred: (o: Order) => boolean) => orders.filter(pred).length / orders.length;

/** Naive router: nearest location whole, else the other whole, else split, else backorder. */
function stockPressure(events: TimedEvent[], initial: Record<string, Record<string, number>>) {
  const stock = structuredClone(initial);
  let total = 0;
  let short = 0;
  for (const timed of events) {
    if (timed.duplicate) continue;
    applyRestock(stock, timed);
    if (timed.event.type !== 'order.received') continue;
    total++;
    const { shippingAddress: to, lines } = timed.event.order;
    const need = new Map<string, number>();
    for (const line of lines) {
      for (const c of line.kit?.components ?? [{ sku: line.sku!, quantity: 1 }]) {
        need.set(c.sku, (need.get(c.sku) ?? 0) + c.quantity * line.quantity);
      }
    }
    const dist = (l: Location) =>
      Math.hypot(l.address!.lat! - to!.lat!, l.address!.lon! - to!.lon!);
    const [near, far] = [...LOCATIONS].sort((a, b) => dist(a) - dist(b)).map((l) => stock[l.id]!);
    const fits = (row: Record<string, number>) => [...need].every(([s, q]) => (row[s] ?? 0) >= q);
    if (!fits(near!)) short++;
    for (const [sku, q] of need) {
      const fromNear = fits(near!) ? q : fits(far!) ? 0 : Math.min(q, near![sku] ?? 0);
      near![sku] = (near![sku] ?? 0) - fromNear;
      far![sku] = (far![sku] ?? 0) - (q - fromNear);
    }
  }
  const soldOut = Object.keys(stock.east!).filter(
    (s) => stock.east![s]! <= 0 && stock.west![s]! <= 0,
  );
  return { shortShare: short / total, soldOut };
}

describe('generateScenario', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateScenario({ orders: 500, seed: 42, start: START });
    expect(again).toEqual(base);
    const other = generateScenario({ orders: 500, seed: 43, start: START });
    expect(other.events).not.toEqual(base.events);
    expect(JSON.stringify(generateScenario({ orders: 20, seed: 7, start: START }))).toBe(
      JSON.stringify(generateScenario({ orders: 20, seed: 7, start: START })),
    );
  });

  it('produces only events that parse with the core OrderEvent schema', () => {
    for (const seed of [1, 42, 9001]) {
      const scenario = seed === 42 ? base : generateScenario({ orders: 500, seed, start: START });
      for (const { event } of scenario.events) {
        const result = OrderEvent.safeParse(event);
        if (!result.success) throw new Error(`${event.idempotencyKey}: ${result.error.message}`);
      }
    }
    for (const location of base.locations) Location.parse(location);
  });

  it('sorts events by time within the simulated days and keys them uniquely', () => {
    const at = base.events.map((e) => e.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(received).toHaveLength(500);
    for (const e of received) expect(e.at).toBeGreaterThanOrEqual(base.start);
    for (const e of received) expect(e.at).toBeLessThan(base.end);
    const keys = originals.map((e) => e.event.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = orders.map((o) => o.id);
    expect(new Set(ids).size).toBe(500);
    expect(ids[122]).toBe('ord_000123');
    // Follow-ups come after their order.
    const receivedAt = new Map(received.map((e, i) => [orders[i]!.id, e.at]));
    for (const e of originals) {
      if (e.event.type === 'order.paid' || e.event.type === 'order.cancelled') {
        expect(e.at).toBeGreaterThan(receivedAt.get(e.event.orderId)!);
      }
    }
  });

  it('computes totals in integer cents from the lines', () => {
    for (const o of orders) {
      const subtotal = o.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
      const t = o.totals;
      expect(t.subtotal).toBe(subtotal);
      expect(t.total).toBe(t.subtotal - t.discounts + t.shipping + t.tax);
      for (const v of Object.values(t)) expect(Number.isInteger(v)).toBe(true);
      if (o.shippingAddress?.country === 'US' && t.tax > 0) {
        expect(t.tax / (t.subtotal - t.discounts)).toBeCloseTo(0.08, 2);
      }
      expect(o.source.externalId).toMatch(/^gid:\/\/shopify\/Order\/\d{19}$/);
      expect(o.source.adminUrl).toMatch(
        /^https:\/\/admin\.shopify\.com\/store\/demo-store\/orders\/\d{19}$/,
      );
    }
  });

  it('hits the intended shares for 500 orders', () => {
    const vip = share((o) => o.customer?.tags.includes('VIP') ?? false);
    expect(vip).toBeGreaterThan(0.06);
    expect(vip).toBeLessThan(0.15);
    expect(share((o) => o.customer?.ordersCount === 1)).toBeGreaterThan(0.15);
    const kits = share((o) => o.lines.some((l) => l.kit !== undefined));
    expect(kits).toBeGreaterThan(0.05);
    expect(kits).toBeLessThan(0.12);
    expect(orders.some((o) => o.lines.some((l) => l.kit?.splittable))).toBe(true);
    const notes = share((o) => o.note !== null);
    expect(notes).toBeGreaterThan(0.18);
    expect(notes).toBeLessThan(0.32);
    const pending = share((o) => o.paymentStatus === 'pending');
    expect(pending).toBeGreaterThan(0.04);
    expect(pending).toBeLessThan(0.13);
    expect(share((o) => o.paymentStatus === 'paid')).toBeGreaterThan(0.8);
    const expedited = share((o) => o.shipping.expedited);
    expect(expedited).toBeGreaterThan(0.1);
    expect(expedited).toBeLessThan(0.21);
    expect(share((o) => o.lines.length <= 4)).toBeGreaterThan(0.9);
    expect(orders.some((o) => o.lines.length >= 6)).toBe(true);
    const abroad = orders.filter((o) => o.shippingAddress?.country !== 'US');
    expect(abroad.length).toBeGreaterThan(5);
    expect(new Set(abroad.map((o) => o.shippingAddress?.country))).toEqual(
      new Set(['CA', 'GB', 'DE']),
    );
    expect(new Set(orders.map((o) => o.shippingAddress?.province)).size).toBeGreaterThan(20);

    const risky = orders.filter((o) => o.storeRisk !== undefined && o.storeRisk.level !== 'low');
    const disposable = orders.filter((o) =>
      /@(mailinator|guerrillamail|yopmail|sharklasers|10minutemail)\./.test(
        o.customer?.email ?? '',
      ),
    );
    const mismatch = orders.filter((o) => o.billingAddress?.country !== o.shippingAddress?.country);
    expect(risky.length + disposable.length + mismatch.length).toBeGreaterThan(3);
    expect(new Set([...risky, ...disposable, ...mismatch]).size / 500).toBeLessThan(0.05);
    expect(orders.some((o) => o.totals.total > 80_000)).toBe(true);

    const count = (type: string) => originals.filter((e) => e.event.type === type).length;
    const paid = count('order.paid');
    expect(paid).toBeGreaterThan(0.8 * pending * 500);
    expect(paid).toBeLessThanOrEqual(pending * 500);
    expect(count('order.cancelled')).toBeGreaterThan(3);
    expect(count('order.cancelled')).toBeLessThan(25);
    const restocks = originals.filter((e) => e.event.type === 'inventory.changed');
    expect(restocks.length).toBeGreaterThanOrEqual(6);
    for (const r of restocks) {
      expect(r.restock).toBeDefined();
      expect('orderId' in r.event).toBe(false);
    }
    const dups = base.events.filter((e) => e.duplicate).length / originals.length;
    expect(dups).toBeGreaterThan(0.01);
    expect(dups).toBeLessThan(0.06);
    for (const d of base.events.filter((e) => e.duplicate)) {
      const original = originals.find((e) => e.event.idempotencyKey === d.event.idempotencyKey);
      expect(d.event).toEqual(original?.event);
      expect(d.at).toBeGreaterThan(original!.at);
    }
  });

  it('puts pressure on stock: some orders short at their nearest location, a few SKUs sold out', () => {
    for (const seed of [42, 1, 2]) {
      const s = seed === 42 ? base : generateScenario({ orders: 500, seed, start: START });
      const { shortShare, soldOut } = stockPressure(s.events, s.stock);
      expect(shortShare).toBeGreaterThan(0.08);
      expect(shortShare).toBeLessThan(0.5);
      expect(soldOut.length).toBeGreaterThanOrEqual(1);
    }
    const skus = new Set(CATALOG.products.map((p) => p.sku));
    expect(skus.size).toBeGreaterThanOrEqual(25);
    for (const kit of CATALOG.kits)
      for (const c of kit.components) expect(skus.has(c.sku)).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => generateScenario({ orders: 0, seed: 1, start: START })).toThrow(/orders/);
    expect(() => generateScenario({ orders: 5, seed: 1, start: 'yesterday' })).toThrow(/start/);
    expect(() => generateScenario({ orders: 5, seed: 1, start: START, days: 0 })).toThrow(/days/);
  });
});

describe('random', () => {
  it('repeats for a seed and stays in range', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const xs = Array.from({ length: 100 }, () => a.int(1, 6));
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.int(1, 6)));
    expect(new Set(xs)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(createRandom(8).next()).not.toBe(createRandom(7).next());
    expect(a.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(
      a.weighted([
        ['x', 0],
        ['y', 1],
      ]),
    ).toBe('y');
    expect(() => a.pick([])).toThrow();
  });
});

describe('parseArgs', () => {
  const opts = { cwd: '/tmp/here', packageDir: '/repo/examples/quickstart' };
  it('has defaults and reads flags', () => {
    expect(parseArgs([], opts)).toEqual({
      orders: 500,
      seed: 42,
      days: 3,
      outDir: '/repo/examples/quickstart/out',
      storage: 'memory',
      warehouse: 'simulated',
      router: 'optimal',
      console: false,
      port: 4318,
      help: false,
    });
    expect(
      parseArgs(
        [
          '--',
          '--orders',
          '50',
          '--seed=7',
          '--days',
          '2',
          '--out',
          'res',
          '--storage',
          'pglite',
          '--warehouse',
          'shipstation',
          '--router',
          'mip',
          '--console',
          '--port',
          '0',
        ],
        opts,
      ),
    ).toEqual({
      orders: 50,
      seed: 7,
      days: 2,
      outDir: '/tmp/here/res',
      storage: 'pglite',
      warehouse: 'shipstation',
      router: 'mip',
      console: true,
      port: 0,
      help: false,
    });
    expect(parseArgs(['--storage=postgres'], opts).storage).toBe('postgres');
  });
  it('throws with the usage line on bad input', () => {
    for (const argv of [
      ['--orders', 'abc'],
      ['--orders', '0'],
      ['--orders'],
      ['--seed', '1.5'],
      ['--bogus', '1'],
      ['stray'],
      ['--days', '2', '--days', '3'],
      ['--port', '70000'],
      ['--storage', 'mysql'],
      ['--storage'],
      ['--router', 'cplex'],
    ]) {
      expect(() => parseArgs(argv, opts)).toThrow(USAGE);
    }
    expect(() => parseArgs(['--storage', 'sqlite'], opts)).toThrow(
      '--storage must be one of memory, pglite, postgres, got "sqlite"',
    );
    expect(() => parseArgs(['--orders', 'abc'], opts)).toThrow(/--orders must be a whole number/);
  });
});

describe('formatReport', () => {
  const summary: DemoSummary = {
    orders: 500,
    byState: { completed: 430, cancelled: 11, on_hold: 9, in_review: 3, shipped: 47 },
    automated: 441,
    reviewed: 59,
    reviewReasons: { 'risk:high': 8, 'note:uncertain': 51 },
    holds: { placed: 64, releasedByStock: 40, expired: 9, releasedByReview: 6, stillHeld: 9 },
    splits: 38,
    backordered: 17,
    duplicatesDropped: 21,
    processingMs: { p50: 2.5 * 3_600_000, p95: 31 * 3_600_000, p99: 3 * 86_400_000 },
    commands: { 'warehouse.submit': 540, 'store.fulfill': 500, alert: 12 },
    simulatedDays: 3,
    wallMs: 1830,
    diagramPath: 'out/machine.mmd',
    sampleExplanations: ['ord_000017: held 24h: awaiting stock (rule hold-short)'],
  };
  it('prints every section with aligned columns and one-decimal percentages', () => {
    const text = formatReport(summary);
    expect(text).toContain('500 orders over 3 simulated days in 1.8 s');
    expect(text).toMatch(/completed\s+430\s+86\.0%/);
    expect(text).toMatch(/reviewed\s+59\s+11\.8%/);
    expect(text).toMatch(/released by stock\s+40\s+62\.5%/);
    expect(text).toMatch(/p50\s+2\.5 h/);
    expect(text).toMatch(/p99\s+3\.0 d/);
    expect(text).toContain('out/machine.mmd');
    expect(text).toContain('held 24h: awaiting stock');
    const stateLines = text
      .split('\n')
      .filter((l) => /^\s{2}(completed|shipped|cancelled)\s/.test(l));
    expect(new Set(stateLines.map((l) => l.length)).size).toBe(1);
    expect(
      formatReport({ ...summary, orders: 0, byState: {}, commands: {}, sampleExplanations: [] }),
    ).toContain('0.0%');
  });
  it('formats helpers', () => {
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(1, 0)).toBe('0.0%');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
  });
});
