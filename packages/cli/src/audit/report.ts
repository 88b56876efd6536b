import type { InputProblem } from '../shopify/source-order';
import { hours, type OrderTrack } from './tracker';

/** Quantiles of a sample, in hours. */
export interface Spread {
  count: number;
  p50: number;
  p90: number;
  max: number;
}

/** The audit's result: everything the terminal summary and the HTML report show. JSON-serializable. */
export interface AuditReport {
  input: {
    file: string;
    format: 'csv' | 'jsonl';
    orders: number;
    skipped: number;
    /** The first 100 problems (row and message). */
    problems: InputProblem[];
    /** Orders older than one read before them (an export sorted newest first replays badly). */
    outOfOrder: number;
    from?: string;
    to?: string;
  };
  config: { file: string; rules: string[]; locations: string[] };
  stock: string;
  totals: {
    orders: number;
    automated: number;
    automatedShare: number;
    review: number;
    reviewShare: number;
    held: number;
    cancelled: number;
    /** Still waiting (payment, a hold) when the replay ended. */
    open: number;
    split: number;
    backordered: number;
  };
  statuses: Record<string, number>;
  reviewReasons: Record<string, number>;
  holds: {
    placed: number;
    byReason: Record<string, { count: number; hours: Spread; endedBy: Record<string, number> }>;
  };
  shipments: {
    total: number;
    byLocation: Record<string, { shipments: number; units: number }>;
    /** Estimated cost of the routed shipments (the router's cost model), minor units. */
    estimatedCost: number;
    currency: string;
  };
  rules: { hits: Record<string, number>; neverFired: string[] };
  notes: { withNote: number; tags: Record<string, number>; uncertain: number; llmShare: number };
  risk: { engine: Record<string, number>; store: Record<string, number> };
  timing: {
    /** Created → the engine submitted shipments (simulated time: holds and payments included). */
    engineToSubmit: Spread;
    /** Created → `Fulfilled at` as the store actually did it. */
    storeToFulfilled: Spread;
  };
  run: { wallMs: number; ordersPerSecond: number; peakRssMb: number };
}

/** Accumulates settled orders into an {@link AuditReport}. */
export function createAggregator() {
  const statuses: Record<string, number> = {};
  const reviewReasons: Record<string, number> = {};
  const holdHours = new Map<string, number[]>();
  const holdEnds = new Map<string, Record<string, number>>();
  const byLocation: Record<string, { shipments: number; units: number }> = {};
  const hits: Record<string, number> = {};
  const noteTags: Record<string, number> = {};
  const engineRisk: Record<string, number> = {};
  const storeRisk: Record<string, number> = {};
  const toSubmit: number[] = [];
  const toFulfilled: number[] = [];
  const currencies: Record<string, number> = {};
  const t = {
    orders: 0,
    automated: 0,
    review: 0,
    held: 0,
    cancelled: 0,
    open: 0,
    split: 0,
    backordered: 0,
  };
  let shipments = 0;
  let cost = 0;
  let placed = 0;
  let withNote = 0;
  let uncertain = 0;
  const bump = (m: Record<string, number>, k: string, n = 1) => {
    m[k] = (m[k] ?? 0) + n;
  };
  return {
    add(track: OrderTrack, fulfilledAt: number | undefined): void {
      t.orders++;
      bump(statuses, track.status);
      bump(currencies, track.currency);
      const routed = track.locations.size > 0;
      if (track.visitedReview) {
        t.review++;
        for (const r of track.reviewReasons) bump(reviewReasons, r);
      } else if (routed) t.automated++;
      if (track.status === 'cancelled') t.cancelled++;
      else if (!routed && !track.visitedReview) t.open++;
      if (track.holds.length > 0) t.held++;
      if (track.locations.size > 1) t.split++;
      if (track.backordered) t.backordered++;
      for (const h of track.holds) {
        placed++;
        const list = holdHours.get(h.reason) ?? [];
        if (h.until !== undefined) list.push(h.until - h.since);
        holdHours.set(h.reason, list);
        const ends = holdEnds.get(h.reason) ?? {};
        bump(ends, h.endedBy ?? 'still held');
        holdEnds.set(h.reason, ends);
      }
      shipments += track.shipments;
      cost += track.cost;
      for (const [loc, units] of track.locations) {
        const row = byLocation[loc] ?? { shipments: 0, units: 0 };
        row.shipments++;
        row.units += units;
        byLocation[loc] = row;
      }
      for (const r of track.rules) bump(hits, r);
      if (track.hasNote) withNote++;
      if (track.hasNote && track.noteUncertain) uncertain++;
      for (const tag of track.noteTags) bump(noteTags, tag);
      if (track.riskLevel) bump(engineRisk, track.riskLevel);
      if (track.storeRisk) bump(storeRisk, track.storeRisk);
      if (track.submittedAt !== undefined) toSubmit.push(track.submittedAt - track.createdAt);
      if (fulfilledAt !== undefined && fulfilledAt >= track.createdAt)
        toFulfilled.push(fulfilledAt - track.createdAt);
    },
    report(base: Pick<AuditReport, 'input' | 'config' | 'stock' | 'run'>): AuditReport {
      const share = (n: number) =>
        t.orders === 0 ? 0 : Math.round((n / t.orders) * 10_000) / 10_000;
      const byReason: AuditReport['holds']['byReason'] = {};
      for (const [reason, list] of holdHours) {
        byReason[reason] = {
          count: Object.values(holdEnds.get(reason) ?? {}).reduce((a, b) => a + b, 0),
          hours: spread(list),
          endedBy: holdEnds.get(reason) ?? {},
        };
      }
      return {
        ...base,
        totals: { ...t, automatedShare: share(t.automated), reviewShare: share(t.review) },
        statuses,
        reviewReasons,
        holds: { placed, byReason },
        shipments: {
          total: shipments,
          byLocation,
          estimatedCost: cost,
          currency: Object.entries(currencies).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD',
        },
        rules: { hits, neverFired: base.config.rules.filter((r) => !hits[r]) },
        notes: {
          withNote,
          tags: noteTags,
          uncertain,
          llmShare: withNote === 0 ? 0 : Math.round((uncertain / withNote) * 10_000) / 10_000,
        },
        risk: { engine: engineRisk, store: storeRisk },
        timing: { engineToSubmit: spread(toSubmit), storeToFulfilled: spread(toFulfilled) },
      };
    },
  };
}

function spread(ms: number[]): Spread {
  if (ms.length === 0) return { count: 0, p50: 0, p90: 0, max: 0 };
  const s = Float64Array.from(ms).sort();
  const q = (p: number) => hours(s[Math.min(s.length - 1, Math.floor(s.length * p))] as number);
  return { count: s.length, p50: q(0.5), p90: q(0.9), max: hours(s[s.length - 1] as number) };
}
