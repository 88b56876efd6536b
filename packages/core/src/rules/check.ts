/**
 * Rule checks, run by `compileRules` and available on their own (e.g. in a CI
 * step or an admin UI that edits rules):
 *
 * - schema errors (unknown stage, unknown action, bad ids...) at their exact path;
 * - unknown facts, with the closest known name;
 * - operator / type mismatches (`gt` on a string fact, `between` without two
 *   numbers, `in` without an array, an invalid `matches` pattern...);
 * - values outside a fact's enum (`risk.level eq 'extreme'`) or range (`time.hour gt 23`);
 * - rules that can never fire (contradictory tests on one fact inside an
 *   `all`, an empty `any`, `in: []`...); a dead branch inside an `any` that
 *   does not stop the rule from firing is a warning;
 * - duplicate rule ids;
 * - holds with none or several of `for` / `until` / `untilFact`, or an
 *   `untilFact` naming an unknown or non-date fact;
 * - warnings: facts read at a stage where they are not known, contradictory
 *   actions inside one rule.
 *
 * @module
 */
import { formatPath } from '../errors';
import { type ConditionCheck, checkCondition, type Finding } from './check-condition';
import { checkConditionShape } from './check-shape';
import { type FactCatalogue, factCatalogue } from './facts';
import { type Action, Rule } from './schema';
import { closest } from './suggest';

/** One problem found in a rule set. */
export interface RuleIssue {
  /** The rule's id (or `rules[i]` when it has no usable id). */
  ruleId: string;
  /** Path of the bad field, e.g. `rules[3].when.all[0].fact`. */
  path: string;
  message: string;
  /** Errors stop `compileRules`; warnings do not. */
  severity: 'error' | 'warning';
}

/** The outcome of checking a rule set: the issues, and the parsed rules when valid. */
export interface RuleAnalysis {
  issues: RuleIssue[];
  /** Every rule, parsed (defaults applied), or undefined when some rule failed the schema. */
  rules?: Rule[];
}

/**
 * Checks a rule set and returns every issue found (empty when all is well).
 * `facts` adds custom facts to the built-in catalogue.
 *
 * @example
 * ```ts
 * checkRules([
 *   { id: 'vip', stage: 'paid', when: { fact: 'customer.tag', op: 'contains', value: 'VIP' },
 *     actions: [{ type: 'add_tag', tag: 'vip' }] },
 * ]);
 * // [{ ruleId: 'vip', path: 'rules[0].when.fact', severity: 'error',
 * //    message: 'unknown fact "customer.tag" (did you mean "customer.tags"?)' }]
 * ```
 */
export function checkRules(rules: readonly unknown[], facts?: FactCatalogue): RuleIssue[] {
  return analyseRules(rules, factCatalogue(facts)).issues;
}

/** Parses and checks `input` against the full catalogue `facts`. */
export function analyseRules(input: readonly unknown[], facts: FactCatalogue): RuleAnalysis {
  const issues: RuleIssue[] = [];
  const parsed: Rule[] = [];
  const firstIndex = new Map<string, number>();
  input.forEach((raw, i) => {
    const base = `rules[${i}]`;
    const rawId = (raw as { id?: unknown } | null)?.id;
    const ruleId = typeof rawId === 'string' && rawId !== '' ? rawId : base;
    const push = (f: Finding) => issues.push({ ruleId, ...f });
    if (typeof rawId === 'string') {
      const first = firstIndex.get(rawId);
      if (first !== undefined) {
        push({
          path: `${base}.id`,
          message: `duplicate rule id "${rawId}" (also rules[${first}])`,
          severity: 'error',
        });
      } else firstIndex.set(rawId, i);
    }
    const result = Rule.safeParse(raw);
    if (!result.success) {
      const shape =
        typeof raw === 'object' && raw !== null && 'when' in raw
          ? checkConditionShape((raw as { when: unknown }).when, `${base}.when`)
          : [];
      for (const f of shape) push(f);
      for (const issue of result.error.issues) {
        if (shape.length > 0 && issue.path[0] === 'when') continue;
        push({ path: formatPath(issue.path, base), message: zodMessage(issue), severity: 'error' });
      }
      return;
    }
    const rule = result.data;
    parsed.push(rule);
    for (const f of checkRule(rule, base, facts)) push(f);
  });
  const ok = parsed.length === input.length;
  return ok ? { issues, rules: parsed } : { issues };
}

function zodMessage(issue: { message: string; code: string; options?: unknown }): string {
  if (issue.code === 'invalid_union' && Array.isArray(issue.options)) {
    return `unknown action type; expected one of ${issue.options.join(', ')}`;
  }
  return issue.message;
}

/** Semantic checks of one schema-valid rule. */
export function checkRule(rule: Rule, base: string, facts: FactCatalogue): Finding[] {
  const c: ConditionCheck = { facts, stage: rule.stage, findings: [], dead: [] };
  const shape = checkCondition(rule.when, `${base}.when`, c);
  const findings = c.findings;
  for (const d of c.dead) {
    findings.push({
      path: d.path,
      message: shape.never
        ? `${d.message} (rule "${rule.id}" can never fire)`
        : `${d.message} (dead branch; the rule can still fire)`,
      severity: shape.never ? 'error' : 'warning',
    });
  }
  if (shape.never && c.dead.length === 0 && !findings.some((f) => f.severity === 'error')) {
    findings.push({
      path: `${base}.when`,
      message: `rule "${rule.id}" can never fire`,
      severity: 'error',
    });
  }
  checkActions(rule.actions, `${base}.actions`, facts, findings);
  return findings;
}

function checkActions(
  actions: readonly Action[],
  path: string,
  facts: FactCatalogue,
  out: Finding[],
): void {
  const types = new Set(actions.map((a) => a.type));
  const warn = (message: string) => out.push({ path, message, severity: 'warning' });
  if (types.has('allow_split') && types.has('forbid_split')) {
    warn('both allow_split and forbid_split in one rule: forbid_split wins');
  }
  if (types.has('hold') && types.has('release_hold')) {
    warn('both hold and release_hold in one rule: release_hold is ignored');
  }
  const excluded = new Set<string>();
  for (const a of actions) if (a.type === 'exclude_location') excluded.add(a.locationId);
  actions.forEach((a, k) => {
    const at = `${path}[${k}]`;
    if (
      (a.type === 'prefer_location' || a.type === 'force_location') &&
      excluded.has(a.locationId)
    ) {
      out.push({
        path: `${at}.locationId`,
        message: `location "${a.locationId}" is also excluded by this rule: exclude wins`,
        severity: 'warning',
      });
    }
    if (a.type !== 'hold') return;
    const ends = (['for', 'until', 'untilFact'] as const).filter((key) => a[key] !== undefined);
    if (ends.length !== 1) {
      out.push({
        path: at,
        message:
          ends.length === 0
            ? 'a hold needs one of `for`, `until` or `untilFact`'
            : `a hold takes one of \`for\`, \`until\`, \`untilFact\`, not ${ends.join(' and ')}`,
        severity: 'error',
      });
    }
    if (a.untilFact !== undefined) {
      const def = facts[a.untilFact];
      if (def === undefined) {
        const hint = closest(a.untilFact, Object.keys(facts));
        out.push({
          path: `${at}.untilFact`,
          message: `unknown fact "${a.untilFact}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
          severity: 'error',
        });
      } else if (def.type !== 'string' && def.type !== 'number') {
        out.push({
          path: `${at}.untilFact`,
          message: `untilFact needs a date fact (string or epoch ms), but ${a.untilFact} is ${def.type}`,
          severity: 'error',
        });
      }
    }
  });
}
