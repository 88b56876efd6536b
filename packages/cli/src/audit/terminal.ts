import type { AuditReport } from './report';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const top = (m: Record<string, number>, n = 8) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n);
const money = (minor: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);

/** The audit report as a terminal summary (plain text, no colours). */
export function formatSummary(r: AuditReport): string {
  const t = r.totals;
  const out: string[] = [];
  out.push(
    `fulfil audit: ${t.orders} orders from ${r.input.file} (${r.input.from?.slice(0, 10) ?? '?'} → ${r.input.to?.slice(0, 10) ?? '?'}), config ${r.config.file}, stock ${r.stock}`,
  );
  if (r.input.skipped > 0) {
    out.push(`  ${r.input.skipped} row(s) skipped:`);
    for (const p of r.input.problems.slice(0, 5)) out.push(`    row ${p.row}: ${p.message}`);
    if (r.input.skipped > 5)
      out.push(`    ... (${r.input.skipped - 5} more in --json / the HTML report)`);
  }
  if (r.input.outOfOrder > 0)
    out.push(
      `  warning: ${r.input.outOfOrder} order(s) older than one before them; sort the export oldest first for faithful hold times`,
    );
  out.push('');
  out.push(`Automated end to end   ${t.automated} (${pct(t.automatedShare)})`);
  out.push(`Sent to review         ${t.review} (${pct(t.reviewShare)})`);
  for (const [reason, n] of top(r.reviewReasons, 6))
    out.push(`  ${n.toString().padStart(6)}  ${reason}`);
  out.push(`Held                   ${t.held}  (holds placed: ${r.holds.placed})`);
  for (const [reason, h] of Object.entries(r.holds.byReason)
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 6)) {
    const ends = top(h.endedBy, 3)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(
      `  ${h.count.toString().padStart(6)}  ${reason}: median ${h.hours.p50} h, p90 ${h.hours.p90} h (ended by ${ends})`,
    );
  }
  out.push(`Cancelled              ${t.cancelled}`);
  out.push(`Still open at the end  ${t.open}`);
  out.push(`Split shipments        ${t.split}    backordered: ${t.backordered}`);
  out.push('');
  out.push(
    `Shipments              ${r.shipments.total}, estimated cost ${money(r.shipments.estimatedCost, r.shipments.currency)}`,
  );
  for (const [loc, s] of Object.entries(r.shipments.byLocation))
    out.push(`  ${loc.padEnd(12)} ${s.shipments} shipments, ${s.units} units`);
  out.push('');
  out.push('Rule hits (orders)');
  for (const [rule, n] of top(r.rules.hits, 20)) out.push(`  ${n.toString().padStart(6)}  ${rule}`);
  if (r.rules.neverFired.length > 0) out.push(`  never fired: ${r.rules.neverFired.join(', ')}`);
  out.push('');
  out.push(
    `Notes                  ${r.notes.withNote} orders with a note; would reach the language model: ${r.notes.uncertain} (${pct(r.notes.llmShare)})`,
  );
  out.push(
    `  tags: ${
      top(r.notes.tags, 10)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  out.push(
    `Risk (engine)          ${
      top(r.risk.engine)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'not scored'
    }`,
  );
  out.push(
    `Risk (store)           ${
      top(r.risk.store)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'not in export'
    }`,
  );
  out.push('');
  const e = r.timing.engineToSubmit;
  const s = r.timing.storeToFulfilled;
  out.push(
    `Created → submitted (engine, simulated)  median ${e.p50} h, p90 ${e.p90} h (${e.count} orders)`,
  );
  out.push(
    s.count > 0
      ? `Created → fulfilled (store, actual)      median ${s.p50} h, p90 ${s.p90} h (${s.count} orders)`
      : 'Created → fulfilled (store, actual)      no "Fulfilled at" in the export',
  );
  out.push('');
  out.push(
    `${r.run.ordersPerSecond} orders/s, ${(r.run.wallMs / 1000).toFixed(1)} s, peak RSS ${r.run.peakRssMb} MB`,
  );
  return out.join('\n');
}
