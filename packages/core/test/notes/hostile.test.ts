import { describe, expect, it } from 'vitest';
import { KeywordNoteClassifier } from '../../src/notes';
import { HOSTILE } from './corpus';
import { checkHostile } from './hostile-check';

describe('hostile notes against the offline classifier', () => {
  it('the corpus has at least 100 notes in every category', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE.map((h) => h.category))).toEqual(
      new Set([
        'injection',
        'injection+benign',
        'fake-json',
        'fake-json+benign',
        'long',
        'control',
        'lookalike',
        'mixed',
      ]),
    );
  });

  it('no tag outside the taxonomy, no order field changed, decision = benign decision or review', async () => {
    const classifier = new KeywordNoteClassifier();
    let review = 0;
    for (const h of HOSTILE) {
      const c = await checkHostile(classifier, h);
      if (c?.uncertain) review++;
    }
    expect(review).toBeLessThan(HOSTILE.length);
  });
});
