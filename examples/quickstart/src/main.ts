/**
 * The quickstart demo: simulated orders through the @fulfil engine with in-memory
 * adapters and a simulated clock. `pnpm demo -- --orders 2000 --seed 7`;
 * `--storage pglite` or `--storage postgres` (reads DATABASE_URL) keeps the state in
 * PostgreSQL instead of memory.
 */
import { parseArgs, USAGE } from './args';
import { startDemoConsole } from './console';
import { runDemo } from './demo';
import { formatReport } from './report';

async function main(): Promise<void> {
  const args = parseArgs();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { summary, storageLabel, vendorLabel, open } = await runDemo(args);
  console.log(
    `@fulfil quickstart: ${args.orders} orders, seed ${args.seed}, ${args.days} days of orders; storage: ${storageLabel}; router: ${args.router === 'mip' ? 'mip (@fulfil/router-mip, HiGHS)' : 'optimal (built-in)'}`,
  );
  console.log(vendorLabel ? `${vendorLabel}\n` : '');
  console.log(formatReport(summary));
  if (!open) return;
  try {
    const served = await startDemoConsole(open.world, args.port);
    console.log(
      `\nOperations console: ${served.url}\n` +
        '  Listening on 127.0.0.1 only, so no sign-in (anonymous access is allowed for loopback).\n' +
        '  Some orders were left in the review queue for you. Ctrl-C stops it.',
    );
    const stop = () => {
      void served
        .close()
        .then(() => open.close())
        .finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    await open.close();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
