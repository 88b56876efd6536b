/**
 * What the vendor fault tests (`faults-*.test.ts`) share: the test timeout, every fault kind the
 * proxy injects, the per-file teardown list, the engine in front of one faulty vendor, and the
 * "2xx with an unreadable body after the vendor stored the order" trial.
 */
import {
  type Alert,
  createEngine,
  createMemoryAlerts,
  createMemoryInventory,
  createMemoryStorage,
  type StoreAdapter,
  type WarehouseAdapter,
} from '@fulfil/core';
import { afterEach } from 'vitest';
import type { Fault, ProxiedRequest } from '../src/fault-proxy';
import { recordTrial, soak, trials } from './report';
import {
  describeOutcome,
  type Outcome,
  outcomeOk,
  runScenario,
  type ScenarioOptions,
} from './scenario';

/** Long enough for the soak form; the short form takes a few seconds. */
export const TIMEOUT = soak ? 900_000 : 60_000;

/** Every fault kind, before and after forwarding where the vendor could have done the work. */
export const ALL_FAULTS: Fault[] = [
  { kind: 'rate_limited' },
  { kind: 'server_error' },
  { kind: 'server_error', when: 'after' },
  { kind: 'hang' },
  { kind: 'hang', when: 'after' },
  { kind: 'delay', delayMs: 30 },
  { kind: 'reset' },
  { kind: 'reset', when: 'after' },
  { kind: 'slow_body', delayMs: 5 },
  { kind: 'invalid_json' },
  { kind: 'invalid_json', when: 'after' },
];

/** Teardowns (fakes, proxies, adapters), run last first. */
export type Cleanup = (() => Promise<unknown>)[];

/** Runs every teardown in `cleanup`, last first, and empties it. */
export async function runCleanup(cleanup: Cleanup): Promise<void> {
  for (const fn of cleanup.splice(0).reverse()) await fn();
}

/** A teardown list for the calling test file, run (and emptied) after each of its tests. */
export function cleanupAfterEach(): Cleanup {
  const cleanup: Cleanup = [];
  afterEach(() => runCleanup(cleanup));
  return cleanup;
}

/** What {@link faultEngine} builds the engine on. */
export interface FaultEngineOptions {
  /** The warehouse adapter (pointed at the fault proxy) and its key in `warehouses`. */
  warehouse: string;
  adapter: WarehouseAdapter;
  /** The one location, stocked with 100,000 `TEE-M`. */
  location: string;
  /** A store adapter, when the test reports shipments to a store. */
  store?: StoreAdapter;
  /** `false` leaves the engine without the alert sink. Default true. */
  wireAlerts?: boolean;
}

/**
 * An engine on in-memory storage, alerts and inventory (one location, 100,000 `TEE-M`), one
 * warehouse, dispatch driven by the scenario (`autoDispatch: false`; 3 attempts, 10 ms backoff,
 * 5 s lease).
 */
export function faultEngine(o: FaultEngineOptions) {
  const alerts = createMemoryAlerts();
  const storage = createMemoryStorage();
  const engine = createEngine({
    storage,
    inventory: createMemoryInventory({ stock: { [o.location]: { 'TEE-M': 100_000 } } }),
    warehouses: { [o.warehouse]: o.adapter },
    locations: [{ id: o.location, warehouse: o.warehouse }],
    ...(o.store ? { store: o.store } : {}),
    ...(o.wireAlerts === false ? {} : { alerts }),
    autoDispatch: false,
    dispatch: { maxAttempts: 3, backoffMs: 10, leaseMs: 5_000 },
  });
  return { alerts, storage, engine };
}

/** What {@link garbledAfterTrial} needs. */
export interface GarbledAfterOptions {
  /** The table's `area`, and the vendor's name in the result. */
  area: string;
  vendor: string;
  /** Order id prefix. */
  prefix: string;
  /** The submit requests whose answers are garbled. */
  match: (r: ProxiedRequest) => boolean;
  /** The table's `fault` text. */
  fault: string;
}

/**
 * Garbles every matching answer after forwarding (2xx, invalid JSON: the vendor stored the
 * order), runs `trials(8, 40)` orders and records the table row (ok: none lost, stuck or
 * doubled, none sent to review, all shipped). Assertions are the caller's.
 */
export async function garbledAfterTrial(
  w: Omit<ScenarioOptions, 'prefix' | 'orders' | 'faultRounds' | 'pauseMs'>,
  o: GarbledAfterOptions,
): Promise<{ outcome: Outcome; reviewed: Alert[]; orders: number }> {
  w.proxy.inject({
    fault: { kind: 'invalid_json', when: 'after' },
    match: o.match,
    times: Number.POSITIVE_INFINITY,
  });
  const orders = trials(8, 40);
  const outcome = await runScenario({
    ...w,
    prefix: o.prefix,
    orders,
    faultRounds: 4,
    pauseMs: 20,
  });
  const reviewed = w.alerts.alerts().filter((a) => /needs review/.test(a.title));
  recordTrial({
    area: o.area,
    fault: o.fault,
    trials: orders,
    result: `${describeOutcome(outcome)}; ${reviewed.length} sent to review (alerted) while ${o.vendor} already held them (shipped once ${o.vendor} shipped)`,
    ok: outcomeOk(outcome) && reviewed.length === 0 && outcome.shipped === orders,
  });
  return { outcome, reviewed, orders };
}
