/**
 * Cheap wall-clock arithmetic in IANA time zones, for the `time.*` facts and
 * for `hold.untilFact` dates.
 *
 * One `Intl.DateTimeFormat` is kept per zone, and the zone's UTC offset is
 * cached per 15-minute bucket (every zone offset and transition in use falls
 * on a quarter hour), so a time fact costs two map look-ups and some integer
 * arithmetic once warm.
 *
 * @module
 */
import { FulfilError } from '../errors';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const BUCKET_MS = 15 * MS_PER_MINUTE;
const MAX_BUCKETS_PER_ZONE = 4096;

/** Weekday names as the `time.weekday` fact returns them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Sunday-first, as `Date#getUTCDay` numbers days. */
const BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new FulfilError('CONFIG_INVALID', `unknown time zone "${timeZone}"`, {
        cause,
        details: { path: 'timeZone' },
      });
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

function computeOffset(timeZone: string, epochMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of parts) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') mi = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(y, mo - 1, d, h % 24, mi, s) - wholeSecond;
}

/**
 * The offset of `timeZone` from UTC at `epochMs`, in milliseconds
 * (e.g. `-18_000_000` for New York in winter).
 *
 * @throws FulfilError `CONFIG_INVALID` when the zone is unknown.
 */
export function zoneOffset(timeZone: string, epochMs: number): number {
  let zone = offsets.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const bucket = Math.floor(epochMs / BUCKET_MS);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(timeZone, bucket * BUCKET_MS);
    if (zone.size >= MAX_BUCKETS_PER_ZONE) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

/** Wall-clock milliseconds: `epochMs` shifted so that UTC getters read local time. */
function localMs(timeZone: string, epochMs: number): number {
  return epochMs + zoneOffset(timeZone, epochMs);
}

/**
 * The weekday (`'mon'` ... `'sun'`) at `epochMs` in `timeZone`.
 *
 * @example
 * ```ts
 * localWeekday('America/New_York', Date.parse('2026-03-02T03:00:00Z')); // 'sun'
 * ```
 */
export function localWeekday(timeZone: string, epochMs: number): Weekday {
  const days = Math.floor(localMs(timeZone, epochMs) / MS_PER_DAY);
  return BY_UTC_DAY[(((days + 4) % 7) + 7) % 7] as Weekday;
}

/** The hour of day (0-23) at `epochMs` in `timeZone`. */
export function localHour(timeZone: string, epochMs: number): number {
  const local = localMs(timeZone, epochMs);
  return Math.floor((local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / MS_PER_HOUR);
}

let lastDay = Number.NaN;
let lastDate = '';

/** The calendar date (`YYYY-MM-DD`) at `epochMs` in `timeZone`. */
export function localDate(timeZone: string, epochMs: number): string {
  const day = Math.floor(localMs(timeZone, epochMs) / MS_PER_DAY);
  if (day !== lastDay) {
    lastDate = civilFromDays(day);
    lastDay = day;
  }
  return lastDate;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a date fact: a full ISO timestamp as is, or a bare `YYYY-MM-DD` as the
 * start of that day in `timeZone`. Returns `undefined` when it is not a date.
 *
 * @example
 * ```ts
 * parseZonedDate('2026-12-01', 'America/New_York'); // Date.parse('2026-12-01T05:00:00Z')
 * ```
 */
export function parseZonedDate(value: string, timeZone: string): number | undefined {
  const m = DATE_ONLY.exec(value);
  if (m === null) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utcMidnight)) return undefined;
  // Two passes: the offset at the guess may differ from the offset at local midnight (DST).
  let guess = utcMidnight - zoneOffset(timeZone, utcMidnight);
  guess = utcMidnight - zoneOffset(timeZone, guess);
  return guess;
}

/** Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's algorithm). */
function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
