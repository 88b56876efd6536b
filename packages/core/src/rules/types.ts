import type { RuleTrace } from '../model/commands';
import type { OrderEvent } from '../model/events';
import type { DecisionFacts } from '../model/facts';
import type { Order } from '../model/order';
import type { StoreHoldReason } from '../model/primitives';
import type { OrderRecord } from '../model/record';
import type { Action, Rule, Stage } from './schema';

/** Inventory facts derived from a stock snapshot for this order (computed by decide). */
export interface InventoryFacts {
  /** One open location has every shippable unit. */
  canFillFromOneLocation: boolean;
  /** SKUs whose total demand exceeds the stock of all open locations together. */
  shortSkus: string[];
  /** Line ids with at least one short SKU. */
  shortLineIds: string[];
  /** Some line cannot be filled now (= `shortLineIds.length > 0`). */
  hasBackorder: boolean;
}

/** Everything a rule may read. Built once per stage evaluation. */
export interface RuleContext {
  order: Order;
  /** The record before this decision; undefined for a new order. */
  record?: OrderRecord;
  event: OrderEvent;
  facts: DecisionFacts;
  inventory?: InventoryFacts;
  /** Epoch ms. */
  now: number;
  /** IANA zone of the store, for time facts. */
  timeZone: string;
}

/** A hold requested by a rule, with its end resolved to a time (or none). */
export interface ResolvedHold {
  ruleId: string;
  reason: string;
  /** Epoch ms, or undefined for "until released". */
  until?: number;
  releaseOnStock: boolean;
  storeHold?: StoreHoldReason;
}

/**
 * The actions of all matching rules at one stage, merged deterministically
 * (see `resolveActions` for the rules of precedence).
 */
export interface ResolvedActions {
  holds: ResolvedHold[];
  releaseHold: boolean;
  /** Review reasons, each prefixed by its rule id. */
  review: string[];
  /** undefined: no rule said. */
  allowSplit?: boolean;
  prefer: string[];
  exclude: string[];
  force?: string;
  requiredCapabilities: string[];
  service?: string;
  priority?: number;
  tags: string[];
  instructions: string[];
  notify: { channel: 'warehouse' | 'ops'; message: string; ruleId: string }[];
  /** Machine events to fire, in rule order. */
  transitions: { event: string; ruleId: string }[];
  /** Notes about conflicts that were resolved, for the explanation. */
  conflicts: string[];
}

/** The result of evaluating one stage. */
export interface StageEvaluation {
  stage: Stage;
  traces: RuleTrace[];
  matched: { rule: Rule; actions: Action[] }[];
  actions: ResolvedActions;
}

/** A rule set compiled to closures. */
export interface CompiledRules {
  readonly rules: readonly Rule[];
  /** Evaluates the rules of `stage`. With `trace: false` traces are empty (faster). */
  evaluate(stage: Stage, ctx: RuleContext, options?: { trace?: boolean }): StageEvaluation;
}
