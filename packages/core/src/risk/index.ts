export { DISPOSABLE_DOMAINS, FREIGHT_FORWARDER_NAMES } from './lists';
export { type MediumRiskAction, type RiskRulesOptions, riskRules } from './risk-rules';
export {
  createRiskScorer,
  RISK_WEIGHTS,
  type RiskSignalName,
  RuleBasedRiskScorer,
  type RuleBasedRiskScorerOptions,
  RuleBasedRiskScorerSettings,
} from './rule-based-risk-scorer';
export {
  createMemoryVelocitySource,
  type MemoryVelocitySource,
  storageVelocitySource,
  type VelocityKey,
  type VelocityQuery,
  type VelocitySource,
  velocityValues,
} from './velocity';
