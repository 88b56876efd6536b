import type { Generic3plConfig } from '../config';
import type { RateLimit } from '../schema';

/** Options of {@link shipbobPreset}. */
export interface ShipbobPresetOptions {
  /** A Personal Access Token (Integrations > API Tokens), sent as a bearer token. */
  token: string;
  /** Sent as `shipbob_channel_id` (the channel with write scopes). */
  channelId?: string | number;
  /** Default `https://api.shipbob.com/2025-07` (sandbox: `https://sandbox-api.shipbob.com/2025-07`). */
  baseUrl?: string;
  /**
   * The webhook subscription's signing secret(s) (`whsec_...`, Standard Webhooks).
   * Give two during a rotation. Omit to disable webhooks (poll instead).
   */
  webhookSecret?: string | string[];
  /** ShipBob fulfillment center id → your location id. Unmapped centers are left out of inventory. */
  locations?: Record<string, string>;
  /** `shipping_method` when the shipment has no `service`. Default `Standard`. */
  shippingMethod?: string;
  /** Override the documented 150 requests per minute, sliding window (e.g. a compressed window in tests). */
  rateLimit?: RateLimit;
  /** Retry policy of the HTTP client. */
  retry?: Generic3plConfig['retry'];
  /** Webhook timestamp tolerance. Default 300 s. */
  webhookToleranceSeconds?: number;
}

/** Tag names the ShipBob preset stores on each order, read back from webhooks and listings. */
export const SHIPBOB_TAGS = {
  orderId: 'fulfil_order_id',
  shipmentId: 'fulfil_shipment_id',
  lines: 'fulfil_lines',
} as const;

/**
 * Reads ShipBob's 2025-07 shipments (`ShipmentViewModel`) into core shipments.
 * `each` lists where the shipments are: under an order (`shipments[*]`, with
 * our tags on the order: `^.tags`), or the body itself (a shipment without its
 * order; the adapter then reads the order back by the shipment's
 * `reference_id`). Shipped units are in `products[].inventory_items[].quantity`
 * (a product may ship from several lots); the product's `reference_id` is the
 * SKU we sent.
 */
const shipments = (each: string[]) => ({
  each,
  orderId: `^.tags[name=${SHIPBOB_TAGS.orderId}].value`,
  shipmentId: `^.tags[name=${SHIPBOB_TAGS.shipmentId}].value`,
  lineMap: `^.tags[name=${SHIPBOB_TAGS.lines}].value`,
  warehouseOrderId: {
    from: ['order_id', '^.id'],
    transform: ['first' as const, 'string' as const],
  },
  reference: { from: ['reference_id', '^.reference_id'], transform: 'first' as const },
  vendorShipmentId: { from: 'id', transform: 'string' as const },
  carrier: 'tracking.carrier',
  trackingNumber: 'tracking.tracking_number',
  trackingUrl: 'tracking.tracking_url',
  shippedAt: {
    from: ['actual_fulfillment_date', 'tracking.shipping_date'],
    transform: 'first' as const,
  },
  lines: {
    each: 'products[*].inventory_items[*]',
    sku: { from: ['^.reference_id', '^.sku'], transform: 'first' as const },
    quantity: 'quantity',
  },
});

/**
 * A ready configuration for ShipBob's REST API: bearer token, `POST /order`
 * with `reference_id` (unique per account) as the idempotency reference, a
 * conflict on a duplicate reference resolved by `GET /order?ReferenceIds=`,
 * cancel, inventory per fulfillment center, polling shipped orders, and
 * `order.shipped` webhooks signed with Standard Webhooks. 150 requests per
 * minute (sliding window), honouring `x-retry-after`.
 *
 * @example
 * ```ts
 * const shipbob = createGeneric3plWarehouse(
 *   shipbobPreset({ token: process.env.SHIPBOB_TOKEN!, channelId: 100102, webhookSecret: process.env.SHIPBOB_WHSEC }),
 * );
 * ```
 */
export function shipbobPreset(options: ShipbobPresetOptions): Generic3plConfig {
  const secrets = options.webhookSecret === undefined ? [] : [options.webhookSecret].flat();
  return {
    name: 'shipbob',
    baseUrl: options.baseUrl ?? 'https://api.shipbob.com/2025-07',
    auth: { type: 'bearer', token: options.token },
    ...(options.channelId === undefined
      ? {}
      : { headers: { shipbob_channel_id: String(options.channelId) } }),
    ...(options.locations ? { locations: options.locations } : {}),
    idempotency: {
      reference: { from: 'shipmentId' },
      conflict: { statuses: [409, 422], contains: 'already exists' },
    },
    rejection: { statuses: [400, 422], reasonPaths: ['errors', 'message', 'title', '$'] },
    rateLimit: options.rateLimit ?? { kind: 'sliding-window', limit: 150, windowMs: 60_000 },
    retryAfterHeader: 'x-retry-after',
    ...(options.retry ? { retry: options.retry } : {}),
    operations: {
      submit: {
        method: 'POST',
        path: '/order',
        body: [
          { to: 'reference_id', from: 'reference' },
          { to: 'order_number', from: 'orderName' },
          {
            to: 'shipping_method',
            from: 'service',
            transform: { fn: 'default', value: options.shippingMethod ?? 'Standard' },
          },
          { to: 'type', const: 'DTC' },
          { to: 'recipient.name', from: 'shipTo.name' },
          { to: 'recipient.phone_number', from: 'shipTo.phone' },
          { to: 'recipient.address.address1', from: 'shipTo.line1' },
          { to: 'recipient.address.address2', from: 'shipTo.line2' },
          { to: 'recipient.address.company_name', from: 'shipTo.company' },
          { to: 'recipient.address.city', from: 'shipTo.city' },
          { to: 'recipient.address.state', from: 'shipTo.province' },
          { to: 'recipient.address.zip_code', from: 'shipTo.postalCode' },
          { to: 'recipient.address.country', from: 'shipTo.country', transform: 'upper' },
          {
            to: 'products',
            each: 'lines',
            fields: [
              { to: 'reference_id', from: 'sku' },
              { to: 'name', from: ['title', 'sku'], transform: 'first' },
              { to: 'quantity', from: 'quantity' },
              { to: 'unit_price', from: 'unitPrice', transform: 'minorToDecimal' },
            ],
          },
          ...(options.locations
            ? [{ to: 'location_id', from: 'vendorLocationId', transform: 'integer' }]
            : []),
          { to: 'gift_message', from: 'note' },
          { to: 'tags[0].name', const: SHIPBOB_TAGS.orderId },
          { to: 'tags[0].value', from: 'orderId' },
          { to: 'tags[1].name', const: SHIPBOB_TAGS.shipmentId },
          { to: 'tags[1].value', from: 'shipmentId' },
          { to: 'tags[2].name', const: SHIPBOB_TAGS.lines },
          { to: 'tags[2].value', from: 'lines', transform: 'lineMap' },
        ],
        response: { warehouseOrderId: { from: 'id', transform: 'string' } },
      },
      getOrder: {
        method: 'GET',
        path: '/order',
        query: { ReferenceIds: '{reference}' },
        response: {
          each: '$',
          warehouseOrderId: { from: 'id', transform: 'string' },
          status: 'status',
        },
      },
      cancel: {
        method: 'POST',
        path: '/order/{warehouseOrderId}:cancel',
        notFound: [404],
        cancelledStatuses: ['Cancelled'],
        alreadyShipped: { statuses: [409, 422], contains: 'shipped' },
      },
      inventory: {
        // Stock per fulfillment center: `GET /inventory-level/locations`, paged
        // (`{first, items: [{inventory_id, locations: [...], name, sku}], last, next, prev}`).
        method: 'GET',
        path: '/inventory-level/locations',
        query: { PageSize: '250' },
        response: {
          // `locations` (2025-07); the 1.0 item shape `fulfillable_quantity_by_fulfillment_center` is read too.
          each: ['items[*].locations[*]', 'items[*].fulfillable_quantity_by_fulfillment_center[*]'],
          sku: '^.sku',
          locationId: { from: ['location_id', 'id'], transform: ['first', 'string'] },
          units: 'fulfillable_quantity',
        },
        paging: { next: 'next', cursorParam: 'Cursor', maxPages: 200 },
      },
      listShipments: {
        method: 'GET',
        path: '/order',
        query: { HasTracking: 'true', LastUpdateStartDate: '{since}', Limit: '250' },
        response: shipments(['[*].shipments[*]']),
      },
    },
    ...(secrets.length === 0
      ? {}
      : {
          webhook: {
            signature: {
              header: 'webhook-signature',
              algorithm: 'sha256',
              encoding: 'base64',
              prefix: 'v1,',
              separator: ' ',
              signedContent: '{header.webhook-id}.{header.webhook-timestamp}.{body}',
              secrets,
              secretEncoding: 'base64',
              timestamp: {
                header: 'webhook-timestamp',
                toleranceSeconds: options.webhookToleranceSeconds ?? 300,
                unit: 'seconds',
              },
            },
            topic: {
              header: ['x-webhook-topic', 'shipbob-topic'],
              accept: ['order.shipped', 'order_shipped'],
            },
            shipments: shipments(['shipments[*]', '$']),
          },
        }),
  };
}
