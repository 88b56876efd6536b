import { isFulfilError } from '@fulfil/core';
import { Command, CommanderError } from 'commander';
import { auditCommand } from './commands/audit';
import { checkCommand, diagramCommand } from './commands/config-commands';
import { explainCommand, migrateCommand, replayCommand } from './commands/db-commands';
import type { Io } from './commands/io';
import { sampleCommand } from './commands/sample-command';

/**
 * Runs the `fulfil` command line with `argv` (without `node` and the script) and returns
 * the exit code: 0 done, 1 failed (bad input, check errors), 2 bad usage. Errors are
 * printed to `io.err` as `CODE: message`.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = new Command('fulfil')
    .description(
      "@fulfil's command line: audit past orders against the rules, check and draw the config, explain and replay stored orders",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  const run = (task: () => Promise<number>) => async () => {
    code = await task();
  };
  program
    .command('audit')
    .description(
      'replay a Shopify order export through the configured engine in dry run and report what would have happened',
    )
    .requiredOption(
      '--orders <file>',
      "Shopify's order export (.csv) or a bulk operation's output (.jsonl)",
    )
    .option(
      '--stock <spec>',
      'unlimited, a JSON snapshot {"<location>": {"<sku>": units}}, or a Shopify inventory export .csv',
      'unlimited',
    )
    .option(
      '--config <file>',
      'fulfil.config.ts / .js / .json (default: found in the current directory)',
    )
    .option(
      '--compare <file>',
      'a second config: list the orders whose outcome differs, with both explanations',
    )
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--json', 'print the report as JSON (no progress bar)')
    .action((opts) => run(() => auditCommand(opts, io))());
  program
    .command('sample')
    .description("write a realistic Shopify order export (the quickstart's seeded store) to stdout")
    .option('--orders <n>', 'orders', '10000')
    .option('--seed <n>', 'random seed', '42')
    .option('--days <n>', 'days the orders are spread over', '30')
    .option('--out <file>', 'write to a file instead of stdout')
    .option(
      '--stock-out <file>',
      "also write the store's stock as a JSON snapshot (for audit --stock)",
    )
    .action((opts) => run(() => sampleCommand(opts, io))());
  program
    .command('check')
    .description('check the state machine and the rules; exit 1 on errors')
    .option('--config <file>', 'config file')
    .option('--json', 'print the issues as JSON')
    .action((opts) => run(() => checkCommand(opts, io))());
  program
    .command('diagram')
    .description('print the state machine as Mermaid, or --html a page that draws it')
    .option('--config <file>', 'config file')
    .option('--html <file>', 'write a self-contained HTML page (inline SVG + Mermaid source)')
    .action((opts) => run(() => diagramCommand(opts, io))());
  program
    .command('explain <order>')
    .description("an order's timeline with explanations, from PostgreSQL at DATABASE_URL")
    .option('--schema <name>', 'storage schema (default: fulfil)')
    .option('--json', 'print the record and history as JSON')
    .action((order, opts) => run(() => explainCommand(order, opts, io))());
  program
    .command('replay <order>')
    .description(
      'decide a stored order again under the current config (dry run) and show what would change',
    )
    .option('--schema <name>', 'storage schema (default: fulfil)')
    .option('--config <file>', 'config file')
    .option('--stock <spec>', 'stock for the replay (default: unlimited)')
    .option('--json', 'print JSON')
    .action((order, opts) => run(() => replayCommand(order, opts, io))());
  program
    .command('migrate')
    .description('apply storage-postgres migrations to DATABASE_URL')
    .option('--schema <name>', 'schema (default: fulfil)')
    .action((opts) => run(() => migrateCommand(opts, io))());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.err(isFulfilError(err) ? err.message : ((err as Error).stack ?? String(err)));
    return 1;
  }
}
