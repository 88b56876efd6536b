export {
  all,
  any,
  type BaseTest,
  type Def,
  type EnumOf,
  fact,
  factsOf,
  type NumberListTest,
  type NumberTest,
  not,
  RuleBuilder,
  rule,
  type StringListTest,
  type StringTest,
  type TestFor,
} from './builder';
export * from './builder-actions';
export { checkRules, type RuleIssue } from './check';
export { type CompiledRuleSet, type CompileOptions, compileRules } from './compile';
export {
  FACTS,
  type FactCatalogue,
  type FactDefinition,
  type FactName,
  type FactType,
  factCatalogue,
} from './facts';
export { emptyActions, type MatchedRule, resolveActions } from './resolve';
export * from './schema';
export {
  localDate,
  localHour,
  localWeekday,
  parseZonedDate,
  WEEKDAYS,
  type Weekday,
  zoneOffset,
} from './time';
export type * from './types';
