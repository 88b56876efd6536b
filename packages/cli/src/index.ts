export { createComparer, type OutcomeChange } from './audit/compare';
export { barChart, renderHtml } from './audit/html';
export type { AuditReport, Spread } from './audit/report';
export { type RunAuditOptions, runAudit } from './audit/run';
export { type AuditStock, loadStock } from './audit/stock';
export { formatSummary } from './audit/terminal';
export type { Outcome } from './audit/tracker';
export { runCli } from './cli';
export type { AuditCommandOptions, AuditJson } from './commands/audit';
export { type Io, processIo } from './commands/io';
export {
  CONFIG_FILES,
  findConfigFile,
  type LoadedConfig,
  loadConfig,
  loadOptionalConfig,
} from './config/load-config';
export {
  REQUIRED_COLUMNS,
  SHOPIFY_ORDER_EXPORT_COLUMNS,
  type ShopifyExportColumn,
} from './shopify/columns';
export { readShopifyCsv } from './shopify/csv-orders';
export { csvCell, type ExportFacts, shopifyCsvHeader, shopifyCsvRows } from './shopify/csv-writer';
export { readShopifyJsonl } from './shopify/jsonl-orders';
export type { InputProblem, ReadOptions, SourceOrder } from './shopify/source-order';
export { formatShopifyTime, parseShopifyTime } from './shopify/times';
