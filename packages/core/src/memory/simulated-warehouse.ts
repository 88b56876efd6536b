import { z } from 'zod';
import { ErrorCodes, FulfilError } from '../errors';
import type { EventOf, LineQuantity, OrderEvent } from '../model/events';
import { functionOption, parseOptions, portOption } from '../options';
import type { Clock } from '../ports/clock';
import type { SubmitResult, WarehouseAdapter, WarehouseCapabilities } from '../ports/warehouse';
import { createFaults, type FailNextOptions } from './faults';
import type { StockTable } from './memory-inventory';
import { createShipmentLog, type UpstreamOrder } from './simulated-shipments';
import { allocate, checkRequest, refusal, unserved } from './simulated-stock';
import { StockTableOption } from './stock-option';

export type { UpstreamOrder, UpstreamOrderStatus } from './simulated-shipments';

/** Default carrier on simulated tracking. */
export const SIMULATED_CARRIER = 'SimPost';

/** The warehouse port methods, as named in `calls` and `failNext`. */
export type WarehouseMethod = 'submit' | 'cancel' | 'holdUntil' | 'inventory' | 'pollEvents';

/** Options for {@link createSimulatedWarehouse}. */
export interface SimulatedWarehouseOptions {
  /** The adapter's name (its key in `createEngine({ warehouses })`); prefixes upstream ids and event keys. */
  name: string;
  /** Decides when shipments ship and arrive. Use a simulated clock in tests. */
  clock: Clock;
  /** Location ids this warehouse serves; submissions for other locations are rejected. */
  locations: string[];
  /**
   * Units per location per SKU, used by reference: accepting a shipment
   * decrements it and cancelling puts units back, so a memory inventory
   * reading the same object sees the change. A SKU listed at none of this
   * warehouse's locations is unknown. Without it, stock is not tracked:
   * every SKU is accepted, nothing is allocated, and the warehouse declares
   * `capabilities.inventory: false`.
   */
  stock?: StockTable;
  /** Milliseconds between acceptance and the shipment shipping (a `warehouse.shipped` event). Default 0. */
  shipAfterMs?: number;
  /** Milliseconds between shipping and delivery. Omit for no `warehouse.delivered` events. */
  deliverAfterMs?: number;
  /** Carrier on tracking. Default {@link SIMULATED_CARRIER}. */
  carrier?: string;
  /** Builds a tracking URL. Default `https://tracking.example.com/{carrier}/{number}`. */
  trackingUrl?: (trackingNumber: string, carrier: string) => string;
}

type OptionalMethod = 'cancel' | 'holdUntil' | 'inventory' | 'pollEvents';

/** A {@link WarehouseAdapter} (with every optional method) you can steer and inspect. */
export interface SimulatedWarehouse
  extends Omit<WarehouseAdapter, OptionalMethod>,
    Required<Pick<WarehouseAdapter, OptionalMethod>> {
  /** The stock table (the same object as `options.stock`; empty and unused when stock is not tracked). */
  readonly stock: StockTable;
  /** Calls per port method so far, failed ones included. */
  readonly calls: Readonly<Record<WarehouseMethod, number>>;
  /** `submit` calls that repeated an idempotency key already seen (and got the stored result). */
  readonly duplicateSubmits: number;
  /** Upstream orders (accepted submissions) as of the clock now, oldest first, with their idempotency keys. */
  orders(): UpstreamOrder[];
  /** Every event produced up to the clock now, oldest first (what `pollEvents(0)` would return). */
  events(): OrderEvent[];
  /** The next new submission is rejected with `reason`. Calls queue up. */
  rejectNext(reason: string): void;
  /**
   * The next `times` calls of `options.method` (default `submit`) throw `error`
   * (default: a `FulfilError` with code `ADAPTER_FAILED`; a string becomes its message).
   */
  failNext(times: number, error?: unknown, options?: FailNextOptions<WarehouseMethod>): void;
  /** While on, every port method throws (the warehouse is down). */
  failAlways(on: boolean, error?: unknown): void;
  /** Ships part of a shipment now (one parcel, its own tracking) and returns the event. */
  partialShip(shipmentId: string, lines: LineQuantity[]): EventOf<'warehouse.shipped'>;
}

/**
 * Creates a simulated warehouse: it accepts shipments it has stock for,
 * ships them `shipAfterMs` later on its clock, reports `warehouse.shipped`
 * and `warehouse.delivered` events through `pollEvents`, and can be told to
 * reject or fail.
 *
 * @example
 * ```ts
 * const clock = createSimulatedClock('2026-11-27T09:00:00Z');
 * const stock = { 'loc-east': { 'TEE-M': 10 } };
 * const east = createSimulatedWarehouse({
 *   name: 'east', clock, locations: ['loc-east'], stock, shipAfterMs: 2 * 3600_000,
 * });
 * east.failNext(2); // the next two submits throw ADAPTER_FAILED, then it recovers
 * clock.advance(2 * 3600_000);
 * await east.pollEvents(0); // [{ type: 'warehouse.shipped', tracking: { carrier: 'SimPost', ... } }]
 * ```
 */
export function createSimulatedWarehouse(options: SimulatedWarehouseOptions): SimulatedWarehouse {
  checkOptions(options);
  const { name, clock } = options;
  const tracked = options.stock !== undefined;
  const stock = options.stock ?? {};
  if (tracked) for (const location of options.locations) stock[location] ??= {};
  const carrier = options.carrier ?? SIMULATED_CARRIER;
  const log = createShipmentLog({
    name,
    clock,
    shipAfterMs: options.shipAfterMs ?? 0,
    deliverAfterMs: options.deliverAfterMs,
    carrier,
    trackingUrl:
      options.trackingUrl ??
      ((n, c) => `https://tracking.example.com/${encodeURIComponent(c)}/${encodeURIComponent(n)}`),
  });
  const faults = createFaults(`warehouse "${name}"`);
  const results = new Map<string, SubmitResult>();
  const cancelKeys = new Set<string>();
  const rejections: string[] = [];
  const calls: Record<WarehouseMethod, number> = {
    submit: 0,
    cancel: 0,
    holdUntil: 0,
    inventory: 0,
    pollEvents: 0,
  };
  let duplicateSubmits = 0;
  const capabilities: WarehouseCapabilities = {
    cancel: true,
    holdUntil: true,
    inventory: tracked,
    shipmentEvents: true,
  };
  const enter = (method: WarehouseMethod) => {
    calls[method]++;
    log.tick();
    return faults.enter(method);
  };

  return {
    name,
    capabilities,
    stock,
    get calls() {
      return { ...calls };
    },
    get duplicateSubmits() {
      return duplicateSubmits;
    },

    async submit(request, idempotencyKey) {
      const failLater = enter('submit');
      const previous = results.get(idempotencyKey);
      if (previous !== undefined) {
        duplicateSubmits++;
        failLater?.();
        return { ...previous };
      }
      checkRequest(request, name);
      const reason =
        rejections.shift() ??
        (tracked
          ? refusal(request, options.locations, stock, name)
          : unserved(request, options.locations, name));
      let result: SubmitResult;
      if (reason === undefined) {
        if (tracked) allocate(stock, request, -1);
        result = { status: 'accepted', warehouseOrderId: log.add(request, idempotencyKey) };
      } else {
        result = { status: 'rejected', reason };
      }
      results.set(idempotencyKey, result);
      failLater?.();
      return { ...result };
    },

    async cancel(shipmentId, idempotencyKey) {
      const failLater = enter('cancel');
      if (!cancelKeys.has(idempotencyKey)) {
        for (const order of log.open(shipmentId, 'cancel')) {
          if (tracked) allocate(stock, order.request, 1, order.shipped);
          order.status = 'cancelled';
          order.cancelledAt = clock.now();
        }
        cancelKeys.add(idempotencyKey);
      }
      failLater?.();
    },

    async holdUntil(shipmentId, until) {
      const failLater = enter('holdUntil');
      const at = Date.parse(until);
      if (Number.isNaN(at)) {
        throw new FulfilError(
          ErrorCodes.INVALID_INPUT,
          `warehouse "${name}": holdUntil("${shipmentId}", "${until}"): not an ISO 8601 timestamp`,
          { details: { path: 'until' } },
        );
      }
      const open = log.open(shipmentId, 'hold');
      if (open.length === 0) {
        throw new FulfilError(
          ErrorCodes.ADAPTER_FAILED,
          `warehouse "${name}": no open order for shipment "${shipmentId}" to hold`,
          { details: { shipmentId } },
        );
      }
      for (const order of open) order.holdUntil = at;
      failLater?.();
    },

    async inventory(skus) {
      const failLater = enter('inventory');
      const out: Record<string, Record<string, number>> = {};
      for (const location of options.locations) {
        const units = stock[location] ?? {};
        out[location] = {};
        for (const sku of skus) {
          const value = units[sku];
          if (typeof value === 'number')
            (out[location] as Record<string, number>)[sku] = Math.max(0, value);
        }
      }
      failLater?.();
      return out;
    },

    async pollEvents(since) {
      const failLater = enter('pollEvents');
      const events = log.since(since);
      failLater?.();
      return events;
    },

    orders() {
      log.tick();
      return log.orders();
    },
    events() {
      log.tick();
      return log.since(Number.NEGATIVE_INFINITY);
    },
    rejectNext(reason) {
      rejections.push(reason);
    },
    failNext(times, error, failOptions = {}) {
      faults.failNext(
        times,
        error,
        failOptions.method ?? 'submit',
        failOptions.afterEffect ?? false,
      );
    },
    failAlways(on, error) {
      faults.failAlways(on, error);
    },
    partialShip(shipmentId, lines) {
      log.tick();
      return log.partialShip(shipmentId, lines);
    },
  };
}

const OptionsSchema = z.object({
  name: z.string().min(1, 'required'),
  clock: portOption<Clock>('Clock', ['now'], 'createSimulatedClock(...)'),
  locations: z.array(z.string().min(1)).min(1, 'at least one location id'),
  stock: StockTableOption.optional(),
  shipAfterMs: z.number().finite().nonnegative('must be a number >= 0').optional(),
  deliverAfterMs: z.number().finite().nonnegative('must be a number >= 0').optional(),
  carrier: z.string().min(1).optional(),
  trackingUrl: functionOption<NonNullable<SimulatedWarehouseOptions['trackingUrl']>>(
    'a function (trackingNumber, carrier) => string',
  ).optional(),
} satisfies Record<keyof SimulatedWarehouseOptions, z.ZodType>);

function checkOptions(options: SimulatedWarehouseOptions): void {
  parseOptions(OptionsSchema, options, 'createSimulatedWarehouse');
}
