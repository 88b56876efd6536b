export { type DateContext, dateContext, type FoundDate, findDates } from './dates';
export { looksLikeInjection } from './injection';
export {
  createNoteClassifier,
  type KeywordClassifierOptions,
  KeywordNoteClassifier,
} from './keyword-classifier';
export { DEFAULT_LEXICON, type LexiconEntry } from './lexicon';
export { isTrivialNote, normalizeNote } from './normalize';
export {
  assertTagsInTaxonomy,
  defineNoteTaxonomy,
  extendNoteTaxonomy,
  NOTE_TAXONOMY,
  NoteTagDefinition,
  type NoteTagDefinitionInput,
  NoteTaxonomy,
  type NoteTaxonomyInput,
  noteRules,
  taxonomyTagIds,
} from './taxonomy';
