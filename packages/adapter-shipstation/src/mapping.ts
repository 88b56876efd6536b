import { createHash } from 'node:crypto';
import { FulfilError, type ShipmentRequest } from '@fulfil/core';
import type { ShipStationOrderInput } from './types';

/** Longest `orderNumber` ShipStation takes. */
export const ORDER_NUMBER_MAX = 50;

/** Prefix of every `orderKey` this adapter writes. */
export const ORDER_KEY_PREFIX = 'fulfil-';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The ShipStation `orderKey` for a submission: stable for its idempotency key,
 * so a retried `createorder` updates the same order instead of adding one.
 */
export function orderKeyOf(idempotencyKey: string): string {
  return `${ORDER_KEY_PREFIX}${sha(idempotencyKey).slice(0, 40)}`;
}

/**
 * The ShipStation `orderNumber` of a core shipment: the shipment id itself when
 * it fits in 50 characters, else its last 37 characters after a 12-digit hash.
 * Derived from the shipment id alone so `cancel` and `holdUntil` find the order
 * (`GET /orders?orderNumber=`) without local state, in any process.
 */
export function orderNumberOf(shipmentId: string): string {
  if (shipmentId.length <= ORDER_NUMBER_MAX) return shipmentId;
  return `${sha(shipmentId).slice(0, 12)}~${shipmentId.slice(-(ORDER_NUMBER_MAX - 13))}`;
}

const digitsCache = new Map<string, number>();

/** Minor units → ShipStation's decimal amount (USD 2 digits, JPY 0, KWD 3). */
export function toDecimal(minor: number, currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch (cause) {
      throw new FulfilError('INVALID_INPUT', `request.currency: unknown currency "${currency}"`, {
        cause,
        details: { path: 'request.currency' },
      });
    }
    digitsCache.set(currency, digits);
  }
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** Instructions that mark a gift (the core note taxonomy's "Gift: ..." instructions, or a `gift` word). */
const GIFT = /^\s*gift\b/i;

/**
 * Builds the whole ShipStation order for one core shipment (`createorder` takes
 * no partial updates).
 *
 * Mapping:
 * - `orderKey` ← the idempotency key (hashed); `orderNumber` ← the shipment id (see {@link orderNumberOf}).
 * - `advancedOptions.warehouseId` ← the location's warehouse; `customField1` ← core order id,
 *   `customField2` ← core shipment id, `customField3` ← the store's order name (`#1001`).
 *   A split order's shipments are separate ShipStation orders sharing `customField1`.
 * - `items[].lineItemKey` ← core line id. A kit ships as ONE item (its SKU and quantity)
 *   whose `options` list the components per kit unit (`{ name: 'Component SKU-A', value: '2' }`),
 *   so shipped quantities map back to core lines one to one.
 * - `internalNotes` ← the packing instructions, one per line (the warehouse sees them,
 *   the customer does not); `customerNotes` ← the customer's note.
 * - `gift` ← true when an instruction starts with "Gift"; then `giftMessage` ← the
 *   customer's note (where shoppers write the gift message).
 * - `requestedShippingService` ← the routing policy's service.
 */
export function toShipStationOrder(
  request: ShipmentRequest,
  idempotencyKey: string,
  warehouseId: number,
): ShipStationOrderInput {
  const to = request.shipTo;
  const name = to?.name?.trim() || 'Customer';
  const address = {
    name,
    company: to?.company ?? null,
    street1: to?.line1 ?? null,
    street2: to?.line2 ?? null,
    street3: null,
    city: to?.city ?? null,
    state: to?.province ?? null,
    postalCode: to?.postalCode ?? null,
    country: to?.country ?? null,
    phone: to?.phone ?? null,
    residential: null,
  };
  const note = request.note?.trim() || null;
  const gift = request.instructions.some((i) => GIFT.test(i));
  const items = request.lines.map((line) => ({
    lineItemKey: line.lineId,
    sku: line.sku,
    name: line.title ?? line.sku,
    quantity: line.quantity,
    unitPrice: toDecimal(line.unitPrice, request.currency),
    options: (line.components ?? []).map((c) => ({
      name: `Component ${c.sku}`,
      value: String(c.quantity),
    })),
  }));
  const total = request.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  return {
    orderNumber: orderNumberOf(request.shipment.id),
    orderKey: orderKeyOf(idempotencyKey),
    orderDate: request.shipment.createdAt,
    orderStatus: 'awaiting_shipment',
    billTo: { name },
    shipTo: address,
    items,
    amountPaid: toDecimal(total, request.currency),
    customerNotes: note,
    internalNotes: request.instructions.length > 0 ? request.instructions.join('\n') : null,
    gift,
    giftMessage: gift ? note : null,
    requestedShippingService: request.service ?? null,
    advancedOptions: {
      warehouseId,
      customField1: request.orderId,
      customField2: request.shipment.id,
      customField3: request.orderName ?? null,
      source: 'fulfil',
    },
  };
}
