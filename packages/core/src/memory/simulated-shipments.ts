import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import type { ShipmentRequest } from '../model/commands';
import { type EventOf, type LineQuantity, OrderEvent, type Tracking } from '../model/events';
import type { Clock } from '../ports/clock';

/** Where an upstream order at the simulated warehouse stands. */
export type UpstreamOrderStatus =
  | 'accepted'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'cancelled';

/** An order the simulated warehouse accepted. */
export interface UpstreamOrder {
  warehouseOrderId: string;
  /** The idempotency key of the submit that created it. */
  idempotencyKey: string;
  request: ShipmentRequest;
  status: UpstreamOrderStatus;
  acceptedAt: number;
  /** Does not ship before this time (epoch ms). */
  holdUntil?: number;
  /** Units shipped per request line (same index as `request.lines`). */
  shipped: number[];
  shippedAt?: number;
  deliveredAt?: number;
  cancelledAt?: number;
  /** One entry per parcel. */
  tracking: Tracking[];
}

interface LogOptions {
  name: string;
  clock: Clock;
  shipAfterMs: number;
  deliverAfterMs: number | undefined;
  carrier: string;
  trackingUrl: (trackingNumber: string, carrier: string) => string;
}

interface Due {
  at: number;
  kind: 0 | 1;
  seq: number;
  order: UpstreamOrder;
}

/** The simulated warehouse's upstream orders and the events they produce. Internal. */
export function createShipmentLog(options: LogOptions) {
  const { name, clock, carrier } = options;
  const orders: UpstreamOrder[] = [];
  const log: { at: number; event: OrderEvent }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let parcels = 0;
  const slug = name.toUpperCase().replace(/[^A-Z0-9]+/g, '');

  /** Appends an event; `occurredAt` strictly increases so a `since` watermark never skips one. */
  const emit = (at: number, raw: Record<string, unknown>): OrderEvent => {
    const when = at > last ? at : last + 1;
    last = when;
    const event = parseOrThrow(
      OrderEvent,
      { ...raw, occurredAt: new Date(when).toISOString() },
      `warehouse "${name}" event`,
    );
    log.push({ at: when, event });
    return event;
  };

  const ship = (order: UpstreamOrder, at: number, lines: LineQuantity[]) => {
    const number = `SIM${slug}${String(++parcels).padStart(8, '0')}`;
    const tracking: Tracking = { carrier, number, url: options.trackingUrl(number, carrier) };
    order.tracking.push(tracking);
    const event = emit(at, {
      type: 'warehouse.shipped',
      idempotencyKey: `${name}/${order.warehouseOrderId}/shipped/${order.tracking.length}`,
      orderId: order.request.orderId,
      shipmentId: order.request.shipment.id,
      tracking,
      lines,
    });
    const done = order.request.lines.every((line, i) => (order.shipped[i] ?? 0) >= line.quantity);
    order.status = done ? 'shipped' : 'partially_shipped';
    if (done) order.shippedAt = Date.parse(event.occurredAt);
    return event as EventOf<'warehouse.shipped'>;
  };

  const remaining = (order: UpstreamOrder): LineQuantity[] =>
    order.request.lines
      .map((line, i) => ({
        lineId: line.lineId,
        quantity: line.quantity - (order.shipped[i] ?? 0),
      }))
      .filter((line) => line.quantity > 0);

  const isOpen = (order: UpstreamOrder) =>
    order.status === 'accepted' || order.status === 'partially_shipped';

  /** Open orders for a shipment. Throws when the shipment already shipped entirely. */
  const open = (shipmentId: string, purpose: 'cancel' | 'hold' | 'ship'): UpstreamOrder[] => {
    const all = orders.filter((order) => order.request.shipment.id === shipmentId);
    const found = all.filter(isOpen);
    if (found.length === 0 && all.some((o) => o.status === 'shipped' || o.status === 'delivered')) {
      throw new FulfilError(
        purpose === 'ship' ? ErrorCodes.INVALID_INPUT : ErrorCodes.ADAPTER_FAILED,
        `warehouse "${name}": cannot ${purpose} shipment "${shipmentId}": it already shipped`,
        { details: { shipmentId, reason: 'already_shipped', retryable: false } },
      );
    }
    return found;
  };

  return {
    add(request: ShipmentRequest, idempotencyKey: string): string {
      const warehouseOrderId = `${name}-${String(orders.length + 1).padStart(6, '0')}`;
      orders.push({
        warehouseOrderId,
        idempotencyKey,
        request: structuredClone(request),
        status: 'accepted',
        acceptedAt: clock.now(),
        shipped: request.lines.map(() => 0),
        tracking: [],
      });
      return warehouseOrderId;
    },

    open,

    /** Produces every event due by the clock's current time. */
    tick(): void {
      const now = clock.now();
      const due: Due[] = [];
      orders.forEach((order, seq) => {
        let shipAt = order.shippedAt;
        if (isOpen(order)) {
          shipAt = Math.max(
            order.acceptedAt + options.shipAfterMs,
            order.holdUntil ?? Number.NEGATIVE_INFINITY,
          );
          if (shipAt <= now) due.push({ at: shipAt, kind: 0, seq, order });
          else return;
        }
        const deliverAt = shipAt === undefined ? undefined : shipAt + (options.deliverAfterMs ?? 0);
        if (
          order.status !== 'delivered' &&
          order.status !== 'cancelled' &&
          deliverAt !== undefined
        ) {
          if (options.deliverAfterMs !== undefined && deliverAt <= now) {
            due.push({ at: deliverAt, kind: 1, seq, order });
          }
        }
      });
      due.sort((a, b) => a.at - b.at || a.seq - b.seq || a.kind - b.kind);
      for (const { at, kind, order } of due) {
        if (kind === 0) {
          const lines = remaining(order);
          order.request.lines.forEach((line, i) => {
            order.shipped[i] = line.quantity;
          });
          ship(order, at, lines);
          continue;
        }
        const event = emit(Math.max(at, order.shippedAt ?? at), {
          type: 'warehouse.delivered',
          idempotencyKey: `${name}/${order.warehouseOrderId}/delivered`,
          orderId: order.request.orderId,
          shipmentId: order.request.shipment.id,
        });
        order.status = 'delivered';
        order.deliveredAt = Date.parse(event.occurredAt);
      }
    },

    partialShip(shipmentId: string, lines: LineQuantity[]): EventOf<'warehouse.shipped'> {
      const order = open(shipmentId, 'ship')[0];
      if (order === undefined) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `warehouse "${name}": partialShip: no open order for shipment "${shipmentId}"`,
          { details: { path: 'shipmentId' } },
        );
      }
      const shipped = [...order.shipped];
      lines.forEach((line, n) => {
        const i = order.request.lines.findIndex(
          (l, j) => l.lineId === line.lineId && l.quantity - (shipped[j] ?? 0) >= line.quantity,
        );
        const valid = Number.isInteger(line.quantity) && line.quantity > 0;
        if (!valid || i === -1) {
          throw new FulfilError(
            ErrorCodes.INVALID_INPUT,
            `warehouse "${name}": partialShip: lines[${n}]: line "${line.lineId}" has no ${line.quantity} unshipped units in shipment "${shipmentId}"`,
            { details: { path: `lines[${n}]` } },
          );
        }
        shipped[i] = (shipped[i] ?? 0) + line.quantity;
      });
      order.shipped = shipped;
      return structuredClone(ship(order, clock.now(), structuredClone(lines)));
    },

    since(watermark: number): OrderEvent[] {
      return log
        .filter((entry) => entry.at > watermark)
        .map((entry) => structuredClone(entry.event));
    },

    orders(): UpstreamOrder[] {
      return structuredClone(orders);
    },
  };
}
