/**
 * Drives a batch of orders through a real engine whose warehouse sits behind a fault proxy,
 * until quiet, and checks what must hold for every order whatever the faults did:
 * shipped (one vendor order), in review WITH an alert, or cancelled (nothing open at the vendor,
 * or an alert) — never stuck without an alert, never lost, never two vendor orders.
 */
import type { Engine, MemoryAlerts, MemoryStorage, Order } from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import type { FaultProxy } from '../src/fault-proxy';

/** What a scenario needs to know about the vendor's side (read from its fake, not through the proxy). */
export interface VendorView {
  /** The vendor's orders made for a core order (every status). */
  ordersOf(orderId: string): { key: string; open: boolean }[];
  /** Ships every open vendor order (the warehouse does its work). */
  shipAll(): Promise<void>;
  /** Brings shipment events to the engine (polling through the proxy, or webhooks). */
  collect(engine: Engine): Promise<void>;
}

/** One scenario run. */
export interface ScenarioOptions {
  engine: Engine;
  alerts: MemoryAlerts;
  proxy: FaultProxy;
  vendor: VendorView;
  /** Order ids are `${prefix}-${i}`. */
  prefix: string;
  orders: number;
  /** Every n-th order is cancelled by the store after the first dispatch round. Default: none. */
  cancelEvery?: number;
  /** Dispatch rounds with faults on (the vendor ships, and events are collected, halfway). */
  faultRounds: number;
  /** Pause between rounds (lets backoffs come due on the real clock). */
  pauseMs: number;
  /** The engine's storage: quiet also means no outbox row pending or claimed. */
  storage: MemoryStorage;
  /** The order for an id. Default: one T-shirt (`TEE-M`), from `makeOrder`. */
  order?: (id: string) => Order;
  /** Rounds with faults off before giving up on quiet. Default 40. */
  quietRounds?: number;
}

/** What happened to the batch. */
export interface Outcome {
  orders: number;
  shipped: number;
  review: number;
  cancelled: number;
  /** Ids not stored. */
  lost: string[];
  /** Ids in a non-final state with no alert about them. */
  stuck: string[];
  /** Ids in review with no alert about them. */
  reviewWithoutAlert: string[];
  /** Ids with more than one vendor order, or shipped without exactly one. */
  duplicates: string[];
  /** Ids cancelled in the store, still open at the vendor, with no alert. */
  cancelledOpenWithoutAlert: string[];
  /** Errors a host saw from `runDue`/`ingest`/polling while faults were on (it retries them). */
  hostErrors: number;
  /** Faults the proxy injected. */
  faults: number;
  /** Requests per proxy action (`kind:when`, `pass`). */
  byKind: Record<string, number>;
  /** Rounds of the quiet phase it took to settle. */
  quietRounds: number;
  /** Order ids that were ever in review (an alert about them). */
  alerted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FINAL = new Set(['shipped', 'delivered', 'cancelled']);

/** Runs the batch to quiet and returns the outcome (assertions are the caller's). */
export async function runScenario(s: ScenarioOptions): Promise<Outcome> {
  const ids = Array.from({ length: s.orders }, (_, i) => `${s.prefix}-${i}`);
  let hostErrors = 0;
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch {
      hostErrors++; // a host logs it and tries again on its next tick
    }
  };
  for (const id of ids) {
    const order =
      s.order?.(id) ??
      makeOrder({
        id,
        lines: [
          { id: `${id}-l1`, sku: 'TEE-M', title: 'T-shirt (M)', quantity: 1, unitPrice: 2500 },
        ],
      });
    await s.engine.ingest({
      type: 'order.received',
      idempotencyKey: `recv-${id}`,
      occurredAt: new Date().toISOString(),
      order,
    });
  }
  for (let round = 0; round < s.faultRounds; round++) {
    await attempt(() => s.engine.runDue());
    if (round === 0 && s.cancelEvery) {
      for (const [i, id] of ids.entries()) {
        if (i % s.cancelEvery !== 0) continue;
        const cancel = {
          type: 'order.cancelled',
          idempotencyKey: `cancel-${id}`,
          occurredAt: new Date().toISOString(),
          orderId: id,
          reason: 'customer asked',
        };
        await attempt(() => s.engine.ingest(cancel));
      }
    }
    if (round === Math.floor(s.faultRounds / 2)) {
      await s.vendor.shipAll();
      await attempt(() => s.vendor.collect(s.engine));
    }
    await sleep(s.pauseMs);
  }
  s.proxy.setEnabled(false);
  const faults = s.proxy.faults();
  const byKind = s.proxy.counts();
  let quiet = 0;
  const limit = s.quietRounds ?? 40;
  for (; quiet < limit; quiet++) {
    await s.engine.runDue();
    await s.vendor.shipAll();
    await s.vendor.collect(s.engine);
    await s.engine.runDue();
    if (await settled(s, ids)) break;
    await sleep(s.pauseMs);
  }
  return { ...(await judge(s, ids)), hostErrors, faults, byKind, quietRounds: quiet };
}

async function settled(s: ScenarioOptions, ids: string[]): Promise<boolean> {
  const busy = s.storage.outbox().some((r) => r.status === 'pending' || r.status === 'claimed');
  if (busy) return false;
  const alerted = alertedIds(s.alerts);
  for (const id of ids) {
    const status = (await s.engine.get(id))?.status;
    if (status === undefined) return false;
    if (status === 'needs_review' ? !alerted.has(id) : !FINAL.has(status)) return false;
  }
  return true;
}

function alertedIds(alerts: MemoryAlerts): Set<string> {
  return new Set(alerts.alerts().flatMap((a) => (a.orderId ? [a.orderId] : [])));
}

async function judge(
  s: ScenarioOptions,
  ids: string[],
): Promise<Omit<Outcome, 'hostErrors' | 'faults' | 'byKind' | 'quietRounds'>> {
  const alerted = alertedIds(s.alerts);
  const out = {
    orders: ids.length,
    shipped: 0,
    review: 0,
    cancelled: 0,
    lost: [] as string[],
    stuck: [] as string[],
    reviewWithoutAlert: [] as string[],
    duplicates: [] as string[],
    cancelledOpenWithoutAlert: [] as string[],
    alerted: ids.filter((id) => alerted.has(id)).length,
  };
  for (const id of ids) {
    const record = await s.engine.get(id);
    if (!record) {
      out.lost.push(id);
      continue;
    }
    const upstream = s.vendor.ordersOf(id);
    if (new Set(upstream.map((o) => o.key)).size !== upstream.length || upstream.length > 1)
      out.duplicates.push(id);
    switch (record.status) {
      case 'shipped':
      case 'delivered':
        out.shipped++;
        if (upstream.length !== 1) out.duplicates.push(id);
        break;
      case 'needs_review':
        out.review++;
        if (!alerted.has(id)) out.reviewWithoutAlert.push(id);
        break;
      case 'cancelled':
        out.cancelled++;
        if (upstream.some((o) => o.open) && !alerted.has(id))
          out.cancelledOpenWithoutAlert.push(id);
        break;
      default:
        if (!alerted.has(id)) out.stuck.push(`${id} (${record.status})`);
        else out.stuck.push(`${id} (${record.status}, alerted but not in review)`);
    }
  }
  return out;
}

/** The table's `result` words for an outcome. */
export function describeOutcome(o: Outcome): string {
  const bad =
    o.lost.length +
    o.stuck.length +
    o.reviewWithoutAlert.length +
    o.duplicates.length +
    o.cancelledOpenWithoutAlert.length;
  return (
    `${o.orders} orders, ${o.faults} faults: ${o.shipped} shipped, ${o.review} in review (${o.review - o.reviewWithoutAlert.length} with an alert), ` +
    `${o.cancelled} cancelled; ${o.lost.length} lost, ${o.duplicates.length} duplicate vendor orders, ${o.stuck.length} stuck` +
    (bad > 0 ? ` — FAILED` : '')
  );
}

/** The injected faults by kind, e.g. `reset:after 4, hang:before 2`. */
export function describeFaults(o: Outcome): string {
  return Object.entries(o.byKind)
    .filter(([k]) => k !== 'pass')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** True when every invariant held. */
export function outcomeOk(o: Outcome): boolean {
  return (
    o.lost.length === 0 &&
    o.stuck.length === 0 &&
    o.reviewWithoutAlert.length === 0 &&
    o.duplicates.length === 0 &&
    o.cancelledOpenWithoutAlert.length === 0
  );
}

/** Several runs' outcomes as one (counts summed, id lists joined), for one table row. */
export function sumOutcomes(outcomes: Outcome[]): Outcome {
  const sum = (f: (o: Outcome) => number) => outcomes.reduce((s, o) => s + f(o), 0);
  const all = (f: (o: Outcome) => string[]) => outcomes.flatMap(f);
  return {
    orders: sum((o) => o.orders),
    shipped: sum((o) => o.shipped),
    review: sum((o) => o.review),
    cancelled: sum((o) => o.cancelled),
    lost: all((o) => o.lost),
    stuck: all((o) => o.stuck),
    reviewWithoutAlert: all((o) => o.reviewWithoutAlert),
    duplicates: all((o) => o.duplicates),
    cancelledOpenWithoutAlert: all((o) => o.cancelledOpenWithoutAlert),
    hostErrors: sum((o) => o.hostErrors),
    faults: sum((o) => o.faults),
    byKind: outcomes.reduce<Record<string, number>>((acc, o) => {
      for (const [k, n] of Object.entries(o.byKind)) acc[k] = (acc[k] ?? 0) + n;
      return acc;
    }, {}),
    quietRounds: Math.max(0, ...outcomes.map((o) => o.quietRounds)),
    alerted: sum((o) => o.alerted),
  };
}
