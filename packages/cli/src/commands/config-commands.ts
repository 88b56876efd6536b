import { writeFileSync } from 'node:fs';
import {
  checkMachine,
  checkRules,
  defaultMachine,
  type MachineDefinitionInput,
  toMermaid,
} from '@fulfil/core';
import { esc } from '../audit/html';
import { loadConfig } from '../config/load-config';
import type { Io } from './io';
import { drawMachineSvg } from './machine-svg';

/**
 * `fulfil check`: loads the config (which already refuses schema errors with their path),
 * then lists every machine and rule issue, warnings included. Exit 1 when any is an error.
 */
export async function checkCommand(
  opts: { config?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const { config, path } = await loadConfig(opts.config, io.cwd).catch((err: unknown) => {
    io.err((err as Error).message);
    return { config: undefined, path: opts.config ?? '' };
  });
  if (!config) return 1;
  const machine = checkMachine((config.machine ?? defaultMachine) as MachineDefinitionInput);
  const rules = checkRules(config.rules ?? []);
  const issues = [
    ...machine.map((i) => ({ severity: i.severity, path: i.path, message: i.message })),
    ...rules.map((i) => ({ severity: i.severity, path: i.path, message: i.message })),
  ];
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (opts.json)
    io.out(
      JSON.stringify({ config: path, errors, warnings: issues.length - errors, issues }, null, 2),
    );
  else {
    for (const i of issues) io.out(`${i.severity.padEnd(7)} ${i.path}: ${i.message}`);
    io.out(
      `${path}: ${config.locations.length} location(s), ${(config.rules ?? []).length} rule(s); ${errors} error(s), ${issues.length - errors} warning(s)`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/** `fulfil diagram`: the machine as Mermaid on stdout, or `--html` a page with an inline SVG drawing and the Mermaid source. */
export async function diagramCommand(
  opts: { config?: string; html?: string },
  io: Io,
): Promise<number> {
  const { config, path } = await loadConfig(opts.config, io.cwd);
  const machine = (config.machine ?? defaultMachine) as MachineDefinitionInput;
  const mermaid = toMermaid(machine);
  if (!opts.html) {
    io.out(mermaid);
    return 0;
  }
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(machine.id ?? 'machine')}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:system-ui,sans-serif;margin:2rem}pre{background:#f4f6f8;padding:1rem;overflow:auto}</style></head><body>
<h1>State machine ${esc(machine.id ?? '')}</h1><p>From ${esc(path)}.</p>
${drawMachineSvg(machine)}
<h2>Mermaid source</h2><p>Paste into any Mermaid viewer.</p><pre id="mermaid">${esc(mermaid)}</pre>
</body></html>
`;
  writeFileSync(opts.html, page);
  io.out(`wrote ${opts.html}`);
  return 0;
}
