import { z } from 'zod';
import type { DecideConfig } from '../decide/types';
import { FulfilError, parseOrThrow } from '../errors';
import { assertValidMachine } from '../machine/check';
import { defaultMachine } from '../machine/default-machine';
import type { MachineDefinitionInput } from '../machine/schema';
import { Location, type LocationInput } from '../model/facts';
import type { Clock } from '../ports/clock';
import type {
  AlertSink,
  InventorySource,
  Metrics,
  NoteClassifier,
  RiskScorer,
} from '../ports/services';
import type { Storage } from '../ports/storage';
import type { StoreAdapter } from '../ports/store';
import type { WarehouseAdapter } from '../ports/warehouse';
import { createOptimalRouter } from '../routing/optimal-router';
import type { Router } from '../routing/router';
import { compileRules } from '../rules/compile';
import type { RuleInput } from '../rules/schema';

/** Options of {@link createEngine}. Ports are objects; everything else is data. */
export interface EngineOptions {
  /** Where orders, history, inbox, outbox and timers live. */
  storage: Storage;
  /** Warehouse adapters by key; each location names its adapter in `location.warehouse`. */
  warehouses: Record<string, WarehouseAdapter>;
  /** Where stock comes from. Without it, stock is read from warehouses that declare `inventory`. */
  inventory?: InventorySource;
  /** The store to report holds, tags and fulfillments to. Without it those commands are skipped. */
  store?: StoreAdapter;
  /** Reads order notes into tags. Optional. */
  classifier?: NoteClassifier;
  /** Scores fraud risk. Optional. */
  risk?: RiskScorer;
  /** Where alerts and notifications go. Without it they are counted and dropped. */
  alerts?: AlertSink;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Receives every metric sample too (engine.metrics() works either way). */
  metrics?: Metrics;
  /** The state machine. Default: {@link defaultMachine}. */
  machine?: MachineDefinitionInput;
  /** The rules. Default: none. */
  rules?: RuleInput[];
  /** Default: {@link createOptimalRouter} (fewest shipments, then cost, then priority). Pass `greedyRouter` for the simple one. */
  router?: Router;
  /** Where stock ships from. At least one. */
  locations: LocationInput[];
  /** The store's IANA time zone. Default `UTC`. */
  timeZone?: string;
  /** Tell customers when their shipment ships. Default true. */
  notifyCustomer?: boolean;
  /** Outbox dispatch settings. */
  dispatch?: DispatchOptions;
  /** Run the outbox after every `ingest` (default true). Set false to dispatch from a worker. */
  autoDispatch?: boolean;
  /** How often `ingest` reloads and decides again after a version conflict. Default 8. */
  conflictRetries?: number;
}

/** How the outbox runs commands. */
export interface DispatchOptions {
  /** Attempts before a command becomes an exception. Default 5. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. Default 1000 ms. */
  backoffMs?: number;
  /** Claim lease. Default 30 s. */
  leaseMs?: number;
  /** Rows claimed per round. Default 50. */
  batch?: number;
}

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone' },
);

/** Validates the options and compiles machine and rules once. Throws `CONFIG_INVALID`. */
export function buildDecideConfig(options: EngineOptions): DecideConfig {
  const locations = parseOrThrow(
    z.array(Location).min(1),
    options.locations,
    'locations',
    'CONFIG_INVALID',
  );
  const seen = new Set<string>();
  locations.forEach((l, i) => {
    if (seen.has(l.id))
      throw new FulfilError(
        'CONFIG_INVALID',
        `locations[${i}].id: duplicate location id "${l.id}"`,
      );
    seen.add(l.id);
    if (!options.warehouses[l.warehouse]) {
      throw new FulfilError(
        'CONFIG_INVALID',
        `locations[${i}].warehouse: no warehouse adapter "${l.warehouse}" (have: ${Object.keys(options.warehouses).join(', ') || 'none'})`,
      );
    }
  });
  const timeZone = parseOrThrow(TimeZone, options.timeZone ?? 'UTC', 'timeZone', 'CONFIG_INVALID');
  return {
    machine: assertValidMachine(options.machine ?? defaultMachine),
    rules: compileRules(options.rules ?? []),
    router: options.router ?? createOptimalRouter(),
    locations,
    timeZone,
    notifyCustomer: options.notifyCustomer ?? true,
    warehouseOf: new Map(locations.map((l) => [l.id, l.warehouse])),
  };
}
