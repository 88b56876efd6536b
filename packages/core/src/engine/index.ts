export type { DispatchReport } from './dispatcher';
export { createEngine, type Engine, type IngestResult, type OrderExplanation } from './engine';
export type { DispatchOptions, EngineOptions, ReservationOptions } from './options';
export {
  handleWarehouseWebhook,
  type UnmatchedShipment,
  type WarehouseWebhookOptions,
  type WarehouseWebhookOutcome,
} from './warehouse-webhook';
