// Runs the code of docs/guides/rules-cookbook.md: every block is imported as a module and
// every rule it exports goes through compileRules and checkRules (scripts/check-docs.ts
// type-checks the same blocks in CI). A recipe that the engine would refuse fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, compileRules, type RuleInput } from '../../src';

const root = resolve(import.meta.dirname, '../../../..');
const guide = readFileSync(join(root, 'docs/guides/rules-cookbook.md'), 'utf8');
const coreEntry = join(root, 'packages/core/src/index.ts');
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const dir = mkdtempSync(join(tmpdir(), 'fulfil-cookbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isRule = (v: unknown): v is RuleInput =>
  typeof v === 'object' && v !== null && 'id' in v && 'stage' in v && 'actions' in v;

describe('docs/guides/rules-cookbook.md', () => {
  it('has the two seed examples and at least 15 more recipes', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(18);
    expect(guide).toContain("rule('vip-backorder-split')");
    expect(guide).toContain("rule('short-stock-hold')");
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))(
    'block %i runs, and its rules compile with no issues',
    async (i, code) => {
      const file = join(dir, `block-${i}.ts`);
      writeFileSync(file, code.replaceAll("from '@fulfil/core'", `from '${coreEntry}'`));
      const module = (await import(file)) as Record<string, unknown>;
      const rules = Object.values(module).filter(isRule);
      if (rules.length === 0) {
        // The last block builds an engine from its rules instead of exporting them.
        expect(Object.keys(module)).toContain('engine');
        return;
      }
      expect(() => compileRules(rules)).not.toThrow();
      expect(checkRules(rules).filter((x) => x.severity === 'error')).toEqual([]);
    },
  );

  it('gives every recipe its own rule id', async () => {
    const ids = [...guide.matchAll(/rule\('([^']+)'\)/g)].map((m) => m[1]);
    const recipes = ids.filter(
      (id) => id !== 'expedite' || ids.indexOf(id) === ids.lastIndexOf(id),
    );
    expect(new Set(recipes).size).toBe(recipes.length);
  });
});

// The other guides' blocks that need nothing but @fulfil/core run too (the PostgreSQL and
// Express ones are type-checked only, by scripts/check-docs.ts).
const coreOnly = ['getting-started', 'concepts'].flatMap((name) => {
  const text = readFileSync(join(root, `docs/guides/${name}.md`), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((code) => [...code.matchAll(/from '([^']+)'/g)].every((m) => m[1] === '@fulfil/core'))
    .map((code, i) => [`${name} #${i + 1}`, code] as const);
});

describe('docs/guides: blocks on @fulfil/core alone', () => {
  it('includes the getting-started engine and the concepts examples', () => {
    expect(coreOnly.map(([n]) => n)).toEqual(
      expect.arrayContaining(['getting-started #1', 'concepts #1', 'concepts #2']),
    );
  });

  it.each(coreOnly)('%s runs', async (name, code) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.ts`);
    writeFileSync(file, code.replaceAll("from '@fulfil/core'", `from '${coreEntry}'`));
    const logs: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logs.push(args.join(' '));
    try {
      await import(file);
    } finally {
      console.log = log;
    }
    if (name === 'getting-started #1') expect(logs[0]).toBe('submitted');
    if (name === 'concepts #1') expect(logs).toEqual(['awaiting_engraving']);
  });
});
