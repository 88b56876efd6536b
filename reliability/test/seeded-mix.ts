/**
 * The seeded-mix fault scenario shared by the vendor fault tests: for each seed, a fresh
 * world with faults on 30 % (odd seeds) or 60 % (even seeds) of requests, a batch of orders
 * (a fifth cancelled by the store), driven to quiet; every order must end shipped, cancelled
 * or in review with an alert — none lost, stuck or doubled. One table row for all seeds.
 */
import { expect } from 'vitest';
import { recordTrial, trials } from './report';
import {
  describeFaults,
  describeOutcome,
  type Outcome,
  outcomeOk,
  runScenario,
  type ScenarioOptions,
  sumOutcomes,
} from './scenario';

/** What {@link seededMix} needs from a vendor's test file. */
export interface SeededMixOptions {
  /** The table's `area`, e.g. `adapter-shipstation`. */
  area: string;
  /** Order id prefix; the seed is appended. */
  prefix: string;
  /** A fresh world for a seed and fault rate. */
  world: (
    seed: number,
    rate: number,
  ) => Promise<
    Omit<ScenarioOptions, 'prefix' | 'orders' | 'faultRounds' | 'pauseMs' | 'cancelEvery'>
  >;
  /** Tears the seed's world down. */
  cleanup: () => Promise<void>;
}

export async function seededMix(o: SeededMixOptions): Promise<void> {
  const runs = trials(2, 12);
  const orders = trials(15, 60);
  const outcomes: Outcome[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const rate = seed % 2 === 1 ? 0.3 : 0.6;
    const w = await o.world(seed, rate);
    const outcome = await runScenario({
      ...w,
      prefix: `${o.prefix}${seed}`,
      orders,
      cancelEvery: 5,
      faultRounds: 6,
      pauseMs: 20,
    });
    outcomes.push(outcome);
    await o.cleanup();
    if (!outcomeOk(outcome) || seed === runs) {
      const total = sumOutcomes(outcomes);
      recordTrial({
        area: o.area,
        fault: `seeded mix of 429/5xx/hang/delay/reset/slow body/invalid JSON, before and after forwarding, on 30% or 60% of requests (${outcomes.length} seeds × ${orders} orders, a fifth cancelled by the store)`,
        trials: total.orders,
        result: `${describeOutcome(total)}; ${total.hostErrors} host-visible errors retried; faults: ${describeFaults(total)}`,
        ok: outcomeOk(total),
      });
    }
    expect(outcome, `seed ${seed}: ${describeOutcome(outcome)}`).toMatchObject({
      lost: [],
      stuck: [],
      reviewWithoutAlert: [],
      duplicates: [],
      cancelledOpenWithoutAlert: [],
    });
  }
  const faults = sumOutcomes(outcomes).faults;
  expect(faults).toBeGreaterThan(runs * 10);
}
