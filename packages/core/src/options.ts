/**
 * Validating the options of a public factory: one helper every package uses, so a
 * missing, mistyped or misspelt option always fails the same way (`CONFIG_INVALID`
 * naming the path, with "did you mean ...?" for a misspelt key) instead of a raw
 * `TypeError` somewhere later.
 *
 * @module
 */
import { z } from 'zod';
import { FulfilError, formatPath } from './errors';
import { closest } from './rules/suggest';

/** How {@link parseOptions} reads its input. */
export interface ParseOptionsSettings {
  /**
   * Accept `undefined` as `{}` (a factory whose options are all optional). Default
   * false: calling the factory without options names every required option.
   */
  optional?: boolean;
}

/**
 * Validates the options of a factory with `schema` (a `z.object`; keys it does not
 * declare are refused, so declare every option) and returns the parsed value, or
 * throws a `FulfilError` with code `CONFIG_INVALID` whose message names the factory,
 * each bad path and what was expected there. An unknown key gets a suggestion by edit
 * distance against the keys the schema knows at that place; a missing required option
 * says "required". `details.path` is the first bad path, `details.issues` lists them all.
 * Ports (objects with methods) are declared with {@link portOption}, which checks their
 * shape without copying them.
 *
 * @param schema - the options schema; a non-strict `z.object` is made strict.
 * @param input - what the caller passed (JavaScript callers can pass anything).
 * @param what - the factory's name, e.g. `createEngine`.
 *
 * @example
 * ```ts
 * const Options = z.object({ apiKey: z.string().min(1), timeoutMs: z.number().positive().default(5000) });
 * export function createThing(options: ThingOptions) {
 *   const o = parseOptions(Options, options, 'createThing');
 *   // createThing({ apiKye: 'x' }) throws:
 *   // CONFIG_INVALID: createThing options: apiKye: unknown option (did you mean "apiKey"?); apiKey: required, expected string
 * }
 * ```
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  settings: ParseOptionsSettings = {},
): z.output<S> {
  const strict = strictTop(schema);
  const given = input === undefined && settings.optional === true ? {} : input;
  if (given === undefined || given === null || typeof given !== 'object' || Array.isArray(given)) {
    const missing = given === undefined ? requiredKeys(strict) : [];
    const got = describe(given);
    const message =
      missing.length > 0
        ? `called without options; required: ${missing.join(', ')}`
        : `options must be an object, got ${got}`;
    const issues =
      missing.length > 0
        ? missing.map((key) => ({ path: key, message: 'required' }))
        : [{ path: '(root)', message }];
    throw new FulfilError('CONFIG_INVALID', `${what}: ${message}`, {
      details: { path: issues[0]?.path, issues },
    });
  }
  const result = strict.safeParse(given);
  if (result.success) return result.data as z.output<S>;
  const unknownKeys: { path: string; message: string }[] = [];
  const others: { path: string; message: string }[] = [];
  for (const issue of flattenUnions(result.error.issues)) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(strict, issue.path);
      for (const key of issue.keys) {
        const hint = closest(key, known);
        unknownKeys.push({
          path: formatPath([...issue.path, key]),
          message: `unknown option${hint ? ` (did you mean "${hint}"?)` : known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
        });
      }
      continue;
    }
    const value = valueAt(given, issue.path);
    const message =
      value === undefined && issue.code === 'invalid_type'
        ? `required, ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}`
        : value === undefined && issue.code === 'custom'
          ? `required, ${issue.message}`
          : issue.message;
    others.push({ path: formatPath(issue.path), message });
  }
  // A misspelt key explains the "required" that follows it, so it comes first.
  const issues = [...unknownKeys, ...others];
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
  throw new FulfilError('CONFIG_INVALID', `${what} options: ${summary}${more}`, {
    cause: result.error,
    details: { path: issues[0]?.path, issues },
  });
}

/**
 * A schema for an option that is a port: an object (or a function object) with the
 * given methods. It checks the shape only and returns the very object passed (a port
 * is never copied or parsed), so a wrong value fails at the factory with
 * `CONFIG_INVALID` instead of a `TypeError` at first use.
 *
 * @param kind - the port's name for messages, e.g. `Storage`.
 * @param methods - methods it MUST have.
 * @param hint - how to get one, e.g. `createMemoryStorage() or createPostgresStorage()`.
 *
 * @example
 * ```ts
 * const Options = z.object({
 *   storage: portOption<Storage>('Storage', ['load', 'commit'], 'createMemoryStorage()'),
 *   clock: portOption<Clock>('Clock', ['now']).optional(),
 * });
 * ```
 */
export function portOption<T>(
  kind: string,
  methods: readonly string[],
  hint?: string,
): z.ZodType<T, T> {
  const expected = `a ${kind}${methods.length > 0 ? ` (an object with ${methods.join(', ')})` : ''}${hint ? `, e.g. ${hint}` : ''}`;
  return z.custom<T>().superRefine((value, ctx) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      const got = value === undefined ? '' : `, got ${describe(value)}`;
      ctx.addIssue({ code: 'custom', message: `expected ${expected}${got}` });
      return;
    }
    const record = value as Record<string, unknown>;
    const lacking = methods.filter((m) => typeof record[m] !== 'function');
    if (lacking.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${expected}; missing method${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}`,
      });
    }
  }) as unknown as z.ZodType<T, T>;
}

/** A schema for an option that is a function (a hook, a fetch, a logger call). */
export function functionOption<T extends (...args: never[]) => unknown>(
  description = 'a function',
): z.ZodType<T, T> {
  return z.custom<T>((value) => typeof value === 'function', {
    message: `expected ${description}`,
  }) as unknown as z.ZodType<T, T>;
}

/**
 * Replaces a union failure by the issues of the branch the value was meant for (the one
 * whose type matched, e.g. the object branch of `false | { ... }`), so a misspelt key
 * inside it still gets its suggestion.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !Array.isArray(issue.errors)) return [issue];
    const typed = issue.errors.filter(
      (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
    );
    if (typed.length !== 1) return [issue];
    return flattenUnions(
      (typed[0] ?? []).map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue),
    );
  });
}

function strictTop<S extends z.ZodType>(schema: S): z.ZodType {
  const def = defOf(schema);
  if (def.type === 'object' && def.catchall === undefined) {
    return (schema as unknown as z.ZodObject).strict();
  }
  return schema;
}

interface Def {
  type?: string;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: unknown): Def {
  return ((schema as { _zod?: { def?: Def } })._zod?.def ?? {}) as Def;
}

/** The object schema under wrappers (optional, default, pipe, ...), if any. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let current = schema;
  for (let i = 0; i < 16 && current !== undefined; i++) {
    const def = defOf(current);
    if (def.type === 'object') return def.shape;
    if (def.type === 'union') {
      // `false | { ... }`: the keys of every object branch.
      const shapes = (def.options ?? []).map(objectShape).filter((x) => x !== undefined);
      return shapes.length === 0 ? undefined : Object.assign({}, ...shapes);
    }
    current = def.innerType ?? def.in;
  }
  return undefined;
}

/** The keys the schema declares at `path`, for suggestions. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const part of path) {
    let unwrapped: z.ZodType | undefined = current;
    for (let i = 0; i < 16 && unwrapped !== undefined; i++) {
      const def = defOf(unwrapped);
      if (def.type === 'object') {
        unwrapped = def.shape?.[String(part)];
        break;
      }
      if (def.type === 'array') {
        unwrapped = def.element;
        break;
      }
      if (def.type === 'record') {
        unwrapped = def.valueType;
        break;
      }
      if (def.type === 'union') {
        unwrapped = objectShape(unwrapped)?.[String(part)];
        break;
      }
      unwrapped = def.innerType ?? def.in;
    }
    current = unwrapped;
  }
  return Object.keys(objectShape(current) ?? {});
}

/** Top-level keys whose schema does not accept `undefined`. */
function requiredKeys(schema: z.ZodType): string[] {
  const shape = objectShape(schema) ?? {};
  return Object.entries(shape)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([key]) => key);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  // Never echo a string: it may be a secret passed in the wrong place.
  return typeof value === 'string' ? 'a string' : String(value);
}
