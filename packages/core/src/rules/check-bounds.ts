/**
 * Contradiction analysis for `all`: tests on the same scalar fact that cannot
 * hold together (`gt 100` and `lt 50`, `eq 'US'` and `eq 'CA'`, `exists false`
 * and `eq 'high'`...). Used by the rule checks.
 *
 * @module
 */
import type { FactCatalogue } from './facts';
import type { Condition, FactCondition } from './schema';

interface Bounds {
  lo: number;
  loStrict: boolean;
  hi: number;
  hiStrict: boolean;
  /** Values allowed by eq / in (intersected); undefined: any. */
  allowed?: Set<unknown>;
  forbidden: Set<unknown>;
  missing: boolean;
  present: boolean;
}

/**
 * Looks for tests on the same scalar fact inside one `all` (nested `all`s
 * included) that cannot hold together. Returns the dead finding, at the path
 * of the test that made the set contradictory.
 */
export function findContradiction(
  children: Condition[],
  path: string,
  facts: FactCatalogue,
): { path: string; message: string } | undefined {
  const byFact = new Map<string, { b: Bounds; first: string }>();
  const tests: { cond: FactCondition; path: string }[] = [];
  const flatten = (list: Condition[], at: string) =>
    list.forEach((child, i) => {
      if ('all' in child) flatten(child.all, `${at}[${i}].all`);
      else if ('fact' in child) tests.push({ cond: child, path: `${at}[${i}]` });
    });
  flatten(children, path);
  for (const { cond, path: at } of tests) {
    const def = facts[cond.fact];
    if (def === undefined || def.type === 'string[]' || def.type === 'number[]') continue;
    let entry = byFact.get(cond.fact);
    if (entry === undefined) {
      entry = { b: freshBounds(), first: at };
      byFact.set(cond.fact, entry);
    }
    if (!narrow(entry.b, cond)) continue;
    if (isEmpty(entry.b)) {
      return {
        path: at,
        message: `tests on ${cond.fact} contradict each other (from ${entry.first} to here): this \`all\` can never hold`,
      };
    }
  }
  return undefined;
}

function freshBounds(): Bounds {
  return {
    lo: Number.NEGATIVE_INFINITY,
    loStrict: false,
    hi: Number.POSITIVE_INFINITY,
    hiStrict: false,
    forbidden: new Set(),
    missing: false,
    present: false,
  };
}

/** Applies one test to the bounds; false when the test is malformed (skipped). */
function narrow(b: Bounds, cond: FactCondition): boolean {
  const v = cond.value;
  const setLo = (n: number, strict: boolean) => {
    if (n > b.lo || (n === b.lo && strict)) [b.lo, b.loStrict] = [n, strict];
  };
  const setHi = (n: number, strict: boolean) => {
    if (n < b.hi || (n === b.hi && strict)) [b.hi, b.hiStrict] = [n, strict];
  };
  const allow = (values: unknown[]) => {
    b.allowed = new Set(b.allowed === undefined ? values : values.filter((x) => b.allowed?.has(x)));
  };
  switch (cond.op) {
    case 'eq':
      allow([v]);
      break;
    case 'in':
      if (!Array.isArray(v)) return false;
      allow(v);
      break;
    case 'neq':
      b.forbidden.add(v);
      return true;
    case 'exists':
      if (v === false) b.missing = true;
      else b.present = true;
      return true;
    case 'gt':
    case 'gte':
      if (typeof v !== 'number') return false;
      setLo(v, cond.op === 'gt');
      break;
    case 'lt':
    case 'lte':
      if (typeof v !== 'number') return false;
      setHi(v, cond.op === 'lt');
      break;
    case 'between':
      if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') return false;
      setLo(v[0], false);
      setHi(v[1], false);
      break;
    default:
      // contains / matches: only say the fact must be present.
      break;
  }
  b.present = true;
  return true;
}

function isEmpty(b: Bounds): boolean {
  if (b.missing && b.present) return true;
  if (b.lo > b.hi || (b.lo === b.hi && (b.loStrict || b.hiStrict))) return true;
  if (b.allowed === undefined) return false;
  for (const x of b.allowed) {
    if (b.forbidden.has(x)) continue;
    if (typeof x === 'number') {
      const aboveLo = x > b.lo || (x === b.lo && !b.loStrict);
      const belowHi = x < b.hi || (x === b.hi && !b.hiStrict);
      if (!aboveLo || !belowHi) continue;
    } else if (b.lo !== Number.NEGATIVE_INFINITY || b.hi !== Number.POSITIVE_INFINITY) continue;
    return false;
  }
  return true;
}
