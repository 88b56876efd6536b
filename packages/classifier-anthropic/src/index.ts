export type {
  Budget,
  BudgetLimiter,
  BudgetOptions,
  BudgetRefusal,
  StoreLimiters,
} from './budget';
export { createBudget } from './budget';
export type { ClientOptions } from './client';
export {
  type ClaudeNoteClassifier,
  type ClaudeNoteClassifierOptions,
  createClaudeNoteClassifier,
  DEFAULT_NOTE_MODEL,
  type OfflineNoteClassifier,
} from './note-classifier';
export { DEFAULT_EXAMPLES, defaultSystemPrompt, type NoteExample } from './prompt';
export { type RiskSummaryOptions, SUMMARY_HEADING, withRiskSummaries } from './review-alerts';
export {
  type ClaudeRiskReviewer,
  type ClaudeRiskReviewerOptions,
  createClaudeRiskReviewer,
} from './risk-reviewer';
export {
  type TaxonomyLike,
  TOOL_NAME,
  taxonomyTool,
  type ValidatedOutput,
  validateOutput,
} from './taxonomy-tool';
