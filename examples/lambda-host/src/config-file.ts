import {
  type ConfigEngineContext,
  configEngineOptions,
  type EngineOptions,
  FulfilError,
  type LocationInput,
  parseConfig,
} from '@fulfil/core';
import { bundledConfig } from './bundled-config';

/** A configuration as the bundle carries it: the file's name and its default export. */
export interface BundledConfig {
  /** The file, as named when the bundle was built (messages name it). */
  file: string;
  /** Its default export, not yet validated. */
  value: unknown;
}

/** The engine options a configuration sets in this host. */
export type LambdaConfigOptions = Pick<
  EngineOptions,
  'locations' | 'rules' | 'machine' | 'classifier' | 'risk' | 'timeZone' | 'notifyCustomer'
>;

/**
 * The engine options of the Lambda host: from the configuration built into the bundle
 * (see `bundled-config.ts`), mapped as the `fulfil` CLI's audit maps it (`configEngineOptions`
 * of `@fulfil/core`: rules, machine, note classifier, risk scorer with `context.velocity`,
 * time zone), or, without one, today's defaults (`locations` from `FULFIL_LOCATIONS`, no rules).
 *
 * With a configuration, its locations are the engine's (priority, address, capabilities),
 * all served by ShipStation, the one warehouse adapter this host wires: each location's
 * `warehouse` becomes `shipstation` and its stock `untracked` (ShipStation has no stock API),
 * and `FULFIL_LOCATIONS` only gives each location's ShipStation warehouse id. Throws
 * `CONFIG_INVALID` with the file and the exact path of the problem, or naming a location
 * that `FULFIL_LOCATIONS` lacks.
 *
 * @example
 * ```ts
 * const storage = createPostgresStorage({ pool });
 * createEngine({ storage, warehouses, ...lambdaConfigOptions(envLocations, { velocity: storage }) });
 * ```
 */
export function lambdaConfigOptions(
  envLocations: LocationInput[],
  context: ConfigEngineContext,
  bundled: BundledConfig | undefined = bundledConfig,
): LambdaConfigOptions {
  if (bundled === undefined) return { locations: envLocations };
  const config = parseConfig(bundled.value, bundled.file);
  const known = new Set(envLocations.map((l) => l.id));
  config.locations.forEach((l, i) => {
    if (!known.has(l.id)) {
      throw new FulfilError(
        'CONFIG_INVALID',
        `FULFIL_LOCATIONS: no ShipStation warehouse for location "${l.id}" (locations[${i}] of ${bundled.file}); add {"id":"${l.id}","shipstationWarehouseId":<id>}`,
        { details: { path: 'env.FULFIL_LOCATIONS' } },
      );
    }
  });
  const options = configEngineOptions(config, context);
  return {
    ...options,
    locations: options.locations.map((l) => ({
      ...l,
      warehouse: 'shipstation',
      stock: 'untracked' as const,
    })),
  };
}
