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
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
