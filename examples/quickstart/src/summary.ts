import type { HistoryEntry, OrderRecord } from '@fulfil/core';
import type { DemoSummary } from './report';
import type { createDemoWorld } from './world';

type World = ReturnType<typeof createDemoWorld>;

/**
 * A simulated operations person working the review queue: cancels orders flagged
 * for fraud or whose note asks to cancel, approves the rest.
 */
export async function operatorResolves(
  world: World,
  /** Orders the operator leaves in review (for the console to show). */
  leave: (orderId: string) => boolean = () => false,
): Promise<number> {
  const queue = (await world.storage.listOrders({ statuses: ['needs_review'] })).filter(
    (r) => !leave(r.orderId),
  );
  for (const r of queue) {
    const reasons = (r.review?.reasons ?? []).join(' ');
    // Fraud, a cancel request, or nothing in stock anywhere: cancel (and refund). Else approve.
    const cancel =
      /fraud|cancel|no location has stock/i.test(reasons) ||
      r.facts.note?.tags.some((t) => t.tag === 'cancel_request');
    await world.engine.ingest({
      type: 'review.resolved',
      idempotencyKey: `ops:${r.orderId}:${r.version}`,
      occurredAt: new Date(world.clock.now()).toISOString(),
      orderId: r.orderId,
      resolution: cancel ? 'cancel' : 'approve',
      by: 'ops@demo-store',
    });
  }
  return queue.length;
}

/** Reads every order and its history back and computes the demo's report. */
export async function summarize(
  world: World,
  run: {
    orders: number;
    ingestMs: number[];
    duplicates: number;
    simulatedDays: number;
    wallMs: number;
    diagramPath: string;
  },
): Promise<DemoSummary> {
  const records = await world.storage.listOrders({});
  const histories = new Map<string, HistoryEntry[]>();
  for (const r of records) histories.set(r.orderId, await world.storage.history(r.orderId));

  const byState: Record<string, number> = {};
  const reviewReasons: Record<string, number> = {};
  const holds = { placed: 0, releasedByStock: 0, expired: 0, releasedByReview: 0, stillHeld: 0 };
  let reviewed = 0;
  let splits = 0;
  let backordered = 0;
  for (const r of records) {
    byState[r.status] = (byState[r.status] ?? 0) + 1;
    if (r.visited.includes('needs_review')) reviewed++;
    if (r.status === 'on_hold') holds.stillHeld++;
    const live = r.shipments.filter((s) => s.status !== 'rejected' && s.status !== 'cancelled');
    if (new Set(live.map((s) => s.locationId)).size > 1) splits++;
    const history = histories.get(r.orderId) ?? [];
    if (history.some((h) => (h.explanation.routing?.backordered.length ?? 0) > 0)) backordered++;
    for (const h of history) {
      if (h.to === 'needs_review' && h.from !== 'needs_review') {
        for (const c of h.explanation.commands) {
          if (c.type !== 'alert' || !c.reason.startsWith('review: ')) continue;
          for (const reason of c.reason.slice(8).split('; '))
            reviewReasons[reason] = (reviewReasons[reason] ?? 0) + 1;
        }
      }
      if (h.explanation.transitions.some((t) => t.event === 'HOLD' && t.from !== 'on_hold'))
        holds.placed++;
      if (h.from === 'on_hold' && h.to !== 'on_hold') {
        if (h.eventType === 'inventory.changed') holds.releasedByStock++;
        else if (h.eventType === 'timer.fired') holds.expired++;
        else if (h.eventType === 'review.resolved') holds.releasedByReview++;
      }
    }
  }
  const commands: Record<string, number> = {};
  for (const c of world.engine.metrics().counters) {
    if (c.name === 'commands' && c.labels.type) commands[c.labels.type] = c.value;
  }
  return {
    orders: records.length,
    byState,
    automated: records.length - reviewed,
    reviewed,
    reviewReasons,
    holds,
    splits,
    backordered,
    duplicatesDropped: run.duplicates,
    processingMs: percentiles(run.ingestMs),
    commands,
    simulatedDays: run.simulatedDays,
    wallMs: run.wallMs,
    diagramPath: run.diagramPath,
    sampleExplanations: samples(records, histories),
  };
}

function samples(records: OrderRecord[], histories: Map<string, HistoryEntry[]>): string[] {
  const pick = (test: (h: HistoryEntry[], r: OrderRecord) => boolean) =>
    records.find((r) => test(histories.get(r.orderId) ?? [], r));
  const chosen = [
    pick((h) =>
      h.some((e) =>
        e.explanation.stages.some((s) =>
          s.rules.some((x) => x.matched && x.ruleId === 'vip-backorder-split'),
        ),
      ),
    ),
    pick((h) => h.some((e) => e.from === 'on_hold' && e.eventType === 'inventory.changed')),
    pick((h) => h.some((e) => e.from === 'on_hold' && e.eventType === 'timer.fired')),
    pick((_, r) => r.visited.includes('needs_review')),
  ];
  const seen = new Set<string>();
  return chosen
    .filter(
      (r): r is OrderRecord =>
        r !== undefined && !seen.has(r.orderId) && seen.add(r.orderId) !== undefined,
    )
    .map((r) => {
      const lines = (histories.get(r.orderId) ?? []).map(
        (h) => `  v${h.version} ${h.at.slice(5, 16)} ${h.summary}`,
      );
      return `${r.order.source.name ?? r.orderId} (${r.orderId}) → ${r.status}\n${lines.join('\n')}`;
    });
}

function percentiles(samples: number[]): DemoSummary['processingMs'] {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}
