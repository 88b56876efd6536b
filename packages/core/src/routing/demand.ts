import type { InventorySnapshot, Location } from '../model/facts';
import type { Order } from '../model/order';
import type { OrderRecord, ShipmentLine } from '../model/record';
import type { InventoryFacts } from '../rules/types';

/**
 * One routable unit of demand: a plain line, a kit that ships whole (with its
 * components), or one component of a splittable kit.
 */
export interface DemandItem {
  lineId: string;
  sku: string;
  quantity: number;
  /** Per unit of this item: SKU → units. A plain line needs `{ [sku]: 1 }`. */
  needs: Readonly<Record<string, number>>;
  components?: { sku: string; quantity: number }[];
}

/** Lines that need shipping but cannot be routed (no SKU), by line id. */
export interface DemandResult {
  items: DemandItem[];
  unroutable: string[];
  /** Lines not to ship yet (`shipAfter` in the future), by line id. */
  notYet: string[];
}

/**
 * The units an order still needs routed: every shippable line (kits expanded),
 * minus units already in live shipments (not rejected or cancelled).
 */
export function outstandingDemand(
  order: Order,
  record: OrderRecord | undefined,
  now: number,
): DemandResult {
  const placed = new Map<string, number>();
  for (const s of record?.shipments ?? []) {
    if (s.status === 'rejected' || s.status === 'cancelled') continue;
    for (const l of s.lines) placed.set(keyOf(l), (placed.get(keyOf(l)) ?? 0) + l.quantity);
  }
  const items: DemandItem[] = [];
  const unroutable: string[] = [];
  const notYet: string[] = [];
  for (const line of order.lines) {
    if (!line.requiresShipping) continue;
    if (line.shipAfter !== undefined && Date.parse(line.shipAfter) > now) {
      notYet.push(line.id);
      continue;
    }
    if (line.kit?.splittable) {
      for (const c of line.kit.components) {
        push(items, placed, {
          lineId: line.id,
          sku: c.sku,
          quantity: line.quantity * c.quantity,
          needs: { [c.sku]: 1 },
        });
      }
      continue;
    }
    if (line.kit) {
      const needs: Record<string, number> = {};
      for (const c of line.kit.components) needs[c.sku] = (needs[c.sku] ?? 0) + c.quantity;
      push(items, placed, {
        lineId: line.id,
        sku: line.sku ?? `kit:${line.id}`,
        quantity: line.quantity,
        needs,
        components: line.kit.components.map((c) => ({ sku: c.sku, quantity: c.quantity })),
      });
      continue;
    }
    if (line.sku === null || line.sku.trim() === '') {
      unroutable.push(line.id);
      continue;
    }
    push(items, placed, {
      lineId: line.id,
      sku: line.sku,
      quantity: line.quantity,
      needs: { [line.sku]: 1 },
    });
  }
  return { items, unroutable, notYet };
}

/** Every SKU the order's shippable lines need (kit components expanded). */
export function skusOf(order: Order): string[] {
  const skus = new Set<string>();
  for (const line of order.lines) {
    if (line.kit) for (const c of line.kit.components) skus.add(c.sku);
    else if (line.sku) skus.add(line.sku);
  }
  return [...skus];
}

/** How many units of `item` a location can fill from `stock`. */
export function fillable(
  item: DemandItem,
  stock: Readonly<Record<string, number>> | undefined,
): number {
  let units = item.quantity;
  for (const sku in item.needs) {
    const per = item.needs[sku] ?? 1;
    const have = Math.max(0, stock?.[sku] ?? 0);
    units = Math.min(units, Math.floor(have / per));
  }
  return units;
}

/**
 * Takes as many units of each item as `stock` allows, in order, deducting as it goes
 * (items may share SKUs). Mutates `stock`; returns units taken per item.
 */
export function takeFrom(
  items: readonly DemandItem[],
  wanted: readonly number[],
  stock: Record<string, number>,
): number[] {
  return items.map((it, i) => {
    const take = Math.min(wanted[i] ?? 0, fillable(it, stock));
    if (take > 0)
      for (const sku in it.needs) stock[sku] = (stock[sku] ?? 0) - take * (it.needs[sku] ?? 1);
    return take;
  });
}

/** Can this stock fill every unit of every item at once? */
export function fillsAll(
  items: readonly DemandItem[],
  stock: Readonly<Record<string, number>> | undefined,
): boolean {
  const wanted = items.map((it) => it.quantity);
  const taken = takeFrom(items, wanted, { ...(stock ?? {}) });
  return taken.every((t, i) => t === wanted[i]);
}

/** Inventory facts for rules: can one location fill everything, what is short. */
export function inventoryFacts(
  items: readonly DemandItem[],
  snapshot: InventorySnapshot,
  locations: readonly Location[],
): InventoryFacts {
  const open = locations.filter((l) => l.open);
  const canFillFromOneLocation =
    items.length > 0 && open.some((l) => fillsAll(items, snapshot[l.id]));
  const totalNeed = new Map<string, number>();
  for (const it of items) {
    for (const sku in it.needs)
      totalNeed.set(sku, (totalNeed.get(sku) ?? 0) + it.quantity * (it.needs[sku] ?? 1));
  }
  const shortSkus: string[] = [];
  for (const [sku, need] of totalNeed) {
    let have = 0;
    for (const l of open) have += Math.max(0, snapshot[l.id]?.[sku] ?? 0);
    if (have < need) shortSkus.push(sku);
  }
  const short = new Set(shortSkus);
  const shortLineIds = [
    ...new Set(
      items.filter((it) => Object.keys(it.needs).some((s) => short.has(s))).map((it) => it.lineId),
    ),
  ];
  return {
    canFillFromOneLocation,
    shortSkus: shortSkus.sort(),
    shortLineIds,
    hasBackorder: shortLineIds.length > 0,
  };
}

/** Converts a demand item and a quantity to a shipment line. */
export function toShipmentLine(item: DemandItem, quantity: number): ShipmentLine {
  const line: ShipmentLine = { lineId: item.lineId, sku: item.sku, quantity };
  if (item.components) line.components = item.components;
  return line;
}

function keyOf(l: { lineId: string; sku: string }): string {
  return `${l.lineId}\u0000${l.sku}`;
}

function push(items: DemandItem[], placed: Map<string, number>, item: DemandItem): void {
  const key = keyOf(item);
  const already = placed.get(key) ?? 0;
  const left = item.quantity - already;
  placed.set(key, Math.max(0, already - item.quantity));
  if (left > 0) items.push({ ...item, quantity: left });
}
