/**
 * The data model of the fake ShipStation: orders (upsert by `orderKey`, status
 * rules), holds, splits and shipments, shaped like API v1's JSON. No HTTP here.
 */

/** A stored order: ShipStation's JSON shape (`orderId`, `orderKey`, `items`, `advancedOptions`, ...). */
export type FakeOrder = Record<string, unknown> & {
  orderId: number;
  orderNumber: string;
  orderKey: string;
  orderStatus: string;
  items: FakeItem[];
  advancedOptions: Record<string, unknown>;
};
export type FakeItem = Record<string, unknown> & {
  lineItemKey?: string | null;
  sku: string;
  quantity: number;
};

/** A stored shipment (a label). `batchId` is what a SHIP_NOTIFY `resource_url` filters on. */
export type FakeShipment = Record<string, unknown> & {
  shipmentId: number;
  orderId: number;
  orderNumber: string;
  createDate: string;
  voided: boolean;
  shipmentItems: { lineItemKey: string | null; sku: string; name: string; quantity: number }[];
  /** Not in ShipStation's JSON: when it was created (epoch ms) and its batch. */
  createdMs: number;
  batchId: number;
};

/** A refusal, answered as ShipStation's error JSON. */
export class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.Message ?? status));
  }
}

const STATUSES = new Set([
  'awaiting_payment',
  'awaiting_shipment',
  'pending_fulfillment',
  'shipped',
  'on_hold',
  'cancelled',
  'rejected_fulfillment',
]);
const OPEN = new Set(['awaiting_payment', 'awaiting_shipment', 'on_hold']);

const pacific = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** `2026-11-27T01:00:00.1230000`: Pacific wall time, as ShipStation writes dates. */
export function pacificStamp(ms: number): string {
  const text = pacific.format(new Date(ms)).replace(' ', 'T');
  return `${text}.${String(ms % 1000).padStart(3, '0')}0000`;
}

export /** Parses a Pacific `YYYY-MM-DD HH:mm:ss` filter by searching the offset (-7 h or -8 h) that formats back. */
function fromPacificText(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) return Number.NaN;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  const wanted = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
  for (const hours of [7, 8]) {
    const candidate = utc + hours * 3_600_000;
    if (pacificStamp(candidate).slice(0, 19) === wanted) return candidate;
  }
  return utc + 8 * 3_600_000;
}

const invalid = (field: string, message: string) =>
  new FakeError(400, {
    Message: 'The request is invalid.',
    ModelState: { [`apiOrder.${field}`]: [message] },
  });

/** Options of {@link createFakeOrders}. */
export interface FakeOrdersOptions {
  /** Known warehouse ids; others are refused. Default: any. */
  warehouses?: number[];
  /** Carrier of new labels. Default `usps`. */
  carrierCode?: string;
  now: () => number;
}

/** The fake's orders and shipments. */
export function createFakeOrders(options: FakeOrdersOptions) {
  const orders = new Map<number, FakeOrder>();
  const byKey = new Map<string, number>();
  const shipments: FakeShipment[] = [];
  let orderSeq = 94_000_000;
  let shipmentSeq = 33_000_000;
  let batchSeq = 100_300;
  let lastLabelMs = 0;
  const carrier = options.carrierCode ?? 'usps';

  function validate(body: Record<string, unknown>) {
    const req = (field: string) => {
      if (body[field] === undefined || body[field] === null || body[field] === '')
        throw invalid(field, `The ${field} field is required.`);
    };
    for (const f of ['orderNumber', 'orderDate', 'orderStatus', 'billTo', 'shipTo']) req(f);
    if (String(body.orderNumber).length > 50)
      throw invalid('orderNumber', 'The orderNumber may be at most 50 characters.');
    if (!STATUSES.has(String(body.orderStatus)))
      throw invalid('orderStatus', `Unknown orderStatus "${String(body.orderStatus)}".`);
    const items = body.items;
    if (items !== undefined && !Array.isArray(items)) throw invalid('items', 'must be an array');
    for (const [i, item] of ((items as FakeItem[]) ?? []).entries()) {
      if (!Number.isInteger(item.quantity) || item.quantity < 0)
        throw invalid(`items[${i}].quantity`, 'The quantity must be a whole number.');
    }
    const wh = (body.advancedOptions as { warehouseId?: unknown } | undefined)?.warehouseId;
    if (wh != null && options.warehouses && !options.warehouses.includes(Number(wh)))
      throw invalid('advancedOptions.warehouseId', `Invalid warehouseId ${String(wh)}.`);
  }

  return {
    orders,
    shipments,
    /** `POST /orders/createorder`: creates, or updates the order with the same `orderKey` (or `orderId`). */
    upsert(body: Record<string, unknown>): FakeOrder {
      validate(body);
      const key = typeof body.orderKey === 'string' && body.orderKey ? body.orderKey : undefined;
      const id =
        (key !== undefined ? byKey.get(key) : undefined) ?? (body.orderId as number | undefined);
      const existing = id !== undefined ? orders.get(id) : undefined;
      if (body.orderId !== undefined && !existing)
        throw new FakeError(400, { Message: `Order ${String(body.orderId)} was not found.` });
      if (existing && !OPEN.has(existing.orderStatus)) {
        throw new FakeError(400, {
          Message: 'The request is invalid.',
          ExceptionMessage: `Order ${existing.orderId} is ${existing.orderStatus}: orders that are shipped or cancelled cannot be updated.`,
        });
      }
      const now = options.now();
      const orderId = existing?.orderId ?? ++orderSeq;
      const order: FakeOrder = {
        ...structuredClone(body),
        orderId,
        orderKey: existing?.orderKey ?? key ?? `ss-${orderId.toString(16)}`,
        orderNumber: String(body.orderNumber),
        orderStatus: String(body.orderStatus),
        createDate: existing?.createDate ?? pacificStamp(now),
        modifyDate: pacificStamp(now),
        items: ((body.items as FakeItem[]) ?? []).map((item, i) => ({
          ...item,
          orderItemId: orderId * 100 + i,
        })),
        advancedOptions: { ...((body.advancedOptions as Record<string, unknown>) ?? {}) },
        holdUntilDate: body.orderStatus === 'on_hold' ? (body.holdUntilDate ?? null) : null,
      };
      orders.set(orderId, order);
      byKey.set(order.orderKey, orderId);
      return order;
    },
    /** `POST /orders/holduntil`. */
    hold(orderId: number, holdUntilDate: string) {
      const order = orders.get(orderId);
      if (!order) throw new FakeError(404, { Message: `Order ${orderId} was not found.` });
      if (!/^\d{4}-\d{2}-\d{2}/.test(holdUntilDate)) throw invalid('holdUntilDate', 'Not a date.');
      if (!OPEN.has(order.orderStatus))
        throw new FakeError(400, {
          Message: `Order ${orderId} is ${order.orderStatus} and cannot be held.`,
        });
      order.orderStatus = 'on_hold';
      order.holdUntilDate = holdUntilDate.slice(0, 10);
      order.modifyDate = pacificStamp(options.now());
    },
    /**
     * Creates a label for `orderId`: for every unit (`items` omitted) or for some,
     * in which case the order is split as ShipStation does (a child order with the
     * same number and custom fields takes the shipped units and ships; the parent
     * keeps the rest, still open). Returns the shipment.
     */
    ship(
      orderId: number,
      items?: { lineItemKey: string; quantity: number }[],
      batchId = ++batchSeq,
    ): FakeShipment {
      const order = orders.get(orderId);
      if (!order) throw new Error(`fake: no order ${orderId}`);
      if (order.orderStatus !== 'awaiting_shipment')
        throw new Error(`fake: order ${orderId} is ${order.orderStatus}, not awaiting_shipment`);
      const remainingAfter = order.items
        .map((item) => {
          const taken = items?.find((i) => i.lineItemKey === item.lineItemKey)?.quantity;
          return { ...item, quantity: items === undefined ? 0 : item.quantity - (taken ?? 0) };
        })
        .filter((item) => item.quantity !== 0);
      if (remainingAfter.some((i) => i.quantity < 0))
        throw new Error('fake: shipping more than ordered');
      let shipped = order;
      if (remainingAfter.length > 0) {
        const childId = ++orderSeq;
        shipped = {
          ...structuredClone(order),
          orderId: childId,
          orderKey: `split-${childId.toString(16)}`,
          items: (items ?? []).map((i) => ({
            ...structuredClone(order.items.find((o) => o.lineItemKey === i.lineItemKey)!),
            quantity: i.quantity,
          })),
          advancedOptions: {
            ...order.advancedOptions,
            mergedOrSplit: true,
            parentId: order.orderId,
          },
        };
        orders.set(childId, shipped);
        byKey.set(shipped.orderKey, childId);
        order.items = remainingAfter;
        order.advancedOptions = { ...order.advancedOptions, mergedOrSplit: true };
      }
      shipped.orderStatus = 'shipped';
      // Labels are created one after another: distinct times, as in ShipStation.
      const now = Math.max(options.now(), lastLabelMs + 1);
      lastLabelMs = now;
      shipped.modifyDate = pacificStamp(now);
      order.modifyDate = pacificStamp(now);
      const shipmentId = ++shipmentSeq;
      const shipment: FakeShipment = {
        shipmentId,
        orderId: shipped.orderId,
        orderKey: shipped.orderKey,
        userId: 'c9f06d74-95de-4263-9b04-e87095cababf',
        customerEmail: null,
        orderNumber: shipped.orderNumber,
        createDate: pacificStamp(now),
        shipDate: pacificStamp(now).slice(0, 10),
        shipmentCost: 4.35,
        insuranceCost: 0,
        trackingNumber: `9400111899${String(shipmentId).padStart(12, '0')}`,
        isReturnLabel: false,
        batchNumber: String(batchId),
        carrierCode: carrier,
        serviceCode: 'usps_ground_advantage',
        packageCode: 'package',
        confirmation: 'none',
        warehouseId: (shipped.advancedOptions.warehouseId as number | undefined) ?? null,
        voided: false,
        voidDate: null,
        marketplaceNotified: false,
        notifyErrorMessage: null,
        shipTo: shipped.shipTo,
        weight: { value: 16, units: 'ounces' },
        dimensions: null,
        insuranceOptions: { provider: null, insureShipment: false, insuredValue: 0 },
        advancedOptions: null,
        shipmentItems: shipped.items.map((i) => ({
          lineItemKey: i.lineItemKey ?? null,
          sku: i.sku,
          name: String(i.name ?? i.sku),
          quantity: i.quantity,
        })),
        labelData: null,
        formData: null,
        createdMs: now,
        batchId,
      };
      shipments.push(shipment);
      return shipment;
    },
    nextBatch: () => ++batchSeq,
  };
}
