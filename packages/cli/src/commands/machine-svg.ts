import { compileMachine, type MachineDefinitionInput } from '@fulfil/core';
import { esc } from '../audit/html';

/**
 * Draws a state machine as inline SVG without a layout library: states in columns by
 * their distance from the initial state (breadth first), transitions as curved arrows
 * labelled with their event. Readable for machines of a few dozen states.
 */
export function drawMachineSvg(definition: MachineDefinitionInput): string {
  const m = compileMachine(definition);
  const depth = new Map<string, number>([[m.initial, 0]]);
  const queue = [m.initial];
  while (queue.length > 0) {
    const s = queue.shift() as string;
    for (const t of m.transitions) {
      if (t.from !== s || depth.has(t.to)) continue;
      depth.set(t.to, (depth.get(s) ?? 0) + 1);
      queue.push(t.to);
    }
  }
  for (const s of m.states) if (!depth.has(s)) depth.set(s, 0);
  const columns = new Map<number, string[]>();
  for (const s of m.states) {
    const d = depth.get(s) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), s]);
  }
  const W = 170;
  const H = 70;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, states] of columns)
    states.forEach((s, i) => {
      pos.set(s, { x: 20 + d * W, y: 30 + i * H });
    });
  const width = 40 + (Math.max(...columns.keys()) + 1) * W;
  const height = 60 + Math.max(...[...columns.values()].map((c) => c.length)) * H;
  const edges = m.transitions
    .filter((t) => t.from !== t.to)
    .map((t) => {
      const a = pos.get(t.from) as { x: number; y: number };
      const b = pos.get(t.to) as { x: number; y: number };
      const x1 = a.x + 120;
      const y1 = a.y + 15;
      const x2 = b.x;
      const y2 = b.y + 15;
      const back = x2 <= x1;
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2 + (back ? 40 : 0);
      return `<path d="M${x1},${y1} Q${cx},${cy} ${x2},${y2}" fill="none" stroke="#8a99a8" marker-end="url(#arrow)"><title>${esc(`${t.from} → ${t.to} : ${t.event}`)}</title></path>`;
    })
    .join('');
  const nodes = m.states
    .map((s) => {
      const p = pos.get(s) as { x: number; y: number };
      const kind = m.definition.states[s]?.kind ?? '';
      return `<g><rect x="${p.x}" y="${p.y}" width="120" height="30" rx="8" fill="${s === m.initial ? '#dbe8f5' : '#fff'}" stroke="#3b6ea5"/><text x="${p.x + 60}" y="${p.y + 19}" text-anchor="middle">${esc(s)}</text><title>${esc(`${s} (${kind})`)}</title></g>`;
    })
    .join('');
  return `<svg role="img" aria-label="state machine" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="12" font-family="system-ui, sans-serif"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a99a8"/></marker></defs>${edges}${nodes}</svg>`;
}
