import { z } from 'zod';

/**
 * Payloads of the fulfillment webhook topics, as Shopify documents them (webhook
 * reference, sample payloads): fulfillment-order topics carry gids and no order id;
 * `fulfillments/*` carry the REST fulfillment with `order_id` and `line_items`.
 */

/** A Shopify numeric id as parsed losslessly: a safe number or a string of digits. */
const NumericId = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/, 'must be a numeric id'),
]);
const Gid = z.string().min(1).max(512);
const Str = z.string().nullish();

/** A fulfillment hold as webhooks show it. */
export const ShopifyHoldPayload = z
  .object({
    id: Gid,
    reason: Str,
    reason_notes: Str,
    handle: Str,
    held_by_requesting_app: z.boolean().nullish(),
  })
  .loose();
export type ShopifyHoldPayload = z.infer<typeof ShopifyHoldPayload>;

const FulfillmentOrderRef = z
  .object({
    id: Gid,
    status: Str,
    fulfillment_holds: z.array(ShopifyHoldPayload).nullish(),
    assigned_location_id: z.union([Gid, NumericId]).nullish(),
  })
  .loose();

/** `fulfillment_orders/placed_on_hold`. */
export const PlacedOnHoldPayload = z
  .object({
    fulfillment_order: FulfillmentOrderRef,
    created_fulfillment_hold: ShopifyHoldPayload.nullish(),
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
    moved_fulfillment_order: FulfillmentOrderRef.nullish(),
    destination_location_id: z.union([Gid, NumericId]).nullish(),
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
    replacement_fulfillment_order: FulfillmentOrderRef.nullish(),
  })
  .loose();

/** `fulfillments/create` and `fulfillments/update` (the REST fulfillment). */
export const FulfillmentPayload = z
  .object({
    id: NumericId,
    admin_graphql_api_id: z.string().startsWith('gid://shopify/Fulfillment/').optional(),
    order_id: NumericId,
    status: Str,
    location_id: NumericId.nullish(),
    created_at: Str,
    updated_at: Str,
    tracking_company: Str,
    tracking_number: Str,
    tracking_numbers: z.array(z.string()).nullish(),
    tracking_url: Str,
    tracking_urls: z.array(z.string()).nullish(),
    line_items: z
      .array(z.object({ id: NumericId, quantity: z.number().int().nonnegative() }).loose())
      .min(1, 'a fulfillment lists at least one line item'),
  })
  .loose();
export type FulfillmentPayload = z.infer<typeof FulfillmentPayload>;
