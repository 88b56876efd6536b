import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reservationKey, unitsOfLines } from '../../src/decide/reservations';
import type { DecideConfig } from '../../src/decide/types';
import type { OrderRecord } from '../../src/model/record';
import { NARROW_SKUS, orderArb, snapshotArb, stepsArb, WIDE_SKUS } from './arbitraries';
import { makeConfig } from './helpers';
import { simulate } from './simulate';

const RUNS = { seed: 20261128, numRuns: 100 };

/** The reservations a record should hold: one per SKU of every shipment that still holds its units. */
function expected(record: OrderRecord | undefined, holds: (status: string) => boolean) {
  const out = new Map<string, string>();
  for (const s of record?.shipments ?? []) {
    if (!holds(s.status)) continue;
    for (const [sku, n] of unitsOfLines(s.lines))
      out.set(reservationKey(s.id, sku), `${s.locationId}|${sku}|${n}`);
  }
  return out;
}

function run(config: DecideConfig, holds: (status: string) => boolean) {
  fc.assert(
    fc.property(
      fc.boolean().chain((distinct) =>
        fc.record({
          order: orderArb(distinct),
          first: snapshotArb(distinct ? WIDE_SKUS : NARROW_SKUS),
          steps: stepsArb(distinct ? WIDE_SKUS : NARROW_SKUS),
        }),
      ),
      ({ order, first, steps }) => {
        /** What the storage would hold after each commit: key → "location|sku|units". */
        const ledger = new Map<string, string>();
        simulate(
          config,
          order,
          'received',
          first,
          steps,
          (r) => {
            const res = r.decision.reservations;
            if (r.decision.outcome === 'ignored') expect(res).toBeUndefined();
            for (const key of res?.release ?? []) {
              expect(ledger.has(key), `step ${r.index}: releases unknown ${key}`).toBe(true);
              ledger.delete(key);
            }
            const taken = new Map<string, number>();
            for (const t of res?.take ?? []) {
              expect(ledger.has(t.key), `step ${r.index}: takes ${t.key} twice`).toBe(false);
              ledger.set(t.key, `${t.locationId}|${t.sku}|${t.quantity}`);
              const pair = `${t.locationId}|${t.sku}`;
              taken.set(pair, (taken.get(pair) ?? 0) + t.quantity);
              expect(t.available).toBe(
                Math.max(0, r.facts.stock?.available[t.locationId]?.[t.sku] ?? 0),
              );
              expect(taken.get(pair)).toBeLessThanOrEqual(t.available);
              expect(res?.basis).toBe(7);
            }
            // The ledger mirrors the shipments that hold units: nothing leaks, nothing is missing.
            expect(ledger, `step ${r.index} (${r.event.type})`).toEqual(expected(r.record, holds));
          },
          (inventory) => ({ stock: { available: inventory, basis: 7 } }),
        );
      },
    ),
    RUNS,
  );
}

describe('decide: reservations over random event sequences', () => {
  it("releaseOn 'accepted': takes and releases keep exactly the pending shipments reserved, within the stock seen", () => {
    run(makeConfig(), (s) => s === 'pending');
  });

  it("releaseOn 'shipped': accepted and partly shipped shipments keep theirs too", () => {
    const config = { ...makeConfig(), reservations: { releaseOn: 'shipped' as const } };
    run(config, (s) => s === 'pending' || s === 'accepted' || s === 'partially_shipped');
  });
});
