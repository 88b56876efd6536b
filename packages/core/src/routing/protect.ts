import type { InventorySnapshot } from '../model/facts';
import type { DemandItem } from './demand';
import type { RoutingPlan } from './router';
import type { PlanScore } from './score';

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

/**
 * Stock protection around any scoring router (the built-in optimal router and
 * `@fulfil/router-mip` share it): routes once as asked; when `protect` is set and the request
 * carries `cover`, routes again with the protected stock read as 0 and keeps that plan when it
 * places as many units in at most as many shipments for at most `maxExtraCost` more. The
 * reason says which stock was left alone, or why protecting it was not worth it.
 */
export function routeWithProtection<
  Request extends {
    items: readonly DemandItem[];
    inventory: InventorySnapshot;
    cover?: CoverTable;
  },
  Plan extends RoutingPlan & { score: PlanScore; protected?: string[] },
>(protect: ProtectOptions | undefined, request: Request, route: (request: Request) => Plan): Plan {
  const plain = route(request);
  if (!protect || !request.cover || plain.shipments.length === 0) return plain;
  const skus = new Set(request.items.flatMap((it) => Object.keys(it.needs)));
  const guarded = protectedInventory(request.inventory, request.cover, skus, protect.thresholdDays);
  if (!guarded) return plain;
  const safe = route({ ...request, inventory: guarded.inventory });
  const extra = safe.score.cost - plain.score.cost;
  if (
    safe.score.placed === plain.score.placed &&
    safe.score.shipments <= plain.score.shipments &&
    extra <= protect.maxExtraCost
  )
    return {
      ...safe,
      protected: guarded.pairs,
      reason: `${safe.reason}; left low-cover stock alone (${guarded.pairs.join(', ')}) for ${Math.max(0, extra)} more`,
    };
  const why =
    safe.score.placed < plain.score.placed
      ? `would place ${plain.score.placed - safe.score.placed} fewer unit(s)`
      : safe.score.shipments > plain.score.shipments
        ? 'would need more shipments'
        : `would cost ${extra} more`;
  return { ...plain, reason: `${plain.reason}; uses low-cover stock (protecting it ${why})` };
}
