import { type EventOf, parseOrThrow, WarehouseShipped } from '@fulfil/core';
import type { z } from 'zod';
import { readField, readString, records, rootScope } from './mapping';
import type { Scope } from './paths';
import { ShipmentsMapping } from './schema';
import { decodeLineMap } from './transforms';

/** A shipment the adapter could not attribute to an order it created. */
export interface Unmatched {
  reason: string;
  details: Record<string, unknown>;
}

/** Shipments read from a vendor body. */
export interface ReadShipments {
  events: EventOf<'warehouse.shipped'>[];
  unmatched: Unmatched[];
}

/**
 * Turns a vendor body (webhook or listing) into `warehouse.shipped` events.
 * Records without a tracking number are not shipped yet and are skipped;
 * records without our order and shipment ids, or with lines that cannot be
 * attributed, are reported as unmatched (never thrown).
 */
export function readShipmentRecords(
  mapping: ShipmentsMapping,
  body: unknown,
  ctx: { name: string; now: number },
): ReadShipments {
  const events: EventOf<'warehouse.shipped'>[] = [];
  const unmatched: Unmatched[] = [];
  const seen = new Set<string>();
  for (const scope of records(mapping.each, rootScope(body))) {
    const number = readString(mapping.trackingNumber, scope);
    if (number === undefined) continue;
    const orderId = readString(mapping.orderId, scope);
    const shipmentId = readString(mapping.shipmentId, scope);
    const vendorShipmentId = readString(mapping.vendorShipmentId, scope);
    const details: Record<string, unknown> = {
      vendorShipmentId,
      warehouseOrderId: readString(mapping.warehouseOrderId, scope),
      reference: readString(mapping.reference, scope),
      trackingNumber: number,
      orderId,
      shipmentId,
    };
    if (orderId === undefined || shipmentId === undefined) {
      unmatched.push({
        reason: `${ctx.name}: shipment carries no order or shipment id of ours (an order not created through this adapter?)`,
        details,
      });
      continue;
    }
    const lines = shippedLines(mapping, scope);
    if (typeof lines === 'string') {
      unmatched.push({ reason: `${ctx.name}: ${lines}`, details });
      continue;
    }
    const url = readString(mapping.trackingUrl, scope);
    const at = Date.parse(String(readField(mapping.shippedAt, scope) ?? ''));
    const event = WarehouseShipped.safeParse({
      type: 'warehouse.shipped',
      idempotencyKey: `${ctx.name}:shipped:${shipmentId}:${vendorShipmentId ?? number}`,
      occurredAt: new Date(Number.isFinite(at) ? at : ctx.now).toISOString(),
      orderId,
      shipmentId,
      tracking: {
        carrier: readString(mapping.carrier, scope) ?? 'unknown',
        number,
        ...(url !== undefined && URL.canParse(url) ? { url } : {}),
      },
      ...(lines === undefined ? {} : { lines }),
    });
    if (!event.success) {
      const issue = event.error.issues[0];
      unmatched.push({
        reason: `${ctx.name}: shipment is not a valid event: ${issue?.path.join('.')}: ${issue?.message}`,
        details,
      });
      continue;
    }
    if (seen.has(event.data.idempotencyKey)) continue;
    seen.add(event.data.idempotencyKey);
    events.push(event.data);
  }
  return { events, unmatched };
}

/**
 * Reads shipments from a vendor body with a shipments mapping as written
 * (validated first), e.g. to try a webhook mapping on a sample payload.
 *
 * @example
 * ```ts
 * const { events, unmatched } = readShipments(config.webhook.shipments, samplePayload, { name: 'acme', now: Date.now() });
 * ```
 */
export function readShipments(
  mapping: z.input<typeof ShipmentsMapping>,
  body: unknown,
  ctx: { name: string; now: number },
): ReadShipments {
  const parsed = parseOrThrow(ShipmentsMapping, mapping, 'shipments', 'CONFIG_INVALID');
  return readShipmentRecords(parsed, body, ctx);
}

/**
 * The lines a shipment carried, as `{lineId, quantity}`: read directly when the
 * vendor echoes line ids, else attributed by SKU through the echoed line map.
 * Undefined when lines are not mapped (the whole shipment shipped); a string
 * says why they cannot be attributed.
 */
function shippedLines(
  mapping: ShipmentsMapping,
  scope: Scope,
): { lineId: string; quantity: number }[] | undefined | string {
  if (!mapping.lines) return undefined;
  const all = records(mapping.lines.each, scope).map((s) => ({
    lineId: readString(mapping.lines?.lineId, s),
    sku: readString(mapping.lines?.sku, s),
    quantity: Number(readField(mapping.lines?.quantity, s)),
  }));
  if (all.length === 0) return undefined;
  for (const item of all) {
    if (!Number.isInteger(item.quantity) || item.quantity < 0)
      return `shipped line ${item.lineId ?? item.sku ?? '?'} has no whole quantity at ${mapping.lines.each} → ${JSON.stringify(mapping.lines.quantity.from)}`;
  }
  // A record of 0 units (e.g. an empty lot) ships nothing; a shipment of nothing is unreadable.
  const items = all.filter((i) => i.quantity > 0);
  if (items.length === 0) return 'the shipment lists no shipped units';
  const totals = new Map<string, number>();
  const add = (lineId: string, q: number) => totals.set(lineId, (totals.get(lineId) ?? 0) + q);
  if (items.every((i) => i.lineId !== undefined)) {
    for (const i of items) add(i.lineId!, i.quantity);
  } else {
    const map = decodeLineMap(readField(mapping.lineMap, scope));
    if (!map) return 'shipped lines carry no line ids and no line map to attribute SKUs to lines';
    const left = map.map((l) => ({ ...l }));
    for (const item of items) {
      let q = item.quantity;
      const candidates = left.filter((l) => l.sku === item.sku);
      if (candidates.length === 0)
        return `shipped SKU "${item.sku}" is not in the shipment as submitted`;
      for (const c of candidates) {
        const take = Math.min(q, c.quantity);
        if (take > 0) {
          add(c.lineId, take);
          c.quantity -= take;
          q -= take;
        }
      }
      if (q > 0) add(candidates.at(-1)!.lineId, q);
    }
  }
  return [...totals].map(([lineId, quantity]) => ({ lineId, quantity }));
}
