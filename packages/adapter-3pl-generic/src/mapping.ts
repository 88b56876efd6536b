import { parseOrThrow } from '@fulfil/core';
import { z } from 'zod';
import { expandPath, mustParse, type Path, readPath, type Scope, writePath } from './paths';
import { type Field, MappingRule } from './schema';
import { applyTransform, type Transform } from './transforms';

const cache = new Map<string, Path>();
/** Parses a (validated) path once. */
export function path(text: string): Path {
  let p = cache.get(text);
  if (!p) {
    p = mustParse(text);
    cache.set(text, p);
  }
  return p;
}

/** A scope at the top of a document. */
export function rootScope(value: unknown): Scope {
  return { value, root: value };
}

function source(from: string | string[], scope: Scope): unknown {
  return Array.isArray(from)
    ? from.map((f) => readPath(path(f), scope))
    : readPath(path(from), scope);
}

function transformAll(value: unknown, transforms: Transform[] | undefined, scope: Scope): unknown {
  let v = value;
  for (const t of transforms ?? []) v = applyTransform(t, v, scope);
  return v;
}

/**
 * Builds a JSON body from `rules`, reading from `scope`. A rule whose value is
 * `undefined` (missing source, no default) writes nothing.
 */
export function applyRules(rules: MappingRule[], scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rule of rules) {
    let value: unknown;
    if (rule.each !== undefined) {
      value = expandPath(path(rule.each), scope).map((item) => applyRules(rule.fields ?? [], item));
    } else {
      const raw =
        rule.const !== undefined ? structuredClone(rule.const) : source(rule.from!, scope);
      value = transformAll(raw, rule.transform as Transform[] | undefined, scope);
    }
    if (value !== undefined) writePath(out, path(rule.to), value);
  }
  return out;
}

/** Reads one response field. */
export function readField(field: Field | undefined, scope: Scope): unknown {
  if (field === undefined) return undefined;
  const raw = field.const !== undefined ? field.const : source(field.from!, scope);
  return transformAll(raw, field.transform as Transform[] | undefined, scope);
}

/** Reads a field as a non-empty string (numbers become strings), else undefined. */
export function readString(field: Field | undefined, scope: Scope): string | undefined {
  const v = readField(field, scope);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/**
 * The records `each` names (the whole document when `each` is absent); with
 * several paths, those of the first path that names any.
 */
export function records(each: string | string[] | undefined, scope: Scope): Scope[] {
  if (each === undefined) return [scope];
  for (const p of [each].flat()) {
    const found = expandPath(path(p), scope);
    if (found.length > 0) return found;
  }
  return [];
}

/** Fills `{name}` placeholders; `encode` URI-encodes each value (path segments). */
export function fillTemplate(
  template: string,
  vars: Record<string, string | undefined>,
  encode: boolean,
): string {
  return template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    const v = vars[name] ?? '';
    return encode ? encodeURIComponent(v) : v;
  });
}

/**
 * Builds a JSON body from mapping rules (validated first: `CONFIG_INVALID`
 * names a bad rule) reading from `source`. Useful to preview what a
 * configuration sends.
 *
 * @example
 * ```ts
 * applyMapping([{ to: 'ship_to.country', from: 'shipTo.country', transform: 'upper' }], { shipTo: { country: 'us' } });
 * // { ship_to: { country: 'US' } }
 * ```
 */
export function applyMapping(
  rules: z.input<typeof MappingRule>[],
  source: unknown,
): Record<string, unknown> {
  const parsed = parseOrThrow(z.array(MappingRule), rules, 'rules', 'CONFIG_INVALID');
  return applyRules(parsed, rootScope(source));
}
