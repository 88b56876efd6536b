/**
 * `pnpm reliability` (short) and `pnpm soak` (long): runs `reliability/test` with vitest,
 * rows going to a temporary JSONL file, then writes `docs/reliability.md` from them. Exits
 * non-zero when vitest failed or a recorded row did not hold (the page is written either way).
 *
 * Usage: `node --conditions=@fulfil/source --import tsx reliability/src/run.ts <short|soak> [vitest args]`
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentCommit, writeDoc } from './write-doc';

const [mode, ...vitestArgs] = process.argv.slice(2);
if (mode !== 'short' && mode !== 'soak') {
  console.error('usage: run.ts <short|soak> [vitest args]');
  process.exit(2);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fulfil-reliability-'));
const rows = join(dir, 'rows.jsonl');
writeFileSync(rows, '');
const commit = currentCommit(root); // before the run: the page it writes is not a change of the code
const started = Date.now();
const vitest = spawnSync(
  join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest'),
  ['run', 'reliability/test', ...vitestArgs],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      FULFIL_RELIABILITY_OUT: rows,
      FULFIL_SOAK: mode === 'soak' ? '1' : '0',
    },
  },
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const exit = vitest.status ?? 1;
const out = join(root, 'docs', 'reliability.md');
const failedRows = existsSync(rows)
  ? writeDoc(rows, out, { mode, date: new Date().toISOString(), commit, vitestExit: exit })
  : 0;
rmSync(dir, { recursive: true, force: true });
console.log(
  `reliability (${mode}): ${seconds} s, vitest exit ${exit}, ${failedRows} failed row(s); wrote ${out}`,
);
process.exit(exit !== 0 ? exit : failedRows > 0 ? 1 : 0);
