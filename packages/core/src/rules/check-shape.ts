/**
 * Readable diagnostics for malformed condition trees. zod reports a bad
 * condition as one opaque union failure; this walker names the exact field
 * (`rules[3].when.all[0].op: unknown operator "equals" (did you mean "eq"?)`).
 *
 * @module
 */
import type { Finding } from './check-condition';
import { Operator } from './schema';
import { closest } from './suggest';

const OPERATORS: readonly string[] = Operator.options;
const OPERATOR_ALIASES: Record<string, string> = {
  equal: 'eq',
  equals: 'eq',
  '=': 'eq',
  '==': 'eq',
  '===': 'eq',
  notequal: 'neq',
  notequals: 'neq',
  ne: 'neq',
  '!=': 'neq',
  '!==': 'neq',
  greaterthan: 'gt',
  '>': 'gt',
  greaterthaninclusive: 'gte',
  ge: 'gte',
  '>=': 'gte',
  lessthan: 'lt',
  '<': 'lt',
  lessthaninclusive: 'lte',
  le: 'lte',
  '<=': 'lte',
  includes: 'contains',
  regex: 'matches',
  match: 'matches',
  oneof: 'in',
  range: 'between',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Suggests the operator meant by `op`. */
export function suggestOperator(op: string): string | undefined {
  return OPERATOR_ALIASES[op.toLowerCase()] ?? closest(op, OPERATORS);
}

/**
 * Walks a raw condition and reports structural problems at their exact path.
 * Returns nothing for a well-formed tree (zod then has the last word).
 */
export function checkConditionShape(raw: unknown, path: string, out: Finding[] = []): Finding[] {
  const error = (at: string, message: string) => out.push({ path: at, message, severity: 'error' });
  if (!isObject(raw)) {
    error(path, 'a condition is an object with `all`, `any`, `not` or `fact`');
    return out;
  }
  const keys = Object.keys(raw);
  const kind = ['all', 'any', 'not', 'fact'].filter((k) => k in raw);
  if (kind.length !== 1) {
    error(
      path,
      kind.length === 0
        ? `a condition needs one of \`all\`, \`any\`, \`not\` or \`fact\` (got ${keys.length ? keys.join(', ') : 'no keys'})`
        : `a condition has exactly one of \`all\`, \`any\`, \`not\`, \`fact\` (got ${kind.join(', ')})`,
    );
    return out;
  }
  const k = kind[0] as string;
  if (k === 'all' || k === 'any') {
    const extra = keys.filter((x) => x !== k);
    if (extra.length > 0)
      error(path, `unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} beside \`${k}\``);
    const list = raw[k];
    if (!Array.isArray(list)) error(`${path}.${k}`, `\`${k}\` is an array of conditions`);
    else
      for (const [i, child] of list.entries())
        checkConditionShape(child, `${path}.${k}[${i}]`, out);
    return out;
  }
  if (k === 'not') {
    const extra = keys.filter((x) => x !== 'not');
    if (extra.length > 0)
      error(path, `unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} beside \`not\``);
    checkConditionShape(raw.not, `${path}.not`, out);
    return out;
  }
  const extra = keys.filter((x) => x !== 'fact' && x !== 'op' && x !== 'value');
  if (extra.length > 0) {
    error(
      `${path}.${extra[0]}`,
      `unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (a fact test has fact, op, value)`,
    );
  }
  if (typeof raw.fact !== 'string' || raw.fact === '') {
    error(`${path}.fact`, 'a fact name (non-empty string) is required');
  }
  if (typeof raw.op !== 'string') {
    error(`${path}.op`, `an operator is required: one of ${OPERATORS.join(', ')}`);
  } else if (!OPERATORS.includes(raw.op)) {
    const hint = suggestOperator(raw.op);
    error(`${path}.op`, `unknown operator "${raw.op}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  return out;
}
