/**
 * Reading ShipStation orders back: by core shipment (`GET /orders?orderNumber=`), and to
 * settle a write whose 2xx answer could not be read (an unknown outcome).
 */
import { UpstreamError } from '@fulfil/http';
import type { ShipStationClient } from './client';
import { orderNumberOf } from './mapping';
import { OrderPage, type ShipStationOrder } from './types';

/** Most pages of 500 orders read for one shipment (a split makes a handful; 20 is generous). */
const MAX_ORDER_PAGES = 20;

/**
 * The ShipStation orders of a core shipment (one, or more after a split in ShipStation).
 * `GET /orders?orderNumber=` is a "starts with" search, so only exact matches of this
 * shipment (`orderNumber` and `advancedOptions.customField2`) are kept.
 */
export async function findOrders(
  client: ShipStationClient,
  shipmentId: string,
): Promise<ShipStationOrder[]> {
  const orderNumber = orderNumberOf(shipmentId);
  const found: ShipStationOrder[] = [];
  for (let page = 1; page <= MAX_ORDER_PAGES; page++) {
    const res = await client.call(OrderPage, {
      path: 'orders',
      query: { orderNumber, page, pageSize: 500 },
    });
    found.push(
      ...res.orders.filter(
        (o) => o.orderNumber === orderNumber && o.advancedOptions?.customField2 === shipmentId,
      ),
    );
    if (res.orders.length === 0 || page >= res.pages) break;
  }
  return found;
}

/** What a read-back after an unknown outcome found. */
export type ReadBack = 'not_found' | 'not_applied';

/**
 * The retryable error for a write whose 2xx answer was unreadable and whose effect the
 * read-back did not find (yet): the dispatcher retries it with backoff. `createorder` is an
 * upsert keyed by `orderKey`, so a later retry cannot make a second order.
 * `isUnknownOutcome(err)` from @fulfil/http is true for it.
 */
export function stillUnknown(
  cause: UpstreamError,
  what: string,
  readBack: ReadBack,
  details: Record<string, unknown>,
): UpstreamError {
  return new UpstreamError(
    `${what}: ShipStation answered ${cause.status ?? '2xx'} with a body that could not be read, and reading back found ${readBack === 'not_found' ? 'no such order' : 'the change not applied'} yet; retry later`,
    {
      vendor: 'shipstation',
      method: cause.method,
      url: cause.url,
      status: cause.status,
      vendorCode: 'INVALID_RESPONSE',
      retryable: true,
      bodyExcerpt: cause.bodyExcerpt,
      cause,
      extra: { outcome: 'unknown', readBack, ...details },
    },
  );
}
