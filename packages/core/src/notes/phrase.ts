import { wordMatch } from './fuzzy';

/** Where a phrase matched in a word list, and how many words were misspelt. Internal. */
export interface PhraseMatch {
  start: number;
  end: number;
  typos: number;
}

const MAX_GAP = 3;

/**
 * Every match of `phrase` (words; `*` suffix = prefix, `~` = skip up to three
 * words) in `words`, at most one per start position. Internal.
 */
export function matchPhrase(
  words: readonly string[],
  phrase: readonly string[],
  match: (word: string, keyword: string) => 0 | 1 | -1 = wordMatch,
): PhraseMatch[] {
  const out: PhraseMatch[] = [];
  const first = phrase[0];
  if (first === undefined) return out;
  const initial = first.charCodeAt(0);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    // Every kind of match (exact, prefix, typo) keeps the first letter.
    if (w.charCodeAt(0) !== initial) continue;
    const q = match(w, first);
    if (q < 0) continue;
    const rest = matchFrom(words, phrase, 1, i + 1, match);
    if (rest !== undefined) out.push({ start: i, end: rest.end, typos: q + rest.typos });
  }
  return out;
}

function matchFrom(
  words: readonly string[],
  phrase: readonly string[],
  p: number,
  i: number,
  match: (word: string, keyword: string) => 0 | 1 | -1,
): { end: number; typos: number } | undefined {
  if (p >= phrase.length) return { end: i, typos: 0 };
  const part = phrase[p] as string;
  if (part === '~') {
    for (let skip = 0; skip <= MAX_GAP && i + skip <= words.length; skip++) {
      const r = matchFrom(words, phrase, p + 1, i + skip, match);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  const w = words[i];
  if (w === undefined) return undefined;
  const q = match(w, part);
  if (q < 0) return undefined;
  const r = matchFrom(words, phrase, p + 1, i + 1, match);
  return r === undefined ? undefined : { end: r.end, typos: r.typos + q };
}

/** `wordMatch` with a per-note memo: many phrases share words. Internal. */
export function memoMatch(): (word: string, keyword: string) => 0 | 1 | -1 {
  const memo = new Map<string, 0 | 1 | -1>();
  return (word, keyword) => {
    const key = `${word} ${keyword}`;
    let q = memo.get(key);
    if (q === undefined) {
      q = wordMatch(word, keyword);
      memo.set(key, q);
    }
    return q;
  };
}
