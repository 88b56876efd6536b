/**
 * A compiled phrase matcher for the offline classifier. Every keyword word of
 * every phrase is indexed once (exact words, `*` prefixes, and by first letter
 * for typo matches); a note's words are looked up in that index (each distinct
 * word once, remembered across notes), and only the phrases whose first word
 * matched are tried. Same matches as trying every phrase on every word, a
 * fraction of the work. Internal to the notes module.
 *
 * @module
 */
import { allowedTypos, editDistance } from './fuzzy';

/** Where a phrase matched, how many of its words were misspelt, and what it stands for. */
export interface PhraseHit<T> {
  ref: T;
  /** First and one-past-last word index. */
  start: number;
  end: number;
  typos: number;
}

/** A phrase: words in normalized form, `*` ending a prefix, `~` skipping up to three words. */
export interface Phrase<T> {
  words: string[];
  ref: T;
}

const MAX_GAP = 3;
/** Distinct note words remembered (cleared when full). */
const CACHE_SIZE = 20_000;

interface FuzzyKey {
  keyword: string;
  /** For a prefix keyword, its stem. */
  stem?: string;
  max: number;
}

/** Matches many phrases against a note's words at once. */
export class PhraseMatcher<T> {
  readonly #byFirst = new Map<string, Phrase<T>[]>();
  readonly #exact = new Set<string>();
  readonly #stems = new Map<string, string>();
  readonly #fuzzy = new Map<string, FuzzyKey[]>();
  readonly #cache = new Map<string, ReadonlyMap<string, 0 | 1>>();
  #minStem = Number.POSITIVE_INFINITY;
  #maxStem = 0;

  constructor(phrases: Phrase<T>[]) {
    for (const p of phrases) {
      const first = p.words[0];
      if (first === undefined || first === '~') continue;
      const list = this.#byFirst.get(first);
      if (list) list.push(p);
      else this.#byFirst.set(first, [p]);
      for (const k of p.words) if (k !== '~') this.#index(k);
    }
  }

  /** Every phrase match in `words`: at most one per phrase and start position. */
  matches(words: readonly string[]): PhraseHit<T>[] {
    const seen = words.map((w) => this.lookup(w));
    const out: PhraseHit<T>[] = [];
    for (let i = 0; i < words.length; i++) {
      for (const [keyword, q] of seen[i] as ReadonlyMap<string, 0 | 1>) {
        for (const p of this.#byFirst.get(keyword) ?? []) {
          const rest = matchFrom(seen, p.words, 1, i + 1);
          if (rest !== undefined)
            out.push({ ref: p.ref, start: i, end: rest.end, typos: q + rest.typos });
        }
      }
    }
    return out;
  }

  /** The keyword words `word` matches: 0 exactly (or by prefix), 1 with a typo. */
  lookup(word: string): ReadonlyMap<string, 0 | 1> {
    const hit = this.#cache.get(word);
    if (hit !== undefined) return hit;
    const out = new Map<string, 0 | 1>();
    if (this.#exact.has(word)) out.set(word, 0);
    for (let n = this.#minStem; n <= Math.min(word.length, this.#maxStem); n++) {
      const keyword = this.#stems.get(word.slice(0, n));
      if (keyword !== undefined) out.set(keyword, 0);
    }
    for (const f of this.#fuzzy.get(word[0] ?? '') ?? []) {
      if (out.has(f.keyword)) continue;
      if (f.stem !== undefined) {
        if (editDistance(word.slice(0, f.stem.length), f.stem, 1) <= 1) out.set(f.keyword, 1);
      } else if (
        Math.abs(word.length - f.keyword.length) <= f.max &&
        editDistance(word, f.keyword, f.max) <= f.max
      ) {
        out.set(f.keyword, 1);
      }
    }
    if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
    this.#cache.set(word, out);
    return out;
  }

  #index(keyword: string): void {
    const initial = keyword[0] ?? '';
    const fuzzy = (f: FuzzyKey) => {
      const list = this.#fuzzy.get(initial);
      if (list === undefined) this.#fuzzy.set(initial, [f]);
      else if (!list.some((x) => x.keyword === f.keyword)) list.push(f);
    };
    if (keyword.endsWith('*')) {
      const stem = keyword.slice(0, -1);
      this.#stems.set(stem, keyword);
      this.#minStem = Math.min(this.#minStem, stem.length);
      this.#maxStem = Math.max(this.#maxStem, stem.length);
      if (stem.length >= 5) fuzzy({ keyword, stem, max: 1 });
      return;
    }
    this.#exact.add(keyword);
    const max = allowedTypos(keyword.length);
    if (max > 0) fuzzy({ keyword, max });
  }
}

function matchFrom(
  seen: readonly ReadonlyMap<string, 0 | 1>[],
  phrase: readonly string[],
  p: number,
  i: number,
): { end: number; typos: number } | undefined {
  if (p >= phrase.length) return { end: i, typos: 0 };
  const part = phrase[p] as string;
  if (part === '~') {
    for (let skip = 0; skip <= MAX_GAP && i + skip <= seen.length; skip++) {
      const r = matchFrom(seen, phrase, p + 1, i + skip);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  const q = seen[i]?.get(part);
  if (q === undefined) return undefined;
  const r = matchFrom(seen, phrase, p + 1, i + 1);
  return r === undefined ? undefined : { end: r.end, typos: r.typos + q };
}
