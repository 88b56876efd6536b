/**
 * Valid bodies of Shopify's fulfillment topics, as seeds for the fuzz tests. Copied from the
 * adapter's own tests (packages/adapter-shopify/test/store-webhooks.test.ts, written after
 * Shopify's webhook reference); the order topics use `shopifyOrderText` from
 * `@fulfil/adapter-shopify/testing` instead.
 */
import { placedOnHoldPayload } from '@fulfil/adapter-shopify/testing';

const FO = 'gid://shopify/FulfillmentOrder/6035914129657123456';

/** Topic → a valid body of it. */
export const STORE_TOPIC_SEEDS: Record<string, unknown> = {
  'fulfillment_orders/placed_on_hold': placedOnHoldPayload(FO),
  'fulfillment_orders/hold_released': { fulfillment_order: { id: FO, status: 'open' } },
  'fulfillment_orders/moved': {
    original_fulfillment_order: {
      id: FO,
      status: 'closed',
      assigned_location_id: 'gid://shopify/Location/1001',
    },
    moved_fulfillment_order: {
      id: `${FO}9`,
      status: 'open',
      assigned_location_id: 'gid://shopify/Location/2002',
    },
    destination_location_id: 'gid://shopify/Location/2002',
    source_location: { id: 'gid://shopify/Location/1001' },
  },
  'fulfillment_orders/cancelled': {
    fulfillment_order: { id: FO, status: 'cancelled' },
    replacement_fulfillment_order: { id: `${FO}8`, status: 'open' },
  },
  'fulfillments/create': {
    id: '4801234567890123456',
    order_id: '5813624569912345678',
    status: 'success',
    created_at: '2026-11-27T10:00:00-05:00',
    updated_at: '2026-11-27T10:00:01-05:00',
    service: 'manual',
    location_id: '6884713234567890123',
    tracking_company: 'UPS',
    tracking_number: '1Z827WK74630',
    tracking_numbers: ['1Z827WK74630', '1Z827WK74631'],
    tracking_url: 'https://www.ups.com/track?tracknum=1Z827WK74630',
    tracking_urls: ['https://www.ups.com/track?tracknum=1Z827WK74630', 'not a url'],
    line_items: [
      { id: '1421098765432109876', quantity: 2, sku: 'TEE-M', fulfillable_quantity: 1 },
      { id: '1421098765432109877', quantity: 0, sku: 'MUG' },
    ],
    name: '#1001.1',
    admin_graphql_api_id: 'gid://shopify/Fulfillment/4801234567890123456',
  },
};
