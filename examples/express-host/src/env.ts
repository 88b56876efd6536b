import { FulfilError } from '@fulfil/core';

/**
 * Reads `SHOPIFY_LOCATIONS`: a JSON object from Shopify location (gid or numeric
 * id) to engine location id. Undefined when unset; `CONFIG_INVALID` naming the
 * problem when it is not such an object.
 *
 * @example
 * ```ts
 * parseLocations('{"gid://shopify/Location/1001":"main"}'); // { 'gid://shopify/Location/1001': 'main' }
 * ```
 */
export function parseLocations(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(`not JSON: ${(cause as Error).message}`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('must be a JSON object of location id → engine location id');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' || v.trim() === '' || !/^(gid:\/\/shopify\/Location\/)?\d+$/.test(k))
      throw invalid(`"${k}": keys must be Shopify location ids and values engine location ids`);
    out[k] = v;
  }
  return out;
}

function invalid(message: string, cause?: unknown): FulfilError {
  return new FulfilError('CONFIG_INVALID', `SHOPIFY_LOCATIONS: ${message}`, {
    cause,
    details: { path: 'env.SHOPIFY_LOCATIONS' },
  });
}
