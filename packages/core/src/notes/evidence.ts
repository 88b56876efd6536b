/**
 * Evidence for each tag of a note: lexicon phrases (less a typo penalty, dropped
 * when negated), clause rules over cue words, "X not Y" swaps, all combined per
 * tag so that independent weak signals add up ("glass … pack carefully"). Internal
 * to the notes module.
 *
 * @module
 */
import { COMBOS, CUES, type CueClass, SWAP, SWAP_WORDS } from './combos';
import { type LexiconEntry, NEGATIONS } from './lexicon';
import { type Phrase, type PhraseHit, PhraseMatcher } from './matcher';
import { normalizeNote } from './normalize';

/** What a phrase of the compiled lexicon stands for. */
export type PhraseRef = { kind: 'entry'; entry: LexiconEntry } | { kind: 'cue'; cls: CueClass };

/** A word of a normalized note and its offset. */
export interface Token {
  word: string;
  index: number;
}

/** The combined evidence for one tag: its confidence and where its best match starts. */
export interface Evidence {
  confidence: number;
  /** Character offset of the strongest match. */
  at: number;
}

/** Confidence lost per misspelt word. */
const TYPO = 0.15;
/** Weaker matches than this do not add to a stronger one. */
const ADDS_UP = 0.5;
/** Weaker matches than this yield to a stronger match of another tag on the same words. */
const STRONG_ENOUGH = 0.7;
/** Clauses end at these, and at a spaced {@link DASHES}; sentences at {@link SENTENCE_END}. */
const CLAUSE_END = '.!?;,:\n()';
const DASHES = '-–—/+&';
const SENTENCE_END = '.!?;\n';

/** Contractions written without their apostrophe ("dont"), read as the lexicon spells them. */
const CONTRACTIONS: Record<string, [string, string]> = {
  dont: ['don', 't'],
  doesnt: ['doesn', 't'],
  didnt: ['didn', 't'],
  cant: ['can', 't'],
  wont: ['won', 't'],
  isnt: ['isn', 't'],
  arent: ['aren', 't'],
};

/** The words of a normalized note with their offsets (apostrophes split words; "dont" reads as "don t"). */
export function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  const push = (start: number, end: number) => {
    const word = text.slice(start, end);
    const split = CONTRACTIONS[word];
    if (split === undefined) out.push({ word, index: start });
    else for (const w of split) out.push({ word: w, index: start });
  };
  // A word is a run of letters and digits ([\p{L}\p{N}]+), scanned by hand: most notes are ASCII.
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let size = 1;
    let word: boolean;
    if (c < 128) word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    else {
      const cp = text.codePointAt(i) as number;
      size = cp > 0xffff ? 2 : 1;
      word = WORD_CHAR.test(String.fromCodePoint(cp));
    }
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      push(start, i);
      start = -1;
    }
    i += size;
  }
  if (start >= 0) push(start, text.length);
  return out;
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Compiles lexicon entries and the cue classes into one matcher. */
export function compileLexicon(entries: readonly LexiconEntry[]): PhraseMatcher<PhraseRef> {
  const phrases: Phrase<PhraseRef>[] = [];
  const split = (p: string) =>
    normalizeNote(p)
      .split(/[^a-z0-9*~]+/)
      .filter(Boolean);
  for (const entry of entries) {
    for (const p of entry.phrases) phrases.push({ words: split(p), ref: { kind: 'entry', entry } });
  }
  for (const [cls, list] of Object.entries(CUES) as [CueClass, string[]][]) {
    for (const p of list) phrases.push({ words: split(p), ref: { kind: 'cue', cls } });
  }
  return new PhraseMatcher(phrases);
}

/**
 * The evidence per tag in a normalized note (only tags in `allowed`): the
 * confidences of non-overlapping matches combined as independent signals,
 * 1 − Π(1 − c).
 */
export function collectEvidence(
  text: string,
  tokens: readonly Token[],
  matcher: PhraseMatcher<PhraseRef>,
  allowed: ReadonlySet<string>,
): Map<string, Evidence> {
  // Each piece of evidence: its confidence and the word spans it rests on.
  const found = new Map<string, { c: number; spans: Span[] }[]>();
  const add = (tag: string, c: number, spans: Span[]) => {
    if (!allowed.has(tag)) return;
    const list = found.get(tag);
    if (list) list.push({ c, spans });
    else found.set(tag, [{ c, spans }]);
  };
  const cues: (PhraseHit<PhraseRef> & { cls: CueClass })[] = [];
  for (const h of matcher.matches(tokens.map((t) => t.word))) {
    if (h.ref.kind === 'cue') {
      cues.push({ ...h, cls: h.ref.cls });
    } else if (!(h.ref.entry.negatable && negated(text, tokens, h))) {
      add(h.ref.entry.tag, h.ref.entry.confidence - TYPO * h.typos, [[h.start, h.end]]);
    }
  }
  if (cues.length > 1) {
    // The best (fewest typos) cue of each class in each clause.
    const clause = segments(text, tokens, CLAUSE_END, true);
    const byClause = new Map<number, Map<CueClass, PhraseHit<PhraseRef>>>();
    for (const c of cues) {
      const id = clause[c.start] as number;
      let classes = byClause.get(id);
      if (classes === undefined) {
        classes = new Map();
        byClause.set(id, classes);
      }
      const prev = classes.get(c.cls);
      if (prev === undefined || c.typos < prev.typos) classes.set(c.cls, c);
    }
    for (const classes of byClause.values()) {
      for (const rule of COMBOS) {
        if (rule.unless?.some((u) => classes.has(u))) continue;
        const hits = rule.all.map((cls) => classes.get(cls));
        if (hits.some((h) => h === undefined)) continue;
        const typos = hits.reduce((s, h) => s + (h?.typos ?? 0), 0);
        add(
          rule.tag,
          rule.confidence - TYPO * typos,
          hits.map((h) => [h?.start ?? 0, h?.end ?? 0]),
        );
      }
    }
  }
  const swaps = tokens.some((t) => SWAP_WORDS.has(t.word)) ? [...text.matchAll(SWAP)] : [];
  if (swaps.length > 0) {
    const sentence = segments(text, tokens, SENTENCE_END, false);
    for (const m of swaps) {
      const start = tokenAt(tokens, m.index);
      const end = tokenAt(tokens, m.index + m[0].length - 1) + 1;
      const address = cues.some(
        (c) => c.cls === 'addressNoun' && sentence[c.start] === sentence[start],
      );
      add(address ? 'address_change' : 'item_change', 0.8, [[start, end]]);
    }
  }
  // Words explain one request: a weak match on words a stronger match of another tag
  // rests on ("paper filler instead of plastic" is about packaging, not an item swap)
  // is dropped.
  for (const [tag, list] of found) {
    const kept = list.filter(
      (w) =>
        w.c >= STRONG_ENOUGH ||
        ![...found].some(
          ([other, xs]) => other !== tag && xs.some((x) => x.c > w.c && overlap(x.spans, w.spans)),
        ),
    );
    if (kept.length === 0) found.delete(tag);
    else found.set(tag, kept);
  }
  const out = new Map<string, Evidence>();
  for (const [tag, list] of found) {
    list.sort((a, b) => b.c - a.c);
    const taken: typeof list = [];
    let missing = 1;
    for (const e of list) {
      if (taken.length > 0 && e.c < ADDS_UP) break;
      if (taken.some((t) => overlap(t.spans, e.spans))) continue;
      taken.push(e);
      missing *= 1 - e.c;
    }
    const best = Math.min(...(taken[0]?.spans ?? [[0, 0]]).map((x) => x[0]));
    out.set(tag, {
      confidence: Math.round((1 - missing) * 100) / 100,
      at: tokens[best]?.index ?? 0,
    });
  }
  return out;
}

/** Word index ranges `[start, end)`. */
type Span = [number, number];

function overlap(a: Span[], b: Span[]): boolean {
  return a.some(([s, e]) => b.some(([s2, e2]) => s < e2 && s2 < e));
}

/**
 * Segment number of every token: a new segment starts after one of `stops` between
 * two words, or (`dashes`) a spaced dash, slash, plus or ampersand.
 */
function segments(
  text: string,
  tokens: readonly Token[],
  stops: string,
  dashes: boolean,
): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const prev = tokens[i - 1];
    const tok = tokens[i] as Token;
    if (prev !== undefined) {
      for (let j = prev.index + prev.word.length; j < tok.index; j++) {
        const ch = text[j] as string;
        if (
          stops.includes(ch) ||
          (dashes && DASHES.includes(ch) && text[j - 1] === ' ' && text[j + 1] === ' ')
        ) {
          n++;
          break;
        }
      }
    }
    out.push(n);
  }
  return out;
}

/** The index of the token covering (or first after) character `at`. */
function tokenAt(tokens: readonly Token[], at: number): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.index + t.word.length > at) return i;
  }
  return Math.max(0, tokens.length - 1);
}

/** True when a negation ("no", "not", "sin", "pas", "nicht"...) stands within three words before the match, in the same clause. */
function negated(text: string, tokens: readonly Token[], m: { start: number }): boolean {
  const from = Math.max(0, m.start - 3);
  for (let i = m.start - 1; i >= from; i--) {
    const tok = tokens[i];
    const next = tokens[i + 1];
    if (tok === undefined || next === undefined) break;
    if (/[.!?;,]/.test(text.slice(tok.index + tok.word.length, next.index))) break;
    if (NEGATIONS.has(tok.word)) return true;
  }
  return false;
}
