import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', pglite: 'src/pglite.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
