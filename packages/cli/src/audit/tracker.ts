import type { HistoryEntry, OrderRecord } from '@fulfil/core';

const HOUR = 3_600_000;

/** What the audit remembers about one order while it is open. */
export interface OrderTrack {
  orderId: string;
  name: string;
  createdAt: number;
  status: string;
  visitedReview: boolean;
  reviewReasons: string[];
  holds: { reason: string; since: number; until?: number; endedBy?: string }[];
  rules: Set<string>;
  locations: Map<string, number>;
  shipments: number;
  backordered: boolean;
  /** Estimated cost of the last routing plan (minor units). */
  cost: number;
  /** When the engine first submitted shipments. */
  submittedAt?: number;
  noteTags: string[];
  noteUncertain: boolean;
  hasNote: boolean;
  riskLevel?: string;
  storeRisk?: string;
  currency: string;
  /** History summaries, for explanations (`--compare`). */
  summaries: string[];
  routingReason?: string;
}

/** The settled outcome of one order, comparable between two runs. */
export interface Outcome {
  orderId: string;
  name: string;
  /** e.g. `submitted east+west`, `needs_review (risk high)`, `cancelled`. */
  outcome: string;
  explanation: string[];
}

/** Creates a track for an order from its first committed record. */
export function newTrack(record: OrderRecord): OrderTrack {
  return {
    orderId: record.orderId,
    name: record.order.source.name ?? record.orderId,
    createdAt: Date.parse(record.order.createdAt),
    status: record.status,
    visitedReview: false,
    reviewReasons: [],
    holds: [],
    rules: new Set(),
    locations: new Map(),
    shipments: 0,
    backordered: false,
    cost: 0,
    noteTags: [],
    noteUncertain: false,
    hasNote: (record.order.note ?? '').trim() !== '',
    storeRisk: record.order.storeRisk?.level,
    currency: record.order.currency,
    summaries: [],
  };
}

/** Folds one committed history entry (and the record after it) into the order's track. */
export function observeCommit(
  track: OrderTrack,
  entry: HistoryEntry,
  record: OrderRecord,
  keepSummaries: boolean,
): void {
  const at = Date.parse(entry.at);
  // The first commit starts from no state (`from` null): a hold it places is a new hold.
  const was = entry.from === null ? '' : track.status;
  track.status = record.status;
  if (keepSummaries && track.summaries.length < 40)
    track.summaries.push(`${entry.at.slice(0, 16)} ${entry.summary}`);
  for (const stage of entry.explanation.stages)
    for (const r of stage.rules) if (r.matched) track.rules.add(r.ruleId);
  if (record.status === 'needs_review') {
    track.visitedReview = true;
    for (const reason of record.review?.reasons ?? [])
      if (!track.reviewReasons.includes(reason)) track.reviewReasons.push(reason);
  }
  if (record.status === 'on_hold' && was !== 'on_hold') {
    track.holds.push({ reason: record.holds.map((h) => h.reason).join('; ') || 'hold', since: at });
  }
  if (was === 'on_hold' && record.status !== 'on_hold') {
    const open = track.holds[track.holds.length - 1];
    if (open && open.until === undefined) {
      open.until = at;
      open.endedBy = entry.eventType;
    }
  }
  const routing = entry.explanation.routing;
  if (routing) {
    track.routingReason = routing.reason;
    if (routing.backordered.length > 0) track.backordered = true;
    const cost = routing.score?.cost;
    if (typeof cost === 'number' && routing.shipments.length > 0) track.cost = cost;
  }
  if (record.backordered.length > 0) track.backordered = true;
  if (track.submittedAt === undefined && record.status === 'submitted') track.submittedAt = at;
  const live = record.shipments.filter((s) => s.status !== 'rejected' && s.status !== 'cancelled');
  track.shipments = live.length;
  track.locations = new Map();
  for (const s of live)
    track.locations.set(
      s.locationId,
      (track.locations.get(s.locationId) ?? 0) + s.lines.reduce((n, l) => n + l.quantity, 0),
    );
  const note = record.facts.note;
  if (note) {
    track.noteTags = note.tags.map((t) => t.tag);
    track.noteUncertain = note.uncertain === true;
  }
  if (record.facts.risk) track.riskLevel = record.facts.risk.level;
}

/** The outcome line of a settled order. */
export function outcomeOf(track: OrderTrack): Outcome {
  const where = [...track.locations.keys()].sort().join('+');
  let outcome = track.status;
  if (where) outcome += ` ${where}`;
  if (track.status === 'needs_review' || (track.visitedReview && !where))
    outcome += ` (review: ${track.reviewReasons.join('; ')})`;
  if (track.holds.length > 0) outcome += ` [held: ${track.holds.map((h) => h.reason).join(', ')}]`;
  const rules = [...track.rules].sort();
  return {
    orderId: track.orderId,
    name: track.name,
    outcome,
    explanation: [
      ...(rules.length > 0 ? [`rules matched: ${rules.join(', ')}`] : ['no rule matched']),
      ...(track.routingReason ? [`routing: ${track.routingReason}`] : []),
      ...track.summaries,
    ],
  };
}

/** Hours, rounded to 0.1. */
export const hours = (ms: number) => Math.round((ms / HOUR) * 10) / 10;
