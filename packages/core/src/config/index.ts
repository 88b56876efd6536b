export {
  defineConfig,
  type FulfilConfig,
  FulfilConfigSchema,
  type NotesConfig,
  parseConfig,
  type RiskConfig,
} from './define-config';
export {
  type ConfigEngineContext,
  type ConfigEngineOptions,
  configEngineOptions,
} from './engine-options';
