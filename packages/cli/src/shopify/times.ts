/**
 * Epoch ms of a Shopify export time (`2025-10-07 09:50:26 +0200`) or an ISO 8601 time;
 * undefined for an empty cell; NaN when unreadable.
 */
export function parseShopifyTime(value: string | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:([+-]\d{2}):?(\d{2})|(Z|UTC))?$/.exec(
      v,
    );
  if (!m) return Number.NaN;
  const offset = m[3] === undefined ? 'Z' : `${m[3]}:${m[4]}`;
  return Date.parse(`${m[1]}T${m[2]}${offset}`);
}

/** A time as Shopify's export writes it, in UTC: `2025-10-07 07:50:26 +0000`. */
export function formatShopifyTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}
