import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KNOWN_METRICS } from '../src/index';

const PACKAGES = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every `metrics.increment('name', { keys })` / `observe('name', v, { keys })` in packages/*\/src. */
function callSites(): {
  file: string;
  kind: 'counter' | 'histogram';
  name: string;
  keys: string[];
}[] {
  const out = [];
  for (const pkg of readdirSync(PACKAGES)) {
    if (pkg === 'metrics-prometheus') continue;
    for (const file of sources(join(PACKAGES, pkg, 'src'))) {
      // Drop comments (JSDoc examples name illustrative metrics).
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const calls = code.matchAll(
        /\b(?:metrics\??|deps\.metrics|options\.metrics\?)\.(increment|observe)\(\s*'([^']+)'([^;]*)/g,
      );
      for (const [, fn, name, rest] of calls) {
        const body = /\{([^{}]*)\}/.exec(rest ?? '')?.[1] ?? '';
        const keys = body
          .split(',')
          .map((p) => /^\s*(\w+)/.exec(p)?.[1])
          .filter((k): k is string => k !== undefined);
        out.push({
          file,
          kind: fn === 'increment' ? 'counter' : 'histogram',
          name: name!,
          keys,
        } as const);
      }
    }
  }
  return out;
}

it('KNOWN_METRICS lists every metric and label key the code emits, and nothing else', () => {
  const sites = callSites();
  expect(sites.length).toBeGreaterThan(30);
  const emitted = new Set<string>();
  for (const s of sites) {
    const known = KNOWN_METRICS.find((m) => m.name === s.name && m.kind === s.kind);
    expect(known, `${s.kind} ${s.name} (${s.file})`).toBeDefined();
    for (const k of s.keys) expect(known?.labels, `${s.name}{${k}} (${s.file})`).toContain(k);
    emitted.add(`${s.kind}:${s.name}`);
  }
  // The catalogue's http_* entries come from httpMetricsHooks; the rest must be emitted somewhere.
  for (const m of KNOWN_METRICS.filter((m) => !m.name.startsWith('http_'))) {
    expect(emitted, `${m.kind} ${m.name} is emitted nowhere`).toContain(`${m.kind}:${m.name}`);
  }
});
