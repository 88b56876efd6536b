/**
 * A `fulfillment_orders/placed_on_hold` payload: a merchant's hold on a fulfillment order
 * (reason `high_risk_of_fraud`, not held by this app), in the shape of Shopify's webhook
 * reference as the adapter's own tests use it. A fresh object each call.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(placedOnHoldPayload('gid://shopify/FulfillmentOrder/1'));
 * ```
 */
export function placedOnHoldPayload(fulfillmentOrderId: string): Record<string, unknown> {
  const hold = {
    id: 'gid://shopify/FulfillmentHold/2',
    reason: 'high_risk_of_fraud',
    reason_notes: 'card looks stolen',
    held_by_requesting_app: false,
    handle: '',
  };
  return {
    fulfillment_order: {
      id: fulfillmentOrderId,
      status: 'on_hold',
      fulfillment_holds: [{ ...hold, held_by_app: null }],
    },
    remaining_fulfillment_order: null,
    held_fulfillment_order_line_items: [
      { id: 'gid://shopify/FulfillmentOrderLineItem/3', quantity: 4 },
    ],
    created_fulfillment_hold: hold,
  };
}
