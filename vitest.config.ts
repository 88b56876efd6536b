import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that run behind `pnpm test:slow` rather than `pnpm test`: scenario runs that take
 * many seconds each (child processes, PostgreSQL restarts, whole demo and audit runs) and the
 * standing reliability suite in its short form. `.ci/run` runs both commands, so CI still runs
 * every file; `pnpm vitest run <path>` runs any file, whichever list it is on.
 */
const slowTestFiles = [
  // several worker processes on one database (child processes, 30–90 s)
  'packages/storage-postgres/test/multiprocess.test.ts',
  'packages/storage-postgres/test/stock-race.test.ts',
  // PGlite cold starts and cache writes, three instances in one file
  'packages/storage-postgres/test/pglite.test.ts',
  // the Express host as a child process, SIGTERM with work in flight
  'examples/express-host/test/shutdown.test.ts',
  // whole demo runs on PGlite and on the server
  'examples/quickstart/test/storage.test.ts',
  // a whole audit run, twice
  'packages/cli/test/audit-storage.test.ts',
  // the reliability suite, short form (`pnpm reliability` runs it alone)
  'reliability/test/**/*.test.ts',
];

/**
 * Test files that share their worker's modules (`isolate: false`) instead of each importing
 * everything afresh: packages whose tests keep no module-level state (no module mocks, no
 * patched globals, no process-wide registries; each test starts its own fake servers and
 * closes them). Importing was most of their time: these 132 files ran in 36 s shared. A file
 * that needs a fresh module graph goes in the isolated `fast` project instead (the Slack
 * pace tests, timing-sensitive, and prom-client's global registry stay there).
 */
const sharedModuleTestFiles = [
  'packages/core/test/**/*.test.ts',
  'packages/adapter-shopify/test/**/*.test.ts',
  'packages/adapter-shipstation/test/**/*.test.ts',
  'packages/adapter-3pl-generic/test/**/*.test.ts',
  'packages/http/test/**/*.test.ts',
  'packages/classifier-anthropic/test/**/*.test.ts',
  'packages/router-mip/test/**/*.test.ts',
];

const allTestFiles = [
  'packages/*/test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
  'reliability/test/**/*.test.ts',
];

export default defineConfig({
  resolve: {
    conditions: ['@fulfil/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@fulfil/source'],
    },
  },
  test: {
    testTimeout: 30_000,
    // Each file in its own child process (tests use signals, child processes, process-wide
    // handlers). More workers than cores: most files wait on PostgreSQL, HTTP servers and
    // timers, so four at a time keep two cores busy (vitest's default here is cores - 1 = 1).
    pool: 'forks',
    // (`VITEST_MAX_WORKERS` or `--maxWorkers` override it.)
    maxWorkers: 4,
    // In CI, also write a JSON report so .ci/run can print a plain "N passed, N failed" line
    // (`pnpm test:slow` writes its own with `--outputFile.json`).
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/test-results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: allTestFiles,
          exclude: [...configDefaults.exclude, ...slowTestFiles, ...sharedModuleTestFiles],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'fast-shared',
          include: sharedModuleTestFiles,
          exclude: [...configDefaults.exclude, ...slowTestFiles],
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // One file at a time: these files start processes and engines of their own and fail on
        // their timeouts when four of them share two cores. Under `vitest run` with no
        // `--project`, they run after the fast files.
        test: {
          name: 'slow',
          include: slowTestFiles,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
