/**
 * Compiles a rule set, once: validation and checks, then per stage the rules
 * in evaluation order, each condition compiled to a closure, and one
 * generated function per stage for the `trace: false` fast path (see
 * `codegen.ts`; closures are the fallback where `new Function` is forbidden).
 * Nothing is interpreted per order.
 *
 * Per stage, rules run by priority (highest first), then id. A rule with
 * `enabled: false` is skipped. When a rule with `stop: true` matches, rules
 * of lower priority at that stage are not evaluated (rules of the same
 * priority still are), and a note in `actions.conflicts` lists the skipped ones.
 *
 * Each fact is read at most once per `evaluate` call (memoised without
 * allocating). With `trace: false` an evaluation allocates only its result
 * and what fact getters return; with `trace: true` (the default) every rule
 * evaluated gets a trace listing each fact its condition names, with the
 * value it had (`null` when missing, so it survives JSON).
 *
 * @module
 */

import { z } from 'zod';
import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import { analyseRules, type RuleIssue } from './check';
import { generateStage, type StageProgram } from './codegen';
import { compileCondition, type FactAccess, type Reader, type Test } from './compile-condition';
import { type FactCatalogue, factCatalogue } from './facts';
import { resolveActions } from './resolve';
import { type Action, type Condition, type Rule, Stage } from './schema';
import type { CompiledRules, RuleContext, StageEvaluation } from './types';

/** Options of {@link compileRules}. */
export interface CompileOptions {
  /** Custom facts, added to the built-in catalogue (a custom fact replaces a built-in of the same name). */
  facts?: FactCatalogue;
  /** Throw on warnings too (default false). */
  strict?: boolean;
  /**
   * Generate one JavaScript function per stage for `trace: false` evaluations
   * (default true). Falls back to closures by itself where `new Function` is
   * forbidden; set false to always use closures.
   */
  codegen?: boolean;
}

/** A compiled rule set, with the warnings its checks found. */
export interface CompiledRuleSet extends CompiledRules {
  /** Non-fatal issues (facts read at a stage where they are unknown, dead branches...). */
  readonly warnings: readonly RuleIssue[];
  /** The fact catalogue the rules were compiled against. */
  readonly facts: FactCatalogue;
}

type MatchedEntry = { rule: Rule; actions: Action[] };

/** The rules of one stage, in evaluation order, and their generated program. */
interface StagePlan {
  rules: CompiledRule[];
  program?: StageProgram<MatchedEntry> | undefined;
}

interface CompiledRule {
  id: string;
  priority: number;
  stop: boolean;
  test: Test;
  /** Shared, read-only: the entry pushed to `matched`. */
  entry: MatchedEntry;
  actionTypes: string[];
  factNames: string[];
  factReaders: Reader[];
}

const STAGES: readonly Stage[] = Stage.options;

/**
 * Validates, checks and compiles `rules`. Throws `FulfilError` `CONFIG_INVALID`
 * listing every error (rule id and path); returns an object whose `evaluate`
 * runs the rules of one stage against a {@link RuleContext}.
 *
 * @example
 * ```ts
 * const rules = compileRules([
 *   {
 *     id: 'vip-backorder',
 *     stage: 'before_routing',
 *     priority: 10,
 *     when: { all: [
 *       { fact: 'lines.hasBackordered', op: 'eq', value: true },
 *       { fact: 'customer.tags', op: 'contains', value: 'VIP' },
 *     ] },
 *     actions: [{ type: 'allow_split' }, { type: 'notify', channel: 'warehouse', message: 'VIP split' }],
 *   },
 * ]);
 * const { matched, actions } = rules.evaluate('before_routing', ctx, { trace: false });
 * actions.allowSplit; // true when a VIP order has a backordered line
 * ```
 */
export function compileRules(
  rules: readonly unknown[],
  options: CompileOptions = {},
): CompiledRuleSet {
  const input = parseOrThrow(z.array(z.unknown()), rules, 'rules', ErrorCodes.CONFIG_INVALID);
  const facts = factCatalogue(options.facts);
  const analysis = analyseRules(input, facts);
  const errors = analysis.issues.filter((i) => i.severity === 'error' || options.strict === true);
  if (errors.length > 0 || analysis.rules === undefined) throw configError(errors);
  const parsed = analysis.rules;
  const warnings = analysis.issues.filter((i) => i.severity === 'warning');

  const access = makeAccess(parsed, facts);
  const byStage = new Map<Stage, StagePlan>(STAGES.map((s) => [s, { rules: [] }]));
  for (const rule of parsed) {
    if (!rule.enabled) continue;
    const names = [...new Set(factNamesOf(rule.when))];
    byStage.get(rule.stage)?.rules.push({
      id: rule.id,
      priority: rule.priority,
      stop: rule.stop,
      test: compileCondition(rule.when, access.get),
      entry: { rule, actions: rule.actions },
      actionTypes: rule.actions.map((a) => a.type),
      factNames: names,
      factReaders: names.map((n) => access.get(n).read),
    });
  }
  for (const plan of byStage.values()) {
    const list = plan.rules;
    list.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (options.codegen === false || list.length === 0) continue;
    plan.program = generateStage(
      list.map((r) => ({
        when: r.entry.rule.when,
        priority: r.priority,
        stop: r.stop,
        entry: r.entry,
      })),
      facts,
    );
  }
  const frozen = Object.freeze(parsed.slice());

  return {
    rules: frozen,
    warnings,
    facts,
    evaluate(stage: Stage, ctx: RuleContext, opts?: { trace?: boolean }): StageEvaluation {
      const plan = byStage.get(stage);
      if (plan === undefined) {
        throw new FulfilError('INVALID_INPUT', `unknown stage "${String(stage)}"`, {
          details: { path: 'stage' },
        });
      }
      const trace = opts?.trace !== false;
      const matched: MatchedEntry[] = [];
      const traces: StageEvaluation['traces'] = [];
      const list = plan.rules;
      const program = trace ? undefined : plan.program;
      let i: number;
      if (program !== undefined) i = program(ctx, matched);
      else {
        access.nextGeneration();
        let stopAt = Number.NaN;
        for (i = 0; i < list.length; i++) {
          const r = list[i] as CompiledRule;
          if (r.priority < stopAt) break;
          const ok = r.test(ctx);
          if (trace) traces.push(traceOf(r, ok, ctx));
          if (ok) {
            matched.push(r.entry);
            if (r.stop && Number.isNaN(stopAt)) stopAt = r.priority;
          }
        }
      }
      const actions = resolveActions(matched, ctx, facts);
      if (i < list.length) {
        const stoppedBy = matched.find((m) => m.rule.stop)?.rule.id;
        const skipped = list.slice(i).map((r) => r.id);
        actions.conflicts.push(
          `rule ${stoppedBy} matched with stop: lower-priority rules not evaluated (${skipped.join(', ')})`,
        );
      }
      return { stage, traces, matched, actions };
    },
  };
}

function traceOf(
  r: CompiledRule,
  ok: boolean,
  ctx: RuleContext,
): StageEvaluation['traces'][number] {
  const facts: Record<string, unknown> = {};
  for (let k = 0; k < r.factNames.length; k++) {
    const v = (r.factReaders[k] as Reader)(ctx);
    // JSON drops undefined: a missing fact is recorded as null so explanations keep it.
    facts[r.factNames[k] as string] = v === undefined ? null : Array.isArray(v) ? v.slice() : v;
  }
  return { ruleId: r.id, matched: ok, facts, actions: ok ? r.actionTypes.slice() : [] };
}

function factNamesOf(cond: Condition, out: string[] = []): string[] {
  if ('all' in cond) for (const c of cond.all) factNamesOf(c, out);
  else if ('any' in cond) for (const c of cond.any) factNamesOf(c, out);
  else if ('not' in cond) factNamesOf(cond.not, out);
  else out.push(cond.fact);
  return out;
}

/**
 * Fact readers. A fact read by two or more conditions (across all rules) is
 * memoised per evaluation: a slot remembers the generation it was filled in;
 * each `evaluate` starts a new generation, so nothing is cleared or allocated.
 */
function makeAccess(rules: readonly Rule[], facts: FactCatalogue) {
  const uses = new Map<string, number>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const name of factNamesOf(rule.when)) uses.set(name, (uses.get(name) ?? 0) + 1);
  }
  const state = { generation: 0 };
  const cache = new Map<string, FactAccess>();
  const get = (name: string): FactAccess => {
    let access = cache.get(name);
    if (access !== undefined) return access;
    const def = facts[name];
    if (def === undefined) throw new Error(`unreachable: unknown fact ${name}`);
    const read = def.get;
    if ((uses.get(name) ?? 0) < 2) access = { type: def.type, read };
    else {
      const slot = { generation: -1, value: undefined as unknown };
      access = {
        type: def.type,
        read: (ctx) => {
          if (slot.generation === state.generation) return slot.value;
          const value = read(ctx);
          slot.value = value;
          slot.generation = state.generation;
          return value;
        },
      };
    }
    cache.set(name, access);
    return access;
  };
  return {
    get,
    nextGeneration: () => {
      state.generation = (state.generation + 1) | 0;
    },
  };
}

function configError(issues: RuleIssue[]): FulfilError {
  const lines = issues.map((i) => `${i.path} (rule ${i.ruleId}): ${i.message}`);
  const summary =
    issues.length === 1
      ? (lines[0] as string)
      : `${issues.length} rule errors: ${lines.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`;
  return new FulfilError(ErrorCodes.CONFIG_INVALID, summary, {
    details: {
      path: issues[0]?.path,
      issues: issues.map((i) => ({ path: i.path, message: `rule ${i.ruleId}: ${i.message}` })),
      ruleIssues: issues,
    },
  });
}
