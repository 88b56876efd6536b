// Bundles the Lambda handlers with esbuild: `pnpm --filter @fulfil/example-lambda-host build`.
//
// Output, ready to zip or to hand to `sam deploy` (template.yaml's CodeUri is dist/):
//   dist/index.mjs      both handlers: `index.http` (API Gateway HTTP API) and
//                       `index.scheduled` (EventBridge schedule), every dependency inlined
//   dist/index.mjs.map  source map (the template sets NODE_OPTIONS=--enable-source-maps)
// The workspace packages are bundled from their TypeScript sources (the `@fulfil/source`
// export condition), so nothing has to be built first.
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@fulfil/source'],
  mainFields: ['module', 'main'],
  // Only storage-postgres's PGlite helper imports it, lazily; a Lambda uses DATABASE_URL.
  // pg's native binding is optional and never loaded.
  external: ['@electric-sql/pglite', 'pg-native'],
  // CommonJS dependencies (pg, the Slack SDK) call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __fulfilCreateRequire } from 'node:module'; const require = __fulfilCreateRequire(import.meta.url);",
  },
  minify: true,
  keepNames: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const size = (await stat(join(outdir, 'index.mjs'))).size;
console.log(
  `dist/index.mjs: ${(size / 1024).toFixed(0)} KiB (handlers: index.http, index.scheduled)`,
);
// What weighs most, by package.
const byPackage = new Map();
for (const [file, input] of Object.entries(result.metafile.outputs['dist/index.mjs'].inputs)) {
  const name =
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
    (/^\.\.\/\.\.\/packages\/([^/]+)/.exec(file)?.[1] ?? 'lambda-host').replace(
      /^(?!@)/,
      '@fulfil/',
    );
  byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
}
const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
console.log(`  largest: ${top.map(([n, b]) => `${n} ${(b / 1024).toFixed(0)} KiB`).join(', ')}`);
