import { z } from 'zod';
import { BooleanLike, Count, lenient, lenientList, NumericId, Text } from './lenient';

/**
 * Payloads of the fulfillment webhook topics, as Shopify documents them (webhook
 * reference, sample payloads): fulfillment-order topics carry gids and no order id;
 * `fulfillments/*` carry the REST fulfillment with `order_id` and `line_items`.
 *
 * What the engine acts on rejects a payload when invalid (the fulfillment order's and
 * holds' ids, a move's destination, a fulfillment's order and lines); descriptive
 * fields (reasons, notes, statuses, tracking, timestamps) are lenient: a wrong type is
 * coerced or dropped.
 */

const Gid = z.string().min(1).max(512);
const Str = (label: string) => lenient(Text, label);

/** A fulfillment hold as webhooks show it. */
export const ShopifyHoldPayload = z
  .object({
    id: Gid,
    reason: Str('fulfillment_hold.reason'),
    reason_notes: Str('fulfillment_hold.reason_notes'),
    handle: Str('fulfillment_hold.handle'),
    held_by_requesting_app: lenient(BooleanLike, 'fulfillment_hold.held_by_requesting_app'),
  })
  .loose();
export type ShopifyHoldPayload = z.infer<typeof ShopifyHoldPayload>;

const FulfillmentOrderRef = z
  .object({
    id: Gid,
    status: Str('fulfillment_order.status'),
    fulfillment_holds: lenientList(ShopifyHoldPayload, 'fulfillment_order.fulfillment_holds'),
    assigned_location_id: lenient(
      z.union([NumericId, Gid]),
      'fulfillment_order.assigned_location_id',
    ),
  })
  .loose();

/** `fulfillment_orders/placed_on_hold`. */
export const PlacedOnHoldPayload = z
  .object({
    fulfillment_order: FulfillmentOrderRef,
    created_fulfillment_hold: lenient(ShopifyHoldPayload, 'created_fulfillment_hold'),
  })
  .loose();

/** `fulfillment_holds/added` and `fulfillment_holds/released`. */
export const HoldTopicPayload = z
  .object({ fulfillment_order: FulfillmentOrderRef, fulfillment_hold: ShopifyHoldPayload })
  .loose();

/** `fulfillment_orders/hold_released`. */
export const HoldReleasedPayload = z.object({ fulfillment_order: FulfillmentOrderRef }).loose();

/** `fulfillment_orders/moved`. */
export const MovedPayload = z
  .object({
    original_fulfillment_order: FulfillmentOrderRef,
    moved_fulfillment_order: lenient(FulfillmentOrderRef, 'moved_fulfillment_order'),
    destination_location_id: lenient(z.union([NumericId, Gid]), 'destination_location_id'),
  })
  .loose()
  .refine(
    (p) =>
      p.destination_location_id != null || p.moved_fulfillment_order?.assigned_location_id != null,
    {
      message: 'a move needs destination_location_id (or the moved order assigned_location_id)',
      path: ['destination_location_id'],
    },
  );

/** `fulfillment_orders/cancelled`. */
export const FoCancelledPayload = z
  .object({
    fulfillment_order: FulfillmentOrderRef,
    replacement_fulfillment_order: lenient(FulfillmentOrderRef, 'replacement_fulfillment_order'),
  })
  .loose();

/** `fulfillments/create` and `fulfillments/update` (the REST fulfillment). */
export const FulfillmentPayload = z
  .object({
    id: NumericId,
    admin_graphql_api_id: lenient(
      z.string().startsWith('gid://shopify/Fulfillment/'),
      'admin_graphql_api_id',
    ),
    order_id: NumericId,
    status: Str('status'),
    location_id: lenient(NumericId, 'location_id'),
    created_at: Str('created_at'),
    updated_at: Str('updated_at'),
    tracking_company: Str('tracking_company'),
    tracking_number: Str('tracking_number'),
    tracking_numbers: lenientList(Text, 'tracking_numbers'),
    tracking_url: Str('tracking_url'),
    tracking_urls: lenientList(Text, 'tracking_urls'),
    line_items: z
      .array(z.object({ id: NumericId, quantity: Count }).loose())
      .min(1, 'a fulfillment lists at least one line item'),
  })
  .loose();
export type FulfillmentPayload = z.infer<typeof FulfillmentPayload>;
