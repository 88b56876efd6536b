import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { Signature } from './schema';

/** A signature scheme as written (defaults may be omitted). */
export type SignatureScheme = z.input<typeof Signature>;

type Headers = Record<string, string | string[] | undefined>;

/** Reads a header case-insensitively (the first value when repeated). */
export function header(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function keyOf(secret: string, encoding: 'utf8' | 'base64'): Buffer {
  return encoding === 'base64'
    ? Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
    : Buffer.from(secret, 'utf8');
}

/** The bytes that are signed: `signedContent` with `{body}` and `{header.NAME}` filled. */
function content(template: string, body: Buffer, headers: Headers): Buffer | string {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(body|header\.[^{}]+)\}/g)) {
    parts.push(Buffer.from(template.slice(last, m.index), 'utf8'));
    const name = m[1]!;
    if (name === 'body') parts.push(body);
    else {
      const value = header(headers, name.slice('header.'.length));
      if (value === undefined) return `missing header ${name.slice('header.'.length)}`;
      parts.push(Buffer.from(value, 'utf8'));
    }
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(Buffer.from(template.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** The result of {@link verifySignature}. */
export type SignatureCheck = { ok: true; secretIndex: number } | { ok: false; reason: string };

/**
 * Verifies a webhook's HMAC signature against every secret (pass the new and
 * the old one during a rotation). Constant-time comparison; the header may hold
 * several signatures (`separator`), each with an optional `prefix` (`sha256=`, `v1,`).
 */
export function verifySignature(
  scheme: z.output<typeof Signature>,
  rawBody: Uint8Array | string,
  headers: Headers,
  now: number,
): SignatureCheck {
  const value = header(headers, scheme.header)?.trim();
  if (!value) return { ok: false, reason: `missing ${scheme.header} header` };
  if (scheme.timestamp) {
    const raw = header(headers, scheme.timestamp.header);
    const ts = Number(raw);
    if (!raw || !Number.isFinite(ts))
      return { ok: false, reason: `missing or bad ${scheme.timestamp.header}` };
    const ms = scheme.timestamp.unit === 'seconds' ? ts * 1000 : ts;
    if (Math.abs(now - ms) > scheme.timestamp.toleranceSeconds * 1000)
      return { ok: false, reason: 'timestamp outside the tolerance (replayed or clock skew)' };
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const signed = content(scheme.signedContent, body, headers);
  if (typeof signed === 'string') return { ok: false, reason: signed };
  const given = (scheme.separator ? value.split(scheme.separator) : [value])
    .map((s) => s.trim())
    .filter((s) => scheme.prefix === undefined || s.startsWith(scheme.prefix))
    .map((s) => Buffer.from(scheme.prefix ? s.slice(scheme.prefix.length) : s, scheme.encoding));
  let match = -1;
  scheme.secrets.forEach((secret, i) => {
    const expected = createHmac(scheme.algorithm, keyOf(secret, scheme.secretEncoding))
      .update(signed)
      .digest();
    for (const g of given) {
      if (g.length === expected.length && timingSafeEqual(g, expected) && match === -1) match = i;
    }
  });
  return match === -1 ? { ok: false, reason: 'bad signature' } : { ok: true, secretIndex: match };
}

/**
 * Signs a body as the scheme describes, with `secret` (for fake servers, tests
 * and local tools). Returns the header value, prefix included.
 */
export function signWebhook(
  scheme: z.output<typeof Signature>,
  rawBody: Uint8Array | string,
  headers: Headers,
  secret: string,
): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const signed = content(scheme.signedContent, body, headers);
  if (typeof signed === 'string') throw new Error(signed);
  const digest = createHmac(scheme.algorithm, keyOf(secret, scheme.secretEncoding))
    .update(signed)
    .digest(scheme.encoding);
  return `${scheme.prefix ?? ''}${digest}`;
}
