import type { EventOf } from '@fulfil/core';
import { UpstreamError } from '@fulfil/http';
import type { ShipStationClient } from './client';
import { orderNumberOf } from './mapping';
import { fromPacific, toPacificFilter } from './pacific-time';
import { OrderPage, ShipmentPage, ShipStationOrder, ShipStationShipment } from './types';

/** A shipment the adapter could not attribute to an order it created. */
export interface Unmatched {
  reason: string;
  details: Record<string, unknown>;
}

/** Core ids of a ShipStation order this adapter created. */
interface Ours {
  orderId: string;
  shipmentId: string;
  /** SKU → core line id, for shipment items without a `lineItemKey`. */
  lineOfSku: Map<string, string>;
}

type Lookup = { ours: Ours } | { unmatched: string };

/** Most ShipStation orders remembered by {@link createOrderDirectory}. */
const CACHE_SIZE = 5000;
/** Most pages read from one listing (500 shipments each). */
const MAX_PAGES = 200;

/** Unknown orders in one batch from which a bulk listing beats one `GET /orders/{id}` each. */
const BULK_FROM = 3;

/** Which core order and shipment a ShipStation order belongs to (cached). */
export interface OrderDirectory {
  lookup(ssOrderId: number): Promise<Lookup>;
  /**
   * Learns many orders at once: lists shipped orders modified since `sinceMs`
   * (500 a page) until every id in `ssOrderIds` is known, instead of one
   * request per order (40 requests a minute go fast).
   */
  prefetch(ssOrderIds: number[], sinceMs: number): Promise<void>;
}

/**
 * Finds which core order and shipment a ShipStation order belongs to, from
 * `advancedOptions.customField1` (order id) and `customField2` (shipment id).
 * An order is ours only when its `orderNumber` is the one derived from that
 * shipment id (split orders keep the number), so orders keyed in by hand that
 * happen to use the custom fields are not mistaken for ours. Answers are cached.
 */
export function createOrderDirectory(client: ShipStationClient): OrderDirectory {
  const cache = new Map<number, Lookup>();
  const remember = (id: number, result: Lookup) => {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as number);
    cache.set(id, result);
    return result;
  };
  return {
    async lookup(ssOrderId) {
      const hit = cache.get(ssOrderId);
      if (hit) return hit;
      try {
        return remember(
          ssOrderId,
          classify(await client.call(ShipStationOrder, { path: `orders/${ssOrderId}` })),
        );
      } catch (err) {
        if (!(err instanceof UpstreamError && err.status === 404)) throw err;
        return remember(ssOrderId, { unmatched: 'order not found in ShipStation' });
      }
    },
    async prefetch(ssOrderIds, sinceMs) {
      const missing = new Set(ssOrderIds.filter((id) => !cache.has(id)));
      if (missing.size < BULK_FROM) return;
      for (let page = 1; page <= 10 && missing.size > 0; page++) {
        const res = await client.call(OrderPage, {
          path: 'orders',
          query: {
            orderStatus: 'shipped',
            modifyDateStart: toPacificFilter(sinceMs - 3_600_000),
            sortBy: 'ModifyDate',
            sortDir: 'ASC',
            page,
            pageSize: 500,
          },
        });
        for (const order of res.orders) {
          remember(order.orderId, classify(order));
          missing.delete(order.orderId);
        }
        if (res.orders.length === 0 || page >= res.pages) break;
      }
    },
  };
}

function classify(order: ShipStationOrder): Lookup {
  const o = order.advancedOptions;
  const orderId = o?.customField1?.trim();
  const shipmentId = o?.customField2?.trim();
  if (!orderId || !shipmentId || order.orderNumber !== orderNumberOf(shipmentId)) {
    return { unmatched: 'order was not created by this adapter' };
  }
  const lineOfSku = new Map<string, string>();
  for (const item of order.items)
    if (item.sku && item.lineItemKey) lineOfSku.set(item.sku, item.lineItemKey);
  return { ours: { orderId, shipmentId, lineOfSku } };
}

/** What {@link listShipments} read: the shipments, and rows it could not read (reported, not thrown). */
export interface ShipmentListing {
  shipments: ShipStationShipment[];
  /** Rows not of the documented shape: reported as unmatched, so one odd label never stalls the rest. */
  unreadable: Unmatched[];
}

/**
 * Lists every page of `GET /shipments` with `query` (items included), on the configured
 * host or, with `origin`, on that ShipStation-family host (see `ShipStationClient.callOn`).
 */
export async function listShipments(
  client: ShipStationClient,
  query: Record<string, string | number | boolean | undefined>,
  pageSize: number,
  origin?: string,
): Promise<ShipmentListing> {
  const out: ShipmentListing = { shipments: [], unreadable: [] };
  for (let page = 1; page <= MAX_PAGES; page++) {
    const request = {
      path: 'shipments',
      query: { ...query, includeShipmentItems: true, pageSize, page },
    };
    const res = origin
      ? await client.callOn(origin, ShipmentPage, request)
      : await client.call(ShipmentPage, request);
    for (const row of res.shipments) {
      const parsed = ShipStationShipment.safeParse(row);
      if (parsed.success) {
        out.shipments.push(parsed.data);
        continue;
      }
      const issue = parsed.error.issues[0];
      const r = (row ?? {}) as Record<string, unknown>;
      out.unreadable.push({
        reason: `unreadable shipment: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
        details: {
          shipmentId: r.shipmentId ?? null,
          orderId: r.orderId ?? null,
          orderNumber: r.orderNumber ?? null,
          orderKey: r.orderKey ?? null,
          trackingNumber: r.trackingNumber ?? null,
        },
      });
    }
    if (res.shipments.length === 0 || page >= res.pages) break;
  }
  return out;
}

/** How shipments become events. */
export interface EventContext {
  /** The adapter name, prefix of event keys. */
  name: string;
  directory: OrderDirectory;
  trackingUrl?: (trackingNumber: string, carrierCode: string) => string | undefined;
}

/**
 * Turns shipments into `warehouse.shipped` events (oldest first, keys
 * `{name}:shipment:{shipmentId}`), with the shipped `lines` from `shipmentItems`
 * (`lineItemKey` is the core line id). Voided labels are skipped; shipments of
 * orders this adapter did not create are returned as `unmatched`.
 */
export async function shipmentsToEvents(
  shipments: ShipStationShipment[],
  ctx: EventContext,
): Promise<{ events: EventOf<'warehouse.shipped'>[]; unmatched: Unmatched[] }> {
  const events: EventOf<'warehouse.shipped'>[] = [];
  const unmatched: Unmatched[] = [];
  const live = shipments.filter((s) => !s.voided);
  const oldest = Math.min(...live.map((s) => fromPacific(s.createDate)).filter(Number.isFinite));
  if (Number.isFinite(oldest))
    await ctx.directory.prefetch(
      [...new Set(live.flatMap((s) => (typeof s.orderId === 'number' ? [s.orderId] : [])))],
      oldest,
    );
  for (const s of live) {
    const details = {
      shipmentId: s.shipmentId,
      orderId: s.orderId ?? null,
      orderNumber: s.orderNumber ?? null,
      orderKey: s.orderKey ?? null,
      trackingNumber: s.trackingNumber ?? null,
    };
    if (typeof s.orderId !== 'number') {
      unmatched.push({ reason: 'label without a ShipStation order', details });
      continue;
    }
    const found = await ctx.directory.lookup(s.orderId);
    if ('unmatched' in found) {
      unmatched.push({ reason: found.unmatched, details });
      continue;
    }
    const at = fromPacific(s.createDate);
    if (!Number.isFinite(at)) {
      unmatched.push({ reason: `unreadable createDate "${s.createDate}"`, details });
      continue;
    }
    const carrier = s.carrierCode?.trim() || 'other';
    const number = s.trackingNumber?.trim() || `shipstation-${s.shipmentId}`;
    const url = ctx.trackingUrl?.(number, carrier);
    const lines = linesOf(s, found.ours);
    if (lines === null) {
      unmatched.push({ reason: 'no shipment item matches a line of the order', details });
      continue;
    }
    events.push({
      type: 'warehouse.shipped',
      idempotencyKey: `${ctx.name}:shipment:${s.shipmentId}`,
      occurredAt: new Date(at).toISOString(),
      orderId: found.ours.orderId,
      shipmentId: found.ours.shipmentId,
      tracking: url ? { carrier, number, url } : { carrier, number },
      ...(lines ? { lines } : {}),
    });
  }
  events.sort(
    (a, b) =>
      Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
      a.idempotencyKey.localeCompare(b.idempotencyKey),
  );
  return { events, unmatched };
}

/**
 * Shipped units per core line; undefined when ShipStation listed no items (the
 * whole shipment shipped); null when it listed items but none maps to a line.
 */
function linesOf(s: ShipStationShipment, ours: Ours) {
  const items = s.shipmentItems ?? [];
  if (items.length === 0) return undefined;
  const units = new Map<string, number>();
  for (const item of items) {
    const lineId =
      item.lineItemKey?.trim() || (item.sku ? ours.lineOfSku.get(item.sku) : undefined);
    if (!lineId || item.quantity <= 0) continue;
    units.set(lineId, (units.get(lineId) ?? 0) + item.quantity);
  }
  if (units.size === 0) return null;
  return [...units].map(([lineId, quantity]) => ({ lineId, quantity }));
}
