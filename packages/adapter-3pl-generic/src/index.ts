export {
  createGeneric3plWarehouse,
  GENERIC_3PL,
  type Generic3plWarehouse,
  type VendorOrder,
} from './adapter';
export {
  type Generic3plConfig,
  PLACEHOLDERS,
  parseGeneric3plConfig,
  placeholdersOf,
  type ResolvedConfig,
} from './config';
export { type ReadShipments, readShipments, type Unmatched } from './inbound';
export { applyMapping, readField } from './mapping';
export { type Path, parsePath, type Scope } from './paths';
export {
  EXTENSIV_ORDERS_REL,
  EXTENSIV_SAVED_ELEMENTS,
  type ExtensivPresetOptions,
  extensivPreset,
} from './presets/extensiv';
export { SHIPBOB_TAGS, type ShipbobPresetOptions, shipbobPreset } from './presets/shipbob';
export type { Auth, Field, MappingRule, RateLimit, ShipmentsMapping, Signature } from './schema';
export {
  type SignatureCheck,
  type SignatureScheme,
  signWebhook,
  verifySignature,
} from './signature';
export { createSlidingWindowLimiter } from './sliding-window';
export {
  currencyDigits,
  decodeLineMap,
  encodeLineMap,
  TRANSFORM_NAMES,
  type Transform,
} from './transforms';
export { type Generic3plRuntime, limiterFor } from './transport';
