import type { Generic3plConfig } from '../config';
import type { RateLimit } from '../schema';

/** Options of {@link extensivPreset}. */
export interface ExtensivPresetOptions {
  /** REST API client id (Extensiv provides it with the secret). */
  clientId: string;
  clientSecret: string;
  /** Default `https://secure-wms.com/AuthServer/api/Token`. */
  tokenUrl?: string;
  /** Default `https://secure-wms.com`. */
  baseUrl?: string;
  /** The user login id some accounts require in the token request (`user_login_id`). */
  userLoginId?: string;
  /** The customer (brand) the orders are for: `customerIdentifier.id`. */
  customerId: number;
  /** The facility used when a location has no mapping: `facilityIdentifier.id`. */
  facilityId: number;
  /** Extensiv facility id → your location id. Unmapped facilities are left out of inventory. */
  locations?: Record<string, string>;
  /** `routingInfo.carrier` / `routingInfo.mode` defaults. */
  carrier?: string;
  mode?: string;
  /** HMAC secret(s) of the shipment webhook relay (two during a rotation). Omit to poll only. */
  webhookSecret?: string | string[];
  /**
   * Extensiv publishes no fixed request limit. Default: a token bucket of 10 with
   * 2 per second, a conservative choice of ours; set your account's.
   */
  rateLimit?: RateLimit;
  /** Retry policy of the HTTP client. */
  retry?: Generic3plConfig['retry'];
}

/** Saved-element names the Extensiv preset stores on each order. */
export const EXTENSIV_SAVED_ELEMENTS = {
  orderId: 'fulfilOrderId',
  shipmentId: 'fulfilShipmentId',
  lines: 'fulfilLines',
} as const;

/** The HAL relation Extensiv lists orders under. */
export const EXTENSIV_ORDERS_REL = 'http://api.3plCentral.com/rels/orders/order';

const packages = (each: string) => ({
  each,
  orderId: `^.savedElements[name=${EXTENSIV_SAVED_ELEMENTS.orderId}].value`,
  shipmentId: `^.savedElements[name=${EXTENSIV_SAVED_ELEMENTS.shipmentId}].value`,
  lineMap: `^.savedElements[name=${EXTENSIV_SAVED_ELEMENTS.lines}].value`,
  warehouseOrderId: { from: '^.readOnly.orderId', transform: 'string' as const },
  reference: '^.referenceNum',
  vendorShipmentId: { from: 'packageId', transform: 'string' as const },
  carrier: { from: ['carrier', '^.routingInfo.carrier'], transform: 'first' as const },
  trackingNumber: 'trackingNumber',
  shippedAt: 'createDate',
  // Package contents name the order item, not the SKU: join on the order's
  // `orderItems[].readOnly.orderItemId` to read its `itemIdentifier.sku`.
  lines: {
    each: 'packageContents',
    sku: {
      from: 'orderItemId',
      transform: {
        fn: 'lookup' as const,
        in: '^.^.orderItems',
        key: 'readOnly.orderItemId',
        value: 'itemIdentifier.sku',
      },
    },
    quantity: 'qty',
  },
});

/**
 * A ready configuration for Extensiv 3PL Warehouse Manager (formerly 3PL
 * Central): OAuth2 client credentials (Basic credentials, JSON body), `POST
 * /orders` with `referenceNum` (a hash of the shipment id, within the field's
 * length), `shipTo` and `orderItems[{itemIdentifier:{sku}, qty}]`, lookup by
 * RQL, cancel, stock summaries per facility, and packages as shipments.
 *
 * @example
 * ```ts
 * const extensiv = createGeneric3plWarehouse(
 *   extensivPreset({ clientId, clientSecret, customerId: 12, facilityId: 3, locations: { '3': 'reno' } }),
 * );
 * ```
 */
export function extensivPreset(options: ExtensivPresetOptions): Generic3plConfig {
  const secrets = options.webhookSecret === undefined ? [] : [options.webhookSecret].flat();
  const carrier = [{ fn: 'default' as const, value: options.carrier ?? 'UPS' }];
  return {
    name: 'extensiv',
    baseUrl: options.baseUrl ?? 'https://secure-wms.com',
    auth: {
      type: 'oauth2',
      tokenUrl: options.tokenUrl ?? 'https://secure-wms.com/AuthServer/api/Token',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      credentials: 'basic',
      format: 'json',
      ...(options.userLoginId ? { extra: { user_login_id: options.userLoginId } } : {}),
    },
    headers: { accept: 'application/hal+json' },
    ...(options.locations ? { locations: options.locations } : {}),
    idempotency: {
      reference: { from: 'shipmentId', transform: [{ fn: 'hash', length: 32 }] },
      conflict: { statuses: [409], contains: 'referenceNum' },
    },
    rejection: { statuses: [400, 422], reasonPaths: ['Hint', 'ErrorCode', 'message'] },
    rateLimit: options.rateLimit ?? { kind: 'token-bucket', capacity: 10, refillPerSecond: 2 },
    ...(options.retry ? { retry: options.retry } : {}),
    operations: {
      submit: {
        method: 'POST',
        path: '/orders',
        body: [
          { to: 'customerIdentifier.id', const: options.customerId },
          options.locations
            ? {
                to: 'facilityIdentifier.id',
                from: 'vendorLocationId',
                transform: ['integer', { fn: 'default', value: options.facilityId }],
              }
            : { to: 'facilityIdentifier.id', const: options.facilityId },
          { to: 'referenceNum', from: 'reference' },
          { to: 'poNum', from: 'orderName' },
          { to: 'notes', from: 'instructions', transform: { fn: 'join', separator: '; ' } },
          { to: 'shippingNotes', from: 'note' },
          { to: 'routingInfo.carrier', from: 'carrier', transform: carrier },
          {
            to: 'routingInfo.mode',
            from: 'service',
            transform: { fn: 'default', value: options.mode ?? 'Ground' },
          },
          { to: 'shipTo.name', from: 'shipTo.name' },
          { to: 'shipTo.companyName', from: 'shipTo.company' },
          { to: 'shipTo.address1', from: 'shipTo.line1' },
          { to: 'shipTo.address2', from: 'shipTo.line2' },
          { to: 'shipTo.city', from: 'shipTo.city' },
          { to: 'shipTo.state', from: 'shipTo.province' },
          { to: 'shipTo.zip', from: 'shipTo.postalCode' },
          { to: 'shipTo.country', from: 'shipTo.country' },
          { to: 'shipTo.phoneNumber', from: 'shipTo.phone' },
          {
            to: 'orderItems',
            each: 'lines',
            fields: [
              { to: 'itemIdentifier.sku', from: 'sku' },
              { to: 'qty', from: 'quantity' },
            ],
          },
          { to: 'savedElements[0].name', const: EXTENSIV_SAVED_ELEMENTS.orderId },
          { to: 'savedElements[0].value', from: 'orderId' },
          { to: 'savedElements[1].name', const: EXTENSIV_SAVED_ELEMENTS.shipmentId },
          { to: 'savedElements[1].value', from: 'shipmentId' },
          { to: 'savedElements[2].name', const: EXTENSIV_SAVED_ELEMENTS.lines },
          { to: 'savedElements[2].value', from: 'lines', transform: 'lineMap' },
        ],
        response: { warehouseOrderId: { from: 'readOnly.orderId', transform: 'string' } },
      },
      getOrder: {
        method: 'GET',
        path: '/orders',
        query: { rql: 'referenceNum=={reference}', detail: 'All' },
        response: {
          each: `_embedded["${EXTENSIV_ORDERS_REL}"]`,
          warehouseOrderId: { from: 'readOnly.orderId', transform: 'string' },
          status: { from: 'readOnly.status', transform: 'string' },
        },
      },
      cancel: {
        method: 'POST',
        path: '/orders/{warehouseOrderId}/canceler',
        body: [{ to: 'reason', const: 'Cancelled by the merchant' }],
        notFound: [404],
        alreadyShipped: { statuses: [409, 422], contains: 'shipped' },
      },
      inventory: {
        method: 'GET',
        path: '/inventory/stocksummaries',
        query: { rql: 'itemIdentifier.sku=in=({skus})' },
        response: {
          each: 'summaries',
          sku: 'itemIdentifier.sku',
          locationId: { from: 'facilityId', transform: 'string' },
          units: 'available',
        },
      },
      listShipments: {
        method: 'GET',
        path: '/orders',
        query: { rql: 'readOnly.processDate=gt={since}', pgsiz: '100', detail: 'All' },
        response: packages(`_embedded["${EXTENSIV_ORDERS_REL}"][*].packages[*]`),
      },
    },
    ...(secrets.length === 0
      ? {}
      : {
          webhook: {
            signature: {
              header: 'x-extensiv-signature',
              algorithm: 'sha256',
              encoding: 'hex',
              prefix: 'sha256=',
              secrets,
            },
            topic: { path: 'eventType', accept: ['OrderShipped'] },
            shipments: packages('order.packages'),
          },
        }),
  };
}
