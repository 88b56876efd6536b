import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', main: 'src/main.ts', config: 'src/config/index.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', config: 'src/config/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
