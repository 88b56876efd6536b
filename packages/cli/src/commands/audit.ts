import { existsSync, writeFileSync } from 'node:fs';
import { FulfilError } from '@fulfil/core';
import { createComparer, type OutcomeChange } from '../audit/compare';
import { renderHtml } from '../audit/html';
import type { AuditReport } from '../audit/report';
import { runAudit } from '../audit/run';
import { loadStock } from '../audit/stock';
import { formatSummary } from '../audit/terminal';
import { loadConfig } from '../config/load-config';
import type { Io } from './io';
import { createProgress } from './progress';

/** Options of `fulfil audit`. */
export interface AuditCommandOptions {
  orders: string;
  stock?: string;
  config?: string;
  compare?: string;
  html?: string;
  json?: boolean;
}

/** What `fulfil audit --json` prints. */
export interface AuditJson {
  report: AuditReport;
  compare?: { config: string; changed: number; changes: OutcomeChange[] };
}

/** Runs `fulfil audit`; returns the exit code. */
export async function auditCommand(opts: AuditCommandOptions, io: Io): Promise<number> {
  if (!existsSync(opts.orders))
    throw new FulfilError('INVALID_INPUT', `--orders ${opts.orders}: no such file`);
  const { config, path } = await loadConfig(opts.config, io.cwd);
  const stock = await loadStock(opts.stock, config.locations);
  const progress = createProgress(io, !opts.json);
  const comparer = opts.compare ? createComparer() : undefined;
  const report = await runAudit({
    config,
    configFile: path,
    orders: opts.orders,
    stock,
    onProgress: (f, n) => progress.update(f, n, opts.compare ? 'baseline ' : ''),
    ...(comparer ? { onOutcome: comparer.baseline } : {}),
  });
  progress.done();
  let compare: AuditJson['compare'];
  if (opts.compare && comparer) {
    const other = await loadConfig(opts.compare, io.cwd);
    const p2 = createProgress(io, !opts.json);
    await runAudit({
      config: other.config,
      configFile: other.path,
      orders: opts.orders,
      stock,
      onProgress: (f, n) => p2.update(f, n, 'compare '),
      onOutcome: comparer.candidate,
    });
    p2.done();
    const changes = comparer.changes();
    compare = { config: other.path, changed: changes.length, changes };
  }
  if (opts.html) writeFileSync(opts.html, renderHtml(report));
  if (opts.json) {
    io.out(
      JSON.stringify({ report, ...(compare ? { compare } : {}) } satisfies AuditJson, null, 2),
    );
    return 0;
  }
  io.out(formatSummary(report));
  if (compare) {
    io.out('');
    io.out(`Compared with ${compare.config}: ${compare.changed} order(s) would end differently`);
    for (const c of compare.changes.slice(0, 50)) {
      io.out(`  ${c.name} (${c.orderId})`);
      io.out(`    before: ${c.before.outcome}`);
      for (const line of c.before.explanation.slice(0, 3)) io.out(`      ${line}`);
      io.out(`    after:  ${c.after.outcome}`);
      for (const line of c.after.explanation.slice(0, 3)) io.out(`      ${line}`);
    }
    if (compare.changed > 50) io.out(`  ... ${compare.changed - 50} more (--json lists them all)`);
  }
  if (opts.html) io.out(`\nHTML report: ${opts.html}`);
  return 0;
}
