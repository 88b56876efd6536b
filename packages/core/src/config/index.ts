export {
  defineConfig,
  type FulfilConfig,
  FulfilConfigSchema,
  type NotesConfig,
  parseConfig,
  type RiskConfig,
} from './define-config';
