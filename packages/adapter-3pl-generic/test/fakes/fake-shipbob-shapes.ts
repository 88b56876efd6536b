/**
 * The JSON the fake ShipBob answers, built only from fields of ShipBob's
 * published 2025-07 OpenAPI (schemas `Orders.OrderViewModel`,
 * `Orders.ShipmentViewModel`, `Orders.ShipmentProductViewModel`,
 * `Orders.InventoryViewModel`, `Orders.CanceledOrderViewModel`,
 * `Inventory.InventoryQuantityFcResponsePagedResponse`; the documented examples
 * are in ../fixtures/shipbob/, with their source). Fields the fake has no value
 * for are left out, never invented.
 */

/** A shipped lot of one product (`Orders.InventoryViewModel`). */
export interface SbInventoryItem {
  id: number;
  is_dangerous_goods: boolean;
  lot: string | null;
  name: string;
  quantity: number;
  quantity_committed: number;
  serial_numbers: string[];
}

/** `Orders.ShipmentViewModel` (the fields the fake fills). */
export interface SbShipment {
  actual_fulfillment_date: string;
  created_date: string;
  id: number;
  is_tracking_uploaded: boolean;
  last_tracking_update_at: string;
  last_update_at: string;
  location: { id: number; name: string };
  order_id: number;
  products: {
    id: number;
    inventory_items: SbInventoryItem[];
    name: string;
    reference_id: string;
    sku: string;
  }[];
  recipient: Record<string, unknown>;
  reference_id: string;
  ship_option: string;
  status: 'Completed';
  tracking: {
    carrier: string;
    carrier_service: string;
    shipping_date: string;
    tracking_number: string;
    tracking_url: string;
  };
}

/** `Orders.ProductInfoViewModel`. */
export interface SbOrderProduct {
  id: number;
  quantity: number;
  reference_id: string;
  sku: string;
  unit_price?: number;
}

/** The fake's order: `Orders.OrderViewModel` fields plus two of its own (`_location`, `_updated`). */
export interface SbOrder {
  channel: { id: number; name: string };
  created_date: string;
  gift_message?: string;
  id: number;
  order_number?: string;
  products: SbOrderProduct[];
  recipient: Record<string, unknown>;
  reference_id: string;
  shipments: SbShipment[];
  shipping_method: string;
  status: 'Processing' | 'PartiallyFulfilled' | 'Fulfilled' | 'Cancelled';
  tags: { name: string; value: string }[];
  type: string;
  /** The fake's own: the fulfillment center it ships from, and the last change (ms). */
  _location: number;
  _updated: number;
}

/** An order as ShipBob answers it (the fake's own fields dropped). */
export function orderView(o: SbOrder): Record<string, unknown> {
  const { _location, _updated, ...view } = o;
  return structuredClone(view);
}

/** `Orders.CanceledOrderViewModel`. */
export function canceledView(o: SbOrder, results: { shipment_id: number; ok: boolean }[]) {
  return {
    canceled_shipment_results: results.map((r) => ({
      action: 'Cancel',
      is_success: r.ok,
      reason: r.ok ? 'Cancelled' : 'Already shipped',
      shipment_id: r.shipment_id,
    })),
    order: orderView(o),
    order_id: o.id,
    status: results.every((r) => r.ok) ? 'Success' : 'PartialSuccess',
  };
}

/** One page of a cursor-paged ShipBob answer: `{first, items, last, next, prev}` with links. */
export function page<T>(all: T[], route: string, q: URLSearchParams, size = 50) {
  const pageSize = Math.max(1, Math.min(250, Number(q.get('PageSize') ?? size) || size));
  const at = Math.max(0, Number(q.get('Cursor') ?? q.get('cursor') ?? 0) || 0);
  const link = (n: number) => `${route}?Cursor=${n}&PageSize=${pageSize}`;
  const lastAt = Math.max(0, Math.floor((all.length - 1) / pageSize) * pageSize);
  return {
    first: link(0),
    items: all.slice(at, at + pageSize),
    last: link(lastAt),
    next: at + pageSize < all.length ? link(at + pageSize) : null,
    prev: at > 0 ? link(Math.max(0, at - pageSize)) : null,
  };
}

/**
 * A shipment of `items` (SKU and units) of `order`, with tracking. Each product
 * lists the lots it shipped from in `inventory_items` (with `splitLots`, 2+
 * units come from two lots, as lot-tracked stock ships).
 */
export function shipmentView(
  order: SbOrder,
  items: { sku: string; quantity: number }[],
  at: { id: number; location: { id: number; name: string }; splitLots: boolean },
): SbShipment {
  const now = new Date().toISOString();
  const number = `9400${String(at.id).padStart(18, '0')}`;
  let lot = 0;
  const lots = (sku: string, quantity: number): SbInventoryItem[] =>
    (at.splitLots && quantity >= 2 ? [quantity - 1, 1] : [quantity]).map((q) => ({
      id: at.id * 100 + ++lot,
      is_dangerous_goods: false,
      lot: at.splitLots ? `LOT-${lot}` : null,
      name: sku,
      quantity: q,
      quantity_committed: q,
      serial_numbers: [],
    }));
  return {
    actual_fulfillment_date: now,
    created_date: now,
    id: at.id,
    is_tracking_uploaded: false,
    last_tracking_update_at: now,
    last_update_at: now,
    location: at.location,
    order_id: order.id,
    products: items.map((i, n) => ({
      id: at.id * 10 + n,
      inventory_items: lots(i.sku, i.quantity),
      name: i.sku,
      reference_id: i.sku,
      sku: i.sku,
    })),
    recipient: structuredClone(order.recipient),
    reference_id: order.reference_id,
    ship_option: order.shipping_method,
    status: 'Completed',
    tracking: {
      carrier: 'USPS',
      carrier_service: 'Priority',
      shipping_date: now,
      tracking_number: number,
      tracking_url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}`,
    },
  };
}
