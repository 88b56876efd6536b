import { defineConfig } from 'vitest/config';

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
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'reliability/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    // In CI, also write a JSON report so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.ci/test-results.json' }]]
      : ['default'],
  },
});
