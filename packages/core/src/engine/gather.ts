import { FulfilError } from '../errors';
import type { OrderEvent } from '../model/events';
import {
  type DecisionFacts,
  type InventorySnapshot,
  Location,
  type LocationInput,
} from '../model/facts';
import type { Order } from '../model/order';
import type { OrderRecord } from '../model/record';
import { sanitizeText } from '../model/sanitize-text';
import type { RateSource } from '../ports/rates';
import type { ReservedStock } from '../ports/storage';
import { skusOf } from '../routing/demand';
import type { EngineOptions } from './options';

const ROUTING_EVENTS = new Set<OrderEvent['type']>([
  'order.received',
  'order.updated',
  'order.paid',
  'inventory.changed',
  'timer.fired',
  'warehouse.rejected',
  'review.resolved',
  'order.signal',
  'store.fulfillment_changed',
]);

type Ports = Pick<
  EngineOptions,
  | 'classifier'
  | 'risk'
  | 'inventory'
  | 'warehouses'
  | 'storage'
  | 'forecast'
  | 'rates'
  | 'reservations'
  | 'locations'
>;

/** Units an `untracked` location is assumed to hold of any SKU. */
export const UNTRACKED_UNITS = 1_000_000;

/**
 * Gathers the facts that need I/O. Note tags and risk are computed once per order
 * (again only when the note or order changes) and cached on the record by decide;
 * inventory is read fresh for events that may route. A failing classifier, risk scorer or
 * forecast source degrades (uncertain note, no risk, no cover) instead of losing the event.
 * Their text (an LLM's output is input too) is repaired like an event's (`sanitizeText`):
 * the note and risk facts are stored on the record.
 *
 * With stock reservations (storage capability `reservations`), the reserved units are read
 * first, then the stock; `facts.inventory` is the stock minus every active reservation and
 * `facts.stock` keeps the raw figures and the watermark the commit checks its takes against.
 */
export async function gatherFacts(
  ports: Ports,
  record: OrderRecord | undefined,
  event: OrderEvent,
  now: number,
  timeZone: string,
  onDegraded: (what: string, err: unknown) => void,
  /** Reserved stock of the order's SKUs already read (with the record), if any. */
  preread?: ReservedStock,
): Promise<DecisionFacts> {
  const facts: DecisionFacts = {};
  const order: Order | undefined =
    event.type === 'order.received' || event.type === 'order.updated' ? event.order : record?.order;
  if (!order) return facts;
  const orderChanged = order !== record?.order;
  if (ports.classifier && orderChanged) {
    const note = order.note?.trim() ?? '';
    if (note !== '' && note !== (record?.order.note?.trim() ?? '')) {
      try {
        facts.note = sanitizeText(
          await ports.classifier.classify(note, { order, timeZone, now }),
        ).value;
      } catch (err) {
        onDegraded('classifier', err);
        facts.note = { tags: [], uncertain: true, classifier: `${ports.classifier.name} (failed)` };
      }
    }
  }
  if (ports.risk && orderChanged && (record === undefined || record.facts.risk === undefined)) {
    try {
      facts.risk = sanitizeText(await ports.risk.assess(order, { now })).value;
    } catch (err) {
      onDegraded('risk', err);
    }
  }
  if (
    ROUTING_EVENTS.has(event.type) &&
    ports.rates &&
    order.shippingAddress &&
    !settled(record, event)
  )
    facts.rates = await gatherRates(ports.rates, ports.locations, order, onDegraded);
  if (ROUTING_EVENTS.has(event.type))
    await gatherStock(
      ports,
      facts,
      skusOf(order),
      now,
      onDegraded,
      !settled(record, event),
      preread,
    );
  return facts;
}

/**
 * An order update for an order already with a warehouse: decide does not route it (only an
 * order still waiting for payment is routed on an update), so the stock is read without the
 * reservations and the forecast (one storage query less on the busiest path).
 */
function settled(record: OrderRecord | undefined, event: OrderEvent): boolean {
  if (record === undefined) return false;
  if (event.type !== 'order.received' && event.type !== 'order.updated') return false;
  return record.shipments.some((s) => s.status !== 'rejected' && s.status !== 'cancelled');
}

async function gatherStock(
  ports: Ports,
  facts: DecisionFacts,
  skus: string[],
  now: number,
  onDegraded: (what: string, err: unknown) => void,
  mayRoute: boolean,
  preread: ReservedStock | undefined,
): Promise<void> {
  const reserving =
    mayRoute && reservesStock(ports) && ports.storage.reserved !== undefined && skus.length > 0;
  // Reserved units and their watermark BEFORE the stock: a release after the watermark still
  // counts against this decision's takes, so stock read later can never be double-promised.
  // (A pre-read was read with the record, before this point, for the same SKUs.)
  const reserved = reserving ? (preread ?? (await ports.storage.reserved?.(skus))) : undefined;
  const available = await readInventory(ports, skus);
  facts.inventory = reserved ? netOf(available, reserved.units) : available;
  if (reserved) facts.stock = { available, basis: reserved.basis };
  if (!ports.forecast || skus.length === 0 || !mayRoute) return;
  try {
    facts.cover = await ports.forecast.cover(skus, { now, stock: facts.inventory });
  } catch (err) {
    onDegraded('forecast', err);
  }
}

/** Whether decisions reserve stock: the storage can, and the engine did not turn it off. */
export function reservesStock(ports: Pick<EngineOptions, 'reservations' | 'storage'>): boolean {
  return ports.reservations !== false && ports.storage.capabilities.reservations === true;
}

/** Stock minus reserved units, never below 0. */
function netOf(available: InventorySnapshot, reserved: InventorySnapshot): InventorySnapshot {
  const out: InventorySnapshot = {};
  for (const [loc, units] of Object.entries(available)) {
    const held = reserved[loc];
    if (held === undefined) {
      out[loc] = units;
      continue;
    }
    const net: Record<string, number> = {};
    for (const [sku, n] of Object.entries(units)) net[sku] = Math.max(0, n - (held[sku] ?? 0));
    out[loc] = net;
  }
  return out;
}

async function readInventory(ports: Ports, skus: string[]): Promise<InventorySnapshot> {
  const snapshot = { ...(await readTracked(ports, skus)) };
  for (const location of ports.locations) {
    if (location.stock !== 'untracked') continue;
    snapshot[location.id] = Object.fromEntries(skus.map((sku) => [sku, UNTRACKED_UNITS]));
  }
  return snapshot;
}

async function readTracked(ports: Ports, skus: string[]): Promise<InventorySnapshot> {
  if (skus.length === 0) return {};
  try {
    if (ports.inventory) return await ports.inventory.available(skus);
    const merged: InventorySnapshot = {};
    for (const w of Object.values(ports.warehouses)) {
      if (!w.capabilities.inventory || !w.inventory) continue;
      Object.assign(merged, await w.inventory(skus));
    }
    return merged;
  } catch (err) {
    throw new FulfilError('ADAPTER_FAILED', `reading inventory failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Carrier rates for one parcel of the whole order from every open location with an address,
 * asked in parallel. A failing source degrades to the fallback cost model (no rates).
 */
async function gatherRates(
  source: RateSource,
  locations: readonly LocationInput[],
  order: Order,
  onDegraded: (what: string, err: unknown) => void,
): Promise<Record<string, number> | undefined> {
  const destination = order.shippingAddress;
  if (!destination) return undefined;
  const units = order.lines.reduce((n, l) => n + (l.requiresShipping ? l.quantity : 0), 0);
  try {
    const quotes = await Promise.all(
      locations
        .map((l) => Location.parse(l))
        .filter((l) => l.open && l.address)
        .map(
          async (origin) =>
            [origin.id, await source.quote({ origin, destination, units })] as const,
        ),
    );
    const rates: Record<string, number> = {};
    for (const [id, cost] of quotes)
      if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)
        rates[id] = Math.round(cost);
    return rates;
  } catch (err) {
    onDegraded('rates', err);
    return undefined;
  }
}
