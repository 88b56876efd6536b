/**
 * Realistic Shopify webhook payloads as raw JSON text (ids are 19-digit literals).
 * The builder is public as `@fulfil/adapter-shopify/testing`; `orderText` is the name the
 * adapter's own tests (and the bench) use.
 */
export * from '../src/testing/index';
export {
  type ShopifyOrderTextOptions as OrderTextOptions,
  shopifyOrderText as orderText,
} from '../src/testing/index';
