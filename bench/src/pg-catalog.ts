import type { Order } from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';

/**
 * The SKUs the PostgreSQL benchmarks' orders buy, round robin. Routing reserves stock per
 * (location, SKU) inside the commit and serialises commits on the same pair, so one SKU
 * for every order would measure that lock (a flash sale of one item), not the engine.
 */
export const CATALOG_SKUS = 500;

/** Stock of every catalog SKU at the one location `main`. */
export function catalogStock(units: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: CATALOG_SKUS }, (_, i) => [skuOf(i), units]));
}

/** A paid one-line order `id` for the `n`-th catalog SKU (round robin). */
export function benchOrder(id: string, n: number): Order {
  return makeOrder({
    id,
    lines: [
      { id: 'l1', sku: skuOf(n % CATALOG_SKUS), title: 'Bench item', quantity: 1, unitPrice: 2500 },
    ],
  });
}

const skuOf = (i: number) => `SKU-${String(i).padStart(4, '0')}`;
