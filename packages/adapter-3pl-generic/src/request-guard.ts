import { FulfilError } from '@fulfil/core';

/** A header value we send: visible ASCII, spaces and tabs only (no CR/LF, no non-ASCII). */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/** An RFC 9110 token (header names). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const invalid = (message: string, details: Record<string, unknown>): FulfilError =>
  new FulfilError('INVALID_INPUT', message, { details: { ...details, retryable: false } });

/**
 * Fills a path template: each `{name}` becomes its value percent-encoded as one
 * segment. An empty value, `.` or `..` (which URL resolution would turn into a
 * different path: `/orders/..` is `/`, and WHATWG URL parsing treats `%2e%2e`
 * as `..` too) is refused with a non-retryable `INVALID_INPUT` instead of being
 * sent to another endpoint.
 */
export function fillPath(
  template: string,
  vars: Record<string, string | undefined>,
  where: string,
): string {
  const path = template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined || value === '' || value === '.' || value === '..')
      throw invalid(
        `${where}: {${name}} is ${value === undefined || value === '' ? 'empty' : `"${value}"`}, which cannot be sent as a path segment; the request was not sent`,
        { placeholder: name, value: value ?? '' },
      );
    return encodeURIComponent(value);
  });
  const dots = path
    .split('?')[0]!
    .split('/')
    .find((s) => /^(\.|%2e){1,2}$/i.test(s));
  if (dots !== undefined)
    throw invalid(`${where}: the filled path "${path}" has a "${dots}" segment; not sent`, {
      path,
    });
  return path;
}

/**
 * Checks header names and values before a request is built: fetch refuses a
 * CR/LF or a character above U+00FF with a TypeError (which would look like a
 * network fault and be retried in vain) and sends other non-ASCII bytes as
 * Latin-1 the vendor cannot read. Throws a non-retryable `INVALID_INPUT`.
 */
export function checkHeaders(headers: Record<string, string>, where: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw invalid(`${where}: "${name}" is not a valid header name; not sent`, { header: name });
    if (!HEADER_VALUE.test(value))
      throw invalid(
        `${where}: header "${name}" has a character that cannot be sent (non-ASCII, CR, LF or control); not sent`,
        { header: name },
      );
  }
}

/** The same checks for configuration (static headers, auth values): `CONFIG_INVALID`. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name`;
  if (!HEADER_VALUE.test(value))
    return `header "${name}" has a character that cannot be sent (non-ASCII, CR, LF or control)`;
  return undefined;
}
