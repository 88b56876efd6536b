/**
 * The fast path of `evaluate` with `trace: false`: each stage's rules are
 * compiled, once, into ONE JavaScript function, close to what you would write
 * by hand. Every fact is read at most once per evaluation into a local
 * variable (lazily, so short-circuits still skip work), each fact getter is
 * called from its own call site (so the JIT can inline it), and no closure or
 * object is created per evaluation.
 *
 * Safety: the generated source contains only identifiers the compiler makes
 * up and integer priorities validated by the schema. Fact names, values,
 * patterns and ids are never written into the source: they are passed in as
 * constants. When the host forbids `new Function` (a strict Content Security
 * Policy, some edge runtimes), `generateStage` returns `undefined` and the
 * caller keeps the closure path (`compile-condition.ts`), which has the same
 * semantics.
 *
 * @module
 */
import { parsePattern } from './compile-condition';
import type { FactCatalogue } from './facts';
import type { Condition, FactCondition } from './schema';
import type { RuleContext } from './types';

/** One rule of a stage, in evaluation order. */
export interface StageRule<E> {
  when: Condition;
  priority: number;
  stop: boolean;
  /** Pushed to `matched` when the rule holds. */
  entry: E;
}

/**
 * Runs a stage: pushes the entries of matching rules to `matched` and returns
 * the index of the first rule not evaluated because of a `stop` (or the rule count).
 */
export type StageProgram<E> = (ctx: RuleContext, matched: E[]) => number;

const UNSET = Symbol('unset');

type List = readonly unknown[] | null | undefined;
/** Helpers for list facts (any element passes), passed to generated code. */
const H = {
  has: (l: List, v: unknown) => l?.includes(v) === true,
  in: (l: List, s: Set<unknown>) => {
    if (l == null) return false;
    for (let i = 0; i < l.length; i++) if (s.has(l[i])) return true;
    return false;
  },
  match: (l: List, re: RegExp) => {
    if (l == null) return false;
    for (let i = 0; i < l.length; i++) {
      const x = l[i];
      if (typeof x === 'string' && re.test(x)) return true;
    }
    return false;
  },
  between: (l: List, lo: number, hi: number) => {
    if (l == null) return false;
    for (let i = 0; i < l.length; i++) {
      const x = l[i];
      if (typeof x === 'number' && x >= lo && x <= hi) return true;
    }
    return false;
  },
  gt: (l: List, n: number) => {
    if (l == null) return false;
    for (let i = 0; i < l.length; i++) {
      const x = l[i];
      if (typeof x === 'number' && x > n) return true;
    }
    return false;
  },
  lt: (l: List, n: number) => {
    if (l == null) return false;
    for (let i = 0; i < l.length; i++) {
      const x = l[i];
      if (typeof x === 'number' && x < n) return true;
    }
    return false;
  },
};

let supported: boolean | undefined;
function canGenerate(): boolean {
  if (supported === undefined) {
    try {
      supported = new Function('return true')() === true;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** Counts how often each fact is named in `cond`. */
function countFacts(cond: Condition, into: Map<string, number>): void {
  if ('all' in cond) for (const c of cond.all) countFacts(c, into);
  else if ('any' in cond) for (const c of cond.any) countFacts(c, into);
  else if ('not' in cond) countFacts(cond.not, into);
  else into.set(cond.fact, (into.get(cond.fact) ?? 0) + 1);
}

/**
 * Generates the program of one stage, or `undefined` when code generation is
 * not available. `rules` must be valid and checked, in evaluation order.
 */
export function generateStage<E>(
  rules: readonly StageRule<E>[],
  facts: FactCatalogue,
): StageProgram<E> | undefined {
  if (!canGenerate()) return undefined;
  const uses = new Map<string, number>();
  for (const r of rules) countFacts(r.when, uses);
  const factIds = new Map<string, number>();
  /** Facts read more than once: memoised in a local `f<id>`, set on first read. */
  const memo: number[] = [];
  const getters: unknown[] = [];
  const consts: unknown[] = [];
  const konst = (v: unknown) => `k${consts.push(v) - 1}`;

  const read = (name: string): string => {
    let id = factIds.get(name);
    if (id === undefined) {
      id = getters.push(facts[name]?.get) - 1;
      factIds.set(name, id);
      if ((uses.get(name) ?? 0) > 1) memo.push(id);
    }
    return (uses.get(name) ?? 0) > 1
      ? `(f${id} === U ? (f${id} = g${id}(ctx)) : f${id})`
      : `g${id}(ctx)`;
  };
  const listOf = (name: string) => {
    const type = facts[name]?.type;
    return type === 'string[]' || type === 'number[]';
  };

  const test = (c: FactCondition): string => {
    const r = read(c.fact);
    const v = c.value;
    const num = (op: string) => `(typeof (t = ${r}) === 'number' && t ${op} ${konst(v)})`;
    if (c.op === 'exists') {
      return v === false
        ? `((t = ${r}) === undefined || t === null)`
        : `((t = ${r}) !== undefined && t !== null)`;
    }
    if (listOf(c.fact)) return listTest(c, r, konst);
    switch (c.op) {
      case 'eq':
        return `${r} === ${konst(v)}`;
      case 'neq':
        return `${r} !== ${konst(v)}`;
      case 'in':
        return `${konst(new Set(v as unknown[]))}.has(${r})`;
      case 'contains':
        return `(typeof (t = ${r}) === 'string' && t.includes(${konst(v)}))`;
      case 'matches':
        return `(typeof (t = ${r}) === 'string' && ${konst(parsePattern(v as string))}.test(t))`;
      case 'gt':
        return num('>');
      case 'gte':
        return num('>=');
      case 'lt':
        return num('<');
      case 'lte':
        return num('<=');
      case 'between': {
        const [lo, hi] = v as [number, number];
        return `(typeof (t = ${r}) === 'number' && t >= ${konst(lo)} && t <= ${konst(hi)})`;
      }
      default:
        throw new Error(`unreachable: operator ${c.op}`);
    }
  };

  const expr = (c: Condition): string => {
    if ('all' in c) return c.all.length === 0 ? 'true' : `(${c.all.map(expr).join(' && ')})`;
    if ('any' in c) return c.any.length === 0 ? 'false' : `(${c.any.map(expr).join(' || ')})`;
    if ('not' in c) return `!(${expr(c.not)})`;
    return test(c);
  };

  const entries: E[] = [];
  const body: string[] = [];
  let stopPriority = Number.POSITIVE_INFINITY;
  rules.forEach((r, i) => {
    const p = r.priority;
    if (!Number.isSafeInteger(p)) throw new Error('rule priorities must be integers');
    // Only after a stop rule of higher priority can `stop` skip this rule.
    if (p < stopPriority) body.push(`if (${p} < stop) return ${i};`);
    entries.push(r.entry);
    const onMatch = r.stop
      ? `matched.push(e${i}); if (stop !== stop) stop = ${p};`
      : `matched.push(e${i});`;
    body.push(`if (${expr(r.when)}) { ${onMatch} }`);
    if (r.stop) stopPriority = Math.min(stopPriority, p);
  });

  const source = [
    '"use strict";',
    ...getters.map((_, i) => `const g${i} = G[${i}];`),
    ...consts.map((_, i) => `const k${i} = K[${i}];`),
    ...entries.map((_, i) => `const e${i} = E[${i}];`),
    'return function stage(ctx, matched) {',
    `  let t${memo.map((id) => `, f${id} = U`).join('')};`,
    '  let stop = NaN;',
    ...body.map((b) => `  ${b}`),
    `  return ${rules.length};`,
    '};',
  ].join('\n');
  const factory = new Function('G', 'K', 'E', 'U', 'H', source) as (
    ...args: unknown[]
  ) => StageProgram<E>;
  return factory(getters, consts, entries, UNSET, H);
}

/** A test on a list fact: holds when any element passes (`neq`: when none equals). */
function listTest(c: FactCondition, r: string, konst: (v: unknown) => string): string {
  const v = c.value;
  switch (c.op) {
    case 'eq':
    case 'contains':
      return `H.has(${r}, ${konst(v)})`;
    case 'neq':
      return `!H.has(${r}, ${konst(v)})`;
    case 'in':
      return `H.in(${r}, ${konst(new Set(v as unknown[]))})`;
    case 'matches':
      return `H.match(${r}, ${konst(parsePattern(v as string))})`;
    case 'gt':
      return `H.gt(${r}, ${konst(v)})`;
    case 'gte':
      return `H.between(${r}, ${konst(v)}, Infinity)`;
    case 'lt':
      return `H.lt(${r}, ${konst(v)})`;
    case 'lte':
      return `H.between(${r}, -Infinity, ${konst(v)})`;
    case 'between': {
      const [lo, hi] = v as [number, number];
      return `H.between(${r}, ${konst(lo)}, ${konst(hi)})`;
    }
    default:
      throw new Error(`unreachable: operator ${c.op}`);
  }
}
