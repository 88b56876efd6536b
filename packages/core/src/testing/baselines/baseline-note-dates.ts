const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(?:,?\\s+(\\d{4}))?';
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})\b/;
const MONTH_DAY = new RegExp(`^${MONTH}\\s+${DAY}\\b${YEAR}`);
const DAY_MONTH = new RegExp(`^${DAY}\\s+(?:of\\s+)?${MONTH}${YEAR}`);
const NUMERIC = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/;

/**
 * Reads an English date at the start of `text` ("Dec 20", "December 20th, 2026",
 * "20 Dec", "2026-12-20", "12/20") and returns it as `YYYY-MM-DD`. Without a year,
 * the next such date on or after today in `timeZone` is meant. Internal.
 */
export function findDate(text: string, now: number, timeZone: string): string | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/^(the|on)\s+/, '');
  const iso = ISO.exec(s);
  const md = MONTH_DAY.exec(s);
  const dm = DAY_MONTH.exec(s);
  const num = NUMERIC.exec(s);
  let parts: [number, number, number | undefined] | undefined;
  if (iso) parts = [Number(iso[2]), Number(iso[3]), Number(iso[1])];
  else if (md) parts = [MONTHS.indexOf(md[1] ?? '') + 1, Number(md[2]), year(md[3])];
  else if (dm) parts = [MONTHS.indexOf(dm[2] ?? '') + 1, Number(dm[1]), year(dm[3])];
  else if (num) parts = [Number(num[1]), Number(num[2]), year(num[3])];
  if (!parts) return undefined;
  const [month, day, given] = parts;
  const today = todayIn(now, timeZone);
  let y = given ?? today[0];
  if (given === undefined && (month < today[1] || (month === today[1] && day < today[2]))) y++;
  if (!valid(y, month, day)) return undefined;
  return `${String(y).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

function year(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.length === 2 ? 2000 + n : n;
}

function valid(y: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(y, month, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** [year, month, day] of `now` in `timeZone` (UTC when the zone is unknown). */
function todayIn(now: number, timeZone: string): [number, number, number] {
  let zone = 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    zone = timeZone;
  } catch {
    // unknown zone: read the date in UTC
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get('year'), get('month'), get('day')];
}
