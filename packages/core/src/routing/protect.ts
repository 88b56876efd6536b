import type { InventorySnapshot } from '../model/facts';

/** Days of cover per location per SKU (e.g. from `forecaster.report()` via `coverTable`). */
export type CoverTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Stock protection settings of `createOptimalRouter({ protect })`. */
export interface ProtectOptions {
  /** A location's stock of a SKU is protected while its days of cover are below this. */
  thresholdDays: number;
  /** Extra estimated cost (minor units) accepted to leave protected stock alone. */
  maxExtraCost: number;
}

/**
 * The inventory with every protected (location, SKU) read as 0, and the pairs protected.
 * Returns undefined when nothing the order needs is protected.
 */
export function protectedInventory(
  inventory: InventorySnapshot,
  cover: CoverTable,
  skus: ReadonlySet<string>,
  thresholdDays: number,
): { inventory: InventorySnapshot; pairs: string[] } | undefined {
  const pairs: string[] = [];
  const out: InventorySnapshot = {};
  for (const [loc, stock] of Object.entries(inventory)) {
    const copy = { ...stock };
    for (const [sku, days] of Object.entries(cover[loc] ?? {})) {
      if (!skus.has(sku) || !(days < thresholdDays) || (copy[sku] ?? 0) <= 0) continue;
      copy[sku] = 0;
      pairs.push(`${loc}/${sku} (${days} d)`);
    }
    out[loc] = copy;
  }
  return pairs.length === 0 ? undefined : { inventory: out, pairs: pairs.sort() };
}
