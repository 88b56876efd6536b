/**
 * Writes labelled.json and hostile.json from the hand-written fragments.
 * Run: `node --import tsx packages/core/test/notes/data/generate.ts`.
 * Deterministic (seeded); the JSON files are committed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hostileNotes } from './hostile-templates';
import {
  type Labels,
  OTHER,
  OTHER_2,
  SIGN_OFFS,
  type Snippet,
  TAGGED,
  TAGGED_2,
  TRIVIAL,
} from './snippets';

let seed = 20261127;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const PROTECTED =
  /\d|^(dec|december|diciembre|decembre|dezember|friday|viernes|freitag|jan|tomorrow|christmas|until|after|before|weeks?)$/i;

/** Swaps two adjacent inner letters of one longer word (a common typo). */
function typo(text: string): string {
  const words = text.split(' ');
  const idx = words
    .map((w, i) => [w, i] as const)
    .filter(([w]) => /^[a-zA-Z]{6,}$/.test(w) && !PROTECTED.test(w));
  if (idx.length === 0) return text;
  const [w, i] = pick(idx);
  const k = 1 + Math.floor(rand() * (w.length - 3));
  words[i] = w.slice(0, k) + (w[k + 1] ?? '') + (w[k] ?? '') + w.slice(k + 2);
  return words.join(' ');
}

function caseVariant(text: string): string {
  const r = rand();
  if (r < 0.1) return text.toLowerCase();
  if (r < 0.14) return text.toUpperCase();
  return text;
}

export interface LabelledNote {
  id: string;
  note: string;
  tags: Labels;
}

/**
 * The labelled notes: every fragment alone, the `other` and trivial notes, then
 * mixes of fragments from `pool` until `total`. Ids continue from `first`.
 */
function labelled(
  tagged: Snippet[] = TAGGED,
  others: string[] = OTHER,
  trivial: string[] = TRIVIAL,
  pool: Snippet[] = TAGGED,
  total = 340,
  first = 0,
): LabelledNote[] {
  const out: LabelledNote[] = [];
  let n = first;
  const push = (note: string, tags: Labels) =>
    out.push({ id: `n${String(++n).padStart(3, '0')}`, note, tags });
  for (const [text, tags] of tagged) push(text, { ...tags });
  for (const text of others) push(text, { other: null });
  for (const text of trivial) push(text, {});
  const dated = (s: Snippet) => Object.values(s[1]).some((d) => d !== null);
  while (out.length < total) {
    const parts: Snippet[] = [pick(pool)];
    const more = rand() < 0.25 ? 2 : 1;
    for (let i = 0; i < more; i++) {
      const s = pick(pool);
      const clash = parts.some(
        (p) => Object.keys(p[1]).some((t) => t in s[1]) || (dated(p) && dated(s)),
      );
      if (!clash) parts.push(s);
    }
    let note = parts
      .map((p) => p[0].replace(/[.!]?$/, ''))
      .join(pick(['. ', '! ', '. ', ' - ', '\n']));
    if (rand() < 0.3) note += ` ${pick(SIGN_OFFS)}`;
    if (rand() < 0.3) note = typo(note);
    note = caseVariant(note);
    const tags: Labels = Object.assign({}, ...parts.map((p) => p[1]));
    push(note, tags);
  }
  return out;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
// The first batch and the hostile notes draw from the first seed, exactly as before
// TAGGED_2 existed (so both files are unchanged); the second batch has its own seed.
const batch1 = labelled();
const hostile = hostileNotes(pick, rand);
seed = 20261206;
const batch2 = labelled(TAGGED_2, OTHER_2, [], [...TAGGED, ...TAGGED_2], 220, batch1.length);
writeFileSync(`${dir}labelled.json`, `${JSON.stringify([...batch1, ...batch2], null, 1)}\n`);
writeFileSync(`${dir}hostile.json`, `${JSON.stringify(hostile, null, 1)}\n`);
