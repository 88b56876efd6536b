import {
  FulfilError,
  type OrderEvent,
  type ShipmentRequest,
  type SubmitResult,
  type WarehouseAdapter,
  type WarehouseCapabilities,
  type WarehouseWebhookRequest,
  type WarehouseWebhookResult,
} from '@fulfil/core';
import { isUnknownOutcome, UpstreamError } from '@fulfil/http';
import { z } from 'zod';
import { createShipStationClient, reasonOf, type ShipStationClient } from './client';
import { toShipStationOrder } from './mapping';
import { resolveOptions, type ShipStationOptions } from './options';
import { pacificMidnight, toPacificDate, toPacificFilter } from './pacific-time';
import { findOrders, stillUnknown } from './read-back';
import { createOrderDirectory, listShipments, shipmentsToEvents } from './shipments';
import { OPEN_STATUSES, ShipStationOrder as OrderSchema, type ShipStationOrder } from './types';
import { handleShipStationWebhook } from './webhook';

/** The ShipStation {@link WarehouseAdapter}, plus reading orders back. */
export interface ShipStationWarehouse extends WarehouseAdapter {
  readonly capabilities: WarehouseCapabilities & { webhooks: boolean };
  cancel(shipmentId: string, idempotencyKey: string): Promise<void>;
  holdUntil(shipmentId: string, until: string): Promise<void>;
  pollEvents(since: number): Promise<OrderEvent[]>;
  handleWebhook(request: WarehouseWebhookRequest): Promise<WarehouseWebhookResult>;
  /**
   * The ShipStation orders of a core shipment, as ShipStation returns them
   * (one, or more after a split in ShipStation). Empty when there is none.
   */
  getOrders(shipmentId: string): Promise<ShipStationOrder[]>;
  /** The API client (its `gate` shows the server's rate-limit window). */
  readonly client: ShipStationClient;
  /** Stops the limiter this adapter created (an injected `limiter` is left to its owner). */
  close(): Promise<void>;
}

const HoldAnswer = z.looseObject({ success: z.boolean(), message: z.string().nullish() });

/** Did ShipStation refuse a write because the order is no longer open? (Its wording is undocumented.) */
const CLOSED = /\b(shipped|cancell?ed)\b/i;

/**
 * Creates the ShipStation (API v1) warehouse adapter.
 *
 * - `submit` upserts one ShipStation order per core shipment (`POST /orders/createorder`,
 *   the whole order each time) keyed by an `orderKey` derived from the idempotency
 *   key, so retries and duplicates update the same order and return the same result.
 *   A 4xx is `rejected` with ShipStation's reason (no retry); 401/403 throw a
 *   non-retryable `ADAPTER_FAILED`; 429/5xx are retried, then thrown retryable.
 *   A 2xx whose body is unreadable or not an order is an unknown outcome, never a
 *   rejection: the order is read back (`GET /orders?orderNumber=`, matched on `orderKey`);
 *   found → `accepted` with its `orderId`, not found → a retryable error (`isUnknownOutcome`).
 * - `cancel` sets open orders to `cancelled` (idempotent; unknown shipments are a
 *   no-op; a shipped one throws `ADAPTER_FAILED` with `details.reason: 'already_shipped'`).
 *   An unreadable 2xx is settled by reading the order back (cancelled → done, still open →
 *   a retryable error).
 * - `holdUntil` uses `POST /orders/holduntil` (date rounded up to the Pacific day).
 * - `pollEvents` lists `GET /shipments` since the watermark; `handleWebhook` serves
 *   SHIP_NOTIFY calls authenticated by a URL token.
 * - Every call goes through the @fulfil/http limiter (40/min by default) and
 *   follows `X-Rate-Limit-Remaining` / `X-Rate-Limit-Reset`.
 *
 * @example
 * ```ts
 * const shipstation = createShipStationWarehouse({
 *   apiKey: process.env.SHIPSTATION_KEY!,
 *   apiSecret: process.env.SHIPSTATION_SECRET!,
 *   warehouseIds: { 'loc-east': 123456 },
 *   webhookToken: process.env.SHIPSTATION_WEBHOOK_TOKEN,
 * });
 * const engine = createEngine({
 *   storage, warehouses: { shipstation },
 *   locations: [{ id: 'loc-east', warehouse: 'shipstation' }],
 * });
 * ```
 */
export function createShipStationWarehouse(input: ShipStationOptions): ShipStationWarehouse {
  const options = resolveOptions(input);
  const client = createShipStationClient(options);
  const directory = createOrderDirectory(client);
  const ctx = { name: options.name, directory, trackingUrl: options.trackingUrl };
  const fail = (message: string, reason: string, details: Record<string, unknown> = {}) =>
    new FulfilError('ADAPTER_FAILED', `shipstation: ${message}`, {
      details: { vendor: 'shipstation', reason, retryable: false, ...details },
    });

  const getOrders = (shipmentId: string) => findOrders(client, shipmentId);

  /** Cancels one open order (`createorder` with the whole order, status `cancelled`). */
  async function cancelOne(shipmentId: string, order: ShipStationOrder): Promise<void> {
    try {
      await client.call(OrderSchema, {
        method: 'POST',
        path: 'orders/createorder',
        body: { ...order, orderStatus: 'cancelled' },
        idempotent: true,
      });
    } catch (err) {
      if (isUnknownOutcome(err)) {
        // The answer was unreadable: did the cancel land? Read the order back.
        const now = (await getOrders(shipmentId)).find((o) => o.orderId === order.orderId);
        if (!now || now.orderStatus === 'cancelled') return;
        if (now.orderStatus === 'shipped') {
          throw fail(`shipment ${shipmentId} shipped while cancelling`, 'already_shipped', {
            shipmentId,
            orderId: order.orderId,
          });
        }
        throw stillUnknown(err, `cancel of order ${order.orderId}`, 'not_applied', {
          shipmentId,
          orderId: order.orderId,
        });
      }
      if (isClientError(err) && /\bshipped\b/i.test(reasonOf(err))) {
        throw fail(`shipment ${shipmentId} shipped while cancelling`, 'already_shipped', {
          shipmentId,
          orderId: order.orderId,
        });
      }
      throw err;
    }
  }

  return {
    name: options.name,
    client,
    capabilities: {
      cancel: true,
      holdUntil: true,
      inventory: false,
      shipmentEvents: true,
      webhooks: options.webhookToken !== undefined,
    },

    async submit(request: ShipmentRequest, idempotencyKey: string): Promise<SubmitResult> {
      const warehouseId = options.warehouseIds[request.locationId];
      if (warehouseId === undefined) {
        return {
          status: 'rejected',
          reason: `location "${request.locationId}" has no ShipStation warehouse (shipstation.warehouseIds maps ${Object.keys(options.warehouseIds).join(', ')})`,
        };
      }
      const body = toShipStationOrder(request, idempotencyKey, warehouseId);
      try {
        const order = await client.call(OrderSchema, {
          method: 'POST',
          path: 'orders/createorder',
          body,
          idempotent: true, // an upsert by orderKey
        });
        return { status: 'accepted', warehouseOrderId: String(order.orderId) };
      } catch (err) {
        if (isUnknownOutcome(err)) {
          // A 2xx we could not read: the order may well be there. Read back by orderKey.
          const existing = (await getOrders(request.shipment.id)).find(
            (o) => o.orderKey === body.orderKey,
          );
          if (existing) return { status: 'accepted', warehouseOrderId: String(existing.orderId) };
          throw stillUnknown(err, `createorder for shipment ${request.shipment.id}`, 'not_found', {
            shipmentId: request.shipment.id,
            orderKey: body.orderKey,
          });
        }
        if (!isClientError(err)) throw err;
        const reason = reasonOf(err);
        if (CLOSED.test(reason)) {
          // The same key again after ShipStation shipped or cancelled the order: same result.
          const existing = (await getOrders(request.shipment.id)).find(
            (o) => o.orderKey === body.orderKey,
          );
          if (existing) return { status: 'accepted', warehouseOrderId: String(existing.orderId) };
        }
        return { status: 'rejected', reason };
      }
    },

    async cancel(shipmentId: string): Promise<void> {
      const orders = await getOrders(shipmentId);
      const open = orders.filter((o) => OPEN_STATUSES.has(o.orderStatus));
      if (open.length === 0) {
        const shipped = orders.filter((o) => o.orderStatus === 'shipped');
        if (shipped.length > 0) {
          throw fail(
            `shipment ${shipmentId} already shipped: it cannot be cancelled`,
            'already_shipped',
            {
              shipmentId,
              orderIds: shipped.map((o) => o.orderId),
            },
          );
        }
        return; // unknown, or already cancelled
      }
      for (const order of open) await cancelOne(shipmentId, order);
    },

    async holdUntil(shipmentId: string, until: string): Promise<void> {
      const at = Date.parse(until);
      if (!Number.isFinite(at)) {
        throw new FulfilError('INVALID_INPUT', `holdUntil.until: not a date-time: "${until}"`, {
          details: { path: 'holdUntil.until' },
        });
      }
      const orders = await getOrders(shipmentId);
      if (orders.length === 0) {
        throw fail(`no ShipStation order for shipment ${shipmentId}`, 'unknown_shipment', {
          shipmentId,
        });
      }
      const open = orders.filter((o) => OPEN_STATUSES.has(o.orderStatus));
      if (open.length === 0) {
        const shipped = orders.some((o) => o.orderStatus === 'shipped');
        throw fail(
          `shipment ${shipmentId} is ${shipped ? 'already shipped' : 'cancelled'}: it cannot be held`,
          shipped ? 'already_shipped' : 'cancelled',
          { shipmentId },
        );
      }
      const holdUntilDate = pacificDayNotBefore(at);
      for (const order of open) {
        const res = await client.call(HoldAnswer, {
          method: 'POST',
          path: 'orders/holduntil',
          body: { orderId: order.orderId, holdUntilDate },
          idempotent: true,
        });
        if (!res.success) {
          throw fail(
            `holduntil refused for order ${order.orderId}: ${res.message ?? 'no reason'}`,
            'refused',
            {
              shipmentId,
              orderId: order.orderId,
            },
          );
        }
      }
    },

    async pollEvents(since: number): Promise<OrderEvent[]> {
      const query: Record<string, string> = { sortBy: 'CreateDate', sortDir: 'ASC' };
      // Never further back than the lookback: a first poll (watermark 0) reads recent
      // labels, not the account's whole history.
      query.createDateStart = filterStart(Math.max(since, Date.now() - options.pollLookbackMs));
      const { shipments, unreadable } = await listShipments(client, query, options.pageSize);
      const { events, unmatched } = await shipmentsToEvents(shipments, ctx);
      for (const u of [...unreadable, ...unmatched]) options.onUnmatched?.(u);
      return events.filter((e) => Date.parse(e.occurredAt) > since);
    },

    handleWebhook: (request) =>
      handleShipStationWebhook(
        {
          ...ctx,
          client,
          token: options.webhookToken,
          tokenParam: options.webhookTokenParam,
          pageSize: options.pageSize,
        },
        request,
      ),

    getOrders,

    async close() {
      if (!options.limiter) await client.http.limiter?.disconnect();
    },
  };
}

/** A 4xx that is not about the rate or a timeout: the request itself was refused. */
function isClientError(err: unknown): err is UpstreamError {
  return (
    err instanceof UpstreamError &&
    err.status !== undefined &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 408 &&
    err.status !== 429
  );
}

/** The first Pacific day whose start is not before `at` (holds end at the start of a day). */
function pacificDayNotBefore(at: number): string {
  const day = toPacificDate(at);
  return pacificMidnight(day) >= at ? day : toPacificDate(pacificMidnight(day) + 25 * 3_600_000);
}

/**
 * The `createDateStart` filter for a watermark: one second earlier (the filter has
 * whole seconds; events are filtered exactly afterwards), and before the repeated
 * hour when that wall time is ambiguous (daylight saving ending).
 */
function filterStart(since: number): string {
  const start = Math.floor((since - 1000) / 1000) * 1000;
  const text = toPacificFilter(start);
  const hour = 3_600_000;
  const ambiguous =
    toPacificFilter(start - hour) === text || toPacificFilter(start + hour) === text;
  return ambiguous ? toPacificFilter(start - 2 * hour) : text;
}
