import type { Command, Explanation, HistoryEntry } from '../../model/commands';
import type { OrderInput } from '../../model/order';
import type { OrderRecord } from '../../model/record';
import type { Storage } from '../../ports/storage';
import { makeRecord, type OrderRecordInput } from '../fixtures';

/** One decision of an {@link OrderJourney}: where it left the order, and what it did. */
export interface JourneyStep {
  /** When the decision happened, epoch ms. */
  at: number;
  /** The state the decision left the order in (the history entry's `to`). */
  to: string;
  /** The event decided. Default `order.received` for the first step, else `order.updated`. */
  eventType?: string;
  /**
   * Review reasons to set on the record (its `review.since` stays when already in review),
   * or `null` to clear the review (a person resolved it). Absent: unchanged.
   */
  review?: string[] | null;
  /** Hold reasons the record carries from this step on (replaces earlier holds). Absent: unchanged. */
  holds?: string[];
  /**
   * The routing plan in the explanation: one shipment per location (the order's lines
   * dealt out in turn) and how many lines are backordered (taken from the end).
   */
  routing?: { locations: string[]; backordered?: number };
  /** Commands committed with this decision (their `orderId` must be the journey's). */
  commands?: Command[];
  /** Notes of the explanation, e.g. `approved by ops@example.com`. */
  notes?: string[];
}

/** An order's life as the engine would have stored it, one step per decision. */
export interface OrderJourney {
  orderId: string;
  /** Order fields (`id` and `createdAt` are set from the journey). */
  order?: Partial<OrderInput>;
  /** Cached port facts on every record (`note`, `risk`). */
  facts?: OrderRecordInput['facts'];
  /** The decisions, oldest first; at least one. */
  steps: JourneyStep[];
}

/**
 * Commits an {@link OrderJourney} through the {@link Storage} port, one commit per step
 * (record, history entry with its explanation, commands), as the engine would have: the
 * version grows by one per step, `from` is the previous step's `to`, `review`, `holds`,
 * shipments and backordered lines follow the steps. Returns the last record.
 *
 * @example
 * ```ts
 * const t0 = Date.parse('2026-11-27T09:00:00Z');
 * await seedJourney(storage, {
 *   orderId: 'o-1',
 *   order: { note: 'gift wrap please' },
 *   steps: [
 *     { at: t0, to: 'received' },
 *     { at: t0 + 5_000, to: 'needs_review', review: ['risk: high'] },
 *     { at: t0 + 60_000, to: 'ready', eventType: 'review.resolved', review: null },
 *     { at: t0 + 61_000, to: 'submitted', routing: { locations: ['east', 'west'] } },
 *   ],
 * });
 * ```
 */
export async function seedJourney(storage: Storage, journey: OrderJourney): Promise<OrderRecord> {
  const { orderId, steps } = journey;
  const first = steps[0];
  if (first === undefined) throw new Error(`seedJourney(${orderId}): no steps`);
  const createdAt = iso(first.at);
  let previous: OrderRecord | undefined;
  let review: { reasons: string[]; since: string } | undefined;
  let holds: string[] = [];
  let shipments: NonNullable<OrderRecordInput['shipments']> = [];
  let backordered: NonNullable<OrderRecordInput['backordered']> = [];
  const visited: string[] = [];
  for (const [i, step] of steps.entries()) {
    const at = iso(step.at);
    const version = i + 1;
    if (step.review === null) review = undefined;
    else if (step.review !== undefined)
      review = { reasons: step.review, since: review?.since ?? at };
    if (step.holds !== undefined) holds = step.holds;
    if (!visited.includes(step.to)) visited.push(step.to);
    const order = previous?.order ?? { ...journey.order, id: orderId, createdAt, updatedAt: at };
    const lines = previous?.order.lines ?? order.lines ?? [];
    let routing: Explanation['routing'];
    if (step.routing !== undefined) {
      const lineParts = lines.map((l) => ({
        lineId: l.id,
        sku: l.sku ?? l.id,
        quantity: l.quantity,
      }));
      const backorderedLines = lineParts.slice(lineParts.length - (step.routing.backordered ?? 0));
      const routed = lineParts.slice(0, lineParts.length - backorderedLines.length);
      const locations = step.routing.locations;
      const plan = locations.map((locationId, k) => ({
        locationId,
        lines: routed.filter((_, n) => n % locations.length === k),
      }));
      routing = {
        shipments: plan,
        backordered: backorderedLines,
        reason: `fixture router: ${locations.length} shipment(s)`,
      };
      shipments = [
        ...shipments,
        ...plan.map((s, k) => ({
          id: `${orderId}:v${version}:s${k}`,
          locationId: s.locationId,
          status: 'pending' as const,
          lines: s.lines,
          createdAt: at,
        })),
      ];
      backordered = backorderedLines;
    }
    const record = makeRecord({
      orderId,
      version,
      status: step.to,
      statusSince: previous?.status === step.to ? previous.statusSince : at,
      upstreamUpdatedAt: createdAt,
      createdAt,
      updatedAt: at,
      shipments,
      backordered,
      holds: holds.map((reason, k) => ({
        id: `${orderId}:h${k}`,
        reason,
        ruleId: `hold-${k}`,
        since: at,
      })),
      visited: [...visited],
      ...(review === undefined ? {} : { review: { ...review, reasons: [...review.reasons] } }),
      ...(journey.facts === undefined ? {} : { facts: journey.facts }),
      ...(previous === undefined ? { order } : { order: previous.order }),
    });
    const eventType = step.eventType ?? (version === 1 ? 'order.received' : 'order.updated');
    const eventKey = `${eventType}:${orderId}:v${version}`;
    const from = previous?.status ?? null;
    const commands = step.commands ?? [];
    const explanation: Explanation = {
      event: { type: eventType, idempotencyKey: eventKey },
      outcome: 'applied',
      stages: [],
      transitions: from === step.to ? [] : [{ from, event: 'FIXTURE', to: step.to }],
      ...(routing === undefined ? {} : { routing }),
      commands: commands.map((c) => ({ id: c.id, type: c.type, reason: c.reason })),
      notes: step.notes ?? [],
    };
    const history: HistoryEntry = {
      orderId,
      version,
      at,
      eventType,
      eventKey,
      from,
      to: step.to,
      summary: `${eventType}: ${from ?? 'new'} → ${step.to}`,
      explanation,
    };
    await storage.commit({
      orderId,
      expectedVersion: version - 1,
      record,
      history,
      commands,
      timers: [],
      cancelTimerIds: [],
      inboxKeys: [eventKey],
    });
    previous = record;
  }
  return previous as OrderRecord;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
