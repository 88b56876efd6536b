/**
 * Request headers as frameworks hand them over: a Fetch `Headers`, Node's
 * `IncomingHttpHeaders` (lower-case keys, arrays for repeats) or a plain object
 * with any casing (AWS Lambda).
 */
export type HeadersLike =
  | Headers
  | Record<string, string | string[] | undefined>
  | ReadonlyMap<string, string>;

/** Reads one header case-insensitively; the first value when repeated. */
export function headerOf(headers: HeadersLike, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (typeof (headers as Headers).get === 'function') {
    const h = headers as Headers | ReadonlyMap<string, string>;
    if (h instanceof Map) {
      for (const [k, v] of h) if (k.toLowerCase() === lower) return v;
      return undefined;
    }
    return (h as Headers).get(lower) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[lower] ?? record[name];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value[0] : value;
}
