import { createHmac, timingSafeEqual } from 'node:crypto';
import { type HeadersLike, shopifyHeaderValues } from './headers';

/** The legacy header carrying the webhook signature. */
export const SHOPIFY_HMAC_HEADER = 'X-Shopify-Hmac-Sha256';
/** The unprefixed header carrying the same signature in Shopify's newer deliveries. */
export const SHOPIFY_HMAC_HEADER_UNPREFIXED = 'shopify-hmac-sha256';

/** Why a webhook failed verification. */
export type WebhookRejection = 'missing_signature' | 'bad_signature' | 'no_secrets';

/** The outcome of {@link verifyShopifyWebhook}. */
export type WebhookVerification =
  | { ok: true /** Which secret matched (0 = the first). */; secretIndex: number }
  | { ok: false; reason: WebhookRejection };

/**
 * Verifies a Shopify webhook: `shopify-hmac-sha256` or `X-Shopify-Hmac-Sha256` MUST
 * be the base64 HMAC-SHA256 of the raw body bytes (exactly as received, before any
 * JSON parsing) keyed with one of `secrets` (pass the new and the old secret during a
 * rotation). Compares in constant time; header names are case-insensitive.
 *
 * When both headers are present, the delivery is authentic if either carries a valid
 * signature: Shopify sends the same value in both, its own libraries disagree on which
 * one to read (`@shopify/shopify-api` and `shopify_app` read the unprefixed one first,
 * `shopify-app-python` and `shopify-app-php` the legacy one), and neither can be forged
 * without the secret.
 *
 * @example
 * ```ts
 * const check = verifyShopifyWebhook(rawBody, req.headers, [process.env.SHOPIFY_SECRET!]);
 * if (!check.ok) return res.status(401).send(check.reason);
 * ```
 */
export function verifyShopifyWebhook(
  rawBody: Uint8Array | string,
  headers: HeadersLike,
  secrets: readonly string[],
): WebhookVerification {
  const usable = secrets.filter((s) => typeof s === 'string' && s.length > 0);
  if (usable.length === 0) return { ok: false, reason: 'no_secrets' };
  const signatures = shopifyHeaderValues(headers, 'hmac');
  if (signatures.length === 0) return { ok: false, reason: 'missing_signature' };
  const given = signatures.map((h) => Buffer.from(h, 'base64')).filter((b) => b.length === 32);
  if (given.length === 0) return { ok: false, reason: 'bad_signature' };
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  let match = -1;
  // Check every secret against every signature (no early exit), so timing does not
  // reveal which one matched.
  usable.forEach((secret, i) => {
    const expected = createHmac('sha256', secret).update(body).digest();
    for (const g of given) if (timingSafeEqual(expected, g) && match === -1) match = i;
  });
  return match === -1 ? { ok: false, reason: 'bad_signature' } : { ok: true, secretIndex: match };
}

/** Signs `rawBody` as Shopify does (for tests and local tools). */
export function signShopifyWebhook(rawBody: Uint8Array | string, secret: string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return createHmac('sha256', secret).update(body).digest('base64');
}
