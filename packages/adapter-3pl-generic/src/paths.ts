/**
 * The small path language mappings use (data, never code):
 *
 * - `a.b.c` — fields, relative to the current scope;
 * - `a[0]` — an array index; `["odd key"]` — a key with dots or brackets;
 * - `tags[name=order_id].value` — the first array element whose field equals a value;
 * - `[*]` — every element (only in `each`, where it makes one record per element);
 * - a leading `$.` starts at the document root, each leading `^.` climbs to the parent record.
 */

/** One step of a path. */
export type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'match'; key: string; value: string }
  | { kind: 'all' };

/** A parsed path. `up` counts `^` steps; `root` means `$`. */
export interface Path {
  text: string;
  root: boolean;
  up: number;
  segments: Segment[];
}

/** A record being read: its value, the record it came from, and the document root. */
export interface Scope {
  value: unknown;
  parent?: Scope;
  root: unknown;
}

/** Parses a path; returns an error message instead of throwing. */
export function parsePath(text: string): Path | string {
  let rest = text.trim();
  let root = false;
  let up = 0;
  if (rest === '$') return { text, root: true, up: 0, segments: [] };
  if (rest.startsWith('$.') || rest.startsWith('$[')) {
    root = true;
    rest = rest.slice(rest[1] === '.' ? 2 : 1);
  }
  while (rest === '^' || rest.startsWith('^.') || rest.startsWith('^[')) {
    up++;
    rest = rest.slice(rest[1] === '.' ? 2 : 1);
  }
  const segments: Segment[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === '.') {
      if (i === 0 || rest[i + 1] === undefined || rest[i + 1] === '.')
        return `"${text}": empty field name`;
      i++;
      continue;
    }
    if (c === '[') {
      const end = closing(rest, i);
      if (end < 0) return `"${text}": unclosed "["`;
      const inner = rest.slice(i + 1, end);
      const seg = bracket(inner);
      if (typeof seg === 'string') return `"${text}": ${seg}`;
      segments.push(seg);
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++;
    const key = rest.slice(i, j);
    if (key.includes(']')) return `"${text}": unexpected "]"`;
    segments.push({ kind: 'key', key });
    i = j;
  }
  if (segments.length === 0 && !root && up === 0) return `"${text}": empty path`;
  return { text, root, up, segments };
}

function closing(s: string, open: number): number {
  if (s[open + 1] === '"') {
    const q = s.indexOf('"', open + 2);
    return q < 0 || s[q + 1] !== ']' ? -1 : q + 1;
  }
  return s.indexOf(']', open);
}

function bracket(inner: string): Segment | string {
  if (inner === '*') return { kind: 'all' };
  if (/^\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2)
    return { kind: 'key', key: inner.slice(1, -1) };
  const eq = inner.indexOf('=');
  if (eq > 0) return { kind: 'match', key: inner.slice(0, eq), value: inner.slice(eq + 1) };
  return `"[${inner}]" is not an index, [*], ["key"] or [field=value]`;
}

/** Parses a path or throws (for paths already validated with the config). */
export function mustParse(text: string): Path {
  const p = parsePath(text);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

function start(path: Path, scope: Scope): unknown {
  if (path.root) return scope.root;
  let s: Scope | undefined = scope;
  for (let n = 0; n < path.up; n++) s = s?.parent;
  return s?.value;
}

function step(value: unknown, seg: Segment): unknown {
  if (value === null || value === undefined) return undefined;
  switch (seg.kind) {
    case 'key':
      return typeof value === 'object' ? (value as Record<string, unknown>)[seg.key] : undefined;
    case 'index':
      return Array.isArray(value) ? value[seg.index] : undefined;
    case 'match':
      return Array.isArray(value)
        ? value.find(
            (v) =>
              v !== null &&
              typeof v === 'object' &&
              String((v as Record<string, unknown>)[seg.key]) === seg.value,
          )
        : undefined;
    case 'all':
      return value;
  }
}

/** Reads the value at `path` (undefined when any step is missing). */
export function readPath(path: Path, scope: Scope): unknown {
  let value = start(path, scope);
  for (const seg of path.segments) value = step(value, seg);
  return value;
}

/**
 * The records `path` names: one per element of each `[*]` and of the array at
 * the end (a non-array end value is one record). A record's parent (`^`) is the
 * object its array was read from, so `^.tags` reads a field beside the array.
 */
export function expandPath(path: Path, scope: Scope): Scope[] {
  let base: Scope | undefined = scope;
  for (let n = 0; n < path.up; n++) base = base?.parent;
  const first: Scope = path.root
    ? { value: scope.root, root: scope.root }
    : (base ?? { value: undefined, root: scope.root });
  interface Cursor {
    scope: Scope;
    value: unknown;
    holder: unknown;
  }
  const within = (c: Cursor): Scope =>
    c.holder === c.scope.value ? c.scope : { value: c.holder, parent: c.scope, root: c.scope.root };
  const spread = (list: Cursor[]): Cursor[] =>
    list.flatMap((c) => {
      if (!Array.isArray(c.value)) return [];
      const parent = within(c);
      return c.value.map((value) => {
        const child: Scope = { value, parent, root: parent.root };
        return { scope: child, value, holder: value };
      });
    });
  let current: Cursor[] = [{ scope: first, value: first.value, holder: first.value }];
  for (const seg of path.segments) {
    if (seg.kind === 'all') current = spread(current);
    else current = current.map((c) => ({ ...c, holder: c.value, value: step(c.value, seg) }));
  }
  return current.flatMap((c) => {
    if (c.value === undefined || c.value === null) return [];
    if (Array.isArray(c.value)) return spread([c]).map((x) => x.scope);
    return [
      c.holder === c.value ? c.scope : { value: c.value, parent: within(c), root: first.root },
    ];
  });
}

/** Writes `value` at `path` (keys and indexes only), creating objects and arrays on the way. */
export function writePath(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string, unknown> | unknown[] = target;
  path.segments.forEach((seg, i) => {
    const last = i === path.segments.length - 1;
    const next = path.segments[i + 1];
    const key = seg.kind === 'key' ? seg.key : seg.kind === 'index' ? seg.index : undefined;
    if (key === undefined)
      throw new Error(`"${path.text}": only fields and indexes can be written`);
    const bag = node as Record<string | number, unknown>;
    if (last) {
      bag[key] = value;
      return;
    }
    if (bag[key] === undefined || bag[key] === null || typeof bag[key] !== 'object')
      bag[key] = next?.kind === 'index' ? [] : {};
    node = bag[key] as Record<string, unknown>;
  });
}

/** True when a path can be a write target (fields and indexes, no `$`, `^`, `[*]` or filters). */
export function isWritable(path: Path): boolean {
  return (
    !path.root &&
    path.up === 0 &&
    path.segments.length > 0 &&
    path.segments.every((s) => s.kind === 'key' || s.kind === 'index')
  );
}
