import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, type AlertKind } from './runbook-alerts';

// docs/runbook.md must have a section for every alert the engine and the adapters can raise.
// ALERT_KINDS (runbook-alerts.ts) is the maintained list; this test checks it against the
// source (every alert-producing call site in packages/*/src is covered by exactly one entry,
// and every entry still matches a site) and against the runbook (a `### \`id\`` heading per
// entry, and no heading for an id the list does not have).

const ROOT = join(import.meta.dirname, '..', '..');
const RUNBOOK = join(ROOT, 'docs', 'runbook.md');

/**
 * Lines that raise an alert or hand a failure to a host hook a person is meant to see:
 * a review (`enterReview(...)`, which alerts), an `alert` or `notify` command, an
 * `AlertSink.send`, and the hooks `onUnmatched`, `onError` and `onUnavailable`.
 */
const SITE_PATTERNS: RegExp[] = [
  /\benterReview\(/,
  /\btype: 'alert'(,| as const)/,
  /\btype: 'notify',/,
  /\b(alerts|sink)\.send\(/,
  /\bonUnmatched\?\.\(/,
  /\bonError\?\.\(/,
  /\bonUnavailable\?\.\(/,
];

/** Lines of a site's window: the call line and the lines after it (its arguments). */
const WINDOW = 6;

interface Site {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every alert-producing call site in packages/*\/src (comments and the definition skipped). */
function scanSites(root: string): Site[] {
  const sites: Site[] = [];
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, 'src');
    let files: string[];
    try {
      files = sourceFiles(src);
    } catch {
      continue;
    }
    for (const path of files) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
        if (code.includes('function enterReview(')) return;
        if (!SITE_PATTERNS.some((p) => p.test(line))) return;
        sites.push({
          file: relative(root, path).split('\\').join('/'),
          line: i + 1,
          text: lines.slice(i, i + WINDOW).join('\n'),
        });
      });
    }
  }
  return sites;
}

function covers(kind: AlertKind, site: Site): boolean {
  return kind.sites.some((s) => s.file === site.file && site.text.includes(s.match));
}

/** The ids of the `### \`id\`` headings of a runbook. */
function runbookIds(markdown: string): string[] {
  return [...markdown.matchAll(/^### `([a-z0-9.-]+)`/gm)].map((m) => m[1] as string);
}

/** What is wrong between the code's sites, the list and the runbook (empty: all agree). */
function problems(sites: Site[], kinds: readonly AlertKind[], markdown: string): string[] {
  const out: string[] = [];
  for (const site of sites) {
    const by = kinds.filter((k) => covers(k, site)).map((k) => k.id);
    if (by.length === 0)
      out.push(
        `${site.file}:${site.line} raises an alert no ALERT_KINDS entry covers: add one (and a runbook section)`,
      );
    if (by.length > 1) out.push(`${site.file}:${site.line} is covered by ${by.join(', ')}`);
  }
  for (const k of kinds) {
    for (const s of k.sites) {
      if (!sites.some((site) => site.file === s.file && site.text.includes(s.match)))
        out.push(`${k.id}: no call site in ${s.file} contains ${JSON.stringify(s.match)}`);
    }
  }
  const headed = runbookIds(markdown);
  for (const k of kinds)
    if (!headed.includes(k.id)) out.push(`docs/runbook.md has no "### \`${k.id}\`" section`);
  for (const id of headed)
    if (!kinds.some((k) => k.id === id)) out.push(`docs/runbook.md: "${id}" is not in ALERT_KINDS`);
  const ids = kinds.map((k) => k.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    out.push(`ALERT_KINDS lists ${id} twice`);
  return out;
}

describe('docs/runbook.md covers every alert in the code', () => {
  const sites = scanSites(ROOT);
  const markdown = readFileSync(RUNBOOK, 'utf8');

  it('finds the alert sites of the engine and the adapters', () => {
    // A guard against a scan that silently finds nothing (a moved folder, a renamed call).
    expect(sites.length).toBeGreaterThanOrEqual(25);
    const files = new Set(sites.map((s) => s.file.split('/')[1]));
    for (const pkg of ['core', 'adapter-shopify', 'adapter-shipstation', 'http'])
      expect(files).toContain(pkg);
  });

  it('every site is listed, every listed kind exists in the code and has a runbook section', () => {
    expect(problems(sites, ALERT_KINDS, markdown)).toEqual([]);
  });

  it('fails when a section is missing from the runbook', () => {
    const kind = ALERT_KINDS.find((k) => k.id === 'command.failed-for-good');
    expect(kind).toBeDefined();
    const without = markdown.replace(/^### `command\.failed-for-good`.*$/m, '### removed');
    expect(problems(sites, ALERT_KINDS, without)).toEqual([
      'docs/runbook.md has no "### `command.failed-for-good`" section',
    ]);
  });

  it('fails when a new alert site appears in the code without a list entry', () => {
    const fresh: Site = {
      file: 'packages/core/src/decide/new-thing.ts',
      line: 1,
      text: "enterReview(d, ['a brand new reason'], 'warning');",
    };
    expect(problems([...sites, fresh], ALERT_KINDS, markdown)).toEqual([
      'packages/core/src/decide/new-thing.ts:1 raises an alert no ALERT_KINDS entry covers: add one (and a runbook section)',
    ]);
  });
});
