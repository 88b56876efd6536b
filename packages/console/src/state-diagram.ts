import type { Machine } from '@fulfil/core';
import { html, type SafeHtml } from './html';

const BOX_W = 132;
const BOX_H = 34;
const COL_GAP = 56;
const ROW_GAP = 22;
const MARGIN = 16;

/**
 * The machine as an inline SVG (no Mermaid, no script): states in columns by their distance
 * from the initial state, one arrow per (from, to) pair titled with its events, the current
 * state highlighted (`class="state current"`) and visited states marked.
 */
export function stateDiagram(
  machine: Machine,
  current: string,
  visited: readonly string[] = [],
): SafeHtml {
  const depth = new Map<string, number>([[machine.initial, 0]]);
  const queue = [machine.initial];
  while (queue.length > 0) {
    const state = queue.shift() as string;
    for (const t of machine.transitions) {
      if (t.from === state && !depth.has(t.to)) {
        depth.set(t.to, (depth.get(state) ?? 0) + 1);
        queue.push(t.to);
      }
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of machine.states) if (!depth.has(s)) depth.set(s, maxDepth + 1);
  const columns: string[][] = [];
  for (const s of machine.states) {
    const d = depth.get(s) ?? 0;
    const column = columns[d] ?? [];
    column.push(s);
    columns[d] = column;
  }
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, c) => {
    col.forEach((s, r) => {
      pos.set(s, { x: MARGIN + c * (BOX_W + COL_GAP), y: MARGIN + r * (BOX_H + ROW_GAP) });
    });
  });
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const width = MARGIN * 2 + columns.length * BOX_W + (columns.length - 1) * COL_GAP;
  const height = MARGIN * 2 + rows * BOX_H + (rows - 1) * ROW_GAP;

  const pairs = new Map<string, { from: string; to: string; events: string[] }>();
  for (const t of machine.transitions) {
    const key = `${t.from}\u0000${t.to}`;
    const pair = pairs.get(key) ?? { from: t.from, to: t.to, events: [] };
    pair.events.push(t.event);
    pairs.set(key, pair);
  }
  const seen = new Set(visited);
  const edges = [...pairs.values()].map(({ from, to, events }) => {
    const a = pos.get(from);
    const b = pos.get(to);
    if (!a || !b) return null;
    const title = html`<title>${from} → ${to}: ${events.join(', ')}</title>`;
    if (from === to) {
      const cx = a.x + BOX_W / 2;
      return html`<path class="edge" d="M${cx - 10},${a.y} C${cx - 20},${a.y - 18} ${cx + 20},${a.y - 18} ${cx + 10},${a.y}" marker-end="url(#arrow)">${title}</path>`;
    }
    const forward = b.x > a.x;
    const x1 = forward ? a.x + BOX_W : a.x + BOX_W / 2;
    const y1 = forward ? a.y + BOX_H / 2 : a.y + (b.y > a.y ? BOX_H : 0);
    const x2 = forward ? b.x : b.x + BOX_W / 2;
    const y2 = forward ? b.y + BOX_H / 2 : b.y + (b.y > a.y ? 0 : BOX_H);
    const mx = (x1 + x2) / 2 + (forward ? 0 : 40);
    const my = (y1 + y2) / 2;
    return html`<path class="edge" d="M${x1},${y1} Q${mx},${my} ${x2},${y2}" marker-end="url(#arrow)">${title}</path>`;
  });
  const boxes = machine.states.map((s) => {
    const p = pos.get(s) as { x: number; y: number };
    const cls = ['state', `kind-${machine.kind(s) ?? 'unknown'}`];
    if (seen.has(s)) cls.push('visited');
    if (s === current) cls.push('current');
    const description = machine.definition.states[s]?.description;
    return html`<g class="${cls.join(' ')}" data-state="${s}"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6"></rect><text x="${p.x + BOX_W / 2}" y="${p.y + BOX_H / 2 + 4}" text-anchor="middle">${s}</text><title>${s}${description ? `: ${description}` : ''}</title></g>`;
  });
  return html`<svg class="state-diagram" viewBox="0 0 ${width} ${height}" role="img" aria-label="State diagram, current state ${current}" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>${edges}${boxes}</svg>`;
}
