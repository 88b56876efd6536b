import { type LoadedConfig, loadOptionalConfig } from '@fulfil/cli/config';
import {
  type ConfigEngineContext,
  configEngineOptions,
  createMemoryInventory,
  createSimulatedWarehouse,
  type EngineOptions,
  KeywordNoteClassifier,
  noteRules,
  RuleBasedRiskScorer,
  riskRules,
  systemClock,
  type WarehouseAdapter,
} from '@fulfil/core';

/**
 * The store's configuration file, when the host has one: `FULFIL_CONFIG` (a path, relative
 * to `cwd`), else `fulfil.config.ts` / `.mts` / `.js` / `.mjs` / `.json` in `cwd`; loaded and
 * validated by the `fulfil` CLI's loader (`@fulfil/cli/config`). `undefined` when there is
 * none: the host keeps its built-in defaults. Throws `CONFIG_INVALID` naming the file and the
 * exact path of the problem (`.../fulfil.config.ts: locations[0].warehouse: ...`).
 *
 * @example
 * ```ts
 * const loaded = await loadHostConfig(process.env);
 * const host = createHostFromEnv(process.env, logger, {}, loaded);
 * ```
 */
export function loadHostConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Promise<LoadedConfig | undefined> {
  return loadOptionalConfig(env.FULFIL_CONFIG?.trim() || undefined, cwd);
}

/** What the host's engine gets from the configuration (or from the built-in defaults). */
export interface EngineSetup
  extends Pick<
    EngineOptions,
    | 'locations'
    | 'warehouses'
    | 'inventory'
    | 'rules'
    | 'machine'
    | 'risk'
    | 'timeZone'
    | 'notifyCustomer'
  > {
  /** The offline note classifier; absent when the configuration says `notes: false`. */
  offline?: KeywordNoteClassifier;
}

/**
 * The engine options from a configuration, mapped as the `fulfil` CLI's audit maps them
 * (`configEngineOptions` of `@fulfil/core`): locations, rules, machine, note classifier, risk
 * scorer (with the host's velocity source), time zone. This example host has no real
 * warehouse: each warehouse key the locations name gets a simulated warehouse that accepts
 * every SKU, so the locations are routed as `stock: 'untracked'`. Replace them with your
 * adapters (ShipStation, a REST 3PL) and an inventory source here.
 */
export function setupFromConfig(loaded: LoadedConfig, context: ConfigEngineContext): EngineSetup {
  const { classifier, ...options } = configEngineOptions(loaded.config, context);
  const served = new Map<string, string[]>();
  for (const l of options.locations)
    served.set(l.warehouse, [...(served.get(l.warehouse) ?? []), l.id]);
  const warehouses: Record<string, WarehouseAdapter> = {};
  for (const [name, locations] of served)
    warehouses[name] = createSimulatedWarehouse({ name, clock: systemClock, locations });
  return {
    ...options,
    locations: options.locations.map((l) => ({ ...l, stock: 'untracked' as const })),
    warehouses,
    ...(classifier ? { offline: classifier } : {}),
  };
}

/**
 * The built-in defaults, without a configuration file: one simulated warehouse `main` with
 * demo stock, the keyword classifier with `noteRules()`, the rule-based risk scorer with
 * `riskRules()`.
 */
export function defaultSetup(context: ConfigEngineContext): EngineSetup {
  const stock = { main: { 'TEE-M': 100, MUG: 100 } };
  return {
    locations: [{ id: 'main', warehouse: 'main' }],
    warehouses: {
      main: createSimulatedWarehouse({
        name: 'main',
        clock: systemClock,
        locations: ['main'],
        stock,
      }),
    },
    inventory: createMemoryInventory({ stock }),
    rules: [...riskRules(), ...noteRules()],
    risk: new RuleBasedRiskScorer({
      ...(context.velocity ? { velocity: context.velocity } : {}),
      ...(context.recordOrders ? { recordOrders: true } : {}),
    }),
    offline: new KeywordNoteClassifier(),
  };
}
