/**
 * Test helpers for code that receives Shopify webhooks: realistic order payloads as
 * raw JSON text, with exact 19-digit ids. Import from `@fulfil/adapter-shopify/testing`;
 * nothing here depends on a test runner.
 *
 * @module
 */
export {
  CUSTOMER_ID,
  LINE_1,
  LINE_2,
  ORDER_ID,
  SHOP,
  type ShopifyLineItemOptions,
  type ShopifyOrderTextOptions,
  shopifyOrderText,
} from './order-text';
export { placedOnHoldPayload } from './store-payloads';
