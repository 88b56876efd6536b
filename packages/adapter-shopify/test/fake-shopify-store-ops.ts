/**
 * More operations of the fake Shopify Admin API: `fulfillmentOrder(id)`, order
 * metafields (`order { metafield(namespace, key) }`, `metafieldsSet` with
 * `compareDigest`), and what a merchant does in the admin (place a hold, fulfil by
 * hand) together with the webhook payloads Shopify would send for it.
 */
import { createHash } from 'node:crypto';
import type { FakeFulfillmentOrder, FakeOrder } from './fake-shopify-ops';
import { gid } from './fake-shopify-ops';

type Run = (
  op: string,
  v: Record<string, unknown>,
  requested: number,
) => { data: unknown; actual: number };

const num = (g: unknown) => /(\d+)$/.exec(String(g))?.[1] ?? String(g);
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** Wraps the base operations with the store-side ones. */
export function withStoreOperations(
  run: Run,
  orders: Map<string, FakeOrder>,
  nextId: () => number,
  options: { failMetafieldsSetStale?: () => boolean } = {},
): Run {
  const orderOfFo = (id: unknown) => {
    for (const o of orders.values()) {
      const fo = o.fulfillmentOrders.find((x) => x.id === id);
      if (fo) return { o, fo };
    }
    return undefined;
  };
  return (op, v, requested) => {
    switch (op) {
      case 'fulfillmentOrder': {
        const found = orderOfFo(v.id);
        if (!found) return { data: { fulfillmentOrder: null }, actual: 1 };
        const { o, fo } = found;
        return {
          data: {
            fulfillmentOrder: {
              id: fo.id,
              status: fo.status,
              order: { id: gid('Order', o.seed.id) },
              assignedLocation: { location: { id: fo.locationId } },
              fulfillmentHolds: fo.holds.map((h) => ({
                id: h.id,
                handle: h.handle,
                reason: h.reason,
                heldByRequestingApp: !h.merchant,
              })),
            },
          },
          actual: 3,
        };
      }
      case 'order': {
        const out = run(op, v, requested);
        const o = orders.get(num(v.id));
        const node = (out.data as { order: Record<string, unknown> | null }).order;
        if (o && node && typeof v.key === 'string') {
          const mf = o.metafields?.[`${v.namespace}.${v.key}`];
          node.metafield = mf ? { value: mf.value, compareDigest: digest(mf.value) } : null;
        }
        return out;
      }
      case 'metafieldsSet': {
        const errors: unknown[] = [];
        const set: { id: string; compareDigest: string }[] = [];
        for (const [i, m] of (v.metafields as Record<string, unknown>[]).entries()) {
          const o = orders.get(num(m.ownerId));
          const path = `${m.namespace}.${m.key}`;
          const current = o?.metafields?.[path];
          if (!o) {
            errors.push({
              field: ['metafields', String(i), 'ownerId'],
              message: 'Owner does not exist.',
              code: 'INVALID',
            });
            continue;
          }
          const stale =
            options.failMetafieldsSetStale?.() ||
            ('compareDigest' in m &&
              (m.compareDigest === null
                ? current !== undefined
                : m.compareDigest !== (current && digest(current.value))));
          if (stale) {
            errors.push({
              field: ['metafields', String(i)],
              message:
                'The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.',
              code: 'STALE_OBJECT',
            });
            continue;
          }
          o.metafields ??= {};
          o.metafields[path] = { value: String(m.value), type: String(m.type) };
          set.push({
            id: gid('Metafield', String(nextId())),
            compareDigest: digest(String(m.value)),
          });
        }
        // atomic: nothing is kept when any metafield failed
        return {
          data: { metafieldsSet: { metafields: errors.length ? null : set, userErrors: errors } },
          actual: requested,
        };
      }
      default:
        return run(op, v, requested);
    }
  };
}

/** What a merchant does in the admin, and the webhook bodies Shopify sends for it. */
export function merchantActions(orders: Map<string, FakeOrder>, nextId: () => number) {
  const foOf = (orderId: string): FakeFulfillmentOrder => {
    const fo = orders.get(orderId)?.fulfillmentOrders[0];
    if (!fo) throw new Error(`fake: no fulfillment order on ${orderId}`);
    return fo;
  };
  const holdJson = (h: FakeFulfillmentOrder['holds'][number]) => ({
    id: h.id,
    reason: h.reason.toLowerCase(),
    reason_notes: h.notes,
    held_by_requesting_app: !h.merchant,
    handle: h.handle ?? '',
    held_by_app: h.merchant ? null : { id: 'gid://shopify/App/580111' },
  });
  return {
    /** Places a hold from the admin; returns the `fulfillment_orders/placed_on_hold` body. */
    placeHold(orderId: string, reason: string, notes: string) {
      const fo = foOf(orderId);
      const hold = {
        id: gid('FulfillmentHold', String(nextId())),
        handle: null,
        reason,
        notes,
        merchant: true,
      };
      fo.holds.push(hold);
      fo.status = 'ON_HOLD';
      return JSON.stringify({
        fulfillment_order: {
          id: fo.id,
          status: 'on_hold',
          fulfillment_holds: fo.holds.map(holdJson),
        },
        remaining_fulfillment_order: null,
        held_fulfillment_order_line_items: fo.lines.map((l) => ({
          id: l.id,
          quantity: l.remaining,
        })),
        created_fulfillment_hold: holdJson(hold),
      });
    },
    /** The `placed_on_hold` body for the holds on the order now (e.g. the app's own). */
    placedOnHoldBody(orderId: string) {
      const fo = foOf(orderId);
      return JSON.stringify({
        fulfillment_order: {
          id: fo.id,
          status: 'on_hold',
          fulfillment_holds: fo.holds.map(holdJson),
        },
        created_fulfillment_hold: fo.holds.at(-1) ? holdJson(fo.holds.at(-1)!) : null,
      });
    },
    /** Releases every hold from the admin; returns the `fulfillment_orders/hold_released` body. */
    releaseHolds(orderId: string) {
      const fo = foOf(orderId);
      fo.holds = [];
      fo.status = 'OPEN';
      return JSON.stringify({ fulfillment_order: { id: fo.id, status: 'open' } });
    },
    /** Moves the fulfillment order; returns the `fulfillment_orders/moved` body. */
    move(orderId: string, locationGid: string) {
      const fo = foOf(orderId);
      const from = fo.locationId;
      fo.locationId = locationGid;
      return JSON.stringify({
        original_fulfillment_order: { id: fo.id, status: 'closed', assigned_location_id: from },
        moved_fulfillment_order: { id: fo.id, status: 'open', assigned_location_id: locationGid },
        destination_location_id: locationGid,
        fulfillment_order_line_items_requested: fo.lines.map((l) => ({
          id: l.id,
          quantity: l.remaining,
        })),
        source_location: { id: from },
      });
    },
    /**
     * Fulfils lines by hand (`lines`: order line id → units); returns the
     * `fulfillments/create` body (REST shape, 19-digit ids as literals).
     */
    fulfill(
      orderId: string,
      lines: Record<string, number>,
      tracking?: { company: string; number: string },
    ) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`fake: no order ${orderId}`);
      const fo = foOf(orderId);
      const id = String(nextId());
      const items: { id: string; quantity: number }[] = [];
      for (const [lineId, q] of Object.entries(lines)) {
        const l = fo.lines.find((x) => x.lineItemId === lineId);
        if (!l || l.remaining < q) throw new Error(`fake: cannot fulfil ${q} of ${lineId}`);
        l.remaining -= q;
        items.push({ id: l.id, quantity: q });
      }
      if (fo.lines.every((l) => l.remaining === 0)) fo.status = 'CLOSED';
      o.fulfillments.push({
        id: gid('Fulfillment', id),
        tracking: tracking ?? { company: '', number: '' },
        notifyCustomer: false,
        lines: items,
      });
      return fulfillmentBody(o, id, lines, tracking);
    },
    /** The `fulfillments/create` body Shopify sends for a fulfillment the app created. */
    echoOfFulfillment(orderId: string, index = 0) {
      const o = orders.get(orderId)!;
      const f = o.fulfillments[index]!;
      const lines: Record<string, number> = {};
      const fo = foOf(orderId);
      for (const it of f.lines) {
        const l = fo.lines.find((x) => x.id === it.id)!;
        lines[l.lineItemId] = (lines[l.lineItemId] ?? 0) + it.quantity;
      }
      return fulfillmentBody(o, num(f.id), lines, f.tracking);
    },
  };
}

function fulfillmentBody(
  o: FakeOrder,
  id: string,
  lines: Record<string, number>,
  tracking: { company: string; number: string } | undefined,
): string {
  const items = Object.entries(lines)
    .map(([lineId, q]) => {
      const seed = o.seed.lines.find((l) => l.id === lineId);
      return `{"id": ${lineId}, "admin_graphql_api_id": "gid://shopify/LineItem/${lineId}", "quantity": ${q}, "sku": ${JSON.stringify(seed?.sku ?? null)}, "fulfillable_quantity": 0, "fulfillment_status": "fulfilled", "price": "${seed?.price ?? '0.00'}", "requires_shipping": true}`;
    })
    .join(', ');
  const t = tracking?.number
    ? `"tracking_company": ${JSON.stringify(tracking.company)}, "tracking_number": ${JSON.stringify(tracking.number)}, "tracking_numbers": [${JSON.stringify(tracking.number)}], "tracking_url": "https://track.example.com/${tracking.number}", "tracking_urls": ["https://track.example.com/${tracking.number}"]`
    : `"tracking_company": null, "tracking_number": null, "tracking_numbers": [], "tracking_url": null, "tracking_urls": []`;
  return `{"id": ${id}, "order_id": ${o.seed.id}, "status": "success", "created_at": "2026-11-27T06:00:00-05:00", "updated_at": "2026-11-27T06:00:00-05:00", "service": "manual", "shipment_status": null, "location_id": 1001, "name": "#1001.1", ${t}, "line_items": [${items}], "admin_graphql_api_id": "gid://shopify/Fulfillment/${id}"}`;
}
