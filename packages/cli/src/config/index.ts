/**
 * `@fulfil/cli/config`: the configuration loader the `fulfil` CLI and the example hosts
 * share (jiti for TypeScript, validated by `parseConfig` of `@fulfil/core`). Kept out of
 * `@fulfil/core`, which does no I/O.
 */
export {
  CONFIG_FILES,
  findConfigFile,
  type LoadedConfig,
  loadConfig,
  loadOptionalConfig,
} from './load-config';
