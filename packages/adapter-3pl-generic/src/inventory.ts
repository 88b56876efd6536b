import { FulfilError } from '@fulfil/core';
import { path, readField, readString, records, rootScope } from './mapping';
import { readPath } from './paths';
import type { ResolvedConfig } from './schema';
import type { PageRef, Transport } from './transport';

type InventoryOp = NonNullable<ResolvedConfig['operations']['inventory']>;

const unreadable = (name: string, message: string, details: Record<string, unknown> = {}) =>
  new FulfilError('ADAPTER_FAILED', `${name}: ${message}`, {
    details: { ...details, retryable: false, reason: 'unreadable_inventory' },
  });

/**
 * Where the next page is, from the `paging.next` value of a page: a link (an
 * absolute URL or a path) is followed only on the host and under the path of
 * `baseUrl` (never to a foreign host); any other string is a cursor sent as
 * `cursorParam`. Undefined when there is no next page.
 */
export function nextPage(
  value: unknown,
  paging: NonNullable<InventoryOp['paging']>,
  baseUrl: string,
  name: string,
): PageRef | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw unreadable(name, `the next-page value at ${paging.next} is not a string`);
  if (!/^(https?:)?\/|^\?/i.test(value))
    return { path: '', query: { [paging.cursorParam]: value } };
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const url = new URL(value, base);
  const basePath = base.pathname;
  // A link may repeat the base path (`/2025-07/...`) or be relative to it.
  const inside = url.pathname.startsWith(basePath) || `${url.pathname}/` === basePath;
  if (url.origin !== base.origin || !inside)
    throw unreadable(
      name,
      `the next-page link "${value}" leaves ${base.origin}${basePath}; not followed`,
    );
  return {
    path: url.pathname.slice(basePath.length),
    query: Object.fromEntries(url.searchParams),
  };
}

/**
 * Reads stock per location and SKU, following pages. A body whose records
 * cannot be found (`response.each` names no list) or a record without a SKU, a
 * location or a whole number of units is a non-retryable `ADAPTER_FAILED`
 * naming the path: never an empty answer that reads as "no stock".
 */
export async function readInventory(
  config: ResolvedConfig,
  transport: Transport,
  skus: string[],
): Promise<Record<string, Record<string, number>>> {
  const op = config.operations.inventory!;
  const { name } = config;
  const wanted = new Set(skus);
  const out: Record<string, Record<string, number>> = {};
  let at: PageRef | undefined;
  const seen = new Set<string>();
  for (let page = 0; ; page++) {
    if (page >= (op.paging?.maxPages ?? 1))
      throw unreadable(name, `inventory has more than ${op.paging?.maxPages} pages; not read`);
    const { data } = await transport.call('inventory', { skus: skus.join(',') }, undefined, {}, at);
    readPage(data);
    const next = op.paging
      ? nextPage(readPath(path(op.paging.next), rootScope(data)), op.paging, config.baseUrl, name)
      : undefined;
    if (!next) return out;
    const key = JSON.stringify(next);
    if (seen.has(key)) throw unreadable(name, 'the inventory pages loop back; not read');
    seen.add(key);
    at = next;
  }

  function readPage(data: unknown): void {
    const each = [op.response.each].flat();
    const lists = each.map((e) => {
      const container = e.split('[*]')[0]!.replace(/\.$/, '');
      return container === '' || container === '$'
        ? data
        : readPath(path(container), rootScope(data));
    });
    if (!lists.some(Array.isArray))
      throw unreadable(
        name,
        `the inventory answer has no list where operations.inventory.response.each (${each.join(' | ')}) reads; got ${describe(data)}`,
      );
    for (const scope of records(op.response.each, rootScope(data))) {
      const vendorLoc = readString(op.response.locationId, scope);
      const sku = readString(op.response.sku, scope);
      const units = Number(readField(op.response.units, scope));
      if (vendorLoc === undefined || sku === undefined || !Number.isFinite(units))
        throw unreadable(
          name,
          `an inventory record has no ${sku === undefined ? 'SKU' : vendorLoc === undefined ? 'location id' : 'number of units'} (operations.inventory.response)`,
          { record: JSON.stringify(scope.value).slice(0, 300) },
        );
      if (wanted.size > 0 && !wanted.has(sku)) continue;
      const loc = config.locations ? config.locations[vendorLoc] : vendorLoc;
      if (loc === undefined) continue;
      out[loc] ??= {};
      out[loc][sku] = (out[loc][sku] ?? 0) + Math.trunc(units);
    }
  }
}

function describe(data: unknown): string {
  if (Array.isArray(data)) return 'an array';
  if (data !== null && typeof data === 'object')
    return `an object with keys ${Object.keys(data).slice(0, 8).join(', ') || '(none)'}`;
  return typeof data;
}
