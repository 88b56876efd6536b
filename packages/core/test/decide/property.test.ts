import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide';
import type { OrderRecord, ShipmentLine } from '../../src/model/record';
import { outstandingDemand } from '../../src/routing/demand';
import { NARROW_SKUS, orderArb, snapshotArb, stepsArb, WIDE_SKUS } from './arbitraries';
import { makeConfig } from './helpers';
import { type StepResult, simulate } from './simulate';

const config = makeConfig();
const RUNS = { seed: 20261127, numRuns: 200 };

/** Units per location per SKU that the shipments created by this decision take. */
function allocation(prev: OrderRecord | undefined, next: OrderRecord) {
  const old = new Set(prev?.shipments.map((s) => s.id));
  const out = new Map<string, Map<string, number>>();
  for (const s of next.shipments) {
    if (old.has(s.id)) continue;
    const at = out.get(s.locationId) ?? new Map<string, number>();
    out.set(s.locationId, at);
    for (const l of s.lines) {
      const parts = l.components ?? [{ sku: l.sku, quantity: 1 }];
      for (const c of parts) at.set(c.sku, (at.get(c.sku) ?? 0) + l.quantity * c.quantity);
    }
  }
  return out;
}

function expectWithinStock(r: StepResult): void {
  if (!r.decision.explanation.routing || !r.record) return;
  for (const [loc, skus] of allocation(r.prev, r.record)) {
    for (const [sku, units] of skus) {
      const had = Math.max(0, r.facts.inventory?.[loc]?.[sku] ?? 0);
      expect(
        units,
        `step ${r.index}: ${units} × ${sku} at ${loc}, stock ${had}`,
      ).toBeLessThanOrEqual(had);
    }
  }
}

const norm = (lines: readonly Pick<ShipmentLine, 'lineId' | 'sku' | 'quantity'>[]) =>
  lines.map((l) => `${l.lineId}|${l.sku}|${l.quantity}`).sort();

const scenario = (distinct: boolean) =>
  fc.record({
    order: orderArb(distinct),
    createWith: fc.constantFrom<'received' | 'updated'>('received', 'received', 'updated'),
    first: snapshotArb(distinct ? WIDE_SKUS : NARROW_SKUS),
    steps: stepsArb(distinct ? WIDE_SKUS : NARROW_SKUS),
  });

describe('decide: random orders through random event sequences', () => {
  it('keeps every invariant (a)-(h)', () => {
    fc.assert(
      fc.property(scenario(true), ({ order, createWith, first, steps }) => {
        let applied = 0;
        let cancelled = false;
        const ids = new Set<string>();
        const keys = new Set<string>();
        const submitted = new Set<string>();
        simulate(config, order, createWith, first, steps, (r) => {
          const { decision: d, record, prev } = r;
          const at = `step ${r.index} (${r.event.type})`;

          // (h) the input record is untouched (it is also deep-frozen: a write would throw)
          expect(JSON.stringify(r.prev), `${at}: record input mutated`).toBe(r.prevJson);

          // (d) determinism on deep-cloned inputs
          const again = decide(
            structuredClone(prev),
            structuredClone(r.event),
            structuredClone(r.facts),
            config,
            r.now,
          );
          expect(JSON.stringify(again), `${at}: not deterministic`).toBe(JSON.stringify(d));

          // (e) a valid outcome, consistent with what it carries
          expect(['applied', 'invalid_transition', 'ignored']).toContain(d.outcome);
          if (d.outcome === 'ignored') {
            expect(d.record).toBeUndefined();
            expect(d.commands).toEqual([]);
            expect(d.timers).toEqual([]);
          } else {
            expect(d.record).toBeDefined();
            expect(d.history?.version).toBe(d.record?.version);
            expect(d.history?.from).toBe(prev?.status ?? null);
            expect(d.history?.to).toBe(d.record?.status);
            applied++;
          }
          if (d.outcome === 'invalid_transition') expect(d.explanation.invalid).toBeDefined();
          if (r.spec.kind === 'received_again') expect(d.outcome, at).toBe('ignored');
          if (r.spec.kind === 'updated' && !r.spec.newer) expect(d.outcome, at).toBe('ignored');

          // (b) version = number of non-ignored decisions
          expect(record?.version, at).toBe(applied);

          // (g) status is a state of the machine
          expect(config.machine.has(record?.status ?? ''), at).toBe(true);

          // (c) ids and idempotency keys
          for (const c of d.commands) {
            expect(typeof c.idempotencyKey === 'string' && c.idempotencyKey.length > 0).toBe(true);
            expect(ids.has(c.id), `${at}: duplicate command id ${c.id}`).toBe(false);
            ids.add(c.id);
            expect(keys.has(c.idempotencyKey), `${at}: duplicate key ${c.idempotencyKey}`).toBe(
              false,
            );
            keys.add(c.idempotencyKey);
            if (c.type === 'warehouse.submit') {
              const sid = c.request.shipment.id;
              expect(submitted.has(sid), `${at}: ${sid} submitted twice`).toBe(false);
              submitted.add(sid);
              expect(c.idempotencyKey).toBe(`submit:${sid}`);
            }
          }

          // (a) once cancelled, always cancelled and nothing more goes to a warehouse
          const submits = d.commands.filter((c) => c.type === 'warehouse.submit');
          if (cancelled) {
            expect(record?.status, `${at}: left cancelled`).toBe('cancelled');
            expect(submits, `${at}: submitted after cancel`).toEqual([]);
          }
          if (d.explanation.transitions.some((t) => t.event === 'CANCEL')) {
            expect(record?.status).toBe('cancelled');
            expect(submits).toEqual([]);
            cancelled = true;
          }

          // (f) routing stays within stock and accounts for every outstanding unit
          if (d.explanation.routing && record) {
            expectWithinStock(r);
            const open = outstandingDemand(record.order, record, r.now).items;
            expect(norm(open), `${at}: units neither shipped nor backordered`).toEqual(
              norm(record.backordered),
            );
          }
        });
      }),
      RUNS,
    );
  });

  it('reaches the interesting places (the generator is not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario(true), ({ order, createWith, first, steps }) => {
        simulate(config, order, createWith, first, steps, (r) => {
          seen.add(`status:${r.record?.status}`);
          seen.add(`outcome:${r.decision.outcome}`);
          for (const c of r.decision.commands) seen.add(`command:${c.type}`);
          if (r.decision.explanation.routing?.backordered.length) seen.add('backorder');
          if ((r.decision.explanation.routing?.shipments.length ?? 0) > 1) seen.add('split');
        });
      }),
      { ...RUNS, numRuns: 100 },
    );
    for (const s of [
      'status:submitted',
      'status:on_hold',
      'status:needs_review',
      'status:awaiting_payment',
      'status:partially_shipped',
      'status:shipped',
      'status:delivered',
      'status:cancelled',
      'outcome:invalid_transition',
      'outcome:ignored',
      'command:warehouse.submit',
      'command:warehouse.cancel',
      'command:store.hold',
      'command:store.release_hold',
      'command:store.add_tags',
      'command:store.fulfill',
      'command:alert',
      'backorder',
      'split',
    ]) {
      expect(seen, s).toContain(s);
    }
  });

  // BUG (src/routing/router.ts:64-66 greedyRouter.route, the `single` location check; same
  // flaw in src/routing/demand.ts:118-120 inventoryFacts().canFillFromOneLocation): a location
  // "can fill every unit" is tested item by item against its full stock, so two demand items
  // needing the same SKU (two lines with one SKU, a line plus a kit component, two components
  // of a splittable kit) are each allowed the whole stock. Lines TEE×3 + TEE×3 with 5 TEE at east route 6 to
  // east. See decide-bugs.test.ts BUG 1. Flip to `it` once fixed.
  it('(f) with SKUs shared between lines: routing stays within stock', () => {
    fc.assert(
      fc.property(scenario(false), ({ order, createWith, first, steps }) => {
        simulate(config, order, createWith, first, steps, expectWithinStock);
      }),
      { ...RUNS, endOnFailure: true },
    );
  });

  // BUG (src/decide/decide.ts:211-227 onRejected, and onShipped at :230-236): shipment events
  // overwrite a shipment's status whatever it was. A rejection that arrives after the shipment
  // shipped marks it `rejected`, its units count as unplaced and are routed again; a
  // `warehouse.shipped` for a rejected shipment revives it. Either way the customer can be sent
  // more units than ordered (shrunk: route to west, west rejects, re-route fails → review,
  // west's shipped arrives, west's rejection arrives again → a second shipment for l1).
  // See decide-bugs.test.ts BUG 3. Flip to `it` once shipment statuses only move forward.
  it('never commits more units of a line than ordered (shipped + live)', () => {
    fc.assert(
      fc.property(scenario(true), ({ order, createWith, first, steps }) => {
        simulate(config, order, createWith, first, steps, (r) => {
          const rec = r.record;
          if (!rec) return;
          const units = new Map<string, number>();
          for (const s of rec.shipments) {
            const live = s.status !== 'rejected' && s.status !== 'cancelled';
            const perLine = new Map<string, number>();
            for (const l of s.lines)
              perLine.set(l.lineId, (perLine.get(l.lineId) ?? 0) + l.quantity);
            for (const [lineId, total] of perLine) {
              const n = live ? total : Math.min(total, s.shipped[lineId] ?? 0);
              units.set(lineId, (units.get(lineId) ?? 0) + n);
            }
          }
          for (const line of rec.order.lines) {
            const per = line.kit?.splittable
              ? line.kit.components.reduce((n, c) => n + c.quantity, 0)
              : 1;
            expect(units.get(line.id) ?? 0, `step ${r.index} ${line.id}`).toBeLessThanOrEqual(
              line.quantity * per,
            );
          }
        });
      }),
      { ...RUNS, endOnFailure: true },
    );
  });
});
