import { FulfilError } from '../errors';
import type { OrderEvent } from '../model/events';
import type { DecisionFacts, InventorySnapshot } from '../model/facts';
import type { Order } from '../model/order';
import type { OrderRecord } from '../model/record';
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
]);

type Ports = Pick<EngineOptions, 'classifier' | 'risk' | 'inventory' | 'warehouses'>;

/**
 * Gathers the facts that need I/O. Note tags and risk are computed once per order
 * (again only when the note or order changes) and cached on the record by decide;
 * inventory is read fresh for events that may route. A failing classifier or risk
 * scorer degrades (uncertain note, no risk) instead of losing the event.
 */
export async function gatherFacts(
  ports: Ports,
  record: OrderRecord | undefined,
  event: OrderEvent,
  now: number,
  timeZone: string,
  onDegraded: (what: string, err: unknown) => void,
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
        facts.note = await ports.classifier.classify(note, { order, timeZone, now });
      } catch (err) {
        onDegraded('classifier', err);
        facts.note = { tags: [], uncertain: true, classifier: `${ports.classifier.name} (failed)` };
      }
    }
  }
  if (ports.risk && orderChanged && (record === undefined || record.facts.risk === undefined)) {
    try {
      facts.risk = await ports.risk.assess(order, { now });
    } catch (err) {
      onDegraded('risk', err);
    }
  }
  if (ROUTING_EVENTS.has(event.type)) facts.inventory = await readInventory(ports, skusOf(order));
  return facts;
}

async function readInventory(ports: Ports, skus: string[]): Promise<InventorySnapshot> {
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
