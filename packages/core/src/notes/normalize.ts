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
/** Printable ASCII, tabs and line breaks: nothing for NFKC, accents or look-alikes to do. */
const PLAIN = /^[\x20-\x7e\t\n]*$/;

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
  // Plain printable ASCII (most notes): only case, backticks and spaces to fold.
  if (PLAIN.test(note)) {
    return note
      .replace(/`/g, "'")
      .toLowerCase()
      .replace(/[^\S\n]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim();
  }
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
  return isTrivialText(normalizeNote(note));
}

/** {@link isTrivialNote} for a note already normalized. Internal. */
export function isTrivialText(normalized: string): boolean {
  for (const m of normalized.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu)) {
    if (!TRIVIAL.has(m[0])) return false;
  }
  return true;
}
