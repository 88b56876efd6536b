// Bundles the Lambda handlers with esbuild: `pnpm --filter @fulfil/example-lambda-host build`.
//
// Output, ready to zip or to hand to `sam deploy` (template.yaml's CodeUri is dist/):
//   dist/index.mjs      both handlers: `index.http` (API Gateway HTTP API) and
//                       `index.scheduled` (EventBridge schedule), every dependency inlined
//   dist/index.mjs.map  source map (the template sets NODE_OPTIONS=--enable-source-maps)
// The workspace packages are bundled from their TypeScript sources (the `@fulfil/source`
// export condition), so nothing has to be built first.
//
// The store's configuration is bundled too, imported statically (a bundle cannot load a
// TypeScript file from disk with jiti at run time): `--config <file>` or `FULFIL_CONFIG`
// (relative to the directory the command was typed in), else a `fulfil.config.*` next to
// template.yaml; none: the host's defaults. It is validated first: a broken file stops the
// build with CONFIG_INVALID and the exact path. `--outdir <dir>` writes somewhere else
// than dist/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  // `pnpm build -- --config ...` passes the `--` on.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { config: { type: 'string' }, outdir: { type: 'string' } },
});
// pnpm runs scripts in the package; INIT_CWD is where the command was typed.
const typedIn = process.env.INIT_CWD ?? process.cwd();
const named = args.config ?? (process.env.FULFIL_CONFIG?.trim() || undefined);
const CONFIG_FILES = ['ts', 'mts', 'js', 'mjs', 'json'].map((ext) => `fulfil.config.${ext}`);
const configFile = named
  ? isAbsolute(named)
    ? named
    : resolve(typedIn, named)
  : CONFIG_FILES.map((name) => join(root, name)).find((p) => existsSync(p));
if (configFile && !existsSync(configFile)) fail(`${configFile}: no such file`);
/** A path as typed (relative to where the command was typed), or absolute when outside it. */
const display = (path) => {
  const r = relative(typedIn, path);
  return r === '' || r.startsWith('..') || isAbsolute(r) ? path : r;
};
const outdir = args.outdir ? resolve(typedIn, args.outdir) : join(root, 'dist');

const options = {
  absWorkingDir: root,
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
  plugins: configFile ? [bundleConfig(configFile)] : [],
  logLevel: 'warning',
};

if (configFile) await checkConfig();
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  ...options,
  entryPoints: { index: 'src/index.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  minify: true,
  keepNames: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
});
const size = (await stat(join(outdir, 'index.mjs'))).size;
console.log(
  `${display(join(outdir, 'index.mjs'))}: ${(size / 1024).toFixed(0)} KiB (handlers: index.http, index.scheduled)`,
);
console.log(`  config: ${configFile ? display(configFile) : 'none (FULFIL_LOCATIONS, no rules)'}`);
// What weighs most, by package.
const byPackage = new Map();
const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('index.mjs'));
for (const [file, input] of Object.entries(output[1].inputs)) {
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

/**
 * Replaces `src/bundled-config.ts` with a static import of the configuration file, so esbuild
 * bundles it (and what it imports) like any other module.
 */
function bundleConfig(file) {
  const name = display(file);
  return {
    name: 'fulfil-config',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]bundled-config\.ts$/ }, () => ({
        contents: `import config from ${JSON.stringify(file)};
export const bundledConfig = { file: ${JSON.stringify(name)}, value: config };`,
        loader: 'ts',
        resolveDir: dirname(file),
      }));
    },
  };
}

/** Bundles the configuration with core's `parseConfig` and runs it: CONFIG_INVALID stops the build. */
async function checkConfig() {
  const dir = await mkdtemp(join(tmpdir(), 'fulfil-config-check-'));
  try {
    await build({
      ...options,
      stdin: {
        contents: `import { parseConfig } from '@fulfil/core';
import { bundledConfig } from './src/bundled-config.ts';
export const check = () => parseConfig(bundledConfig.value, bundledConfig.file);`,
        resolveDir: root,
        sourcefile: 'check-config.ts',
        loader: 'ts',
      },
      outfile: join(dir, 'check.mjs'),
      logLevel: 'silent',
    });
    const { check } = await import(pathToFileURL(join(dir, 'check.mjs')).href);
    const config = check();
    console.log(
      `${display(configFile)}: ${config.locations.length} location(s), ${(config.rules ?? []).length} rule(s)`,
    );
  } catch (err) {
    // A FulfilError from parseConfig, or esbuild's report of a file it could not bundle.
    if (err.code === 'CONFIG_INVALID') fail(err.message.replace(/^CONFIG_INVALID: /, ''));
    fail(`${display(configFile)}: could not bundle: ${err.message.replace(/\s*\n\s*/g, ' ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fail(message) {
  console.error(`CONFIG_INVALID: ${message}`);
  process.exit(1);
}
