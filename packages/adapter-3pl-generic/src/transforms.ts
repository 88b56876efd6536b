import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mustParse, type Path, parsePath, readPath, type Scope } from './paths';

const NO_ARGS = [
  'upper',
  'lower',
  'trim',
  'string',
  'number',
  'integer',
  'minorToDecimal',
  'decimalToMinor',
  'lineMap',
  'first',
  'count',
] as const;

/** Every transform name, for error messages. */
export const TRANSFORM_NAMES = [
  ...NO_ARGS,
  'join',
  'split',
  'default',
  'date',
  'map',
  'truncate',
  'prefix',
  'hash',
  'lookup',
] as const;

const Json = z.json();
const PathString = z
  .string()
  .refine((t) => typeof parsePath(t) !== 'string', { message: 'not a valid path' });

/**
 * One named transform: a string for those without arguments (`"upper"`), else an
 * object with `fn` and its arguments (`{ "fn": "join", "separator": ", " }`).
 */
export const Transform = z.preprocess(
  (v) => (typeof v === 'string' ? { fn: v } : v),
  z.discriminatedUnion(
    'fn',
    [
      ...NO_ARGS.map((fn) => z.object({ fn: z.literal(fn) }).strict()),
      z.object({ fn: z.literal('join'), separator: z.string().default(' ') }).strict(),
      z.object({ fn: z.literal('split'), separator: z.string().min(1) }).strict(),
      z.object({ fn: z.literal('default'), value: Json }).strict(),
      z
        .object({
          fn: z.literal('date'),
          format: z.enum(['iso', 'date', 'epochMs', 'epochSeconds']),
        })
        .strict(),
      z
        .object({
          fn: z.literal('map'),
          values: z.record(z.string(), Json),
          fallback: Json.optional(),
        })
        .strict(),
      z.object({ fn: z.literal('truncate'), length: z.number().int().positive() }).strict(),
      z.object({ fn: z.literal('prefix'), value: z.string() }).strict(),
      z
        .object({
          fn: z.literal('lookup'),
          in: PathString,
          key: PathString,
          value: PathString,
        })
        .strict(),
      z
        .object({
          fn: z.literal('hash'),
          algorithm: z.enum(['sha256', 'sha1']).default('sha256'),
          length: z.number().int().min(8).max(64).default(32),
        })
        .strict(),
    ] as unknown as [z.ZodObject, ...z.ZodObject[]],
    { error: `unknown transform; use one of: ${TRANSFORM_NAMES.join(', ')}` },
  ),
);
export type Transform = { fn: (typeof TRANSFORM_NAMES)[number] } & Record<string, unknown>;

const CURRENCY_PATH: Path = mustParse('$.currency');

const parsed = new Map<string, Path>();
const pathOf = (text: string): Path => {
  let p = parsed.get(text);
  if (!p) {
    p = mustParse(text);
    parsed.set(text, p);
  }
  return p;
};

/** Decimal digits of a currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string | undefined): number {
  try {
    return (
      new Intl.NumberFormat('en', {
        style: 'currency',
        currency: currency ?? 'USD',
      }).resolvedOptions().maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * Encodes shipment lines as `lineId=sku*quantity;...` (each part URI-encoded):
 * a compact value a vendor stores in a tag or custom field and echoes back, so
 * shipped SKUs can be attributed to the lines as sent.
 */
export function encodeLineMap(lines: unknown): string | undefined {
  if (!Array.isArray(lines)) return undefined;
  return lines
    .map((l: { lineId?: unknown; sku?: unknown; quantity?: unknown }) => {
      const id = encodeURIComponent(String(l.lineId ?? ''));
      return `${id}=${encodeURIComponent(String(l.sku ?? ''))}*${Number(l.quantity ?? 0)}`;
    })
    .join(';');
}

/** Reads what {@link encodeLineMap} wrote; undefined when it is not such a value. */
export function decodeLineMap(
  text: unknown,
): { lineId: string; sku: string; quantity: number }[] | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const out: { lineId: string; sku: string; quantity: number }[] = [];
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const star = part.lastIndexOf('*');
    if (eq <= 0 || star < eq) return undefined;
    const quantity = Number(part.slice(star + 1));
    if (!Number.isInteger(quantity) || quantity <= 0) return undefined;
    try {
      out.push({
        lineId: decodeURIComponent(part.slice(0, eq)),
        sku: decodeURIComponent(part.slice(eq + 1, star)),
        quantity,
      });
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Applies one transform. `scope` gives access to the document (e.g. `$.currency`). */
export function applyTransform(t: Transform, value: unknown, scope: Scope): unknown {
  const str = (v: unknown) => (v === undefined || v === null ? v : String(v));
  switch (t.fn) {
    case 'upper':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'lower':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'trim':
      return typeof value === 'string' ? value.trim() : value;
    case 'string':
      return str(value);
    case 'number':
    case 'integer': {
      if (value === undefined || value === null || value === '') return undefined;
      const n = Number(value);
      if (!Number.isFinite(n)) return undefined;
      return t.fn === 'integer' ? Math.trunc(n) : n;
    }
    case 'minorToDecimal': {
      if (typeof value !== 'number') return value;
      const digits = currencyDigits(readPath(CURRENCY_PATH, scope) as string | undefined);
      return Number((value / 10 ** digits).toFixed(digits));
    }
    case 'decimalToMinor': {
      const n = Number(value);
      if (value === undefined || value === null || !Number.isFinite(n)) return undefined;
      const digits = currencyDigits(readPath(CURRENCY_PATH, scope) as string | undefined);
      return Math.round(n * 10 ** digits);
    }
    case 'lineMap':
      return encodeLineMap(value);
    case 'first':
      return Array.isArray(value)
        ? value.find((v) => v !== undefined && v !== null && v !== '')
        : value;
    case 'count':
      return Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
    case 'join':
      return Array.isArray(value)
        ? value.filter((v) => v !== undefined && v !== null && v !== '').join(t.separator as string)
        : value;
    case 'split':
      return typeof value === 'string' ? value.split(t.separator as string) : value;
    case 'default':
      return value === undefined || value === null || value === '' ? t.value : value;
    case 'date':
      return formatDate(value, t.format as string);
    case 'map': {
      const values = t.values as Record<string, unknown>;
      const key = String(value);
      if (Object.hasOwn(values, key)) return values[key];
      return 'fallback' in t ? t.fallback : value;
    }
    case 'truncate':
      return typeof value === 'string' ? value.slice(0, t.length as number) : value;
    case 'prefix':
      return value === undefined || value === null ? value : `${t.value as string}${value}`;
    case 'lookup': {
      // A join: the element of the list at `in` whose `key` equals the value; its `value` path.
      if (value === undefined || value === null) return undefined;
      const list = readPath(pathOf(t.in as string), scope);
      if (!Array.isArray(list)) return undefined;
      const key = pathOf(t.key as string);
      const hit = list.find((e) => {
        const k = readPath(key, { value: e, root: e });
        return k !== undefined && k !== null && String(k) === String(value);
      });
      return hit === undefined
        ? undefined
        : readPath(pathOf(t.value as string), { value: hit, root: hit });
    }
    case 'hash':
      return value === undefined || value === null
        ? value
        : createHash(t.algorithm as string)
            .update(String(value))
            .digest('hex')
            .slice(0, t.length as number);
  }
}

function formatDate(value: unknown, format: string): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    ms = n < 1e11 ? n * 1000 : n;
  } else ms = Date.parse(String(value));
  if (!Number.isFinite(ms)) return undefined;
  switch (format) {
    case 'epochMs':
      return ms;
    case 'epochSeconds':
      return Math.floor(ms / 1000);
    case 'date':
      return new Date(ms).toISOString().slice(0, 10);
    default:
      return new Date(ms).toISOString();
  }
}
