export type { DispatchMode, IngestDispatch, IngestOptions } from './after-commit';
export type { DispatchReport } from './dispatcher';
export {
  createEngine,
  type Engine,
  type IngestResult,
  type OrderExplanation,
  type UntypedEvent,
} from './engine';
export type {
  DispatchOptions,
  EngineErrorContext,
  EngineOptions,
  ReservationOptions,
} from './options';
export {
  handleWarehouseWebhook,
  type UnmatchedShipment,
  type WarehouseWebhookOptions,
  type WarehouseWebhookOutcome,
} from './warehouse-webhook';
