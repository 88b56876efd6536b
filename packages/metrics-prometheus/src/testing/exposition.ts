// A small strict parser of the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), for tests of hosts and
// dashboards. It throws on a line it does not understand, on a sample before its family's TYPE,
// on a duplicate series, and on histograms whose buckets are not cumulative or whose +Inf
// bucket differs from _count.

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
/** A metric family: its `# TYPE`, `# HELP` and samples (for a histogram, `_bucket`, `_sum`, `_count`). */
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
  counter: [''],
  gauge: [''],
  untyped: [''],
};

/**
 * Parses Prometheus text (0.0.4) into metric families by name, strictly (throws on anything
 * malformed). Blank lines and plain comments are ignored.
 *
 * @example
 * ```ts
 * const families = parseExposition(await metrics.metrics());
 * seriesValue(families, 'fulfil_orders_received_total'); // 3
 * ```
 */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  for (const [i, line] of text.split('\n').entries()) {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) continue; // a plain comment
      const [, what, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) fail('bad metric name');
      const f = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (what === 'TYPE') {
        if (!(rest in SUFFIXES)) fail('bad type');
        if (f.samples.length > 0) fail('TYPE after samples');
        f.type = rest as Family['type'];
      } else f.help = rest;
      families.set(name, f);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) fail('bad sample line');
    const [, name, , body = '', raw] = m as unknown as [string, string, string, string, string];
    const labels = parseLabels(body, fail);
    const value = parseValue(raw, fail);
    const family = [...families.values()].find((f) =>
      SUFFIXES[f.type]?.some((s) => `${f.name}${s}` === name),
    );
    if (!family) fail('sample without a TYPE');
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) fail('duplicate series');
    seen.add(key);
    family?.samples.push({ name, labels, value });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function parseLabels(body: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = body;
  while (rest !== '') {
    const m = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!m) fail('bad labels');
    const [all, key, escaped] = m as unknown as [string, string, string];
    if (!LABEL.test(key)) fail(`bad label name ${key}`);
    if (key in labels) fail(`label ${key} twice`);
    labels[key] = escaped.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(all.length);
  }
  return labels;
}

function parseValue(raw: string, fail: (why: string) => never): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) fail('bad value');
  return Number(raw);
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, samples] of groups) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
    const count = samples.find((s) => s.name.endsWith('_count'));
    let last = 0;
    let prevLe = Number.NEGATIVE_INFINITY;
    for (const b of buckets) {
      const le = b.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(b.labels.le);
      if (!(le > prevLe) || b.value < last)
        throw new Error(`${f.name}${key}: buckets not cumulative`);
      prevLe = le;
      last = b.value;
    }
    if (prevLe !== Number.POSITIVE_INFINITY || count?.value !== last) {
      throw new Error(`${f.name}${key}: +Inf bucket missing or differs from _count`);
    }
  }
}

/** The value of the series `name` whose labels equal `labels` (empty labels count as absent). */
export function seriesValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = JSON.stringify(
    Object.entries(labels)
      .filter(([, v]) => v !== '')
      .sort(),
  );
  for (const f of families.values()) {
    for (const s of f.samples) {
      const got = JSON.stringify(
        Object.entries(s.labels)
          .filter(([, v]) => v !== '')
          .sort(),
      );
      if (s.name === name && got === want) return s.value;
    }
  }
  return undefined;
}
