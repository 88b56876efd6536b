import { z } from 'zod';
import { FulfilError } from '../errors';

// Customer text at the boundary. PostgreSQL refuses a NUL character anywhere in text
// (22021) or JSON text (22P05 `unsupported Unicode escape sequence`), and a lone UTF-16
// surrogate in JSON (22P02), so one such character in an order note made every delivery of
// the order fail and the order was never stored. `sanitizeText` removes NULs and replaces
// lone surrogates with U+FFFD before an event is validated, and reports where it did.

/** One field `sanitizeText` changed. Never carries the text itself. */
export const TextRepair = z.object({
  /** Where, from the event's root, e.g. `order.note` or `order.lines[0].properties[1].value`. */
  path: z.string().max(400),
  /** The repair was to the object key at `path`, not to its value. */
  key: z.literal(true).optional(),
  /** NUL (U+0000) characters removed. */
  nul: z.number().int().nonnegative(),
  /** Lone UTF-16 surrogates replaced with U+FFFD. */
  surrogates: z.number().int().nonnegative(),
});
export type TextRepair = z.infer<typeof TextRepair>;

/** Most repairs listed one by one; the rest are summed up in one more entry. */
export const MAX_LISTED_REPAIRS = 50;
/** Deeper values are not walked: no event schema goes this deep (validation strips or refuses them). */
const MAX_DEPTH = 64;
/** Most values one input may hold (guards against shared sub-objects walked exponentially). */
const MAX_VALUES = 2_000_000;
const MAX_PATH = 300;

/** What {@link sanitizeText} returns. */
export interface SanitizedValue<T> {
  /** `input` itself when nothing changed, else a copy with only the changed branches copied. */
  value: T;
  /** Every changed string or key, in walk order (at most {@link MAX_LISTED_REPAIRS} + 1). */
  repairs: TextRepair[];
}

/**
 * Walks a JSON-like value (plain objects, arrays, strings, other primitives) and makes every
 * string and object key storable: NUL characters are removed and lone UTF-16 surrogates
 * are replaced with U+FFFD; well-formed text (emoji and other surrogate pairs included) is
 * left alone. Pure; `input` is never mutated, and when nothing needs changing it is returned
 * as is (no copy). Values other than plain objects and arrays (dates, class instances) are
 * not entered. Throws `INVALID_INPUT` for an input of more than two million values.
 *
 * @example
 * ```ts
 * const { value, repairs } = sanitizeText({ order: { note: 'ring\u0000 twice' } });
 * value.order.note; // 'ring twice'
 * repairs; // [{ path: 'order.note', nul: 1, surrogates: 0 }]
 * ```
 */
export function sanitizeText<T>(input: T): SanitizedValue<T> {
  // The hot path (every event, nearly always clean) only reads; paths and copies are made
  // by a second walk when something needs repair.
  if (!dirty(input, 0, { values: 0 })) return { value: input, repairs: [] };
  const walk = new Walk();
  const value = walk.visit(input, 0) as T;
  return { value, repairs: walk.listed() };
}

/** True when `text` holds a NUL or a lone surrogate. */
export function needsRepair(text: string): boolean {
  return text.includes('\0') || !isWellFormed(text);
}

/** `String.prototype.isWellFormed` (ES2024, native and fast) where the runtime has it. */
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const isWellFormed: (text: string) => boolean = nativeWellFormed
  ? (text) => nativeWellFormed.call(text)
  : (text) => !BAD_SURROGATE.test(text);

const BAD_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `text` repaired, with the counts of each repair. */
function repair(text: string): { text: string; nul: number; surrogates: number } {
  let out = '';
  let from = 0;
  let nul = 0;
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) {
      out += text.slice(from, i);
      from = i + 1;
      nul++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      out += `${text.slice(from, i)}\uFFFD`;
      from = i + 1;
      surrogates++;
    }
  }
  return { text: out + text.slice(from), nul, surrogates };
}

/** True when some string or key in `v` needs repair. */
function dirty(v: unknown, depth: number, count: { values: number }): boolean {
  if (++count.values > MAX_VALUES) tooLarge();
  if (typeof v === 'string') return needsRepair(v);
  if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (dirty(v[i], depth + 1, count)) return true;
    return false;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  for (const key in o) if (needsRepair(key) || dirty(o[key], depth + 1, count)) return true;
  return false;
}

function tooLarge(): never {
  throw new FulfilError('INVALID_INPUT', `event holds more than ${MAX_VALUES} values`);
}

class Walk {
  private readonly path: (string | number)[] = [];
  private readonly repairs: TextRepair[] = [];
  private values = 0;

  visit(v: unknown, depth: number): unknown {
    if (++this.values > MAX_VALUES) tooLarge();
    if (typeof v === 'string') return needsRepair(v) ? this.fix(v, false) : v;
    if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) return v;
    if (Array.isArray(v)) return this.array(v, depth);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    return this.object(v as Record<string, unknown>, depth);
  }

  private array(a: unknown[], depth: number): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < a.length; i++) {
      this.path.push(i);
      const item = a[i];
      const next = this.visit(item, depth + 1);
      this.path.pop();
      if (next !== item && out === undefined) out = a.slice(0, i);
      if (out !== undefined) out.push(next);
    }
    return out ?? a;
  }

  private object(o: Record<string, unknown>, depth: number): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    for (const key in o) {
      if (!Object.hasOwn(o, key)) continue;
      const k = needsRepair(key) ? this.fix(key, true) : key;
      this.path.push(k);
      const item = o[key];
      const next = this.visit(item, depth + 1);
      this.path.pop();
      if ((next !== item || k !== key) && out === undefined) out = copyBefore(o, key);
      if (out !== undefined) define(out, k, next);
    }
    return out ?? o;
  }

  private fix(text: string, key: boolean): string {
    const r = repair(text);
    const path = key ? [...this.path, r.text] : this.path;
    this.repairs.push({
      path: pathOf(path),
      ...(key ? { key: true as const } : {}),
      nul: r.nul,
      surrogates: r.surrogates,
    });
    return r.text;
  }

  listed(): TextRepair[] {
    if (this.repairs.length <= MAX_LISTED_REPAIRS + 1) return this.repairs;
    const rest = this.repairs.slice(MAX_LISTED_REPAIRS);
    return [
      ...this.repairs.slice(0, MAX_LISTED_REPAIRS),
      {
        path: `(${rest.length} more fields)`,
        nul: rest.reduce((n, r) => n + r.nul, 0),
        surrogates: rest.reduce((n, r) => n + r.surrogates, 0),
      },
    ];
  }
}

/** A copy of `o`'s own entries that come before `stop` (same prototype: Object or null). */
function copyBefore(o: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.getPrototypeOf(o) === null ? Object.create(null) : {};
  for (const key in o) {
    if (key === stop) break;
    if (Object.hasOwn(o, key)) define(out, key, o[key]);
  }
  return out;
}

/** Sets an own, enumerable property (also for a key named `__proto__`). */
function define(o: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else (o as Record<string, unknown>)[key] = value;
}

/** `order.lines[0].title`; keys that are not plain names are quoted; long paths are cut. */
function pathOf(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  if (out === '') return '(root)';
  if (out.length <= MAX_PATH) return out;
  // Never cut a surrogate pair in half: the path is stored too.
  const end = isHigh(out.charCodeAt(MAX_PATH - 1)) ? MAX_PATH - 1 : MAX_PATH;
  return `${out.slice(0, end)}…`;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * An event as received, with its text made storable (see {@link sanitizeText}) and the
 * repairs listed in its `sanitized` field (after any the sender listed), so the decision's
 * explanation and the order's history say what was changed. Returns `input` itself when
 * nothing needed repair. `engine.ingest` calls it before validating an event.
 */
export function repairEventText(input: unknown): unknown {
  const { value, repairs } = sanitizeText(input);
  if (repairs.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value))
    return value;
  const prior = (value as { sanitized?: unknown }).sanitized;
  const listed = [...(Array.isArray(prior) ? prior : []), ...repairs];
  return { ...value, sanitized: listed.slice(0, MAX_LISTED_REPAIRS + 1) };
}

/**
 * Throws `CONFIG_INVALID` naming each path of `config` (e.g. `rules[3].actions[0].message`)
 * whose text holds a NUL or a lone surrogate: configuration ends up in records and commands,
 * which PostgreSQL could then never store. Configuration is refused rather than repaired, so
 * that its owner fixes it.
 */
export function assertStorableConfig(config: Record<string, unknown>): void {
  const { repairs } = sanitizeText(config);
  if (repairs.length === 0) return;
  const issues = repairs.map((r) => ({
    path: r.path,
    message: `${r.key ? 'key ' : ''}holds a NUL or a lone UTF-16 surrogate, which PostgreSQL cannot store`,
  }));
  throw new FulfilError(
    'CONFIG_INVALID',
    `${issues
      .slice(0, 5)
      .map((i) => i.path)
      .join(', ')}: ${issues[0]?.message}`,
    { details: { path: issues[0]?.path, issues } },
  );
}
