// Checks the documentation against the code (`pnpm check:docs`, run by .ci/run):
// 1. every ```ts block in docs/guides/*.md is type-checked (each block is its own module;
//    `@fulfil/*` imports resolve to the packages' sources);
// 2. every relative link and every repository path in backticks in the READMEs and docs
//    points at a file that exists;
// 3. every `pnpm <script>` / `pnpm --filter <pkg> <script>` they mention is a real script.
// Prints each problem with its file and line and exits 1 when there is any.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const problems: string[] = [];

/** A fenced code block: its language, first line number (1-based) and text. */
export interface CodeBlock {
  lang: string;
  line: number;
  code: string;
}

/** Fenced code blocks of a markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})([\w-]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trimStart().startsWith(fence)) {
      body.push(lines[j] ?? '');
      j++;
    }
    out.push({ lang: open[3] ?? '', line: i + 2, code: body.join('\n') });
    i = j;
  }
  return out;
}

function list(dir: string, pick: (name: string) => boolean): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter(pick)
    .map((n) => join(dir, n));
}

const workspaceDirs = ['packages', 'examples'].flatMap((d) =>
  list(d, (n) => existsSync(join(root, d, n, 'package.json'))),
);
const packageJson = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    name: string;
    scripts?: Record<string, string>;
    exports?: Record<string, unknown>;
  };

// ---- 1. Guide snippets compile -------------------------------------------------------------

function checkSnippets(): void {
  const out = join(root, '.doc-snippets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  for (const guide of list('docs/guides', (n) => n.endsWith('.md'))) {
    const blocks = codeBlocks(readFileSync(join(root, guide), 'utf8'));
    for (const b of blocks) {
      if (b.lang !== 'ts' && b.lang !== 'typescript') continue;
      const name = `${guide.replace(/[/.]/g, '_')}_L${b.line}.ts`;
      // `export {}` makes a block without imports a module too (no global clashes).
      writeFileSync(join(out, name), `// ${guide}:${b.line}\n${b.code}\nexport {};\n`);
      files.push(name);
    }
  }
  const paths: Record<string, string[]> = {};
  for (const dir of workspaceDirs) {
    const pkg = packageJson(dir);
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      const src =
        typeof target === 'object' && target !== null
          ? (target as Record<string, unknown>)['@fulfil/source']
          : undefined;
      if (typeof src !== 'string') continue;
      paths[sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`] = [join('..', dir, src)];
    }
  }
  // Third-party imports (express, pg, ...) resolve from whichever workspace package has them.
  // Type packages first: a path that resolves to a package's JavaScript would win otherwise.
  paths['*'] = [
    ...workspaceDirs.map((d) => `../${d}/node_modules/@types/*`),
    '../node_modules/*',
    ...workspaceDirs.map((d) => `../${d}/node_modules/*`),
  ];
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, paths, types: ['node'] },
        files,
      },
      null,
      2,
    ),
  );
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(out, 'tsconfig.json')], {
      cwd: out,
      stdio: 'pipe',
    });
  } catch (err) {
    const text = String((err as { stdout?: Buffer }).stdout ?? err);
    for (const line of text.split('\n').filter((l) => /error TS/.test(l))) {
      // Map "docs_guides_x_md_L12.ts(3,5): error" back to the guide and line.
      const m = /^(\S+?)_md_L(\d+)\.ts\((\d+),\d+\): (.*)$/.exec(line);
      if (m) {
        const file = `${(m[1] ?? '').replace(/_/g, '/').replace(/^docs\/guides\//, 'docs/guides/')}.md`;
        problems.push(`${file}:${Number(m[2]) + Number(m[3]) - 2}: ${m[4]}`);
      } else problems.push(line);
    }
  }
  console.log(`snippets: ${files.length} code blocks in docs/guides type-checked`);
}

// ---- 2 and 3. Links, paths and commands ------------------------------------------------------

const PNPM_BUILTINS = new Set([
  'install', 'i', 'add', 'remove', 'rm', 'exec', 'dlx', 'run', 'why', 'list', 'ls', 'pack',
  'publish', 'update', 'up', 'store', 'env', 'create', 'init', 'import', 'rebuild', 'audit',
  'outdated', 'version', 'help', 'config', 'setup', 'link', 'unlink', 'prune', 'fetch', 'approve-builds',
  'self-update', 'start', 'licenses', 'deploy', 'patch', 'patch-commit', 'root', 'bin',
]); // biome-ignore format: a word list

/** Paths that exist only after a command runs (build output, reports). */
const GENERATED =
  /(^|\/)(out|dist|dist-packages|docs-site|node_modules|coverage|\.doc-snippets)(\/|$)|\.tgz$/;

function docFiles(): string[] {
  const dirs = ['.', 'docs', 'docs/guides', 'bench', 'reliability', ...workspaceDirs];
  return dirs.flatMap((d) => list(d, (n) => n.endsWith('.md') && n !== 'CHANGELOG.md'));
}

function scriptsOf(dir: string): Set<string> {
  return new Set(Object.keys(packageJson(dir).scripts ?? {}));
}

function checkLinksAndCommands(): number {
  const byName = new Map(workspaceDirs.map((d) => [packageJson(d).name, d]));
  byName.set('@fulfil/bench', 'bench');
  byName.set('@fulfil/reliability', 'reliability');
  const rootScripts = scriptsOf('.');
  const files = docFiles();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const base = dirname(join(root, file));
    let fenced = false;
    text.split('\n').forEach((line, i) => {
      const at = `${file}:${i + 1}`;
      if (/^\s*```/.test(line)) fenced = !fenced;
      // Commands are read from code only: fenced blocks and inline code spans.
      const code = fenced ? line : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join('\n');
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(base, decodeURIComponent(target)))) {
          problems.push(`${at}: broken link ${m[1]}`);
        }
      }
      for (const m of line.matchAll(
        /`((?:packages|examples|docs|bench|reliability|scripts|\.ci|\.changeset)\/[^`\s*{}<>]+)`/g,
      )) {
        const path = (m[1] ?? '').replace(/[:#].*$/, '');
        if (GENERATED.test(path)) continue;
        // Repository paths from the root, or from the document's own folder (a package's README).
        if (!existsSync(join(root, path)) && !existsSync(join(base, path))) {
          problems.push(`${at}: no such path ${path}`);
        }
      }
      for (const m of code.matchAll(/\bpnpm\s+((?:--filter[= ]\S+\s+)?)(run\s+)?([a-z][\w:-]*)/g)) {
        const filter = /--filter[= ](\S+)/.exec(m[1] ?? '')?.[1];
        const script = m[3] ?? '';
        if (filter !== undefined) {
          const dir = byName.get(filter.replace(/['"]/g, ''));
          if (dir === undefined) {
            if (!filter.includes('*') && !filter.startsWith('./')) {
              problems.push(`${at}: pnpm --filter ${filter}: no such workspace package`);
            }
            continue;
          }
          if (!PNPM_BUILTINS.has(script) && !scriptsOf(dir).has(script)) {
            problems.push(`${at}: pnpm --filter ${filter} ${script}: no such script in ${dir}`);
          }
          continue;
        }
        if (m[2] === undefined && PNPM_BUILTINS.has(script)) continue;
        // `pnpm vitest`, `pnpm tsc`: a dependency's binary.
        if (m[2] === undefined && existsSync(join(root, 'node_modules/.bin', script))) continue;
        if (!rootScripts.has(script)) problems.push(`${at}: pnpm ${script}: no such root script`);
      }
    });
  }
  return files.length;
}

// ---- 4. Every package is in the API site (typedoc's `packages` strategy needs its typedoc.json) --

function checkSiteCoversPackages(): void {
  for (const dir of workspaceDirs.filter((d) => d.startsWith('packages/'))) {
    if (!existsSync(join(root, dir, 'typedoc.json'))) {
      problems.push(
        `${dir}: no typedoc.json, so \`pnpm run docs\` leaves the package out of docs-site/`,
      );
    }
  }
}

const only = process.argv[2];
checkSiteCoversPackages();
if (only !== 'links') checkSnippets();
if (only !== 'snippets') {
  const n = checkLinksAndCommands();
  console.log(`links, paths and pnpm commands checked in ${n} markdown files`);
}
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('docs: ok');
