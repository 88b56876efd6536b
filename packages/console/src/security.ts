import { timingSafeEqual } from 'node:crypto';

/** Name of the CSRF cookie (double-submit: the form's `_csrf` field must equal it). */
export const CSRF_COOKIE = 'fulfil_console_csrf';
/** Name of the CSRF form field. */
export const CSRF_FIELD = '_csrf';

/**
 * The Content-Security-Policy of every console response: scripts and styles only from the
 * console's own asset files (no inline script, no inline style, no eval), no frames, forms
 * only to itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers set on every response (pages, assets, JSON, errors). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** A fresh random token (base64url, 32 bytes). */
export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return Buffer.from(buf).toString('base64url');
}

/** Constant-time string equality (false for different lengths, without a timing hint on content). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A valid token looks like one {@link randomToken} made. */
export function isToken(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{32,64}$/.test(value);
}

/** The `Set-Cookie` value of the CSRF cookie (SameSite=Strict, HttpOnly, scoped to the console). */
export function csrfCookie(token: string, path: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=${path || '/'}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/**
 * Why a state-changing request is refused, or `undefined` when it may go on:
 * - its `Origin` (or, without one, its `Referer`) must be the request's own host or one of
 *   `allowedOrigins`; a request with neither is refused;
 * - the form field `_csrf` must equal the CSRF cookie (compared in constant time).
 */
export function csrfProblem(
  request: Request,
  form: FormData,
  allowedOrigins: readonly string[],
): string | undefined {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  const origin = request.headers.get('origin');
  const referer = request.headers.get('referer');
  const from = origin ?? (referer ? safeOrigin(referer) : undefined);
  if (!from || from === 'null') return 'the request has no Origin or Referer';
  const fromHost = safeHost(from);
  if (!(fromHost === host || fromHost === url.host || allowedOrigins.includes(from))) {
    return `origin ${from} is not this console's`;
  }
  const cookie = readCookie(request.headers.get('cookie'), CSRF_COOKIE);
  const field = form.get(CSRF_FIELD);
  if (!isToken(cookie)) return 'the CSRF cookie is missing';
  if (typeof field !== 'string' || !safeEqual(field, cookie))
    return 'the CSRF token does not match';
  return undefined;
}

function safeOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
