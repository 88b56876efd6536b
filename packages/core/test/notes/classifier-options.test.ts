import { describe, expect, it } from 'vitest';
import {
  createNoteClassifier,
  type KeywordClassifierOptions,
  KeywordNoteClassifier,
} from '../../src/notes';
import { expectConfigInvalid } from '../../src/testing/helpers';

const js = (options: unknown) => () => createNoteClassifier(options as KeywordClassifierOptions);

describe('createNoteClassifier: the one note classifier to reach for', () => {
  it('is the multilingual KeywordNoteClassifier, with and without options', () => {
    expect(createNoteClassifier()).toBeInstanceOf(KeywordNoteClassifier);
    expect(createNoteClassifier({ name: 'notes', certainty: 0.8 }).name).toBe('notes');
  });

  it('a misspelt option is refused with a suggestion', () => {
    expectConfigInvalid(js({ dayfirst: true }), 'dayfirst', /did you mean "dayFirst"/);
    expectConfigInvalid(
      js({ lexicon: [{ tag: 'gift', confidence: 0.9, phrase: ['x'] }] }),
      'lexicon[0].phrase',
      /did you mean "phrases"/,
    );
  });

  it('a wrong value names its path', () => {
    expectConfigInvalid(js({ certainty: 2 }), 'certainty');
    expectConfigInvalid(js({ taxonomy: 'default' }), 'taxonomy', /note taxonomy/);
    expectConfigInvalid(
      js({ lexicon: [{ confidence: 0.9, phrases: [] }] }),
      'lexicon[0].tag',
      /required/,
    );
  });
});
