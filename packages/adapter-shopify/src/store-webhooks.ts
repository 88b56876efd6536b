import {
  type OrderEvent,
  OrderEvent as OrderEventSchema,
  parseOrThrow,
  type StoreFulfillmentChange,
  type StoreHoldReason,
  type Tracking,
} from '@fulfil/core';
import { numericIdOf } from './normalize';
import {
  FoCancelledPayload,
  FulfillmentPayload,
  HoldReleasedPayload,
  HoldTopicPayload,
  MovedPayload,
  PlacedOnHoldPayload,
  type ShopifyHoldPayload,
} from './store-payloads';

/** Prefix of the `handle` of every hold this adapter places (only those are released). */
export const HOLD_HANDLE_PREFIX = 'fulfil-';

/** Fulfillment topics turned into `store.fulfillment_changed` events. */
export const STORE_TOPICS = [
  'fulfillment_orders/placed_on_hold',
  'fulfillment_orders/hold_released',
  'fulfillment_orders/moved',
  'fulfillment_orders/cancelled',
  'fulfillment_holds/added',
  'fulfillment_holds/released',
  'fulfillments/create',
  'fulfillments/update',
] as const;

/** What the adapter needs to know about a fulfillment order (its webhooks do not name the order). */
export interface FulfillmentOrderInfo {
  id: string;
  status: string;
  /** The order's gid. */
  orderId: string;
  /** The assigned location's gid. */
  locationId?: string;
  holds: { id: string; handle: string | null; reason?: string; heldByRequestingApp: boolean }[];
}

/** Finds a fulfillment order (the Shopify store adapter does: `createShopifyStore`). */
export interface FulfillmentOrderSource {
  fulfillmentOrder(id: string): Promise<FulfillmentOrderInfo | undefined>;
}

/** Changes from a fulfillment-order webhook, waiting for the order they belong to. */
export interface PendingStoreChanges {
  fulfillmentOrderId: string;
  occurredAt: string;
  changes: { idempotencyKey: string; change: StoreFulfillmentChange }[];
}

/** What {@link parseStoreTopic} needs from the webhook. */
export interface StoreTopicContext {
  topic: string;
  shop: string;
  /** The delivery's idempotency key (from the event or webhook id). */
  key: string;
  occurredAt: string;
  /** Shopify location (gid or numeric id) → engine location id. */
  locations?: Readonly<Record<string, string>>;
  /** Engine order id from a numeric order id. */
  orderIdOf: (numericId: string) => string;
}

const REASONS: Record<string, StoreHoldReason> = {
  HIGH_RISK_OF_FRAUD: 'fraud',
  AWAITING_PAYMENT: 'awaiting_payment',
  INVENTORY_OUT_OF_STOCK: 'out_of_stock',
  INCORRECT_ADDRESS: 'incorrect_address',
};

/** Shopify `FulfillmentHoldReason` (any case) → core hold reason; unknown ones are `other`. */
export function holdReasonOf(reason: string | null | undefined): StoreHoldReason {
  return REASONS[(reason ?? '').toUpperCase()] ?? 'other';
}

/** A hold this app placed: it echoes back as a webhook and is not a store-side change. */
export function isOwnHold(h: {
  handle?: string | null;
  held_by_requesting_app?: boolean | null;
  heldByRequestingApp?: boolean;
}): boolean {
  return (
    h.held_by_requesting_app === true ||
    h.heldByRequestingApp === true ||
    (h.handle ?? '').startsWith(HOLD_HANDLE_PREFIX)
  );
}

/**
 * Maps a fulfillment topic's (losslessly parsed) body to events (`fulfillments/*`,
 * which name the order) or to changes waiting for the fulfillment order's order.
 * Throws `INVALID_INPUT` naming the path for an invalid payload.
 */
export function parseStoreTopic(
  ctx: StoreTopicContext,
  json: unknown,
): { events: OrderEvent[]; pending?: PendingStoreChanges } {
  const { shop, topic, key, occurredAt } = ctx;
  const pending = (foId: string, changes: PendingStoreChanges['changes']) => ({
    events: [],
    ...(changes.length > 0 ? { pending: { fulfillmentOrderId: foId, occurredAt, changes } } : {}),
  });
  const placed = (foId: string, holds: ShopifyHoldPayload[]) =>
    pending(
      foId,
      holds
        .filter((h) => !isOwnHold(h))
        .map((h) => ({
          idempotencyKey: `shopify:${shop}:hold:${h.id}:placed`,
          change: {
            kind: 'hold_placed',
            holdId: h.id,
            fulfillmentOrderId: foId,
            reason: holdReasonOf(h.reason),
            ...(h.reason ? { storeReason: h.reason.toUpperCase() } : {}),
            ...(h.reason_notes ? { notes: h.reason_notes.slice(0, 2000) } : {}),
          },
        })),
    );
  switch (topic) {
    case 'fulfillment_orders/placed_on_hold': {
      const p = parseOrThrow(PlacedOnHoldPayload, json, 'body');
      const holds = p.fulfillment_order.fulfillment_holds ?? [];
      const all = p.created_fulfillment_hold ? [...holds, p.created_fulfillment_hold] : holds;
      return placed(p.fulfillment_order.id, [...new Map(all.map((h) => [h.id, h])).values()]);
    }
    case 'fulfillment_holds/added': {
      const p = parseOrThrow(HoldTopicPayload, json, 'body');
      return placed(p.fulfillment_order.id, [p.fulfillment_hold]);
    }
    case 'fulfillment_holds/released': {
      const p = parseOrThrow(HoldTopicPayload, json, 'body');
      const h = p.fulfillment_hold;
      if (isOwnHold(h)) return { events: [] };
      return pending(p.fulfillment_order.id, [
        {
          idempotencyKey: `shopify:${shop}:hold:${h.id}:released`,
          change: {
            kind: 'hold_released',
            fulfillmentOrderId: p.fulfillment_order.id,
            holdIds: [h.id],
          },
        },
      ]);
    }
    case 'fulfillment_orders/hold_released': {
      const p = parseOrThrow(HoldReleasedPayload, json, 'body');
      const foId = p.fulfillment_order.id;
      return pending(foId, [
        { idempotencyKey: key, change: { kind: 'hold_released', fulfillmentOrderId: foId } },
      ]);
    }
    case 'fulfillment_orders/moved': {
      const p = parseOrThrow(MovedPayload, json, 'body');
      const to = String(
        p.destination_location_id ?? p.moved_fulfillment_order?.assigned_location_id ?? '',
      );
      const engineLocation = locationOf(ctx, to);
      const foId = p.moved_fulfillment_order?.id ?? p.original_fulfillment_order.id;
      return pending(foId, [
        {
          idempotencyKey: key,
          change: {
            kind: 'moved',
            storeLocationId: to,
            fulfillmentOrderId: foId,
            ...(engineLocation ? { locationId: engineLocation } : {}),
          },
        },
      ]);
    }
    case 'fulfillment_orders/cancelled': {
      const p = parseOrThrow(FoCancelledPayload, json, 'body');
      const foId = p.fulfillment_order.id;
      return pending(foId, [
        {
          idempotencyKey: `shopify:${shop}:fulfillment-order:${foId}:cancelled`,
          change: {
            kind: 'cancelled',
            fulfillmentOrderId: foId,
            replaced: Boolean(p.replacement_fulfillment_order),
          },
        },
      ]);
    }
    case 'fulfillments/create':
    case 'fulfillments/update':
      return {
        events: fulfillmentEvents(ctx, parseOrThrow(FulfillmentPayload, unwrapped(json), 'body')),
      };
    default:
      return { events: [] };
  }
}

/** Statuses of a fulfillment that did not (or no longer) ship anything. */
const NOT_SHIPPED = new Set(['cancelled', 'error', 'failure']);

function fulfillmentEvents(ctx: StoreTopicContext, p: FulfillmentPayload): OrderEvent[] {
  if (NOT_SHIPPED.has((p.status ?? '').toLowerCase())) return [];
  const gid = p.admin_graphql_api_id ?? `gid://shopify/Fulfillment/${p.id}`;
  const lines = p.line_items
    .filter((l) => l.quantity > 0)
    .map((l) => ({ lineId: String(l.id), quantity: l.quantity }));
  if (lines.length === 0) return [];
  const numbers = [
    ...new Set([...(p.tracking_numbers ?? []), ...(p.tracking_number ? [p.tracking_number] : [])]),
  ].filter((n) => n.trim() !== '');
  const urls = p.tracking_urls ?? (p.tracking_url ? [p.tracking_url] : []);
  const tracking: Tracking[] = numbers.map((number, i) => {
    const url = urls[i];
    return {
      carrier: p.tracking_company?.trim() || 'Other',
      number: number.trim(),
      ...(url && URL.canParse(url) ? { url } : {}),
    };
  });
  const storeLocation = p.location_id == null ? undefined : String(p.location_id);
  const engineLocation = storeLocation ? locationOf(ctx, storeLocation) : undefined;
  const event = {
    type: 'store.fulfillment_changed',
    idempotencyKey: `shopify:${ctx.shop}:fulfillment:${gid}:${p.updated_at ?? p.created_at ?? ctx.key}`,
    occurredAt: ctx.occurredAt,
    orderId: ctx.orderIdOf(String(p.order_id)),
    change: {
      kind: 'fulfilled',
      fulfillmentId: gid,
      lines,
      tracking,
      ...(storeLocation ? { storeLocationId: `gid://shopify/Location/${storeLocation}` } : {}),
      ...(engineLocation ? { locationId: engineLocation } : {}),
    },
  };
  return [parseOrThrow(OrderEventSchema, event, 'events[0]')];
}

/**
 * Turns pending changes into events once the fulfillment order is found: the order
 * id comes from it, and holds no longer on it (a late delivery after their release)
 * or placed by this app are dropped. An unknown fulfillment order gives no events.
 */
export async function resolvePendingChanges(
  pending: PendingStoreChanges,
  source: FulfillmentOrderSource,
  orderIdOf: (numericId: string) => string,
): Promise<OrderEvent[]> {
  const fo = await source.fulfillmentOrder(pending.fulfillmentOrderId);
  if (!fo) return [];
  const current = new Map(fo.holds.map((h) => [h.id, h]));
  const orderId = orderIdOf(numericIdOf(fo.orderId));
  return pending.changes
    .filter(({ change }) => {
      if (change.kind !== 'hold_placed') return true;
      const now = current.get(change.holdId);
      return now !== undefined && !isOwnHold(now);
    })
    .map(({ idempotencyKey, change }, i) =>
      parseOrThrow(
        OrderEventSchema,
        {
          type: 'store.fulfillment_changed',
          idempotencyKey,
          occurredAt: pending.occurredAt,
          orderId,
          change,
        },
        `events[${i}]`,
      ),
    );
}

/** A REST-wrapped fulfillment (`{"fulfillment": {...}}`) is read as the bare one. */
function unwrapped(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || 'id' in json) return json;
  const inner = (json as { fulfillment?: unknown }).fulfillment;
  return typeof inner === 'object' && inner !== null ? inner : json;
}

function locationOf(ctx: StoreTopicContext, storeLocation: string): string | undefined {
  if (!ctx.locations || storeLocation === '') return undefined;
  const n = numericIdOf(storeLocation);
  for (const [k, v] of Object.entries(ctx.locations)) if (numericIdOf(k) === n) return v;
  return undefined;
}
