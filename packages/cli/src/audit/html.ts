import type { AuditReport } from './report';

/** Escapes text for HTML. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A horizontal bar chart as inline SVG (no script, no network). */
export function barChart(title: string, data: [string, number][], color = '#3b6ea5'): string {
  if (data.length === 0)
    return `<figure><figcaption>${esc(title)}</figcaption><p class="none">none</p></figure>`;
  const max = Math.max(...data.map((d) => d[1]), 1);
  const row = 22;
  const label = 230;
  const width = 640;
  const bars = data
    .map(([k, v], i) => {
      const w = Math.max(1, Math.round(((width - label - 60) * v) / max));
      const y = i * row;
      return `<text x="${label - 6}" y="${y + 15}" text-anchor="end">${esc(k.length > 34 ? `${k.slice(0, 33)}…` : k)}</text><rect x="${label}" y="${y + 3}" width="${w}" height="${row - 6}" fill="${color}"><title>${esc(k)}: ${v}</title></rect><text x="${label + w + 4}" y="${y + 15}">${v}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${data.length * row}" viewBox="0 0 ${width} ${data.length * row}" font-size="12" font-family="system-ui, sans-serif">${bars}</svg></figure>`;
}

const sorted = (m: Record<string, number>, n = 15): [string, number][] =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The audit report as one self-contained HTML page: totals (each carries `data-total` with
 * its key, for tests), inline SVG charts, tables, and the whole report as JSON in a
 * `<script type="application/json" id="report">` block. No script runs and nothing is
 * fetched.
 */
export function renderHtml(r: AuditReport): string {
  const t = r.totals;
  const money = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: r.shipments.currency,
  }).format(r.shipments.estimatedCost / 100);
  const card = (key: string, label: string, value: number, share?: number) =>
    `<div class="card"><div class="n" data-total="${key}">${value}</div><div>${esc(label)}${share === undefined ? '' : ` <b>${pct(share)}</b>`}</div></div>`;
  const holds = Object.entries(r.holds.byReason)
    .map(
      ([reason, h]) =>
        `<tr><td>${esc(reason)}</td><td>${h.count}</td><td>${h.hours.p50}</td><td>${h.hours.p90}</td><td>${h.hours.max}</td><td>${esc(
          sorted(h.endedBy)
            .map(([k, n]) => `${k} ${n}`)
            .join(', '),
        )}</td></tr>`,
    )
    .join('');
  const problems = r.input.problems
    .map((p) => `<tr><td>${p.row}</td><td>${esc(p.message)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fulfil audit: ${t.orders} orders</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#1d2733;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #dde3ea;padding-bottom:.3rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #dde3ea;border-radius:6px;padding:.6rem 1rem;min-width:130px}
.card .n{font-size:1.6rem;font-weight:600}table{border-collapse:collapse;font-size:.9rem}td,th{border-bottom:1px solid #eef1f4;padding:.25rem .6rem;text-align:left}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}.meta{color:#5b6b7b;font-size:.9rem}.none{color:#8795a1}
</style></head><body>
<h1>fulfil audit</h1>
<p class="meta">${esc(r.input.file)} (${esc(r.input.format)}) · ${esc(r.input.from?.slice(0, 10) ?? '?')} → ${esc(r.input.to?.slice(0, 10) ?? '?')} · config ${esc(r.config.file)} · stock ${esc(r.stock)} · ${r.run.ordersPerSecond} orders/s</p>
<div class="cards">
${card('orders', 'orders', t.orders)}${card('automated', 'automated end to end', t.automated, t.automatedShare)}${card('review', 'sent to review', t.review, t.reviewShare)}${card('held', 'held', t.held)}${card('cancelled', 'cancelled', t.cancelled)}${card('open', 'still open', t.open)}${card('split', 'split', t.split)}${card('backordered', 'backordered', t.backordered)}${card('skipped', 'rows skipped', r.input.skipped)}
</div>
<h2>Outcomes</h2>
${barChart('Final state', sorted(r.statuses))}
${barChart('Why orders went to review', sorted(r.reviewReasons), '#b5523b')}
<h2>Holds</h2>
<table><thead><tr><th>reason</th><th>holds</th><th>median h</th><th>p90 h</th><th>max h</th><th>ended by</th></tr></thead><tbody>${holds || '<tr><td colspan="6" class="none">no holds</td></tr>'}</tbody></table>
<h2>Shipments</h2>
<p><span data-total="shipments">${r.shipments.total}</span> shipments, estimated cost <b>${esc(money)}</b></p>
${barChart(
  'Shipments per location',
  Object.entries(r.shipments.byLocation).map(([k, v]) => [k, v.shipments]),
  '#4a8a5c',
)}
<h2>Rules</h2>
${barChart('Orders each rule matched', sorted(r.rules.hits, 40))}
<p>Never fired: ${r.rules.neverFired.length === 0 ? '<span class="none">none</span>' : r.rules.neverFired.map((x) => `<code>${esc(x)}</code>`).join(', ')}</p>
<h2>Notes and risk</h2>
<p>${r.notes.withNote} orders with a note; <span data-total="llm">${r.notes.uncertain}</span> (${pct(r.notes.llmShare)}) would reach the language model.</p>
${barChart('Note tags', sorted(r.notes.tags), '#7a5ba5')}
${barChart('Risk level (engine)', sorted(r.risk.engine), '#b5523b')}
${barChart('Risk level (store)', sorted(r.risk.store), '#c98a3b')}
<h2>Timing</h2>
<table><thead><tr><th></th><th>orders</th><th>median h</th><th>p90 h</th><th>max h</th></tr></thead><tbody>
<tr><td>created → submitted (engine, simulated)</td><td>${r.timing.engineToSubmit.count}</td><td>${r.timing.engineToSubmit.p50}</td><td>${r.timing.engineToSubmit.p90}</td><td>${r.timing.engineToSubmit.max}</td></tr>
<tr><td>created → fulfilled (store, actual)</td><td>${r.timing.storeToFulfilled.count}</td><td>${r.timing.storeToFulfilled.p50}</td><td>${r.timing.storeToFulfilled.p90}</td><td>${r.timing.storeToFulfilled.max}</td></tr>
</tbody></table>
${problems ? `<h2>Skipped rows</h2><table><thead><tr><th>row</th><th>problem</th></tr></thead><tbody>${problems}</tbody></table>` : ''}
<script type="application/json" id="report">${JSON.stringify(r).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}
