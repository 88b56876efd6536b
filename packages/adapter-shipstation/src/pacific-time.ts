/**
 * ShipStation API v1 writes and reads date-times as wall-clock time in
 * US Pacific time (PST/PDT) without an offset, e.g. `2026-11-27T01:00:00.1230000`.
 * These helpers convert between that and epoch milliseconds.
 */

/** The zone ShipStation v1 dates are in. */
export const SHIPSTATION_TIME_ZONE = 'America/Los_Angeles';

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: SHIPSTATION_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Pacific wall-clock fields of `ms`. */
function wall(ms: number) {
  const out: Record<string, number> = {};
  for (const p of parts.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour!,
    minute: out.minute!,
    second: out.second!,
    ms: ((ms % 1000) + 1000) % 1000,
  };
}

/** Offset of Pacific time from UTC at `ms`, in ms (e.g. -8 h in winter). */
function offsetAt(ms: number): number {
  const w = wall(ms);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms) - ms;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Formats epoch ms as a Pacific wall-clock time, `YYYY-MM-DD HH:mm:ss` (the
 * form ShipStation's date filters take). Seconds are truncated.
 */
export function toPacificFilter(ms: number): string {
  const w = wall(ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Formats epoch ms as the date (`YYYY-MM-DD`) it is in Pacific time. */
export function toPacificDate(ms: number): string {
  const w = wall(ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Epoch ms of Pacific midnight starting the day `YYYY-MM-DD`. */
export function pacificMidnight(date: string): number {
  return fromPacific(`${date}T00:00:00`);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * Parses a ShipStation date-time as epoch ms: Pacific wall-clock time when it
 * has no offset (`2026-11-27T01:00:00.1230000` → 09:00:00.123Z), else as given
 * (`...Z`, `...-05:00`). Returns NaN when unreadable.
 */
export function fromPacific(text: string): number {
  const m = LOCAL.exec(text.trim());
  if (!m) return Date.parse(text);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const asUtc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    ms,
  );
  // Two passes find the offset in force at that wall time (DST changes included).
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess;
}
