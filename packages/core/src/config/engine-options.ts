import type { EngineOptions } from '../engine/options';
import { KeywordNoteClassifier } from '../notes/keyword-classifier';
import { RuleBasedRiskScorer } from '../risk/rule-based-risk-scorer';
import type { VelocitySource } from '../risk/velocity';
import type { FulfilConfig } from './define-config';

/** What a host adds to a configuration's risk settings (see {@link configEngineOptions}). */
export interface ConfigEngineContext {
  /**
   * Where the risk scorer's velocity counts come from (the host's storage, a windowed
   * index, ...). Without it the velocity signal is off.
   */
  velocity?: VelocitySource;
  /** Call `velocity.record(order)` after each assessment (memory sources). Default false. */
  recordOrders?: boolean;
}

/**
 * The engine options a configuration decides: everything but the ports a host wires
 * itself (storage, warehouses, inventory, store, alerts, clock, metrics).
 */
export interface ConfigEngineOptions
  extends Pick<EngineOptions, 'locations' | 'rules' | 'machine' | 'timeZone' | 'notifyCustomer'> {
  /** The offline classifier with the config's `notes` settings; absent for `notes: false`. */
  classifier?: KeywordNoteClassifier;
  /** The rule-based scorer with the config's `risk` settings; absent for `risk: false`. */
  risk?: RuleBasedRiskScorer;
}

/**
 * Maps a validated {@link FulfilConfig} to `createEngine` options, the same way for every
 * host and for the `fulfil` CLI: `locations`, `rules`, `machine`, `timeZone` and
 * `notifyCustomer` as written; `notes` → a `KeywordNoteClassifier` (none for `false`);
 * `risk` → a `RuleBasedRiskScorer` with `context.velocity` (none for `false`). Options the
 * config leaves out are left out, so the engine's defaults apply. `kits` and `store` are
 * not engine options (the CLI's export readers use them). Pure: no I/O.
 *
 * @example
 * ```ts
 * const engine = createEngine({
 *   ...configEngineOptions(parseConfig(config), { velocity: storage }),
 *   storage,
 *   warehouses,
 * });
 * ```
 */
export function configEngineOptions(
  config: FulfilConfig,
  context: ConfigEngineContext = {},
): ConfigEngineOptions {
  return {
    locations: config.locations,
    ...(config.rules ? { rules: config.rules } : {}),
    ...(config.machine ? { machine: config.machine } : {}),
    ...(config.notes === false
      ? {}
      : { classifier: new KeywordNoteClassifier(config.notes ?? {}) }),
    ...(config.risk === false
      ? {}
      : {
          risk: new RuleBasedRiskScorer({
            ...config.risk,
            ...(context.velocity ? { velocity: context.velocity } : {}),
            ...(context.recordOrders ? { recordOrders: true } : {}),
          }),
        }),
    ...(config.timeZone ? { timeZone: config.timeZone } : {}),
    ...(config.notifyCustomer === undefined ? {} : { notifyCustomer: config.notifyCustomer }),
  };
}
