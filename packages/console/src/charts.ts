import { html, type SafeHtml } from './html';

/** One line of a chart. */
export interface Series {
  /** Legend label. */
  label: string;
  /** CSS class of the line (colours live in console.css: no inline style). */
  className: string;
  /** `[epoch ms, value]`, oldest first. */
  points: [number, number][];
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  title: string;
  since: number;
  until: number;
  /** Formats a y value for the axis and the point titles. */
  format?: (value: number) => string;
  width?: number;
  height?: number;
}

const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

/**
 * A line chart drawn on the server as SVG (no script, no inline style): one polyline per
 * series, points with `<title>` tooltips, a y axis from 0 to a round maximum and time ticks.
 */
export function lineChart(series: readonly Series[], options: ChartOptions): SafeHtml {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const format = options.format ?? ((v: number) => String(v));
  const span = Math.max(1, options.until - options.since);
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => v))));
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - options.since) / span) * plotW;
  const y = (v: number) => PAD.top + plotH - (max === 0 ? 0 : (v / max) * plotH);
  const r = (n: number) => Math.round(n * 10) / 10;

  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = max * f;
    return html`<g class="tick"><line x1="${PAD.left}" x2="${width - PAD.right}" y1="${r(y(v))}" y2="${r(y(v))}"></line><text x="${PAD.left - 6}" y="${r(y(v)) + 4}" text-anchor="end">${format(v)}</text></g>`;
  });
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = options.since + span * f;
    return html`<text class="tick" x="${r(x(t))}" y="${height - 8}" text-anchor="middle">${timeLabel(t, span)}</text>`;
  });
  const lines = series.map((s) => {
    const pts = s.points.map(([t, v]) => `${r(x(t))},${r(y(v))}`).join(' ');
    const dots = s.points.map(
      ([t, v]) =>
        html`<circle cx="${r(x(t))}" cy="${r(y(v))}" r="2.5"><title>${s.label} ${new Date(t).toISOString()}: ${format(v)}</title></circle>`,
    );
    return html`<g class="series ${s.className}"><polyline fill="none" points="${pts}"></polyline>${dots}</g>`;
  });
  const empty = series.every((s) => s.points.length === 0)
    ? html`<text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">no data in this range</text>`
    : null;
  const legend = series.map(
    (s) => html`<span class="legend-item ${s.className}"><i></i>${s.label}</span>`,
  );
  return html`<figure class="chart"><figcaption>${options.title}</figcaption><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.title}" xmlns="http://www.w3.org/2000/svg">${yTicks}${xTicks}${lines}${empty}</svg><div class="legend">${legend}</div></figure>`;
}

/** The smallest 1/2/5 × 10^n at or above `value` (1 for 0). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * mag >= value) return m * mag;
  return 10 * mag;
}

function timeLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  return span <= 2 * 86_400_000 ? `${iso.slice(11, 16)}Z` : iso.slice(5, 10);
}
