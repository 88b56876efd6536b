/** What `pnpm demo` measured, for {@link formatReport}. */
export interface DemoSummary {
  orders: number;
  /** Orders per final state. */
  byState: Record<string, number>;
  /** Orders that never needed a person. */
  automated: number;
  /** Orders that went through review. */
  reviewed: number;
  /** Review reasons, counted (an order may have several). */
  reviewReasons: Record<string, number>;
  holds: {
    placed: number;
    releasedByStock: number;
    expired: number;
    releasedByReview: number;
    stillHeld: number;
  };
  /** Orders shipped from more than one location. */
  splits: number;
  /** Orders with at least one backordered line. */
  backordered: number;
  /** Redelivered events the inbox dropped. */
  duplicatesDropped: number;
  /** Wall-clock engine time per received order (ms): webhook to warehouse accepted. */
  processingMs: { p50: number; p95: number; p99: number };
  /** Commands run, per type. */
  commands: Record<string, number>;
  simulatedDays: number;
  /** Real time the run took. */
  wallMs: number;
  diagramPath: string;
  sampleExplanations: string[];
}

/** `part / whole` as a percentage with one decimal, e.g. `12.5%` (`0.0%` when whole is 0). */
export function percent(part: number, whole: number): string {
  return `${whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1)}%`;
}

/** A duration for people: `850 ms`, `4.2 s`, `12 min`, `5.3 h`, `2.1 d`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (abs < 48 * 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** An integer with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

type Row = [label: string, value: string, share?: string];
type Section = { title: string; rows: Row[] };

/** Entries sorted by count (descending), then name. */
function ranked(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Sections as aligned rows: one label column, right-aligned values and shares. */
function render(sections: readonly Section[]): string[] {
  const rows = sections.flatMap((x) => x.rows);
  const labelWidth = Math.max(0, ...rows.map((r) => r[0].length));
  const valueWidth = Math.max(0, ...rows.map((r) => r[1].length));
  const shareWidth = Math.max(0, ...rows.map((r) => (r[2] ?? '').length));
  return sections.flatMap(({ title, rows }) => [
    '',
    title,
    ...rows.map(([label, value, share]) => {
      const line = `  ${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`;
      return share === undefined ? line : `${line}  ${share.padStart(shareWidth)}`;
    }),
  ]);
}

/** The demo's text report. Pure: returns a string, prints nothing. */
export function formatReport(summary: DemoSummary): string {
  const s = summary;
  const n = s.orders;
  const count = formatCount;
  const h = s.holds;
  const p = s.processingMs;
  const states = ranked(s.byState);
  const commands = ranked(s.commands);
  const commandTotal = commands.reduce((sum, [, c]) => sum + c, 0);

  const sections: Section[] = [
    {
      title: 'Orders by final state',
      rows:
        states.length === 0
          ? [['(none)', '0']]
          : states.map(([state, c]): Row => [state, count(c), percent(c, n)]),
    },
    {
      title: 'Automation',
      rows: [
        ['automated (no person)', count(s.automated), percent(s.automated, n)],
        ['reviewed', count(s.reviewed), percent(s.reviewed, n)],
        ...ranked(s.reviewReasons).map(
          ([reason, c]): Row => [`  ${reason}`, count(c), percent(c, s.reviewed)],
        ),
      ],
    },
    {
      title: 'Holds (shares of holds placed)',
      rows: [
        ['placed', count(h.placed)],
        ['released by stock', count(h.releasedByStock), percent(h.releasedByStock, h.placed)],
        ['released by review', count(h.releasedByReview), percent(h.releasedByReview, h.placed)],
        ['expired', count(h.expired), percent(h.expired, h.placed)],
        ['still held', count(h.stillHeld), percent(h.stillHeld, h.placed)],
      ],
    },
    {
      title: 'Routing and delivery',
      rows: [
        ['split across locations', count(s.splits), percent(s.splits, n)],
        ['backordered', count(s.backordered), percent(s.backordered, n)],
        ['duplicate deliveries dropped', count(s.duplicatesDropped)],
      ],
    },
    {
      title: 'Engine time per new order (webhook to warehouse accepted, wall clock)',
      rows: [
        ['p50', formatDuration(p.p50)],
        ['p95', formatDuration(p.p95)],
        ['p99', formatDuration(p.p99)],
      ],
    },
  ];
  if (commands.length > 0) {
    sections.push({
      title: 'Commands',
      rows: [
        ...commands.map(([type, c]): Row => [type, count(c), percent(c, commandTotal)]),
        ['total', count(commandTotal)],
      ],
    });
  }

  const out = [
    `@fulfil quickstart: ${count(n)} orders over ${s.simulatedDays} simulated ` +
      `day${s.simulatedDays === 1 ? '' : 's'} in ${formatDuration(s.wallMs)} (wall clock)`,
    ...render(sections),
  ];
  if (s.sampleExplanations.length > 0) {
    out.push('', 'Sample explanations');
    for (const e of s.sampleExplanations) out.push(`  - ${e.split('\n').join('\n    ')}`);
  }
  out.push('', `Mermaid state diagram: ${s.diagramPath}`);
  return `${out.join('\n')}\n`;
}
