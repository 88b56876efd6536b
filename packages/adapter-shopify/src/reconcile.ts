import type { Order, OrderEvent } from '@fulfil/core';
import type { ShopifyAdminClient } from './admin-client';
import type { GraphqlOrder } from './graphql-order';
import * as Q from './queries';

/** An order found by a scan, with what the normalized order does not carry. */
export interface ScannedOrder {
  order: Order;
  cancelledAt: string | null;
  cancelReason: string | null;
}

/** Pages through `orders(query: "updated_at:>='…'")`, oldest first. */
export async function scanOrdersUpdatedSince(
  admin: ShopifyAdminClient,
  watermark: string,
  pageSize: number,
  normalize: (o: GraphqlOrder) => Order,
): Promise<{ orders: ScannedOrder[]; watermark: string }> {
  const orders: ScannedOrder[] = [];
  let after: string | null = null;
  let newest = watermark;
  for (let page = 0; page < 10_000; page++) {
    const data: {
      orders: {
        nodes: GraphqlOrder[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await admin.request(Q.ORDERS_QUERY, {
      first: pageSize,
      after,
      query: `updated_at:>='${new Date(watermark).toISOString()}'`,
    });
    for (const node of data.orders.nodes) {
      const order = normalize(node);
      orders.push({
        order,
        cancelledAt: node.cancelledAt ?? null,
        cancelReason: node.cancelReason ?? null,
      });
      if (Date.parse(order.updatedAt) > Date.parse(newest)) newest = order.updatedAt;
    }
    if (!data.orders.pageInfo.hasNextPage) break;
    after = data.orders.pageInfo.endCursor;
  }
  return { orders, watermark: newest };
}

/**
 * Feeds scanned orders through `ingest`: `order.updated` keyed by order and
 * `updated_at` (the engine ignores what it already has as stale), then
 * `order.cancelled` for cancelled ones, keyed like the webhook parser's (runs once).
 * Returns how many events were ingested; an `ingest` failure is rethrown.
 */
export async function feedOrders(
  shop: string,
  orders: ScannedOrder[],
  ingest: (event: OrderEvent) => Promise<unknown>,
): Promise<number> {
  let ingested = 0;
  for (const { order, cancelledAt, cancelReason } of orders) {
    const gid = order.source.externalId;
    await ingest({
      type: 'order.updated',
      idempotencyKey: `shopify:${shop}:reconcile:${gid}:${order.updatedAt}`,
      occurredAt: new Date(order.updatedAt).toISOString(),
      order,
      upstreamUpdatedAt: order.updatedAt,
    });
    ingested++;
    if (cancelledAt) {
      await ingest({
        type: 'order.cancelled',
        idempotencyKey: `shopify:${shop}:cancelled:${gid}`,
        occurredAt: new Date(cancelledAt).toISOString(),
        orderId: order.id,
        reason: cancelReason?.toLowerCase(),
      });
      ingested++;
    }
  }
  return ingested;
}
