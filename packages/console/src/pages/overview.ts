import { lineChart } from '../charts';
import { duration, percent } from '../format';
import { html, type SafeHtml } from '../html';
import { href, type PageContext, page } from '../layout';
import { type OverviewData, RANGES, type RangeKey, TARGETS } from '../overview-data';

/** The overview page: range links, then the refreshing section. */
export function overviewPage(ctx: PageContext, data: OverviewData): SafeHtml {
  const ranges = (Object.keys(RANGES) as RangeKey[]).map(
    (key) =>
      html`<a href="${href(ctx, `/?range=${key}`)}" class="${key === data.range ? 'active' : ''}">${RANGES[key].label}</a>`,
  );
  const body = html`<h1>Overview</h1>
<p class="ranges">${ranges} <span class="muted small" data-stamp>refreshes every ${ctx.options.refreshMs / 1000} s</span></p>
<section id="overview" data-refresh-url="${href(ctx, `/?range=${data.range}&fragment=1`)}" data-refresh-ms="${ctx.options.refreshMs}">
${overviewSection(ctx, data)}
</section>`;
  return page(ctx, { title: 'Overview', active: 'overview', body });
}

/** The part of the overview that refreshes (also served alone with `fragment=1`). */
export function overviewSection(ctx: PageContext, data: OverviewData): SafeHtml {
  const s = data.summary;
  const reviewClass =
    s.received === 0
      ? 'muted'
      : s.reviewRate > TARGETS.reviewRate.max
        ? 'over'
        : s.reviewRate < TARGETS.reviewRate.min
          ? 'warn'
          : 'ok';
  const errorClass =
    s.received === 0 ? 'muted' : s.errorRate < TARGETS.errorRate.max ? 'ok' : 'over';
  const card = (key: string, label: string, value: string, extra?: SafeHtml) =>
    html`<div class="card" data-figure="${key}"><div class="label">${label}</div><div class="value" data-value>${value}</div>${extra ?? null}</div>`;
  const throughput = lineChart(
    [
      {
        label: 'received',
        className: 's1',
        points: data.throughput.map((p) => [Date.parse(p.at), p.received]),
      },
      {
        label: 'submitted',
        className: 's2',
        points: data.throughput.map((p) => [Date.parse(p.at), p.submitted]),
      },
      {
        label: 'shipped',
        className: 's3',
        points: data.throughput.map((p) => [Date.parse(p.at), p.shipped]),
      },
      {
        label: 'exceptions',
        className: 's4',
        points: data.throughput.map((p) => [Date.parse(p.at), p.exceptions]),
      },
    ],
    { title: `Throughput per ${data.bucket}`, since: data.since, until: data.until },
  );
  const processing = lineChart(
    [
      {
        label: 'p50',
        className: 's1',
        points: data.processingTime.map((p) => [Date.parse(p.at), p.p50Ms]),
      },
      {
        label: 'p95',
        className: 's3',
        points: data.processingTime.map((p) => [Date.parse(p.at), p.p95Ms]),
      },
      {
        label: 'p99',
        className: 's4',
        points: data.processingTime.map((p) => [Date.parse(p.at), p.p99Ms]),
      },
    ],
    {
      title: `Processing time received → submitted, per ${data.bucket}`,
      since: data.since,
      until: data.until,
      format: duration,
    },
  );
  const machine = ctx.options.engine.config.machine;
  return html`<div class="cards" data-since="${data.since}" data-until="${data.until}" data-range="${data.range}">
${card('received', 'Orders received', String(s.received))}
${card('automationRate', 'Automated end to end', percent(s.automationRate), html`<div class="target muted">${s.automated} orders · ${s.touched} touched by a person</div>`)}
${card('reviewRate', 'Review rate', percent(s.reviewRate), html`<div class="target ${reviewClass}">target 1–2 % · ${s.reviewed} orders</div>`)}
${card('errorRate', 'Error rate', percent(s.errorRate), html`<div class="target ${errorClass}">target &lt; 0.1 % · ${s.failed} orders</div>`)}
${card('reviewQueue', 'Waiting for review now', String(data.reviewQueueTotal), html`<div class="target"><a href="${href(ctx, '/review')}">open the queue</a></div>`)}
${card('failedCommands', 'Failed commands', `${data.failedCommands}${data.failedCommandsMore ? '+' : ''}`, html`<div class="target"><a href="${href(ctx, '/commands')}">see them</a></div>`)}
${card('splitShare', 'Split into several shipments', percent(s.splitShare))}
${card('backorderShare', 'With backordered units', percent(s.backorderShare))}
${card('llmNoteShare', 'Notes sent to the language model', percent(s.llmNoteShare), html`<div class="target muted">of classified notes · ${s.withNote} orders with a note</div>`)}
</div>
<div class="grid2">
<div class="panel">${throughput}</div>
<div class="panel">${processing}</div>
</div>
<div class="grid2">
<div class="panel"><h2>Orders by state</h2>
<table data-table="ordersByState"><thead><tr><th>state</th><th>kind</th><th class="num">orders</th></tr></thead><tbody>
${data.ordersByState.map((r) => html`<tr data-state="${r.state}"><td>${r.state}</td><td class="muted">${machine.kind(r.state) ?? '–'}</td><td class="num">${r.count}</td></tr>`)}
</tbody></table></div>
<div class="panel"><h2>Time in state</h2>
<table data-table="timeInState"><thead><tr><th>state</th><th class="num">stays</th><th class="num">p50</th><th class="num">p95</th><th class="num">max</th></tr></thead><tbody>
${data.timeInState.map((r) => html`<tr data-state="${r.state}"><td>${r.state}</td><td class="num">${r.count}</td><td class="num">${duration(r.p50Ms)}</td><td class="num">${duration(r.p95Ms)}</td><td class="num">${duration(r.maxMs)}</td></tr>`)}
</tbody></table></div>
<div class="panel"><h2>Holds by reason</h2>
${
  s.holdsByReason.length === 0
    ? html`<p class="muted">No holds in this range.</p>`
    : html`<table data-table="holdsByReason"><thead><tr><th>reason</th><th class="num">holds</th></tr></thead><tbody>
${s.holdsByReason.map((r) => html`<tr data-reason="${r.reason}"><td>${r.reason}</td><td class="num">${r.count}</td></tr>`)}
</tbody></table>`
}</div>
</div>`;
}
