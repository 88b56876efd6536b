/**
 * The quickstart demo: simulated orders through the @fulfil engine with in-memory
 * adapters and a simulated clock. `pnpm demo -- --orders 2000 --seed 7`;
 * `--storage pglite` or `--storage postgres` (reads DATABASE_URL) keeps the state in
 * PostgreSQL instead of memory.
 */
import { parseArgs, USAGE } from './args';
import { runDemo } from './demo';
import { formatReport } from './report';

async function main(): Promise<void> {
  const args = parseArgs();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { summary, storageLabel, vendorLabel } = await runDemo(args);
  console.log(
    `@fulfil quickstart: ${args.orders} orders, seed ${args.seed}, ${args.days} days of orders; storage: ${storageLabel}; router: ${args.router === 'mip' ? 'mip (@fulfil/router-mip, HiGHS)' : 'optimal (built-in)'}`,
  );
  console.log(vendorLabel ? `${vendorLabel}\n` : '');
  console.log(formatReport(summary));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
