#!/usr/bin/env node
// The `fulfil` binary. In a checkout (src/ present and tsx installed) it runs the TypeScript
// source with the `@fulfil/source` condition, so `npx fulfil` works after `pnpm install`
// with no build; an installed package runs dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let tsx;
try {
  tsx = import.meta.resolve('tsx');
} catch {
  tsx = undefined;
}
if (tsx && existsSync(src) && process.env.FULFIL_CLI_DIST !== '1') {
  const child = spawnSync(
    process.execPath,
    ['--conditions=@fulfil/source', '--import', tsx, src, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exitCode = child.status ?? 1;
} else {
  await import('../dist/main.js');
}
