import { expandKit, type KitDefinitions, type Order, type OrderInput } from '@fulfil/core';
import { approximatePlace } from './geo';

/** One historical order read from an export, with what the store actually did. */
export interface SourceOrder {
  order: Order;
  /** Row (CSV, header = row 1) or line (JSONL) the order starts on. */
  row: number;
  /** When the store paid / fulfilled / cancelled it (epoch ms), when the export says. */
  paidAt?: number;
  fulfilledAt?: number;
  cancelledAt?: number;
  cancelReason?: string;
}

/** A row or line that was skipped, and why. */
export interface InputProblem {
  row: number;
  message: string;
}

/** How exported orders are read. */
export interface ReadOptions {
  /** The shop's domain (ids and links). Default `shopify-export`. */
  shop?: string;
  /** Kit SKUs (from the config): lines with these SKUs ship as their components. */
  kits?: KitDefinitions;
  /** Told about every skipped row; the read goes on. */
  onProblem: (problem: InputProblem) => void;
}

/**
 * Completes a normalized order with what an export lacks: kit components from the config,
 * approximate destination coordinates, and the store's risk level. The export carries no
 * customer tags; stores that copy them onto orders (VIP, wholesale...) keep them in the
 * order's tags, so those stand in for the customer's.
 */
export function completeOrder(
  order: Order,
  extra: { kits?: KitDefinitions; riskLevel?: string },
): Order {
  const input: OrderInput = { ...order };
  const kits = extra.kits;
  if (kits) {
    input.lines = order.lines.map((line) => {
      const def = line.sku ? kits[line.sku] : undefined;
      if (!def || line.kit || !line.sku) return line;
      return {
        ...line,
        kit: { components: expandKit(kits, line.sku), splittable: def.splittable },
      };
    });
  }
  const a = order.shippingAddress;
  if (a && (a.lat === undefined || a.lon === undefined)) {
    const place = approximatePlace(a.country, a.province);
    if (place) input.shippingAddress = { ...a, lat: place[0], lon: place[1] };
  }
  const level = extra.riskLevel?.trim().toLowerCase();
  if (level === 'low' || level === 'medium' || level === 'high') input.storeRisk = { level };
  if (order.tags.length > 0 && input.customer && input.customer.tags?.length === 0) {
    input.customer = { ...input.customer, tags: order.tags };
  }
  // Valid by construction: the normalizer validated the order (core's Order schema, defaults
  // filled in); kit components come from validated kit definitions (non-empty SKUs, positive
  // whole quantities), coordinates from a table within range, the risk level is one of the
  // three, and the customer's tags are the order's. `fulfil audit` therefore ingests it with
  // `ingestPrevalidated`; keep it that way when adding to this function.
  return input as Order;
}
