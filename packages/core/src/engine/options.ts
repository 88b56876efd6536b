import { z } from 'zod';
import type { DecideConfig } from '../decide/types';
import { FulfilError, parseOrThrow } from '../errors';
import type { ForecastSource } from '../forecast/source';
import { assertValidMachine } from '../machine/check';
import { defaultMachine } from '../machine/default-machine';
import type { MachineDefinitionInput } from '../machine/schema';
import { Location, type LocationInput } from '../model/facts';
import { assertStorableConfig } from '../model/sanitize-text';
import { functionOption, parseOptions, portOption } from '../options';
import type { Clock } from '../ports/clock';
import type { RateSource } from '../ports/rates';
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
  /**
   * Run the outbox after every `ingest` (default true): the default of `ingest`'s
   * `options.dispatch` is then `wait`, else `none`. Set false to dispatch from a worker.
   */
  autoDispatch?: boolean;
  /**
   * Told about failures that no caller sees as a rejection: an outbox run after a
   * committed `ingest` (the event is stored; its commands stay in the outbox for the next
   * run). Log them or count them; a throwing hook is ignored. Each is also counted as
   * `dispatch_errors` (label `stage`).
   */
  onError?: (error: unknown, context: EngineErrorContext) => void;
  /** How often `ingest` reloads and decides again after a version conflict. Default 8. */
  conflictRetries?: number;
  /**
   * Stock reservations. With a storage that declares the `reservations` capability (memory
   * and PostgreSQL do), routing reserves the units it sends to a location in the same commit,
   * so concurrent decisions never promise the same units twice (a losing decision reloads,
   * reads stock again and decides again). `false` turns them off. Default: on when the
   * storage supports them.
   */
  reservations?: false | ReservationOptions;
  /**
   * Days of cover per location and SKU (e.g. `forecasterSource(createForecaster(...))`):
   * `forecast.*` rule facts, the router's `cover` (for `createOptimalRouter({ protect })`),
   * and stock alerts when routing takes from a location whose cover is below the lead time.
   */
  forecast?: ForecastSource;
  /**
   * Carrier rates (e.g. ShipStation's `getrates`): quoted per open location before routing and
   * given to the router as `RouteRequest.rates`, so the optimal and MIP routers cost shipments
   * by what a carrier charges (`costBasis: 'carrier-rates'`), falling back to distance/zone
   * costs when a location has no quote or the source fails.
   */
  rates?: RateSource;
  /**
   * Raise a warning alert (once per location, SKU and day) when an order is routed from a
   * location whose days of cover are below the SKU's lead time. Needs `forecast` with lead
   * times. Default true.
   */
  forecastAlerts?: boolean;
}

/** What failed, for {@link EngineOptions.onError}. */
export interface EngineErrorContext {
  /**
   * `dispatch`: the outbox run `ingest` awaited (`dispatch: 'wait'`); `background-dispatch`:
   * one it started without waiting (`dispatch: 'background'`).
   */
  stage: 'dispatch' | 'background-dispatch';
  /** The order of the event whose ingest started the run. */
  orderId?: string;
  /** That event's idempotency key. */
  idempotencyKey?: string;
}

/** How stock reservations behave (see {@link EngineOptions.reservations}). */
export interface ReservationOptions {
  /**
   * When a shipment's reservation ends. `accepted` (default): once the warehouse accepts the
   * shipment, because its stock figure (the InventorySource contract: available to promise)
   * then leaves the units out. `shipped`: when it ships, for stock sources that report units
   * on hand until they leave. Rejected and cancelled shipments always release theirs.
   */
  releaseOn?: 'accepted' | 'shipped';
}

/** How the outbox runs commands. */
export interface DispatchOptions {
  /**
   * Attempts before a command becomes an exception. Default 5. An `alert` whose sink fails
   * with a retryable error is retried past this (every `backoffMs * 2^(maxAttempts-1)`) until
   * the sink takes it: it is the last way to tell a person about an order.
   */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. Default 1000 ms. */
  backoffMs?: number;
  /** Claim lease. Default 30 s. */
  leaseMs?: number;
  /** Rows claimed per round. Default 50. */
  batch?: number;
  /**
   * Claimed commands run at once, at most this many (commands of one order always run one
   * after another, in commit order). Default 8; 1 runs them one at a time.
   */
  concurrency?: number;
}

/** Zones already found valid (building an Intl formatter costs about half a millisecond). */
const knownZones = new Set<string>();

const TimeZone = z.string().refine(
  (tz) => {
    if (knownZones.has(tz)) return true;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      knownZones.add(tz);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone' },
);

/** How the outbox runs commands (validated shape of {@link DispatchOptions}). */
export const DispatchSettings = z
  .object({
    maxAttempts: z.number().int().min(1).optional(),
    backoffMs: z.number().finite().nonnegative().optional(),
    leaseMs: z.number().finite().positive().optional(),
    batch: z.number().int().min(1).optional(),
    concurrency: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/**
 * The shape of {@link EngineOptions}: ports are checked for their methods (never copied),
 * data is checked for its type here and in depth by {@link buildDecideConfig}.
 */
const EngineOptionsShape = {
  storage: portOption<Storage>(
    'Storage',
    [
      'load',
      'commit',
      'isProcessed',
      'markProcessed',
      'history',
      'claimCommands',
      'claimDueTimers',
    ],
    'createMemoryStorage() or createPostgresStorage()',
  ).refine((s) => typeof s !== 'object' || s === null || typeof s.capabilities === 'object', {
    message: 'expected a Storage with a `capabilities` object',
  }),
  warehouses: z.record(
    z.string(),
    portOption<WarehouseAdapter>(
      'WarehouseAdapter',
      ['submit'],
      'createSimulatedWarehouse() or createShipStationWarehouse(), keyed by the name locations use in `warehouse`',
    ),
  ),
  inventory: portOption<InventorySource>('InventorySource', ['available']).optional(),
  store: portOption<StoreAdapter>(
    'StoreAdapter',
    ['addTags', 'hold', 'releaseHold', 'fulfill'],
    'createShopifyStore()',
  ).optional(),
  classifier: portOption<NoteClassifier>(
    'NoteClassifier',
    ['classify'],
    'createNoteClassifier()',
  ).optional(),
  risk: portOption<RiskScorer>('RiskScorer', ['assess'], 'createRiskScorer()').optional(),
  alerts: portOption<AlertSink>('AlertSink', ['send']).optional(),
  clock: portOption<Clock>('Clock', ['now']).optional(),
  metrics: portOption<Metrics>('Metrics', ['increment', 'observe']).optional(),
  machine: z
    .custom<MachineDefinitionInput>((v) => typeof v === 'object' && v !== null, {
      message: 'expected a machine definition (an object), e.g. defaultMachine',
    })
    .optional(),
  rules: z.array(z.custom<RuleInput>()).optional(),
  router: portOption<Router>('Router', ['route'], 'createOptimalRouter()').optional(),
  rates: portOption<RateSource>(
    'RateSource',
    ['quote'],
    'createShipStationRates(connection, { carrierCode })',
  ).optional(),
  locations: z.array(z.custom<LocationInput>()),
  timeZone: z.string().optional(),
  notifyCustomer: z.boolean().optional(),
  dispatch: DispatchSettings.optional(),
  autoDispatch: z.boolean().optional(),
  onError: functionOption<NonNullable<EngineOptions['onError']>>(
    'a function (error, context) => void',
  ).optional(),
  conflictRetries: z.number().int().min(0).optional(),
  reservations: z
    .union([z.literal(false), z.object({ releaseOn: z.unknown().optional() }).strict()])
    .optional(),
  forecast: portOption<ForecastSource>(
    'ForecastSource',
    ['cover'],
    'forecasterSource(createForecaster())',
  ).optional(),
  forecastAlerts: z.boolean().optional(),
} satisfies Record<keyof EngineOptions, z.ZodType>;

const EngineOptionsSchema = z.object(EngineOptionsShape).strict();

/**
 * Checks the shape of {@link EngineOptions} as a JavaScript caller may pass them (no
 * options, a missing port, a misspelt key) and returns them typed. Throws
 * `CONFIG_INVALID` naming the path, with "did you mean ...?" for a misspelt key.
 */
export function checkEngineOptions(options: unknown): EngineOptions {
  parseOptions(EngineOptionsSchema, options, 'createEngine');
  return options as EngineOptions;
}

/** Validates the options and compiles machine and rules once. Throws `CONFIG_INVALID`. */
export function buildDecideConfig(options: EngineOptions): DecideConfig {
  assertStorableConfig({
    locations: options.locations,
    machine: options.machine,
    rules: options.rules,
  });
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
  const reservations =
    options.reservations === false
      ? false
      : parseOrThrow(
          z.object({ releaseOn: z.enum(['accepted', 'shipped']).default('accepted') }).strict(),
          options.reservations ?? {},
          'reservations',
          'CONFIG_INVALID',
        );
  const reserving = reservations !== false && options.storage.capabilities.reservations === true;
  const forecastAlerts = parseOrThrow(
    z.boolean().default(true),
    options.forecastAlerts,
    'forecastAlerts',
    'CONFIG_INVALID',
  );
  return {
    ...(reserving ? { reservations } : {}),
    forecastAlerts,
    machine: assertValidMachine(options.machine ?? defaultMachine),
    rules: compileRules(options.rules ?? []),
    router: options.router ?? createOptimalRouter(),
    locations,
    timeZone,
    notifyCustomer: options.notifyCustomer ?? true,
    warehouseOf: new Map(locations.map((l) => [l.id, l.warehouse])),
  };
}

/**
 * Refuses an engine that could never route: a location nothing reports stock
 * for (its warehouse declares `inventory: false`, no `inventory` source is
 * given, and the location is not marked `stock: 'untracked'`). Throws
 * `CONFIG_INVALID` naming the location.
 */
export function assertStockSources(options: EngineOptions): void {
  if (options.inventory) return;
  options.locations.forEach((l, i) => {
    const adapter = options.warehouses[l.warehouse];
    if (!adapter || l.stock === 'untracked' || adapter.capabilities.inventory) return;
    throw new FulfilError(
      'CONFIG_INVALID',
      `locations[${i}].stock: nothing reports stock for location "${l.id}" (warehouse "${l.warehouse}" declares inventory: false and no \`inventory\` source is given), so no order could ever be routed there; pass \`inventory\`, or set \`stock: 'untracked'\` on the location to route without stock figures`,
      { details: { path: `locations[${i}].stock` } },
    );
  });
}
