import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createPrometheusMetrics, KNOWN_METRICS } from '../src/index';
import { parseExposition } from '../src/testing/index';

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
/** Grafana's reference to the data source variable (a literal, not a JS template). */
const DS_UID = ['$', '{datasource}'].join('');
const dashboard = JSON.parse(
  readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
) as { templating: { list: { name: string; type: string; query: unknown }[] }; panels: Panel[] };

/** Every series name the package exports, with its label keys, from a real exposition. */
async function exported(): Promise<Map<string, Set<string>>> {
  const m = createPrometheusMetrics();
  for (const k of KNOWN_METRICS) {
    const labels = Object.fromEntries(k.labels.map((l) => [l, 'x']));
    if (k.kind === 'counter') m.increment(k.name, labels);
    else m.observe(k.name, 1, labels);
  }
  m.increment('orders_received', { orderId: 'o-1' }); // a drop, so metrics_dropped has a series
  const out = new Map<string, Set<string>>();
  for (const f of parseExposition(await m.metrics()).values()) {
    for (const s of f.samples) out.set(s.name, new Set(Object.keys(s.labels)));
  }
  return out;
}

it('the Grafana dashboard is valid JSON on a Prometheus data source variable', () => {
  const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
  expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  expect(panels.length).toBeGreaterThan(10);
  for (const p of panels) {
    expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DS_UID });
    expect(p.targets?.length, p.title).toBeGreaterThan(0);
    for (const t of p.targets ?? []) expect(t.datasource.uid).toBe(DS_UID);
  }
  const exprs = panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
  // The five areas the issue names.
  expect(exprs.some((e) => e.includes('fulfil_orders_received_total'))).toBe(true); // throughput
  expect(exprs.some((e) => /histogram_quantile\(0\.95, .*fulfil_ingest_ms_bucket/.test(e))).toBe(
    true,
  ); // processing time
  expect(exprs.some((e) => e.includes('to="needs_review"'))).toBe(true); // review rate
  expect(exprs.some((e) => e.includes('fulfil_exceptions_total'))).toBe(true); // exceptions
  expect(exprs.some((e) => e.includes('fulfil_http_requests_total'))).toBe(true); // upstream
});

it('every query names metrics and labels the package really exports', async () => {
  const names = await exported();
  const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
  let checked = 0;
  for (const expr of exprs) {
    for (const [, name, body = ''] of expr.matchAll(/\b(fulfil_[a-zA-Z0-9_]+)(?:\{([^}]*)\})?/g)) {
      const labels = names.get(name!);
      expect(labels, `${name} in ${expr}`).toBeDefined();
      for (const [, key] of body.matchAll(/([a-zA-Z_]+)\s*=~?/g)) {
        if (key !== 'job') expect(labels?.has(key!), `${name}{${key}} in ${expr}`).toBe(true);
      }
      checked++;
    }
    for (const [, by, name] of expr.matchAll(
      /by \(([^)]*)\) \((?:rate|increase)\((fulfil_\w+)\{/g,
    )) {
      for (const key of by!.split(',').map((s) => s.trim())) {
        expect(names.get(name!)?.has(key), `by (${key}) of ${name}`).toBe(true);
      }
    }
  }
  expect(checked).toBeGreaterThan(30);
});
