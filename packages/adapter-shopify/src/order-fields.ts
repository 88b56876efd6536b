import { FulfilError, Timestamp } from '@fulfil/core';
import { currencyDigits } from './money';
import type { ShopifyOrderPayload } from './payload';

/** Order-level fields of a Shopify payload that need more than a type check. */

/** The order currency: `currency`, else the shop-money currency of a total. */
export function currencyOf(p: ShopifyOrderPayload): string {
  const code = [
    p.currency,
    p.total_price_set?.shop_money.currency_code,
    p.current_total_price_set?.shop_money.currency_code,
    p.subtotal_price_set?.shop_money.currency_code,
  ]
    .map((c) => c?.trim().toUpperCase())
    .find((c) => c && /^[A-Z]{3}$/.test(c));
  if (!code) {
    throw new FulfilError(
      'INVALID_INPUT',
      `body.currency: must be a 3-letter ISO 4217 code, got ${JSON.stringify(p.currency ?? null)}`,
      { details: { path: 'body.currency' } },
    );
  }
  currencyDigits(code);
  return code;
}

/** `admin_graphql_api_id` when it names this order, else the gid built from the id. */
export function externalIdOf(
  gid: string | null | undefined,
  numericId: string,
  notes: string[],
): string {
  const built = `gid://shopify/Order/${numericId}`;
  if (!gid || gid === built) return built;
  if (
    /^gid:\/\/shopify\/Order\/\d+$/.test(gid) &&
    gid.slice(gid.lastIndexOf('/') + 1) === numericId
  )
    return gid;
  notes.push(
    `admin_graphql_api_id: "${gid.slice(0, 60)}" does not name order ${numericId}; used ${built}`,
  );
  return built;
}

/** An ISO 8601 timestamp with an offset, as the core keeps it; other dates are converted. */
export function timestamp(v: string | null | undefined, path: string, notes: string[]) {
  const s = v?.trim();
  if (!s) return undefined;
  if (Timestamp.safeParse(s).success) return s;
  const t = Date.parse(s);
  if (Number.isNaN(t)) {
    notes.push(`${path}: ignored unreadable date ${JSON.stringify(s.slice(0, 40))}`);
    return undefined;
  }
  return new Date(t).toISOString();
}
