/**
 * Note text normalization shared by the offline classifier and the cascade's
 * cache: Unicode compatibility forms, look-alike letters, control and
 * zero-width characters, accents and case.
 *
 * @module
 */

/** Cyrillic and Greek letters that look like Latin ones (a homoglyph attack must not hide a keyword). */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  к: 'k',
  м: 'm',
  т: 't',
  в: 'b',
  н: 'h',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g');

/**
 * Returns the note as plain comparable text: NFKC (full-width and ligatures
 * folded), control and zero-width characters removed, curly quotes straightened,
 * line breaks kept (they end a sentence),
 * lower case, look-alike Cyrillic/Greek letters mapped to Latin, accents stripped
 * (NFD without combining marks), whitespace collapsed.
 *
 * @example
 * ```ts
 * normalizeNote('  Ｐlease  ship après le 20 Décembre\u200b'); // 'please ship apres le 20 decembre'
 * ```
 */
export function normalizeNote(note: string): string {
  return (
    note
      .normalize('NFKC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is the point
      .replace(/\u001b\[[0-9;]*[A-Za-z]/g, ' ')
      .replace(
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is the point
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g,
        '',
      )
      .replace(/[‘’‚‛`´]/g, "'")
      .replace(/[“”„‟]/g, '"')
      .toLowerCase()
      .replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c)
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^\S\n]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim()
  );
}

/** Words of a normalized note, with their start offsets. Apostrophes join (`don't`). */
export function tokenize(text: string): { word: string; index: number }[] {
  const out: { word: string; index: number }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu)) {
    out.push({ word: m[0], index: m.index });
  }
  return out;
}

const TRIVIAL = new Set(
  (
    'thanks thank you thx ty tysm so much very many n/a na n a none nothing no nope ok okay please pls plz ' +
    'hi hello hey cheers great love it a lot x xx xxx xoxo regards best kind note notes . - ' +
    'gracias muchas mil hola saludos nada ninguna ninguno vale por favor ' +
    'merci beaucoup bonjour salut rien cordialement bien a vous ' +
    'danke schon schoen vielen dank hallo gruss grusse liebe nichts keine bitte ' +
    'test ciao grazie obrigado'
  ).split(' '),
);

/**
 * True for an empty note, emoji or punctuation only, or pleasantries only
 * ("thanks!", "n/a", "gracias", "merci beaucoup", "danke schön").
 *
 * @example
 * ```ts
 * isTrivialNote('Thanks!! 🙏'); // true
 * isTrivialNote('thanks, gift please'); // false
 * ```
 */
export function isTrivialNote(note: string): boolean {
  const words = tokenize(normalizeNote(note)).map((t) => t.word);
  if (words.length === 0) return true;
  return words.every((w) => TRIVIAL.has(w));
}
