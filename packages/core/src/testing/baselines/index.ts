export {
  BASELINE_NOTE_TAGS,
  type BaselineNoteClassifierOptions,
  type BaselineNoteTag,
  createBaselineNoteClassifier,
} from './baseline-note-classifier';
export {
  BASELINE_RISK_WEIGHTS,
  type BaselineRiskScorerOptions,
  type BaselineRiskSignal,
  createBaselineRiskScorer,
} from './baseline-risk-scorer';
