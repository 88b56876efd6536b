#!/usr/bin/env node
// `pnpm pack:all`: packs every publishable package (packages/*) into
// dist-packages/ as npm tarballs, the way `pnpm publish` would upload them
// (`workspace:^` dependencies rewritten to real version ranges, the root LICENSE
// added), then checks each tarball:
//   - its package.json has no `workspace:` / `link:` / `file:` specifiers left;
//   - it holds LICENSE, README.md, package.json and every file its `exports`,
//     `main`, `types` and `bin` point at (the `@fulfil/source` condition excepted:
//     it points at src/, used only inside this monorepo);
//   - the release metadata agrees: one version for all, the changesets `fixed`
//     group lists every package, publishConfig, repository.directory.
// Run `pnpm build` first. Install the result anywhere with
// `npm install /path/to/dist-packages/*.tgz`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'dist-packages');

/** Reads a package.json. */
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The publishable packages: every packages/* that is not private. */
export function publishablePackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }))
    .filter(({ pkg }) => pkg.private !== true);
}

/** Every file path an `exports` value (string or condition object) points at, except `@fulfil/source`. */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value)
    .filter(([condition]) => condition !== '@fulfil/source')
    .flatMap(([, v]) => exportTargets(v));
}

/** Lists the entries of a .tgz (paths without the leading `package/`). */
function tarList(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ''));
}

/** The package.json inside a .tgz, as published. */
function tarPackageJson(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
}

function checkMetadata(packages) {
  const problems = [];
  const rootPkg = readJson(join(root, 'package.json'));
  const changeset = readJson(join(root, '.changeset', 'config.json'));
  const fixed = new Set((changeset.fixed ?? []).flat());
  const versions = new Set(packages.map(({ pkg }) => pkg.version));
  if (versions.size !== 1) {
    problems.push(
      `packages have different versions (${[...versions].join(', ')}); keep one version line`,
    );
  }
  for (const { dir, pkg } of packages) {
    const where = relative(root, dir);
    if (!fixed.has(pkg.name))
      problems.push(`${pkg.name}: not in the "fixed" group of .changeset/config.json`);
    if (pkg.license !== rootPkg.license)
      problems.push(
        `${pkg.name}: license ${pkg.license} differs from the root's ${rootPkg.license}`,
      );
    if (pkg.publishConfig?.access !== 'public' || pkg.publishConfig?.provenance !== true) {
      problems.push(
        `${pkg.name}: publishConfig must be { "access": "public", "provenance": true }`,
      );
    }
    if (pkg.repository?.url !== rootPkg.repository?.url || pkg.repository?.directory !== where) {
      problems.push(
        `${pkg.name}: repository must be { url: "${rootPkg.repository?.url}", directory: "${where}" }`,
      );
    }
    if (!pkg.files?.includes('LICENSE')) problems.push(`${pkg.name}: "files" must list LICENSE`);
    if (!existsSync(join(dir, 'dist')))
      problems.push(`${pkg.name}: no dist/ (run \`pnpm build\` first)`);
  }
  return problems;
}

function checkTarball(tarball, pkg) {
  const problems = [];
  const files = new Set(tarList(tarball));
  const published = tarPackageJson(tarball);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(published[field] ?? {})) {
      if (/^(workspace|link|file):/.test(spec))
        problems.push(`${pkg.name}: ${field}.${dep} is "${spec}" in the tarball`);
    }
  }
  const targets = [
    ...exportTargets(published.exports),
    published.main,
    published.types,
    ...Object.values(published.bin ?? {}),
  ].filter(Boolean);
  for (const target of [...targets, 'LICENSE', 'README.md', 'package.json']) {
    const path = target.replace(/^\.\//, '');
    if (!files.has(path)) problems.push(`${pkg.name}: the tarball lacks ${path}`);
  }
  return { problems, fileCount: files.size, published };
}

/** Packs every publishable package into dist-packages/ and checks the tarballs; returns their paths. */
export function packAll({ quiet = false } = {}) {
  const log = quiet ? () => {} : (line) => console.log(line);
  const packages = publishablePackages();
  const metadataProblems = checkMetadata(packages);
  if (metadataProblems.length > 0) {
    throw new Error(`pack:all: release metadata problems:\n  - ${metadataProblems.join('\n  - ')}`);
  }
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  for (const { dir } of packages) {
    execFileSync('pnpm', ['pack', '--pack-destination', OUT_DIR], { cwd: dir, stdio: 'pipe' });
  }
  const tarballs = readdirSync(OUT_DIR)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(OUT_DIR, f));
  const problems = [];
  log(`pack:all: ${tarballs.length} tarballs in ${relative(process.cwd(), OUT_DIR) || OUT_DIR}/`);
  for (const { pkg } of packages) {
    const prefix = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    const tarball = tarballs.find((t) => t.endsWith(`/${prefix}`));
    if (!tarball) {
      problems.push(`${pkg.name}: no tarball ${prefix}`);
      continue;
    }
    const result = checkTarball(tarball, pkg);
    problems.push(...result.problems);
    const kb = (statSync(tarball).size / 1024).toFixed(1);
    const deps = Object.entries(result.published.dependencies ?? {})
      .filter(([d]) => d.startsWith('@fulfil/'))
      .map(([d, v]) => `${d}@${v}`)
      .join(', ');
    log(
      `  ${prefix.padEnd(44)} ${kb.padStart(7)} kB  ${String(result.fileCount).padStart(4)} files${deps ? `  deps: ${deps}` : ''}`,
    );
  }
  if (problems.length > 0)
    throw new Error(`pack:all: tarball problems:\n  - ${problems.join('\n  - ')}`);
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    packAll();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
