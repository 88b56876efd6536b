/**
 * Shared pieces of the fuzz tests (`fuzz-*.test.ts`): hostile text and bytes, structured
 * mutations of a valid payload (fields removed, retyped, replaced by hostile text), the
 * "typed error or nothing" oracle, and a runner that records each property as a row of
 * the reliability table.
 */
import { isFulfilError } from '@fulfil/core';
import fc from 'fast-check';
import { recordTrial, soak } from './report';

/** One UTF-16 code unit of any value: lone surrogates, NUL and controls included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Characters that broke parsers and databases before. */
const nasty = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufeff',
  '\ufffd',
  '\u2028',
  '\u202e',
  '😀',
  '👩‍👩‍👧',
  '"',
  '\\',
  '%',
  '..',
  '/',
  '\n',
  '\r\n',
);

/** Any UTF-16 text, weighted towards the characters that break things. */
export const hostileText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: codeUnit },
    { weight: 2, arbitrary: nasty },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 40,
});

/** Any JSON value whose strings and keys are hostile text (what `JSON.parse` may hand over). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1e21, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER),
    hostileText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** One way to damage a valid payload at one of its paths. */
type Mutation =
  | { op: 'remove'; at: number }
  | { op: 'retype'; at: number; value: unknown }
  | { op: 'text'; at: number; value: string }
  | { op: 'number'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: hostileJson }),
  fc.record({ op: fc.constant('text' as const), at: fc.nat(), value: hostileText }),
  fc.record({
    op: fc.constant('number' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -1, 2 ** 53, 1e308, Number.NaN, Number.POSITIVE_INFINITY),
    ),
  }),
);

/**
 * `valid` with 1–4 fields removed, retyped (any JSON, hostile text included), replaced by
 * hostile text or by odd numbers. Each mutation picks one path of the (current) value.
 */
export function mutated<T>(valid: T): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ops) => {
    let value: unknown = structuredClone(valid);
    for (const m of ops) value = apply(value, m);
    return value;
  });
}

function apply(root: unknown, m: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length] as (string | number)[];
  const replacement =
    m.op === 'remove' ? undefined : m.op === 'number' ? m.value : (m.value as unknown);
  if (path.length === 0) return m.op === 'remove' ? null : replacement;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (m.op === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return root;
}

/** Every path of a JSON value, the root first. */
function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) pathsOf(x, [...at, i], out);
  } else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

/** Arbitrary bytes, sometimes invalid UTF-8, sometimes a BOM or a JSON-looking prefix. */
export const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom('{', '[', '\ufeff{', '{"id":', '"', ''),
      fc.uint8Array({ maxLength: 60 }),
    )
    .map(([p, b]) => new Uint8Array([...Buffer.from(p), ...b])),
);

/** Text as the bytes a host hands over: UTF-8 of any UTF-16 (lone surrogates become U+FFFD). */
export const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** `JSON.stringify` of a value, or of `null` when it has none (`undefined`). */
export const jsonText = (v: unknown) => JSON.stringify(v) ?? 'null';

const BAD = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL's json/jsonb and text accept every string and key of `v`. */
export function storable(v: unknown): boolean {
  if (typeof v === 'string') return !BAD.test(v);
  if (Array.isArray(v)) return v.every(storable);
  if (v !== null && typeof v === 'object')
    return Object.entries(v).every(([k, x]) => !BAD.test(k) && storable(x));
  return true;
}

/** Throws `err` again unless it is a `FulfilError` (a typed, documented failure). */
export function typedOnly(err: unknown): void {
  if (!isFulfilError(err)) throw err;
}

/**
 * Runs `property` `numRuns` times, records one row for the reliability table, and fails the
 * test with fast-check's report (seed, counterexample, error) when the property broke.
 */
export async function fuzz<Ts extends [unknown, ...unknown[]]>(
  row: { area: string; fault: string; result: string },
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns });
  const ok = !details.failed;
  recordTrial({
    area: row.area,
    fault: row.fault,
    trials: details.numRuns,
    result: ok ? row.result : `FAILED: ${String(details.errorInstance).slice(0, 200)}`,
    ok,
  });
  if (!ok) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
}

/** Per-test timeout: the vitest default in a normal run, long enough for `pnpm soak`. */
export const FUZZ_TIMEOUT = soak ? 15 * 60_000 : 30_000;
