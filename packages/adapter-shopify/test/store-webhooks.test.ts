import { describe, expect, it } from 'vitest';
import {
  type FulfillmentOrderInfo,
  holdReasonOf,
  parseShopifyWebhook,
  resolvePendingChanges,
} from '../src';
import { SHOP } from './fixtures';

const headers = (topic: string, n = 1) => ({
  'X-Shopify-Topic': topic,
  'X-Shopify-Shop-Domain': SHOP,
  'X-Shopify-Webhook-Id': `wh-${n}`,
  'X-Shopify-Event-Id': `ev-${n}`,
  'X-Shopify-Triggered-At': '2026-11-27T15:00:00Z',
});
const FO = 'gid://shopify/FulfillmentOrder/6035914129657123456';
const ORDER = '5813624569912345678';

/** `fulfillment_orders/placed_on_hold` as Shopify's reference shows it: the app's hold and a merchant's. */
const placedOnHold = JSON.stringify({
  fulfillment_order: {
    id: FO,
    status: 'on_hold',
    fulfillment_holds: [
      {
        id: 'gid://shopify/FulfillmentHold/1',
        reason: 'other',
        reason_notes: 'ours',
        held_by_requesting_app: true,
        handle: 'fulfil-abc',
        held_by_app: { id: 'gid://shopify/App/12345' },
      },
      {
        id: 'gid://shopify/FulfillmentHold/2',
        reason: 'high_risk_of_fraud',
        reason_notes: 'card looks stolen',
        held_by_requesting_app: false,
        handle: '',
        held_by_app: null,
      },
    ],
  },
  remaining_fulfillment_order: null,
  held_fulfillment_order_line_items: [
    { id: 'gid://shopify/FulfillmentOrderLineItem/3', quantity: 4 },
  ],
  created_fulfillment_hold: {
    id: 'gid://shopify/FulfillmentHold/2',
    reason: 'high_risk_of_fraud',
    reason_notes: 'card looks stolen',
    held_by_requesting_app: false,
    handle: '',
  },
});

/** `fulfillments/create` (REST shape, 19-digit ids as literals). */
const fulfillmentText = (status = 'success') => `{
  "id": 4801234567890123456, "order_id": ${ORDER}, "status": "${status}",
  "created_at": "2026-11-27T10:00:00-05:00", "updated_at": "2026-11-27T10:00:01-05:00",
  "service": "manual", "location_id": 6884713234567890123, "tracking_company": "UPS",
  "tracking_number": "1Z827WK74630", "tracking_numbers": ["1Z827WK74630", "1Z827WK74631"],
  "tracking_url": "https://www.ups.com/track?tracknum=1Z827WK74630",
  "tracking_urls": ["https://www.ups.com/track?tracknum=1Z827WK74630", "not a url"],
  "line_items": [
    {"id": 1421098765432109876, "quantity": 2, "sku": "TEE-M", "fulfillable_quantity": 1},
    {"id": 1421098765432109877, "quantity": 0, "sku": "MUG"}
  ],
  "name": "#1001.1", "admin_graphql_api_id": "gid://shopify/Fulfillment/4801234567890123456"
}`;

const info = (holds: FulfillmentOrderInfo['holds']): FulfillmentOrderInfo => ({
  id: FO,
  status: 'ON_HOLD',
  orderId: `gid://shopify/Order/${ORDER}`,
  holds,
});
const naming = (id: string) => `shopify:acme-outdoor:${id}`;

describe('fulfillment topics → store.fulfillment_changed', () => {
  it("placed_on_hold: the merchant's hold becomes a change, the app's own hold is left out", async () => {
    const parsed = parseShopifyWebhook(placedOnHold, headers('fulfillment_orders/placed_on_hold'));
    expect(parsed.events).toEqual([]);
    expect(parsed.pending?.changes).toEqual([
      {
        idempotencyKey: `shopify:${SHOP}:hold:gid://shopify/FulfillmentHold/2:placed`,
        change: {
          kind: 'hold_placed',
          holdId: 'gid://shopify/FulfillmentHold/2',
          fulfillmentOrderId: FO,
          reason: 'fraud',
          storeReason: 'HIGH_RISK_OF_FRAUD',
          notes: 'card looks stolen',
        },
      },
    ]);
    const source = {
      fulfillmentOrder: async (id: string) =>
        id === FO
          ? info([
              { id: 'gid://shopify/FulfillmentHold/2', handle: null, heldByRequestingApp: false },
            ])
          : undefined,
    };
    const events = await resolvePendingChanges(parsed.pending!, source, naming);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'store.fulfillment_changed',
        orderId: `shopify:acme-outdoor:${ORDER}`,
        occurredAt: '2026-11-27T15:00:00.000Z',
      }),
    ]);
    // delivered late, after the merchant released it again: nothing to hold
    expect(
      await resolvePendingChanges(
        parsed.pending!,
        { fulfillmentOrder: async () => info([]) },
        naming,
      ),
    ).toEqual([]);
    // an unknown fulfillment order gives no events
    expect(
      await resolvePendingChanges(
        parsed.pending!,
        { fulfillmentOrder: async () => undefined },
        naming,
      ),
    ).toEqual([]);
  });

  it('only the app’s own holds: no change at all (the echo of its own hold)', () => {
    const ours = JSON.stringify({
      fulfillment_order: {
        id: FO,
        status: 'on_hold',
        fulfillment_holds: [
          { id: 'gid://shopify/FulfillmentHold/9', reason: 'other', handle: 'fulfil-x1' },
        ],
      },
    });
    const parsed = parseShopifyWebhook(ours, headers('fulfillment_orders/placed_on_hold'));
    expect(parsed.pending).toBeUndefined();
    expect(parsed.events).toEqual([]);
  });

  it('hold released, holds added/released one by one, moves and cancellations', () => {
    const released = parseShopifyWebhook(
      JSON.stringify({ fulfillment_order: { id: FO, status: 'open' } }),
      headers('fulfillment_orders/hold_released', 2),
    );
    expect(released.pending?.changes).toEqual([
      {
        idempotencyKey: `shopify:${SHOP}:fulfillment_orders/hold_released:ev-2`,
        change: { kind: 'hold_released', fulfillmentOrderId: FO },
      },
    ]);
    const one = parseShopifyWebhook(
      JSON.stringify({
        fulfillment_order: { id: FO },
        fulfillment_hold: {
          id: 'gid://shopify/FulfillmentHold/5',
          reason: 'incorrect_address',
          held_by_requesting_app: false,
        },
      }),
      headers('fulfillment_holds/released', 3),
    );
    expect(one.pending?.changes[0]?.change).toEqual({
      kind: 'hold_released',
      fulfillmentOrderId: FO,
      holdIds: ['gid://shopify/FulfillmentHold/5'],
    });
    const moved = parseShopifyWebhook(
      JSON.stringify({
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
      }),
      headers('fulfillment_orders/moved', 4),
      { locations: { '2002': 'west' } },
    );
    expect(moved.pending?.fulfillmentOrderId).toBe(`${FO}9`);
    expect(moved.pending?.changes[0]?.change).toEqual({
      kind: 'moved',
      storeLocationId: 'gid://shopify/Location/2002',
      fulfillmentOrderId: `${FO}9`,
      locationId: 'west',
    });
    const cancelled = parseShopifyWebhook(
      JSON.stringify({
        fulfillment_order: { id: FO, status: 'cancelled' },
        replacement_fulfillment_order: { id: `${FO}8`, status: 'open' },
      }),
      headers('fulfillment_orders/cancelled', 5),
    );
    expect(cancelled.pending?.changes[0]?.change).toEqual({
      kind: 'cancelled',
      fulfillmentOrderId: FO,
      replaced: true,
    });
    expect(holdReasonOf('AWAITING_PAYMENT')).toBe('awaiting_payment');
    expect(holdReasonOf('online_store_post_purchase_cross_sell')).toBe('other');
  });

  it('fulfillments/create: exact ids, shipped lines only, every tracking number, mapped location', () => {
    const parsed = parseShopifyWebhook(fulfillmentText(), headers('fulfillments/create'), {
      locations: { 'gid://shopify/Location/6884713234567890123': 'east' },
    });
    expect(parsed.pending).toBeUndefined();
    expect(parsed.events).toEqual([
      {
        type: 'store.fulfillment_changed',
        idempotencyKey: `shopify:${SHOP}:fulfillment:gid://shopify/Fulfillment/4801234567890123456:2026-11-27T10:00:01-05:00`,
        occurredAt: '2026-11-27T15:00:00.000Z',
        orderId: `shopify:acme-outdoor:${ORDER}`,
        change: {
          kind: 'fulfilled',
          fulfillmentId: 'gid://shopify/Fulfillment/4801234567890123456',
          lines: [{ lineId: '1421098765432109876', quantity: 2 }],
          tracking: [
            {
              carrier: 'UPS',
              number: '1Z827WK74630',
              url: 'https://www.ups.com/track?tracknum=1Z827WK74630',
            },
            { carrier: 'UPS', number: '1Z827WK74631' },
          ],
          storeLocationId: 'gid://shopify/Location/6884713234567890123',
          locationId: 'east',
        },
      },
    ]);
    // the same fulfillment updated with the same timestamp dedupes; a cancelled one ships nothing
    const update = parseShopifyWebhook(fulfillmentText(), headers('fulfillments/update', 2));
    expect(update.events[0]?.idempotencyKey).toBe(parsed.events[0]?.idempotencyKey);
    expect(
      parseShopifyWebhook(fulfillmentText('cancelled'), headers('fulfillments/update', 3)).events,
    ).toEqual([]);
  });

  it('invalid payloads fail with INVALID_INPUT naming the path', () => {
    expect(() =>
      parseShopifyWebhook(
        JSON.stringify({ fulfillment_order: {} }),
        headers('fulfillment_orders/placed_on_hold'),
      ),
    ).toThrow(/body\.fulfillment_order\.id/);
    expect(() =>
      parseShopifyWebhook(
        fulfillmentText().replace(/"line_items": \[[^\]]*\]/, '"line_items": []'),
        headers('fulfillments/create'),
      ),
    ).toThrow(/body\.line_items: a fulfillment lists at least one line item/);
    expect(() =>
      parseShopifyWebhook(
        JSON.stringify({ original_fulfillment_order: { id: FO } }),
        headers('fulfillment_orders/moved'),
      ),
    ).toThrow(/body\.destination_location_id/);
  });
});
