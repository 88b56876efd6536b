/**
 * A typed TypeScript builder for rules. It produces the same plain,
 * JSON-serializable objects you would write by hand (`RuleInput`), so built
 * rules can be stored, diffed and sent to `compileRules` like any other.
 *
 * Fact names are checked against the catalogue, and each test only offers the
 * operators and value types that fit the fact (`gt` on numbers, `matches` on
 * strings, enum values for `risk.level`...).
 *
 * @example
 * ```ts
 * const vip = rule('vip-backorder')
 *   .at('before_routing')
 *   .priority(10)
 *   .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
 *   .do(allowSplit(), notify('warehouse', 'VIP order split: backordered item'))
 *   .build();
 * ```
 *
 * @module
 */
import { ErrorCodes, FulfilError, formatPath } from '../errors';
import type { FACTS, FactDefinition, FactName } from './facts';
import {
  type ActionInput,
  type Condition,
  type FactCondition,
  type Operator,
  Rule,
  type RuleInput,
  type Stage,
} from './schema';

/** The part of a fact definition the builder types read. */
export type Def = Pick<FactDefinition, 'type' | 'values'>;
/** The string values a fact allows (its enum), or `string`. */
export type EnumOf<D extends Def> = D extends { values: readonly (infer V extends string)[] }
  ? V
  : string;

/** Tests every fact offers. `E` is the fact's value (or element) type. */
export interface BaseTest<E> {
  /** Equal (for a list: some element equals). */
  eq(value: E): FactCondition;
  /** Not equal (for a list: no element equals). True on a missing fact. */
  neq(value: E): FactCondition;
  /** One of `values` (for a list: some element is). */
  in(values: readonly E[]): FactCondition;
  /** The fact is known (`true`, the default) or missing (`false`). */
  exists(present?: boolean): FactCondition;
}
/** Tests of a number fact. */
export interface NumberTest extends BaseTest<number> {
  gt(value: number): FactCondition;
  gte(value: number): FactCondition;
  lt(value: number): FactCondition;
  lte(value: number): FactCondition;
  /** `low <= fact <= high`. */
  between(low: number, high: number): FactCondition;
}
/** Tests of a string fact. */
export interface StringTest<E extends string> extends BaseTest<E> {
  /** Contains the substring. */
  contains(substring: string): FactCondition;
  /** Matches the pattern (a RegExp is stored as `'/source/flags'`). */
  matches(pattern: string | RegExp): FactCondition;
}
/** Tests of a list of strings (hold when any element passes). */
export interface StringListTest<E extends string> extends BaseTest<E> {
  /** Some element equals `value`. */
  contains(value: E): FactCondition;
  matches(pattern: string | RegExp): FactCondition;
}
/** Tests of a list of numbers (hold when any element passes). */
export interface NumberListTest extends Omit<NumberTest, never> {
  /** Some element equals `value`. */
  contains(value: number): FactCondition;
}

/** The tests available on a fact of definition `D`. */
export type TestFor<D extends Def> = D['type'] extends 'number'
  ? NumberTest
  : D['type'] extends 'string'
    ? StringTest<EnumOf<D>>
    : D['type'] extends 'boolean'
      ? BaseTest<boolean>
      : D['type'] extends 'string[]'
        ? StringListTest<EnumOf<D>>
        : NumberListTest;

function test(name: string, op: Operator, value?: unknown): FactCondition {
  return value === undefined ? { fact: name, op } : { fact: name, op, value };
}

function anyTest(name: string) {
  return {
    eq: (v: unknown) => test(name, 'eq', v),
    neq: (v: unknown) => test(name, 'neq', v),
    in: (values: readonly unknown[]) => test(name, 'in', [...values]),
    exists: (present = true) => test(name, 'exists', present),
    contains: (v: unknown) => test(name, 'contains', v),
    matches: (p: string | RegExp) =>
      test(name, 'matches', typeof p === 'string' ? p : `/${p.source}/${p.flags}`),
    gt: (n: number) => test(name, 'gt', n),
    gte: (n: number) => test(name, 'gte', n),
    lt: (n: number) => test(name, 'lt', n),
    lte: (n: number) => test(name, 'lte', n),
    between: (lo: number, hi: number) => test(name, 'between', [lo, hi]),
  };
}

/**
 * Starts a test of a built-in fact.
 *
 * @example
 * ```ts
 * fact('order.total').gte(10_000);          // { fact: 'order.total', op: 'gte', value: 10000 }
 * fact('risk.level').in(['medium', 'high']); // enum-checked values
 * fact('lines.skus').matches(/^ENGRAVE-/);  // { ..., op: 'matches', value: '/^ENGRAVE-/' }
 * ```
 */
export function fact<N extends FactName>(name: N): TestFor<(typeof FACTS)[N]> {
  return anyTest(name) as unknown as TestFor<(typeof FACTS)[N]>;
}

/**
 * A `fact` helper typed for a catalogue with custom facts.
 *
 * @example
 * ```ts
 * const myFacts = {
 *   'order.giftWrap': { type: 'boolean', description: 'Gift wrap chosen', get: (ctx) => ... },
 * } satisfies FactCatalogue;
 * const f = factsOf({ ...FACTS, ...myFacts });
 * f('order.giftWrap').eq(true);
 * ```
 */
export function factsOf<C extends Record<string, Def>>(
  _catalogue: C,
): <N extends keyof C & string>(name: N) => TestFor<C[N]> {
  return (name) => anyTest(name) as unknown as TestFor<C[typeof name]>;
}

/** Every condition holds (an empty `all` always holds). */
export function all(...conditions: Condition[]): Condition {
  return { all: conditions };
}
/** Some condition holds (an empty `any` never holds). */
export function any(...conditions: Condition[]): Condition {
  return { any: conditions };
}
/** The condition does not hold. */
export function not(condition: Condition): Condition {
  return { not: condition };
}

/**
 * Builds one rule. Methods return the same builder; `build()` validates and
 * returns a plain `RuleInput`.
 */
export class RuleBuilder {
  readonly #id: string;
  #description?: string;
  #stage?: Stage;
  #priority?: number;
  #when?: Condition;
  #actions: ActionInput[] = [];
  #stop?: boolean;
  #enabled?: boolean;

  constructor(id: string) {
    this.#id = id;
  }
  /** The stage the rule runs at. */
  at(stage: Stage): this {
    this.#stage = stage;
    return this;
  }
  /** A human description, shown in explanations and docs. */
  describe(text: string): this {
    this.#description = text;
    return this;
  }
  /** Higher runs first (default 0). */
  priority(priority: number): this {
    this.#priority = priority;
    return this;
  }
  /** When the rule matches, skip lower-priority rules at this stage. */
  stop(stop = true): this {
    this.#stop = stop;
    return this;
  }
  /** Enable or disable the rule (default enabled). */
  enabled(enabled: boolean): this {
    this.#enabled = enabled;
    return this;
  }
  /** The condition. */
  when(condition: Condition): this {
    this.#when = condition;
    return this;
  }
  /** Adds actions, run in order when the rule matches. (Named `do`: a `then` method would make the builder a thenable.) */
  do(...actions: ActionInput[]): this {
    this.#actions.push(...actions);
    return this;
  }
  /**
   * Validates and returns the plain rule.
   *
   * @throws FulfilError `CONFIG_INVALID` naming the bad field.
   */
  build(): RuleInput {
    const out: Record<string, unknown> = { id: this.#id };
    if (this.#description !== undefined) out.description = this.#description;
    out.stage = this.#stage;
    if (this.#priority !== undefined) out.priority = this.#priority;
    out.when = this.#when;
    out.actions = this.#actions.slice();
    if (this.#stop !== undefined) out.stop = this.#stop;
    if (this.#enabled !== undefined) out.enabled = this.#enabled;
    const result = Rule.safeParse(out);
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({
        path: formatPath(i.path, `rule(${this.#id})`),
        message:
          i.path[0] === 'stage' && out.stage === undefined
            ? 'missing: call .at(stage)'
            : i.path[0] === 'when' && out.when === undefined
              ? 'missing: call .when(condition)'
              : i.message,
      }));
      throw new FulfilError(
        ErrorCodes.CONFIG_INVALID,
        issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        { cause: result.error, details: { path: issues[0]?.path, issues } },
      );
    }
    return out as RuleInput;
  }
}

/**
 * Starts a rule.
 *
 * @example
 * ```ts
 * rule('hold-short')
 *   .at('before_routing')
 *   .when(fact('inventory.hasBackorder').eq(true))
 *   .do(hold({ for: { hours: 24 }, reason: 'awaiting stock', releaseOnStock: true }))
 *   .build();
 * ```
 */
export function rule(id: string): RuleBuilder {
  return new RuleBuilder(id);
}
