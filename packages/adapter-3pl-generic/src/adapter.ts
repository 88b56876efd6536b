import {
  FulfilError,
  type OrderEvent,
  parseOrThrow,
  type ShipmentRequest,
  type SubmitResult,
  type WarehouseAdapter,
  type WarehouseCapabilities,
  type WarehouseWebhookRequest,
} from '@fulfil/core';
import {
  isUnknownOutcome,
  isUpstreamError,
  type RateLimiter,
  type UpstreamError,
} from '@fulfil/http';
import { type Generic3plConfig, parseGeneric3plConfig } from './config';
import { readShipmentRecords } from './inbound';
import { readInventory } from './inventory';
import { applyRules, path, readString, records, rootScope } from './mapping';
import { readPath } from './paths';
import { matches, rejectionReason } from './rejection';
import { ShipmentRequestSchema as Request } from './request';
import { checkRuntime } from './runtime-options';
import type { ResolvedConfig } from './schema';
import { applyTransform, type Transform } from './transforms';
import { createTransport, type Generic3plRuntime } from './transport';
import { handleVendorWebhook, resolveThroughOrder } from './webhook';

/** This adapter kind. Each adapter instance is named by `config.name` (errors, event keys). */
export const GENERIC_3PL = 'generic-3pl';

/** The vendor's view of a shipment's order (see {@link Generic3plWarehouse.getOrder}). */
export interface VendorOrder {
  warehouseOrderId: string;
  status?: string;
  /** The vendor's record as returned. */
  raw: unknown;
}

/** A configured generic 3PL warehouse. */
export interface Generic3plWarehouse extends WarehouseAdapter {
  /** The validated configuration (defaults applied). */
  readonly config: ResolvedConfig;
  /** The limiter every call passes through (undefined when no `rateLimit`). */
  readonly limiter: RateLimiter | undefined;
  /** OAuth2 token requests made so far (0 for other auth types). */
  readonly tokenRequests: number;
  /** Looks a shipment's vendor order up (needs `operations.getOrder`); undefined when unknown. */
  getOrder(shipmentId: string): Promise<VendorOrder | undefined>;
  /** Stops the limiter: calls still waiting for a slot fail with a retryable error. */
  close(): Promise<void>;
}

/**
 * Creates a {@link WarehouseAdapter} for any REST 3PL from a JSON configuration:
 * auth (bearer, basic, API key, OAuth2 client credentials), per-operation
 * method, path template and declarative field mappings, idempotency, rate
 * limits, rejection detection and signed shipment webhooks. Capabilities follow
 * the operations configured. A bad configuration throws `CONFIG_INVALID` naming
 * the field.
 *
 * @example
 * ```ts
 * const shipbob = createGeneric3plWarehouse(
 *   shipbobPreset({ token: process.env.SHIPBOB_TOKEN!, webhookSecret: process.env.SHIPBOB_WHSEC! }),
 * );
 * const engine = createEngine({ storage, warehouses: { shipbob }, locations: [{ id: 'cicero', warehouse: 'shipbob' }] });
 * ```
 */
export function createGeneric3plWarehouse(
  input: Generic3plConfig,
  runtime: Generic3plRuntime = {},
): Generic3plWarehouse {
  const config = parseGeneric3plConfig(input);
  checkRuntime(runtime);
  const { name, operations: ops } = config;
  const now = runtime.now ?? Date.now;
  const transport = createTransport(config, runtime);
  const ids = new Map<string, string>(); // shipment id → vendor order id (a cache)
  const references = new Map<string, string>(); // shipment id → reference (keys derived from idempotency keys)
  const rejections = new Map<string, SubmitResult>(); // idempotency key → rejection
  const toVendor = new Map(Object.entries(config.locations ?? {}).map(([v, c]) => [c, v]));

  const capabilities: WarehouseCapabilities = {
    cancel: ops.cancel !== undefined,
    holdUntil: false,
    inventory: ops.inventory !== undefined,
    shipmentEvents: ops.listShipments !== undefined,
    webhooks: config.webhook !== undefined,
  };

  function referenceOf(shipmentId: string, key: string): string {
    const { from, transform } = config.idempotency.reference;
    let value: unknown = from === 'shipmentId' ? shipmentId : key;
    for (const t of (transform ?? []) as Transform[])
      value = applyTransform(t, value, rootScope(value));
    return String(value);
  }

  async function lookup(shipmentId: string, reference: string): Promise<VendorOrder | undefined> {
    if (!ops.getOrder) return undefined;
    let data: unknown;
    try {
      ({ data } = await transport.call('getOrder', { reference, shipmentId }, undefined));
    } catch (err) {
      if (isUpstreamError(err) && err.status === 404) return undefined;
      throw err;
    }
    const first = records(ops.getOrder.response.each, rootScope(data))[0];
    const warehouseOrderId = first && readString(ops.getOrder.response.warehouseOrderId, first);
    if (!first || warehouseOrderId === undefined) return undefined;
    if (shipmentId !== '') ids.set(shipmentId, warehouseOrderId);
    const status = readString(ops.getOrder.response.status, first);
    return { warehouseOrderId, ...(status === undefined ? {} : { status }), raw: first.value };
  }

  async function handleWebhook(request: WarehouseWebhookRequest) {
    const ctx = { name, now: now() };
    const out = await handleVendorWebhook(config.webhook!, request, ctx);
    const listing = ops.listShipments?.response;
    if (!out.unmatched?.length || !ops.getOrder || !listing) return out;
    return resolveThroughOrder(out, listing, ctx, (reference) => lookup('', reference));
  }

  const reasonOf = (err: UpstreamError) => rejectionReason(err, config.rejection.reasonPaths);

  async function submit(request: ShipmentRequest, idempotencyKey: string): Promise<SubmitResult> {
    const req = parseOrThrow(Request, request, 'request') as unknown as ShipmentRequest;
    const remembered = rejections.get(idempotencyKey);
    if (remembered) return { ...remembered };
    const shipmentId = req.shipment.id;
    const reference = referenceOf(shipmentId, idempotencyKey);
    references.set(shipmentId, reference);
    const vendorLocationId = toVendor.get(req.locationId) ?? req.locationId;
    const model = {
      ...req,
      idempotencyKey,
      reference,
      shipmentId,
      vendorLocationId,
      orderName: req.orderName ?? req.orderId,
      totalMinor: req.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0),
    };
    const body = ops.submit.body ? applyRules(ops.submit.body, rootScope(model)) : undefined;
    const vars = {
      reference,
      shipmentId,
      orderId: req.orderId,
      locationId: req.locationId,
      vendorLocationId,
      idempotencyKey,
    };
    const extra: Record<string, string> = config.idempotency.header
      ? { [config.idempotency.header]: idempotencyKey }
      : {};
    let data: unknown;
    try {
      ({ data } = await transport.call('submit', vars, body, extra));
    } catch (err) {
      if (isUnknownOutcome(err)) return settle(shipmentId, reference, err);
      if (matches(err, config.idempotency.conflict)) {
        const found = await lookup(shipmentId, reference);
        if (found) return { status: 'accepted', warehouseOrderId: found.warehouseOrderId };
        throw new FulfilError(
          'ADAPTER_FAILED',
          `${name}: the vendor says reference "${reference}" exists, but getOrder cannot find it`,
          { cause: err, details: { reference, retryable: true } },
        );
      }
      if (isUpstreamError(err) && config.rejection.statuses.includes(err.status ?? 0)) {
        const result: SubmitResult = { status: 'rejected', reason: `${name}: ${reasonOf(err)}` };
        rejections.set(idempotencyKey, result);
        if (rejections.size > 1000) rejections.delete(rejections.keys().next().value!);
        return { ...result };
      }
      throw err;
    }
    const scope = rootScope(data);
    const rule = config.rejection.body;
    if (rule && JSON.stringify(readPath(path(rule.path), scope)) === JSON.stringify(rule.equals)) {
      const reason = config.rejection.reasonPaths
        .map((p) => readPath(path(p), scope))
        .find((v) => typeof v === 'string' && v !== '');
      return { status: 'rejected', reason: `${name}: ${String(reason ?? 'rejected')}` };
    }
    const warehouseOrderId = readString(ops.submit.response.warehouseOrderId, scope);
    if (warehouseOrderId === undefined) {
      const err = new FulfilError(
        'ADAPTER_FAILED',
        `${name}: submit answered 2xx without a warehouse order id at operations.submit.response.warehouseOrderId`,
        { details: { reference, retryable: true, outcome: 'unknown' } },
      );
      return settle(shipmentId, reference, err);
    }
    ids.set(shipmentId, warehouseOrderId);
    return { status: 'accepted', warehouseOrderId };
  }

  /**
   * A submit whose 2xx answer could not be read (the vendor may hold the order):
   * read the order back by its reference before anything is retried. Found →
   * accepted with its id; not found → a retryable error (the retry carries the
   * same reference). Without `getOrder` the unknown outcome is rethrown as is
   * (retryable: only a vendor that deduplicates the reference makes that safe).
   */
  async function settle(shipmentId: string, reference: string, cause: unknown) {
    if (!ops.getOrder) throw cause;
    const found = await lookup(shipmentId, reference);
    if (found) return { status: 'accepted' as const, warehouseOrderId: found.warehouseOrderId };
    throw new FulfilError(
      'ADAPTER_FAILED',
      `${name}: the vendor answered the submit with an unreadable 2xx and has no order with reference "${reference}"; retry`,
      { cause, details: { reference, retryable: true, reason: 'unknown_outcome' } },
    );
  }

  /** The reference of a shipment: cached, or derived again when it comes from the shipment id. */
  const referenceFor = (shipmentId: string): string | undefined =>
    references.get(shipmentId) ??
    (config.idempotency.reference.from === 'shipmentId' ? referenceOf(shipmentId, '') : undefined);

  async function cancel(shipmentId: string, idempotencyKey: string): Promise<void> {
    const op = ops.cancel!;
    let warehouseOrderId = ids.get(shipmentId);
    const reference = referenceFor(shipmentId);
    if (reference === undefined && warehouseOrderId === undefined) {
      throw new FulfilError(
        'ADAPTER_FAILED',
        `${name}: cannot find the vendor order of shipment "${shipmentId}": its reference derives from an idempotency key this process did not see (use idempotency.reference.from "shipmentId")`,
        { details: { reason: 'unknown_reference', retryable: false, shipmentId } },
      );
    }
    if (warehouseOrderId === undefined && reference !== undefined)
      warehouseOrderId = (await lookup(shipmentId, reference))?.warehouseOrderId;
    const needsId = op.path.includes('{warehouseOrderId}');
    if (needsId && warehouseOrderId === undefined) return; // unknown upstream: nothing to cancel
    const body = op.body
      ? applyRules(op.body, rootScope({ shipmentId, reference, warehouseOrderId, idempotencyKey }))
      : undefined;
    try {
      await transport.call('cancel', { shipmentId, reference, warehouseOrderId }, body);
    } catch (err) {
      if (isUnknownOutcome(err)) return settleCancel(shipmentId, reference, err);
      if (isUpstreamError(err) && op.notFound.includes(err.status ?? 0)) return;
      if (matches(err, op.alreadyShipped)) {
        throw new FulfilError(
          'ADAPTER_FAILED',
          `${name}: shipment "${shipmentId}" already shipped`,
          {
            cause: err,
            details: { reason: 'already_shipped', retryable: false, shipmentId, warehouseOrderId },
          },
        );
      }
      throw err;
    }
  }

  /**
   * A cancel whose 2xx answer could not be read: read the order back and
   * return when its status is one of `cancelledStatuses`; otherwise a
   * retryable error (cancels are idempotent, the retry is safe).
   */
  async function settleCancel(shipmentId: string, reference: string | undefined, cause: unknown) {
    const statuses = ops.cancel?.cancelledStatuses;
    const found =
      ops.getOrder && statuses && reference !== undefined
        ? await lookup(shipmentId, reference)
        : undefined;
    if (found?.status !== undefined && statuses?.includes(found.status)) return;
    throw new FulfilError(
      'ADAPTER_FAILED',
      `${name}: the vendor answered the cancel of shipment "${shipmentId}" with an unreadable 2xx${found ? ` and the order is still "${found.status ?? 'unknown'}"` : ''}; retry`,
      { cause, details: { shipmentId, retryable: true, reason: 'unknown_outcome' } },
    );
  }

  const inventory = (skus: string[]) => readInventory(config, transport, skus);

  async function pollEvents(since: number): Promise<OrderEvent[]> {
    const op = ops.listShipments!;
    const vars = {
      since: new Date(since).toISOString(),
      sinceMs: String(since),
      sinceSeconds: String(Math.floor(since / 1000)),
    };
    const { data } = await transport.call('listShipments', vars, undefined);
    const { events, unmatched } = readShipmentRecords(op.response, data, { name, now: now() });
    if (unmatched.length > 0) runtime.onUnmatched?.(unmatched);
    return events
      .filter((e) => Date.parse(e.occurredAt) > since)
      .sort(
        (a, b) =>
          Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
          a.idempotencyKey.localeCompare(b.idempotencyKey),
      );
  }

  return {
    name,
    capabilities,
    config,
    limiter: transport.limiter,
    get tokenRequests() {
      return transport.auth.tokenRequests;
    },
    submit,
    ...(capabilities.cancel ? { cancel } : {}),
    ...(capabilities.inventory ? { inventory } : {}),
    ...(capabilities.shipmentEvents ? { pollEvents } : {}),
    ...(capabilities.webhooks ? { handleWebhook } : {}),
    async getOrder(shipmentId) {
      const reference = referenceFor(shipmentId);
      return reference === undefined ? undefined : lookup(shipmentId, reference);
    },
    async close() {
      if (!runtime.limiter) await transport.limiter?.disconnect();
    },
  };
}
