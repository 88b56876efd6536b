import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordNoteClassifier, normalizeNote } from '../../src/notes';
import { tokensOf } from '../../src/notes/evidence';
import { wordMatch } from '../../src/notes/fuzzy';
import { DEFAULT_LEXICON } from '../../src/notes/lexicon';
import { PhraseMatcher } from '../../src/notes/matcher';
import { LABELLED } from './corpus';
import { NOW, TZ } from './world';

const c = new KeywordNoteClassifier();
const tags = (note: string) =>
  Object.fromEntries(
    c.classifySync(note, { now: NOW, timeZone: TZ }).tags.map((t) => [t.tag, t.date ?? null]),
  );
const read = (note: string) => c.classifySync(note, { now: NOW, timeZone: TZ });

describe('clause rules, evidence and dates', () => {
  it('a cue pair counts only inside one clause', () => {
    expect(tags('The zip is wrong, it should be 10027')).toEqual({ address_change: null });
    expect(tags('Typo in the street name: Maple not Mapel')).toEqual({ address_change: null });
    expect(tags('Could I have the black one instead?')).toEqual({ item_change: null });
    expect(tags('Leave it by the garage door')).toEqual({ delivery_instructions: null });
    // "wrong" and "address" stand in different clauses: not an address change
    expect(tags('I ordered the wrong size, the address is fine')).toEqual({ item_change: null });
  });

  it('"X not Y": an item, or the address when an address word is in the sentence', () => {
    expect(tags('I need a 42 not a 41')).toEqual({ item_change: null });
    expect(tags('House number is 17 not 71')).toEqual({ address_change: null });
  });

  it('a weak match on words a stronger match of another tag rests on is dropped', () => {
    expect(read('paper filler instead of plastic please')).toMatchObject({
      tags: [{ tag: 'eco_packaging' }],
      uncertain: false,
    });
  });

  it('reads contractions written without the apostrophe', () => {
    expect(tags('dont put the invoice in the box')).toEqual({ gift: null });
    expect(tags('pls dont ship before dec 20')).toEqual({ ship_after: '2026-12-20' });
  });

  it('leaving on a trip needs the order before; "the 1L" is no date', () => {
    expect(tags('Flying out on Tuesday, could it arrive before?')).toEqual({
      expedite: '2026-12-01',
    });
    expect(tags('Please send the 500ml version rather than the 1L')).toEqual({
      item_change: null,
    });
  });
});

describe('PhraseMatcher', () => {
  const phrases = DEFAULT_LEXICON.flatMap((e) =>
    e.phrases.map((p, i) => ({
      words: normalizeNote(p)
        .split(/[^a-z0-9*~]+/)
        .filter(Boolean),
      ref: `${e.tag}:${i}:${p}`,
    })),
  );
  const matcher = new PhraseMatcher(phrases);

  /** The plain way: every phrase tried at every word, with `wordMatch`. */
  function naive(words: string[]) {
    const out: string[] = [];
    const from = (
      p: string[],
      k: number,
      i: number,
    ): { end: number; typos: number } | undefined => {
      if (k >= p.length) return { end: i, typos: 0 };
      if (p[k] === '~') {
        for (let skip = 0; skip <= 3 && i + skip <= words.length; skip++) {
          const r = from(p, k + 1, i + skip);
          if (r) return r;
        }
        return undefined;
      }
      const w = words[i];
      if (w === undefined) return undefined;
      const q = wordMatch(w, p[k] as string);
      if (q < 0) return undefined;
      const r = from(p, k + 1, i + 1);
      return r && { end: r.end, typos: r.typos + q };
    };
    for (const ph of phrases) {
      for (let i = 0; i < words.length; i++) {
        const q = wordMatch(words[i] as string, ph.words[0] as string);
        if (q < 0) continue;
        const r = from(ph.words, 1, i + 1);
        if (r) out.push(`${ph.ref}@${i}-${r.end}/${q + r.typos}`);
      }
    }
    return out.sort();
  }
  const fast = (words: string[]) =>
    matcher
      .matches(words)
      .map((h) => `${h.ref}@${h.start}-${h.end}/${h.typos}`)
      .sort();

  it('finds exactly what trying every phrase at every word finds (labelled notes)', () => {
    for (const e of LABELLED.slice(0, 200)) {
      const words = tokensOf(normalizeNote(e.note)).map((t) => t.word);
      expect(fast(words), e.note).toEqual(naive(words));
    }
  });

  it('… and on random mixes of lexicon words with typos and noise', () => {
    const vocab = [...new Set(phrases.flatMap((p) => p.words))].map((w) => w.replace('*', ''));
    const word = fc.oneof(
      fc.constantFrom(...vocab),
      fc
        .tuple(fc.constantFrom(...vocab), fc.nat(), fc.constantFrom('a', 'e', 'x', ''))
        .map(([w, k, ch]) => {
          const at = k % (w.length + 1);
          return w.slice(0, at) + ch + w.slice(at + 1);
        })
        .filter((w) => w !== ''),
      fc.constantFrom('the', 'please', 'it', 'ok', 'xyz'),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        expect(fast(words)).toEqual(naive(words));
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalizeNote', () => {
  it('takes a fast path for plain ASCII with the same result as the full one', () => {
    const ascii = fc.string({
      unit: fc.constantFrom(...' \t\nabcXYZ019.,!?\'"`-~'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(ascii, (s) => {
        // a zero-width space forces the full path and is removed by it
        expect(normalizeNote(s)).toBe(normalizeNote(`\u200b${s}`));
      }),
      { numRuns: 500 },
    );
  });
});
