/**
 * Static checks of one (schema-valid) condition tree: unknown facts,
 * operator / type mismatches, values outside a fact's enum or range, and
 * sub-conditions that can never hold. Used by `checkRules`.
 *
 * @module
 */

import { findContradiction } from './check-bounds';
import { parsePattern } from './compile-condition';
import type { FactCatalogue, FactDefinition } from './facts';
import type { Condition, FactCondition, Stage } from './schema';
import { closest } from './suggest';

/** A finding, before it is attached to a rule. */
export interface Finding {
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** What is known statically about a condition. */
interface Shape {
  /** The condition can never be true. */
  never: boolean;
  /** The condition is always true. */
  always: boolean;
}

/** Collects findings for one rule's `when`. */
export interface ConditionCheck {
  facts: FactCatalogue;
  stage: Stage;
  findings: Finding[];
  /** "Can never hold" findings: errors when the whole rule can never fire, else warnings. */
  dead: { path: string; message: string }[];
}

const NEVER: Shape = { never: true, always: false };
const MAYBE: Shape = { never: false, always: false };
const ALWAYS: Shape = { never: false, always: true };

/** Checks `cond` at `path`; returns whether it can never / always hold. */
export function checkCondition(cond: Condition, path: string, c: ConditionCheck): Shape {
  if ('all' in cond) {
    const shapes = cond.all.map((child, i) => checkCondition(child, `${path}.all[${i}]`, c));
    if (shapes.some((s) => s.never)) return NEVER;
    const contradiction = findContradiction(cond.all, `${path}.all`, c.facts);
    if (contradiction !== undefined) {
      c.dead.push(contradiction);
      return NEVER;
    }
    return shapes.every((s) => s.always) ? ALWAYS : MAYBE;
  }
  if ('any' in cond) {
    if (cond.any.length === 0) {
      c.dead.push({ path: `${path}.any`, message: 'an empty `any` can never hold' });
      return NEVER;
    }
    const shapes = cond.any.map((child, i) => checkCondition(child, `${path}.any[${i}]`, c));
    if (shapes.every((s) => s.never)) return NEVER;
    return shapes.some((s) => s.always) ? ALWAYS : MAYBE;
  }
  if ('not' in cond) {
    const inner = checkCondition(cond.not, `${path}.not`, c);
    return { never: inner.always, always: inner.never };
  }
  return checkFactCondition(cond, path, c);
}

const NUMERIC_OPS = new Set(['gt', 'gte', 'lt', 'lte', 'between']);

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function isList(def: FactDefinition): boolean {
  return def.type === 'string[]' || def.type === 'number[]';
}

function elementType(def: FactDefinition): 'string' | 'number' | 'boolean' {
  return def.type === 'string[]' ? 'string' : def.type === 'number[]' ? 'number' : def.type;
}

function checkFactCondition(cond: FactCondition, path: string, c: ConditionCheck): Shape {
  const def = c.facts[cond.fact];
  const error = (at: string, message: string) =>
    c.findings.push({ path: `${path}${at}`, message, severity: 'error' });
  if (def === undefined) {
    const hint = closest(cond.fact, Object.keys(c.facts));
    error('.fact', `unknown fact "${cond.fact}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    return MAYBE;
  }
  if (def.stages !== undefined && !def.stages.includes(c.stage)) {
    c.findings.push({
      path: `${path}.fact`,
      message: `"${cond.fact}" is only known at ${def.stages.join(', ')}; at "${c.stage}" it is undefined`,
      severity: 'warning',
    });
  }
  const elem = elementType(def);
  const { op, value } = cond;
  const what = `${cond.fact} (${def.type})`;
  const wrongValue = (expected: string) =>
    error('.value', `"${op}" on ${what} needs ${expected}, got ${describe(value)}`);

  if (op === 'exists') {
    if (value !== undefined && typeof value !== 'boolean') wrongValue('true, false or no value');
    return MAYBE;
  }
  if (NUMERIC_OPS.has(op) && elem !== 'number') {
    error('.op', `operator "${op}" needs a number fact, but ${what} is not`);
    return MAYBE;
  }
  if ((op === 'matches' || op === 'contains') && elem !== 'string' && !isList(def)) {
    error('.op', `operator "${op}" needs a string or list fact, but ${what} is not`);
    return MAYBE;
  }
  if (op === 'matches' && elem !== 'string') {
    error('.op', `operator "matches" needs a string fact, but ${what} is not`);
    return MAYBE;
  }

  switch (op) {
    case 'between': {
      if (
        !Array.isArray(value) ||
        value.length !== 2 ||
        !value.every((n) => typeof n === 'number' && Number.isFinite(n))
      ) {
        wrongValue('[low, high] (two numbers)');
        return MAYBE;
      }
      const [lo, hi] = value as [number, number];
      if (lo > hi) return dead(c, path, `between [${lo}, ${hi}] is empty (low > high)`);
      return rangeShape(c, path, def, lo, hi, cond);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        wrongValue('a number');
        return MAYBE;
      }
      const lo = op === 'gt' || op === 'gte' ? value : Number.NEGATIVE_INFINITY;
      const hi = op === 'lt' || op === 'lte' ? value : Number.POSITIVE_INFINITY;
      return rangeShape(c, path, def, lo, hi, cond);
    }
    case 'matches': {
      if (typeof value !== 'string') {
        wrongValue('a pattern string');
        return MAYBE;
      }
      try {
        parsePattern(value);
      } catch (err) {
        error('.value', `invalid pattern ${JSON.stringify(value)}: ${(err as Error).message}`);
      }
      return MAYBE;
    }
    case 'in': {
      if (!Array.isArray(value)) {
        wrongValue(`an array of ${elem}s`);
        return MAYBE;
      }
      const bad = value.findIndex((x) => typeof x !== elem);
      if (bad >= 0) {
        error(`.value[${bad}]`, `"in" on ${what} needs ${elem}s, got ${describe(value[bad])}`);
        return MAYBE;
      }
      if (value.length === 0) return dead(c, path, '`in: []` can never hold');
      const unknown = value.filter((x) => !inEnum(def, x));
      if (unknown.length > 0) {
        error('.value', notInEnum(cond.fact, def, unknown));
        if (unknown.length === value.length) return NEVER;
      }
      return MAYBE;
    }
    default: {
      // eq, neq, contains
      const expected = op === 'contains' && !isList(def) ? 'string' : elem;
      if (typeof value !== expected) {
        wrongValue(`a ${expected}`);
        return MAYBE;
      }
      if (op === 'contains' && !isList(def)) return MAYBE;
      if (!inEnum(def, value)) {
        error('.value', notInEnum(cond.fact, def, [value]));
        return op === 'neq' ? ALWAYS : NEVER;
      }
      if (op === 'eq' && typeof value === 'number' && !isList(def))
        return rangeShape(c, path, def, value, value, cond);
      return MAYBE;
    }
  }
}

function inEnum(def: FactDefinition, v: unknown): boolean {
  return def.values === undefined || def.values.includes(v as string);
}

function notInEnum(fact: string, def: FactDefinition, bad: unknown[]): string {
  return `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length > 1 ? 'are not values' : 'is not a value'} of ${fact} (${def.values?.join(', ')}): this test can never hold`;
}

function dead(c: ConditionCheck, path: string, message: string): Shape {
  c.dead.push({ path, message });
  return NEVER;
}

/** A numeric test needing a value in [lo, hi] against the fact's own [min, max]. */
function rangeShape(
  c: ConditionCheck,
  path: string,
  def: FactDefinition,
  lo: number,
  hi: number,
  cond: FactCondition,
): Shape {
  const min = def.min ?? Number.NEGATIVE_INFINITY;
  const max = def.max ?? Number.POSITIVE_INFINITY;
  const strictLo = cond.op === 'gt';
  const strictHi = cond.op === 'lt';
  const empty = lo > max || hi < min || (strictLo && lo >= max) || (strictHi && hi <= min);
  if (!empty) return MAYBE;
  const range = `${def.min ?? '-∞'}..${def.max ?? '∞'}`;
  return dead(
    c,
    path,
    `${cond.fact} ${cond.op} ${JSON.stringify(cond.value)} can never hold: ${cond.fact} is within ${range}`,
  );
}
