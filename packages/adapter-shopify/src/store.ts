import { createHash } from 'node:crypto';
import type { Order, OrderEvent, StoreAdapter, StoreHoldReason, StoreOrderRef } from '@fulfil/core';
import { UpstreamError } from '@fulfil/http';
import {
  assertNoUserErrors,
  createShopifyAdminClient,
  type ShopifyAdminClient,
  type ShopifyAdminClientOptions,
  type UserError,
} from './admin-client';
import { type GraphqlOrder, graphqlOrderToPayload } from './graphql-order';
import { normalizeShopifyOrder, numericIdOf, type OrderNaming, shopifyAdminUrl } from './normalize';
import { ShopifyOrderPayload } from './payload';
import * as Q from './queries';
import { feedOrders, scanOrdersUpdatedSince } from './reconcile';
import { appendOrderNote, type NoteOptions, readFulfillmentOrder } from './store-extras';
import { checkStoreOptions } from './store-options';
import {
  type FulfillmentOrderInfo,
  type FulfillmentOrderSource,
  HOLD_HANDLE_PREFIX,
} from './store-webhooks';

/** Core hold reasons → Shopify `FulfillmentHoldReason`. */
export const HOLD_REASONS: Record<StoreHoldReason, string> = {
  fraud: 'HIGH_RISK_OF_FRAUD',
  awaiting_payment: 'AWAITING_PAYMENT',
  out_of_stock: 'INVENTORY_OUT_OF_STOCK',
  incorrect_address: 'INCORRECT_ADDRESS',
  other: 'OTHER',
};

export { HOLD_HANDLE_PREFIX };

/** Options of {@link createShopifyStore}. */
export interface ShopifyStoreOptions
  extends Omit<ShopifyAdminClientOptions, 'shop' | 'accessToken'> {
  /** The shop domain, e.g. `acme.myshopify.com`. */
  shop: string;
  /** Admin API token; not needed when `admin` is given. */
  accessToken?: string;
  /** An existing Admin client (shares its cost limiter). */
  admin?: ShopifyAdminClient;
  /** The adapter's name. Default `shopify`. */
  name?: string;
  /** Engine order ids. Default `shopify:{handle}:{numericId}` (the webhook parser's too). */
  orderId?: OrderNaming['orderId'];
  /** Tell the merchant about holds this adapter places. Default false. */
  notifyMerchantOnHold?: boolean;
  /** Orders per page when listing. Default 50. */
  pageSize?: number;
  /** Where `addNote` writes (an order metafield; see {@link NoteOptions} for why). */
  notes?: NoteOptions;
}

/** What {@link ShopifyStore.reconcile} did. */
export interface ReconcileReport {
  /** Orders updated since the watermark. */
  scanned: number;
  /** Events handed to `ingest`. */
  ingested: number;
  /** The newest `updated_at` seen: pass it as `since` next time. */
  watermark: string;
}

/** The Shopify {@link StoreAdapter}, plus fetching, listing and reconciliation. */
export interface ShopifyStore extends StoreAdapter, FulfillmentOrderSource {
  readonly admin: ShopifyAdminClient;
  /**
   * Appends a line to the order's note metafield (`fulfil.timeline` by default):
   * Shopify has no timeline-comment API for apps, and the order note belongs to the
   * customer and the merchant. Idempotent on the key.
   */
  addNote(order: StoreOrderRef, text: string, idempotencyKey: string): Promise<void>;
  /** A fulfillment order's order, location and holds (webhook handler: `fulfillmentOrders`). */
  fulfillmentOrder(id: string): Promise<FulfillmentOrderInfo | undefined>;
  adminUrl(order: StoreOrderRef): string;
  fetchOrder(externalId: string): Promise<Order | undefined>;
  /**
   * Moves the order's open fulfillment orders to another location
   * (`fulfillmentOrderMove`). Idempotent: those already there are skipped.
   * `locationId` is a location gid or numeric id.
   */
  moveFulfillmentOrders(order: StoreOrderRef, locationId: string): Promise<void>;
  /** Orders updated at or after `watermark` (ISO time), oldest first, and the new watermark. */
  listOrdersUpdatedSince(watermark: string): Promise<{ orders: Order[]; watermark: string }>;
  /**
   * Feeds every order updated since `since` through `ingest` as `order.updated`
   * (creating orders whose webhooks never arrived; the engine ignores what it
   * already has as stale), plus `order.cancelled` for cancelled ones. Stops at the
   * first `ingest` failure (rethrown): run it again from the same `since`.
   */
  reconcile(
    since: string,
    ingest: (event: OrderEvent) => Promise<unknown>,
  ): Promise<ReconcileReport>;
}

interface FoNode {
  id: string;
  status: string;
  assignedLocation?: { location: { id: string } | null } | null;
  fulfillmentHolds: { id: string; handle: string | null }[];
  lineItems: { nodes: { id: string; remainingQuantity: number; lineItem: { id: string } }[] };
}
interface FoQuery {
  order: {
    fulfillments: { trackingInfo: { number: string | null }[] }[];
    fulfillmentOrders: { nodes: FoNode[] };
  } | null;
}

const ACTIVE = new Set(['OPEN', 'ON_HOLD', 'IN_PROGRESS', 'SCHEDULED']);

/**
 * Creates the Shopify store adapter on the Admin GraphQL API.
 *
 * Contract (the StoreAdapter port's): every method is idempotent on its key —
 * `addTags` naturally (`tagsAdd`), `hold` through the hold's `handle` (derived from
 * the key), `releaseHold` releases only holds this adapter placed, `fulfill` skips
 * a fulfillment whose tracking number the order already has. Unknown outcomes throw
 * `UpstreamError` (code `ADAPTER_FAILED`) so the dispatcher retries.
 *
 * @example
 * ```ts
 * const store = createShopifyStore({ shop: 'acme.myshopify.com', accessToken: process.env.SHOPIFY_TOKEN! });
 * const engine = createEngine({ store, ... });
 * setInterval(() => store.reconcile(lastRun, (e) => engine.ingest(e)), 15 * 60_000);
 * ```
 */
export function createShopifyStore(options: ShopifyStoreOptions): ShopifyStore {
  checkStoreOptions(options);
  const admin =
    options.admin ??
    createShopifyAdminClient({
      shop: options.shop,
      accessToken: options.accessToken ?? '',
      apiVersion: options.apiVersion,
      endpoint: options.endpoint,
      limiter: options.limiter,
      defaultCost: options.defaultCost,
      throttleRetries: options.throttleRetries,
      http: options.http,
    });
  const naming: OrderNaming = { shop: options.shop, orderId: options.orderId };
  const orderGid = (ref: StoreOrderRef | string) => {
    const id = typeof ref === 'string' ? ref : ref.externalId;
    return id.startsWith('gid://') ? id : `gid://shopify/Order/${numericIdOf(id)}`;
  };

  async function fulfillmentOrders(ref: StoreOrderRef) {
    const data = await admin.request<FoQuery>(Q.FULFILLMENT_ORDERS_QUERY, { id: orderGid(ref) });
    if (!data.order) throw failure('order not found', 'ORDER_NOT_FOUND', false, ref);
    return data.order;
  }

  async function mutate(name: string, query: string, variables: Record<string, unknown>) {
    const data = await admin.request<Record<string, { userErrors?: UserError[] }>>(
      query,
      variables,
    );
    return data[name];
  }

  const normalize = (o: GraphqlOrder) =>
    normalizeShopifyOrder(ShopifyOrderPayload.parse(graphqlOrderToPayload(o)), naming);

  const scan = (watermark: string) =>
    scanOrdersUpdatedSince(admin, watermark, options.pageSize ?? 50, normalize);

  return {
    name: options.name ?? 'shopify',
    admin,
    async addTags(ref, tags) {
      if (tags.length === 0) return;
      assertNoUserErrors(
        'tagsAdd',
        await mutate('tagsAdd', Q.TAGS_ADD, { id: orderGid(ref), tags }),
      );
    },
    async hold(ref, reason, note, idempotencyKey) {
      const handle = holdHandle(idempotencyKey);
      const order = await fulfillmentOrders(ref);
      const open = order.fulfillmentOrders.nodes.filter((fo) => ACTIVE.has(fo.status));
      if (order.fulfillmentOrders.nodes.length === 0) {
        throw failure(
          'the order has no fulfillment orders yet',
          'NO_FULFILLMENT_ORDERS',
          true,
          ref,
        );
      }
      for (const fo of open) {
        if (fo.fulfillmentHolds.some((h) => h.handle === handle)) continue;
        const payload = await mutate('fulfillmentOrderHold', Q.FULFILLMENT_ORDER_HOLD, {
          id: fo.id,
          fulfillmentHold: {
            reason: HOLD_REASONS[reason] ?? 'OTHER',
            reasonNotes: note.slice(0, 255),
            notifyMerchant: options.notifyMerchantOnHold ?? false,
            handle,
          },
        });
        const duplicate = payload?.userErrors?.some(
          (e) => e.code === 'DUPLICATE_FULFILLMENT_HOLD_HANDLE',
        );
        if (!duplicate) assertNoUserErrors('fulfillmentOrderHold', payload);
      }
    },
    async releaseHold(ref) {
      const order = await fulfillmentOrders(ref);
      for (const fo of order.fulfillmentOrders.nodes) {
        const ours = fo.fulfillmentHolds.filter((h) => h.handle?.startsWith(HOLD_HANDLE_PREFIX));
        if (ours.length === 0) continue;
        const payload = await mutate(
          'fulfillmentOrderReleaseHold',
          Q.FULFILLMENT_ORDER_RELEASE_HOLD,
          {
            id: fo.id,
            holdIds: ours.map((h) => h.id),
          },
        );
        assertNoUserErrors('fulfillmentOrderReleaseHold', payload);
      }
    },
    async fulfill(ref, f) {
      const order = await fulfillmentOrders(ref);
      const done = order.fulfillments.some((x) =>
        x.trackingInfo.some((t) => t.number === f.tracking.number),
      );
      if (done) return;
      const groups = new Map<string, { id: string; quantity: number }[]>();
      for (const line of f.lines) {
        let left = line.quantity;
        const target = `gid://shopify/LineItem/${numericIdOf(line.lineId)}`;
        for (const fo of order.fulfillmentOrders.nodes.filter((x) => ACTIVE.has(x.status))) {
          for (const item of fo.lineItems.nodes) {
            if (left === 0 || item.lineItem.id !== target || item.remainingQuantity === 0) continue;
            const quantity = Math.min(left, item.remainingQuantity);
            left -= quantity;
            groups.set(fo.id, [...(groups.get(fo.id) ?? []), { id: item.id, quantity }]);
          }
        }
      }
      if (groups.size === 0) return; // nothing left to fulfil: already done
      const payload = await mutate('fulfillmentCreate', Q.FULFILLMENT_CREATE, {
        fulfillment: {
          notifyCustomer: f.notifyCustomer,
          trackingInfo: {
            company: f.tracking.carrier,
            number: f.tracking.number,
            url: f.tracking.url,
          },
          lineItemsByFulfillmentOrder: [...groups].map(([fulfillmentOrderId, items]) => ({
            fulfillmentOrderId,
            fulfillmentOrderLineItems: items,
          })),
        },
      });
      assertNoUserErrors('fulfillmentCreate', payload);
    },
    async moveFulfillmentOrders(ref, locationId) {
      const target = locationId.startsWith('gid://')
        ? locationId
        : `gid://shopify/Location/${locationId}`;
      const order = await fulfillmentOrders(ref);
      for (const fo of order.fulfillmentOrders.nodes) {
        if (fo.status !== 'OPEN' || fo.assignedLocation?.location?.id === target) continue;
        const payload = await mutate('fulfillmentOrderMove', Q.FULFILLMENT_ORDER_MOVE, {
          id: fo.id,
          newLocationId: target,
        });
        assertNoUserErrors('fulfillmentOrderMove', payload);
      }
    },
    addNote: (ref, text, idempotencyKey) =>
      appendOrderNote(admin, orderGid(ref), text, idempotencyKey, options.notes),
    fulfillmentOrder: (id) => readFulfillmentOrder(admin, id),
    adminUrl: (ref) => shopifyAdminUrl(options.shop, numericIdOf(ref.externalId)),
    async fetchOrder(externalId) {
      const data = await admin.request<{ order: GraphqlOrder | null }>(Q.ORDER_QUERY, {
        id: orderGid(externalId),
      });
      return data.order ? normalize(data.order) : undefined;
    },
    async listOrdersUpdatedSince(watermark) {
      const { orders, watermark: newest } = await scan(watermark);
      return { orders: orders.map((o) => o.order), watermark: newest };
    },
    async reconcile(since, ingest) {
      const { orders, watermark } = await scan(since);
      const ingested = await feedOrders(options.shop, orders, ingest);
      return { scanned: orders.length, ingested, watermark };
    },
  };
}

/** A short, stable hold handle from an idempotency key. */
export function holdHandle(idempotencyKey: string): string {
  return `${HOLD_HANDLE_PREFIX}${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22)}`;
}

function failure(message: string, code: string, retryable: boolean, ref: StoreOrderRef) {
  return new UpstreamError(`${ref.externalId}: ${message}`, {
    vendor: 'shopify',
    method: 'POST',
    url: 'graphql',
    status: 200,
    vendorCode: code,
    retryable,
  });
}
