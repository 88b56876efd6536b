import { defaultOrderId } from '@fulfil/adapter-shopify';
import type { Engine, OrderRecord, Storage } from '@fulfil/core';

/** What {@link createOrderLookup}'s function found for a key. */
export type OrderLookupResult =
  | { found: 'one'; orderId: string }
  | { found: 'none' }
  | { found: 'many'; orderIds: string[] };

/** Options of {@link createOrderLookup}. */
export interface OrderLookupOptions {
  engine: Pick<Engine, 'get'>;
  /** The engine's storage: its `insights.search` (when it has that capability) or `listOrders`. */
  storage?: Pick<Storage, 'listOrders' | 'insights'>;
  /**
   * Shop domains (`acme.myshopify.com`) whose numeric order ids are tried as engine ids
   * (`shopify:{handle}:{id}`), so `820982911946154508` finds its order in one read.
   */
  shops?: readonly string[];
  /**
   * Without the storage's `insights` capability, names and external ids are matched by
   * reading at most this many stored orders. Default 5,000.
   */
  scanLimit?: number;
}

/**
 * Finds an order by what a person has at hand:
 * - the engine's order id, e.g. `shopify:acme:820982911946154508` (Shopify orders are named
 *   `shopify:{shop handle}:{numeric order id}`);
 * - the store's order name, `#1001` or `1001` (case-insensitive);
 * - the store's id: Shopify's numeric order id `820982911946154508` or its
 *   `gid://shopify/Order/820982911946154508`.
 *
 * An exact engine id wins; otherwise every order matching the name or external id is
 * returned (`many` when a name is shared, e.g. by two shops).
 *
 * @example
 * ```ts
 * const lookup = createOrderLookup({ engine, storage, shops: ['acme.myshopify.com'] });
 * await lookup('#1001'); // { found: 'one', orderId: 'shopify:acme:820982911946154508' }
 * ```
 */
export function createOrderLookup(
  options: OrderLookupOptions,
): (key: string) => Promise<OrderLookupResult> {
  const scanLimit = options.scanLimit ?? 5_000;
  return async (raw) => {
    const key = raw.trim();
    if (key === '') return { found: 'none' };
    if (await options.engine.get(key)) return { found: 'one', orderId: key };
    const numeric = /^\d+$/.test(key) ? key : undefined;
    for (const shop of numeric ? (options.shops ?? []) : []) {
      const id = defaultOrderId(shop, numeric!);
      if (await options.engine.get(id)) return { found: 'one', orderId: id };
    }
    const ids = new Set<string>();
    const texts = searchTexts(key);
    const insights = options.storage?.insights;
    if (insights) {
      for (const text of texts)
        for (const hit of await insights.search({ text, limit: 20 })) ids.add(hit.orderId);
    } else if (options.storage) {
      const orders = await options.storage.listOrders({ limit: scanLimit });
      for (const record of orders) if (matches(record, texts)) ids.add(record.orderId);
    }
    if (ids.size === 0) return { found: 'none' };
    if (ids.size === 1) return { found: 'one', orderId: [...ids][0]! };
    return { found: 'many', orderIds: [...ids].sort() };
  };
}

/** The texts a key may be equal to: itself, the name with or without `#`, the Shopify gid. */
function searchTexts(key: string): string[] {
  const texts = new Set([key]);
  if (key.startsWith('#')) texts.add(key.slice(1));
  else texts.add(`#${key}`);
  if (/^\d+$/.test(key)) texts.add(`gid://shopify/Order/${key}`);
  return [...texts];
}

function matches(record: OrderRecord, texts: readonly string[]): boolean {
  const { name, externalId } = record.order.source;
  const lowered = texts.map((t) => t.toLowerCase());
  return texts.includes(externalId) || (name !== undefined && lowered.includes(name.toLowerCase()));
}
