import type { z } from 'zod';
import { parseOrThrow } from '../errors';
import type { Command, Explanation, HistoryEntry, ShipmentRequest, Timer } from '../model/commands';
import { Order, type OrderInput } from '../model/order';
import { OrderRecord, Shipment } from '../model/record';
import type { Commit } from '../ports/storage';

/** The time fixtures use unless told otherwise. */
export const FIXTURE_TIME = '2026-11-27T09:00:00.000Z';

/** An order record as callers write it (defaults may be omitted). */
export type OrderRecordInput = z.input<typeof OrderRecord>;

let counter = 0;
const next = () => ++counter;

/**
 * Builds a schema-valid {@link Order}: a paid US order for one T-shirt, with a
 * fresh id (`order-1`, `order-2`, ...) unless `overrides.id` is given.
 * Overrides replace top-level fields; the result is parsed with the core schema.
 *
 * @example
 * ```ts
 * const order = makeOrder({ note: 'gift, please', lines: [{ id: 'l1', sku: 'MUG', quantity: 2, unitPrice: 1200 }] });
 * ```
 */
export function makeOrder(overrides: Partial<OrderInput> = {}): Order {
  const n = next();
  const address = {
    name: 'Ada Lovelace',
    line1: '1 Main St',
    city: 'Springfield',
    province: 'IL',
    postalCode: '62701',
    country: 'US',
  };
  const input: OrderInput = {
    id: `order-${n}`,
    source: {
      channel: 'manual',
      store: 'test-store',
      externalId: `ext-${n}`,
      name: `#${1000 + n}`,
    },
    customer: { id: 'cust-1', email: 'ada@example.com', tags: [], ordersCount: 3 },
    shippingAddress: address,
    billingAddress: address,
    lines: [{ id: 'line-1', sku: 'TEE-M', title: 'T-shirt (M)', quantity: 1, unitPrice: 2500 }],
    paymentStatus: 'paid',
    currency: 'USD',
    totals: { subtotal: 2500, shipping: 500, tax: 0, total: 3000 },
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...overrides,
  };
  return parseOrThrow(Order, input, 'makeOrder');
}

/**
 * Builds a schema-valid {@link OrderRecord} at version 1 in state `received`.
 * Give `order` (or just `orderId`) to choose the order; other fields override.
 *
 * @example
 * ```ts
 * const record = makeRecord({ orderId: 'o-1', status: 'on_hold', version: 3 });
 * ```
 */
export function makeRecord(
  overrides: Partial<Omit<OrderRecordInput, 'order'>> & { order?: Partial<OrderInput> } = {},
): OrderRecord {
  const order = makeOrder({
    ...(overrides.orderId === undefined ? {} : { id: overrides.orderId }),
    ...overrides.order,
  });
  const input: OrderRecordInput = {
    orderId: order.id,
    version: 1,
    status: 'received',
    statusSince: order.createdAt,
    upstreamUpdatedAt: order.updatedAt,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...overrides,
    order,
  };
  return parseOrThrow(OrderRecord, input, 'makeRecord');
}

/** A `store.add_tags` command for `orderId` with a fresh id, unless overridden. */
export function makeCommand(orderId: string, overrides: Partial<Command> = {}): Command {
  const n = next();
  return {
    id: `cmd-${n}`,
    orderId,
    idempotencyKey: `${orderId}:cmd-${n}`,
    reason: 'fixture',
    type: 'store.add_tags',
    tags: ['fixture'],
    ...overrides,
  } as Command;
}

/** A `hold_expiry` timer for `orderId` due at `dueAt` (epoch ms or ISO), with a fresh id. */
export function makeTimer(
  orderId: string,
  dueAt: number | string,
  overrides: Partial<Timer> = {},
): Timer {
  return {
    id: `timer-${next()}`,
    orderId,
    dueAt: typeof dueAt === 'number' ? new Date(dueAt).toISOString() : dueAt,
    purpose: 'hold_expiry',
    ...overrides,
  };
}

/** What {@link makeCommit} builds on. */
export interface MakeCommitInput {
  /** Build on this stored record: same order, `expectedVersion = previous.version`. */
  previous?: OrderRecord;
  /** The order id of a new order. Default: a fresh one. Ignored with `previous`. */
  orderId?: string;
  /** Default `previous.version`, or 0 (a new order). */
  expectedVersion?: number;
  /** The new record's status. Default `received` for a new order, else `ready`. */
  status?: string;
  /** More fields of the new record (its `version` is always `expectedVersion + 1`). */
  record?: Partial<Omit<OrderRecordInput, 'order'>> & { order?: Partial<OrderInput> };
  commands?: Command[];
  timers?: Timer[];
  cancelTimerIds?: string[];
  /** Default: one key, the history entry's `eventKey` (`evt-{orderId}-v{version}`). */
  inboxKeys?: string[];
  /** When the decision happened (ISO). Default {@link FIXTURE_TIME}. */
  at?: string;
  /** Default `order.received` for a new order, else `order.updated`. */
  eventType?: string;
}

/**
 * Builds a consistent {@link Commit}: record at `expectedVersion + 1`, a history
 * entry for it, and the given commands, timers and inbox keys.
 *
 * @example
 * ```ts
 * const first = makeCommit({ orderId: 'o-1', commands: [makeCommand('o-1')] });
 * await storage.commit(first);
 * await storage.commit(makeCommit({ previous: first.record, status: 'on_hold' }));
 * ```
 */
export function makeCommit(input: MakeCommitInput = {}): Commit {
  const { previous } = input;
  const expectedVersion = input.expectedVersion ?? previous?.version ?? 0;
  const version = expectedVersion + 1;
  const at = input.at ?? FIXTURE_TIME;
  const status = input.status ?? (expectedVersion === 0 ? 'received' : 'ready');
  const record = makeRecord({
    ...(previous === undefined
      ? { orderId: input.orderId ?? `order-${next()}` }
      : { orderId: previous.orderId, order: previous.order, createdAt: previous.createdAt }),
    status,
    statusSince: at,
    updatedAt: at,
    ...input.record,
    version,
  });
  const orderId = record.orderId;
  const eventKey = input.inboxKeys?.[0] ?? `evt-${orderId}-v${version}`;
  const eventType = input.eventType ?? (expectedVersion === 0 ? 'order.received' : 'order.updated');
  const commands = input.commands ?? [];
  const from = previous?.status ?? (expectedVersion === 0 ? null : 'received');
  const explanation: Explanation = {
    event: { type: eventType, idempotencyKey: eventKey },
    outcome: 'applied',
    stages: [],
    transitions: [{ from, event: 'FIXTURE', to: status }],
    commands: commands.map((c) => ({ id: c.id, type: c.type, reason: c.reason })),
    notes: [],
  };
  const history: HistoryEntry = {
    orderId,
    version,
    at,
    eventType,
    eventKey,
    from,
    to: status,
    summary: `fixture: ${from ?? 'new'} → ${status}`,
    explanation,
  };
  return {
    orderId,
    expectedVersion,
    record,
    history,
    commands,
    timers: input.timers ?? [],
    cancelTimerIds: input.cancelTimerIds ?? [],
    inboxKeys: input.inboxKeys ?? [eventKey],
  };
}

/** What {@link makeShipmentRequest} builds. */
export interface MakeShipmentRequestInput {
  locationId: string;
  lines: { sku: string; quantity: number; lineId?: string; unitPrice?: number }[];
  /** Default: a fresh id. */
  orderId?: string;
  /** Default: a fresh id. */
  shipmentId?: string;
}

/**
 * Builds a {@link ShipmentRequest} (its shipment parsed with the core schema)
 * for the given lines at `locationId`, shipping to a US address.
 *
 * @example
 * ```ts
 * const request = makeShipmentRequest({ locationId: 'loc-east', lines: [{ sku: 'TEE-M', quantity: 2 }] });
 * await warehouse.submit(request, `submit:${request.shipment.id}`);
 * ```
 */
export function makeShipmentRequest(input: MakeShipmentRequestInput): ShipmentRequest {
  const n = next();
  const orderId = input.orderId ?? `order-${n}`;
  const lines = input.lines.map((line, i) => ({
    lineId: line.lineId ?? `line-${i + 1}`,
    sku: line.sku,
    title: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice ?? 1000,
  }));
  const shipment = parseOrThrow(
    Shipment,
    {
      id: input.shipmentId ?? `${orderId}-s${n}`,
      locationId: input.locationId,
      status: 'pending',
      lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
      createdAt: FIXTURE_TIME,
    },
    'makeShipmentRequest',
  );
  return {
    orderId,
    orderName: `#${1000 + n}`,
    shipment,
    locationId: input.locationId,
    shipTo: {
      name: 'Ada Lovelace',
      line1: '1 Main St',
      city: 'Springfield',
      province: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    lines,
    currency: 'USD',
    instructions: [],
  };
}
