/**
 * Date extraction from normalized notes (see `normalizeNote`) in English,
 * Spanish, French and German: absolute (`Dec 20`, `20/12`, `2026-12-20`,
 * `20 décembre`, `20. Dezember`, `20 de diciembre`) and relative (`tomorrow`,
 * `next friday`, `in 2 weeks`, `after the 20th`, `next week`), read in the
 * store's time zone. Internal to the notes module.
 *
 * @module
 */
import { localDate } from '../rules/time';

const MONTH_WORDS: Record<string, number> = {};
const add = (month: number, ...words: string[]) => {
  for (const w of words) MONTH_WORDS[w] = month;
};
add(1, 'january', 'jan', 'enero', 'ene', 'janvier', 'janv', 'januar', 'janner');
add(2, 'february', 'feb', 'febrero', 'fevrier', 'fevr', 'fev', 'februar');
add(3, 'march', 'mar', 'marzo', 'mars', 'marz', 'maerz');
add(4, 'april', 'apr', 'abril', 'abr', 'avril', 'avr');
add(5, 'may', 'mayo', 'mai');
add(6, 'june', 'jun', 'junio', 'juin', 'juni');
add(7, 'july', 'jul', 'julio', 'juillet', 'juil', 'juli');
add(8, 'august', 'aug', 'agosto', 'ago', 'aout');
add(9, 'september', 'sep', 'sept', 'septiembre', 'setiembre', 'septembre');
add(10, 'october', 'oct', 'octubre', 'octobre', 'oktober', 'okt');
add(11, 'november', 'nov', 'noviembre', 'novembre');
add(12, 'december', 'dec', 'diciembre', 'dic', 'decembre', 'dezember', 'dez');
const MONTH = `(${Object.keys(MONTH_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})\\.?`;

const WEEKDAY_WORDS: Record<string, number> = {};
const wd = (day: number, ...words: string[]) => {
  for (const w of words) WEEKDAY_WORDS[w] = day;
};
wd(1, 'monday', 'lunes', 'lundi', 'montag');
wd(2, 'tuesday', 'martes', 'mardi', 'dienstag');
wd(3, 'wednesday', 'miercoles', 'mercredi', 'mittwoch');
wd(4, 'thursday', 'jueves', 'jeudi', 'donnerstag');
wd(5, 'friday', 'viernes', 'vendredi', 'freitag');
wd(6, 'saturday', 'sabado', 'samedi', 'samstag', 'sonnabend');
wd(0, 'sunday', 'domingo', 'dimanche', 'sonntag');
const WEEKDAY = `(${Object.keys(WEEKDAY_WORDS).join('|')})`;

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  couple: 2,
  'a couple of': 2,
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  ein: 1,
  eine: 1,
  einer: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  funf: 5,
  fuenf: 5,
};
const NUM = `(\\d{1,2}|${Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

const ORD = '(?:st|nd|rd|th|er|eme|o|a|\\.)?';
const PATTERNS: {
  re: RegExp;
  read: (m: RegExpExecArray, ctx: DateContext) => string | undefined;
  /** Matches only text with a digit. */
  digits?: boolean;
}[] = [
  {
    re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g,
    digits: true,
    read: (m, c) => ymd(Number(m[1]), Number(m[2]), Number(m[3]), c),
  },
  {
    re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})${ORD}(?!\\d)(?:,?\\s+(\\d{4}))?`, 'g'),
    digits: true,
    read: (m, c) => md(MONTH_WORDS[m[1] ?? ''], Number(m[2]), m[3], c),
  },
  {
    digits: true,
    re: new RegExp(
      `\\b(\\d{1,2})${ORD}\\s*(?:of\\s+|de\\s+|del\\s+)?${MONTH}(?:\\s+(?:de\\s+|del\\s+)?(\\d{4}))?`,
      'g',
    ),
    read: (m, c) => md(MONTH_WORDS[m[2] ?? ''], Number(m[1]), m[3], c),
  },
  {
    re: /\b(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/])/g,
    digits: true,
    read: (m, c) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const dayFirst = m[2] === '.' || a > 12 || (b <= 12 && c.dayFirst);
      return dayFirst ? md(b, a, m[4], c) : md(a, b, m[4], c);
    },
  },
  {
    re: /\b(pasado manana|apres demain|ubermorgen|uebermorgen)\b/g,
    read: (_m, c) => plusDays(c, 2),
  },
  { re: /\b(tomorrow|tmrw|manana|demain|morgen)\b/g, read: (_m, c) => plusDays(c, 1) },
  {
    re: /\b(next week|la semana que viene|la proxima semana|la semaine prochaine|nachste woche|naechste woche|nachsten woche)\b/g,
    read: (_m, c) => nextWeekday(c, 1),
  },
  {
    re: new RegExp(
      `\\b(?:in|en|dans)\\s+${NUM}\\s+(days?|weeks?|dias?|semanas?|jours?|semaines?|tagen?|wochen?)\\b`,
      'g',
    ),
    read: (m, c) => {
      const raw = m[1] ?? '';
      const n = /^\d+$/.test(raw) ? Number(raw) : NUMBER_WORDS[raw];
      if (n === undefined) return undefined;
      const week = /^(week|semana|semaine|woche)/.test(m[2] ?? '');
      return plusDays(c, week ? n * 7 : n);
    },
  },
  {
    re: new RegExp(
      `\\b(?:(next|proximo|prochain|nachsten|naechsten|kommenden)\\s+)?${WEEKDAY}\\b(\\s+(?:prochain|que viene|proximo))?`,
      'g',
    ),
    read: (m, c) =>
      nextWeekday(c, WEEKDAY_WORDS[m[2] ?? ''] ?? 1, m[1] !== undefined || m[3] !== undefined),
  },
  {
    re: /\b(christmas eve|nochebuena|heiligabend|reveillon)\b/g,
    read: (_m, c) => md(12, 24, undefined, c),
  },
  {
    re: /\b(christmas|xmas|navidad|noel|weihnachten)\b/g,
    read: (_m, c) => md(12, 25, undefined, c),
  },
  {
    re: /\b(?:the|el|le|au|du|dem|den|am|zum)\s+(\d{1,2})(st|nd|rd|th|er|\.)?(?![a-z\d])(?!\s*(?:%|\d|units?|pcs|items?|euros?|dollars?|h\b|uhr|am\b|pm\b|:))/g,
    digits: true,
    read: (m, c) => dayOfMonth(Number(m[1]), c),
  },
  {
    re: /\b(\d{1,2})(st|nd|rd|th)\b(?!\s*(?:floor|fl\b|storey|story|level|apt|unit|street|st\b|ave|avenue|place|birthday|anniversary|time|order|try))/g,
    digits: true,
    read: (m, c) => dayOfMonth(Number(m[1]), c),
  },
];

/**
 * Every pattern above needs a digit or one of these words: a note with none of
 * them has no date, and the patterns are not run.
 */
const HINT = new RegExp(
  `\\d|\\b(?:${[
    ...Object.keys(MONTH_WORDS),
    ...Object.keys(WEEKDAY_WORDS),
    'manana|demain|morgen|tomorrow|tmrw|ubermorgen|uebermorgen',
    'weeks?|semanas?|semaines?|wochen?|days?|dias?|jours?|tagen?',
    'christmas|xmas|navidad|noel|weihnachten|nochebuena|heiligabend|reveillon',
  ].join('|')})\\b`,
);

/** False when a normalized note has no digit and no date word: {@link findDates} would find nothing. */
export function mayHaveDate(text: string): boolean {
  return HINT.test(text);
}

/** What the reader needs: today in the store's zone and how to read `3/4`. */
export interface DateContext {
  /** Today, `YYYY-MM-DD`, in the store's time zone. */
  today: string;
  /** Read `3/4` as 3 April (true) or March 4 (false). */
  dayFirst: boolean;
}

/** A date found in a note. */
export interface FoundDate {
  date: string;
  start: number;
  end: number;
}

/** Builds the context for `now` in `timeZone` (UTC when the zone is unknown). */
export function dateContext(now: number, timeZone: string, dayFirst: boolean): DateContext {
  let today: string;
  try {
    today = localDate(timeZone, now);
  } catch {
    today = new Date(now).toISOString().slice(0, 10);
  }
  return { today, dayFirst };
}

/**
 * Every date in a normalized note, left to right, without overlaps (the first,
 * most specific pattern wins a span).
 *
 * @example
 * ```ts
 * findDates('ship after 20 de diciembre', { today: '2026-11-27', dayFirst: true });
 * // [{ date: '2026-12-20', start: 11, end: 26 }]
 * ```
 */
export function findDates(text: string, ctx: DateContext): FoundDate[] {
  const found: FoundDate[] = [];
  if (!mayHaveDate(text)) return found;
  const digits = /\d/.test(text);
  for (const p of PATTERNS) {
    if (!digits && p.digits) continue;
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      const date = p.read(m as unknown as RegExpExecArray, ctx);
      if (date !== undefined) found.push({ date, start, end });
    }
  }
  found.sort((a, b) => a.start - b.start);
  // "lunes 7 de diciembre", "Friday, Dec 4": a weekday right before a full date names the same day.
  return found.filter((f, i) => {
    const next = found[i + 1];
    return !(
      next &&
      WEEKDAY_ONLY.test(text.slice(f.start, f.end)) &&
      /^[\s,]{0,2}$/.test(text.slice(f.end, next.start))
    );
  });
}

const WEEKDAY_ONLY = new RegExp(
  `^(?:(?:next|proximo|prochain|nachsten|naechsten|kommenden)\\s*)?${WEEKDAY}$`,
);

function parts(today: string): [number, number, number] {
  return [Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10))];
}

function fmt(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function ymd(y: number, m: number, d: number, _c: DateContext): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
  return fmt(y, m, d);
}

/** Month and day, with the year given or the next such date on or after today. */
function md(
  month: number | undefined,
  day: number,
  year: string | undefined,
  c: DateContext,
): string | undefined {
  if (month === undefined) return undefined;
  const [ty, tm, td] = parts(c.today);
  if (year !== undefined)
    return ymd(year.length === 2 ? 2000 + Number(year) : Number(year), month, day, c);
  const y = month < tm || (month === tm && day < td) ? ty + 1 : ty;
  return ymd(y, month, day, c);
}

function plusDays(c: DateContext, n: number): string {
  const [y, m, d] = parts(c.today);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return fmt(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * The first `weekday` (0 = Sunday) strictly after today. With `next`, a day
 * that still falls in the current week (Monday to Sunday) moves a week on:
 * "next Saturday" said on a Friday is eight days later.
 */
function nextWeekday(c: DateContext, weekday: number, next = false): string {
  const [y, m, d] = parts(c.today);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  let ahead = (weekday - dow + 7) % 7 || 7;
  const daysToSunday = (7 - dow) % 7;
  if (next && ahead <= daysToSunday) ahead += 7;
  return plusDays(c, ahead);
}

/** The next `day` of a month on or after today. */
function dayOfMonth(day: number, c: DateContext): string | undefined {
  if (day < 1 || day > 31) return undefined;
  const [y, m, d] = parts(c.today);
  for (let i = 0; i < 3; i++) {
    const mm = ((m - 1 + i) % 12) + 1;
    const yy = y + Math.floor((m - 1 + i) / 12);
    if (i === 0 && day < d) continue;
    const out = ymd(yy, mm, day, c);
    if (out !== undefined) return out;
  }
  return undefined;
}
