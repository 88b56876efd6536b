/**
 * Compiles one condition tree to a closure `(ctx) => boolean`, once.
 *
 * Each fact test is specialised at compile time on its operator and on the
 * fact's shape (scalar or list): `in` builds a `Set`, `matches` builds its
 * `RegExp`, `between` captures its bounds, and `all` / `any` of two or three
 * children are unrolled. Nothing is interpreted or allocated per order.
 *
 * Operator semantics (scalar facts):
 * - `eq` / `neq`: strict equality / its negation (`neq` holds on a missing fact).
 * - `in`: the value is one of the listed values.
 * - `contains`: the string fact contains the substring.
 * - `matches`: the string fact matches the pattern (`'^SKU-'` or `'/^sku-/i'`).
 * - `gt` / `gte` / `lt` / `lte` / `between [lo, hi]` (inclusive): numeric comparisons.
 * - `exists` (value `true`, the default, or `false`): the fact is (not) `undefined`/`null`.
 *
 * List facts (`string[]`, `number[]`) hold when ANY element passes: `eq`, `in`,
 * `contains` (element equality), `matches`, `gt`... `between`. `neq` is the
 * negation of `eq` (no element equals). Every operator but `neq` and
 * `exists false` is false on a missing fact.
 *
 * @module
 */
import type { FactType } from './facts';
import type { Condition, FactCondition } from './schema';
import type { RuleContext } from './types';

/** A compiled condition. */
export type Test = (ctx: RuleContext) => boolean;
/** Reads one fact from a context (possibly memoised per evaluation). */
export type Reader = (ctx: RuleContext) => unknown;

/** What the compiler needs to know about a fact. */
export interface FactAccess {
  type: FactType;
  read: Reader;
}

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

/**
 * Builds the RegExp of a `matches` value: a plain pattern (`'^GIFT-'`) or a
 * regex literal with flags (`'/^gift-/i'`). The stateful `g` and `y` flags are dropped.
 *
 * @throws SyntaxError when the pattern is invalid.
 */
export function parsePattern(value: string): RegExp {
  const lit = REGEX_LITERAL.exec(value);
  if (lit === null) return new RegExp(value);
  return new RegExp(lit[1] as string, (lit[2] as string).replace(/[gy]/g, ''));
}

/**
 * Compiles `cond` with `access` resolving fact names (the names were checked).
 *
 * @example
 * ```ts
 * const test = compileCondition({ fact: 'order.total', op: 'gte', value: 10_000 }, access);
 * test(ctx); // true when the total is at least 100.00
 * ```
 */
export function compileCondition(cond: Condition, access: (fact: string) => FactAccess): Test {
  if ('all' in cond) return compileAll(cond.all.map((c) => compileCondition(c, access)));
  if ('any' in cond) return compileAny(cond.any.map((c) => compileCondition(c, access)));
  if ('not' in cond) {
    const inner = compileCondition(cond.not, access);
    return (ctx) => !inner(ctx);
  }
  const { type, read } = access(cond.fact);
  return type === 'string[]' || type === 'number[]'
    ? compileListTest(read, cond)
    : compileScalarTest(read, cond);
}

function compileAll(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return a as Test;
  if (tests.length === 2) {
    const x = a as Test;
    const y = b as Test;
    return (ctx) => x(ctx) && y(ctx);
  }
  if (tests.length === 3) {
    const x = a as Test;
    const y = b as Test;
    const z = c as Test;
    return (ctx) => x(ctx) && y(ctx) && z(ctx);
  }
  const n = tests.length;
  return (ctx) => {
    for (let i = 0; i < n; i++) if (!(tests[i] as Test)(ctx)) return false;
    return true;
  };
}

function compileAny(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return a as Test;
  if (tests.length === 2) {
    const x = a as Test;
    const y = b as Test;
    return (ctx) => x(ctx) || y(ctx);
  }
  if (tests.length === 3) {
    const x = a as Test;
    const y = b as Test;
    const z = c as Test;
    return (ctx) => x(ctx) || y(ctx) || z(ctx);
  }
  const n = tests.length;
  return (ctx) => {
    for (let i = 0; i < n; i++) if ((tests[i] as Test)(ctx)) return true;
    return false;
  };
}

function compileScalarTest(read: Reader, cond: FactCondition): Test {
  const v = cond.value;
  switch (cond.op) {
    case 'eq':
      return (ctx) => read(ctx) === v;
    case 'neq':
      return (ctx) => read(ctx) !== v;
    case 'in': {
      const set = new Set(v as unknown[]);
      return (ctx) => set.has(read(ctx));
    }
    case 'contains': {
      const needle = v as string;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'string' && x.includes(needle);
      };
    }
    case 'matches': {
      const re = parsePattern(v as string);
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'string' && re.test(x);
      };
    }
    case 'gt': {
      const n = v as number;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'number' && x > n;
      };
    }
    case 'gte': {
      const n = v as number;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'number' && x >= n;
      };
    }
    case 'lt': {
      const n = v as number;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'number' && x < n;
      };
    }
    case 'lte': {
      const n = v as number;
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'number' && x <= n;
      };
    }
    case 'between': {
      const [lo, hi] = v as [number, number];
      return (ctx) => {
        const x = read(ctx);
        return typeof x === 'number' && x >= lo && x <= hi;
      };
    }
    case 'exists':
      return existsTest(read, v);
  }
}

function existsTest(read: Reader, v: unknown): Test {
  if (v === false) {
    return (ctx) => {
      const x = read(ctx);
      return x === undefined || x === null;
    };
  }
  return (ctx) => {
    const x = read(ctx);
    return x !== undefined && x !== null;
  };
}

/** `some(read(ctx), pred)` without allocating: the predicate is built once. */
function anyElement(read: Reader, pred: (x: unknown) => boolean): Test {
  return (ctx) => {
    const list = read(ctx) as readonly unknown[] | undefined;
    if (list == null) return false;
    for (let i = 0; i < list.length; i++) if (pred(list[i])) return true;
    return false;
  };
}

function includes(read: Reader, v: unknown): Test {
  return (ctx) => {
    const list = read(ctx) as readonly unknown[] | undefined;
    return list?.includes(v) === true;
  };
}

function compileListTest(read: Reader, cond: FactCondition): Test {
  const v = cond.value;
  switch (cond.op) {
    case 'eq':
    case 'contains':
      return includes(read, v);
    case 'neq': {
      const has = includes(read, v);
      return (ctx) => !has(ctx);
    }
    case 'in': {
      const set = new Set(v as unknown[]);
      return anyElement(read, (x) => set.has(x));
    }
    case 'matches': {
      const re = parsePattern(v as string);
      return anyElement(read, (x) => typeof x === 'string' && re.test(x));
    }
    case 'gt': {
      const n = v as number;
      return anyElement(read, (x) => typeof x === 'number' && x > n);
    }
    case 'gte': {
      const n = v as number;
      return anyElement(read, (x) => typeof x === 'number' && x >= n);
    }
    case 'lt': {
      const n = v as number;
      return anyElement(read, (x) => typeof x === 'number' && x < n);
    }
    case 'lte': {
      const n = v as number;
      return anyElement(read, (x) => typeof x === 'number' && x <= n);
    }
    case 'between': {
      const [lo, hi] = v as [number, number];
      return anyElement(read, (x) => typeof x === 'number' && x >= lo && x <= hi);
    }
    case 'exists':
      return existsTest(read, v);
  }
}
