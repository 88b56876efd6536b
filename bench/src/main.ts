/**
 * `pnpm bench`: every benchmark, each printing ratios against baselines measured
 * in the same run. Absolute numbers vary with the machine; ratios are the figures.
 */
const suites = ['./rules.ts', './machine.ts', './decide.ts'];
const only = process.argv[2];
for (const suite of suites) {
  if (only && !suite.includes(only)) continue;
  const mod = (await import(suite)) as { run: () => Promise<void> };
  await mod.run();
}

export {};
