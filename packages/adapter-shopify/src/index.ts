export {
  type AdminClientStats,
  assertNoUserErrors,
  createShopifyAdminClient,
  type GraphqlCallOptions,
  type QueryCost,
  SHOPIFY_API_VERSION,
  type ShopifyAdminClient,
  type ShopifyAdminClientOptions,
  type UserError,
} from './admin-client';
export { type GraphqlOrder, graphqlOrderToPayload } from './graphql-order';
export {
  type HeadersLike,
  headerOf,
  SHOPIFY_WEBHOOK_HEADERS,
  type ShopifyWebhookHeader,
  shopifyHeaderOf,
} from './headers';
export { parseLosslessJson } from './lossless-json';
export { currencyDigits, toMinorUnits } from './money';
export {
  defaultOrderId,
  normalizeShopifyOrder,
  numericIdOf,
  type OrderNaming,
  shopHandle,
  shopifyAdminUrl,
  splitTags,
} from './normalize';
export {
  parseShopifyOrderPayload,
  ShopifyOrderPayload,
  type ShopifyOrderPayloadInput,
} from './payload';
export {
  createShopifyStore,
  HOLD_HANDLE_PREFIX,
  HOLD_REASONS,
  holdHandle,
  type ReconcileReport,
  type ShopifyStore,
  type ShopifyStoreOptions,
} from './store';
export { type NoteOptions, readFulfillmentOrder } from './store-extras';
export {
  FoCancelledPayload,
  FulfillmentPayload,
  HoldReleasedPayload,
  HoldTopicPayload,
  MovedPayload,
  PlacedOnHoldPayload,
  ShopifyHoldPayload,
} from './store-payloads';
export {
  type FulfillmentOrderInfo,
  type FulfillmentOrderSource,
  holdReasonOf,
  isOwnHold,
  type PendingStoreChanges,
  resolvePendingChanges,
  STORE_TOPICS,
} from './store-webhooks';
export {
  SHOPIFY_HMAC_HEADER,
  SHOPIFY_HMAC_HEADER_UNPREFIXED,
  signShopifyWebhook,
  verifyShopifyWebhook,
  type WebhookRejection,
  type WebhookVerification,
} from './verify';
export {
  createShopifyWebhookHandler,
  DEFAULT_MAX_WEBHOOK_BYTES,
  type ShopifyWebhookHandler,
  type ShopifyWebhookHandlerOptions,
  toFetchHandler,
  type WebhookRequest,
  type WebhookResponse,
} from './webhook-handler';
export {
  ORDER_TOPICS,
  type ParsedShopifyWebhook,
  type ParseWebhookOptions,
  parseShopifyWebhook,
} from './webhook-parse';
export type { DrainErrorInfo, DrainOptions, DrainResult } from './webhook-queue';
