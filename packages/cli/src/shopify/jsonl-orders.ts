import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  type GraphqlOrder,
  graphqlOrderToPayload,
  normalizeShopifyOrder,
  parseLosslessJson,
  parseShopifyOrderPayload,
} from '@fulfil/adapter-shopify';
import { FulfilError } from '@fulfil/core';
import { completeOrder, type ReadOptions, type SourceOrder } from './source-order';
import { parseShopifyTime } from './times';

type Node = Record<string, unknown>;

/**
 * Reads the JSONL a Shopify bulk operation writes for an orders query, a line at a time:
 * each order is one line (`"id": "gid://shopify/Order/..."`) and each of its line items a
 * later line carrying `"__parentId"` (the order's id). Fields are those of
 * `adapter-shopify`'s `GraphqlOrder` (`name`, `createdAt`, `displayFinancialStatus`,
 * `currencyCode`, `shippingAddress`, ...), plus `processedAt`, `cancelledAt` and
 * `riskLevel` when selected. Ids are read losslessly. A line that is not JSON, or a line
 * item whose parent is not the order being read, is reported and skipped.
 */
export async function* readShopifyJsonl(
  input: Readable,
  options: ReadOptions,
): AsyncGenerator<SourceOrder> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let current: { node: Node; items: Node[]; row: number } | undefined;
  let row = 0;
  let seen = 0;
  let orders = 0;
  const flush = () => {
    const c = current;
    current = undefined;
    return c ? toOrder(c, options) : undefined;
  };
  for await (const text of lines) {
    row++;
    if (text.trim() === '') continue;
    seen++;
    let node: Node;
    try {
      const parsed = parseLosslessJson(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      node = parsed as Node;
    } catch (err) {
      options.onProblem({ row, message: `not a JSON object (${(err as Error).message}); skipped` });
      continue;
    }
    const parent = node.__parentId;
    if (typeof parent === 'string') {
      if (current && current.node.id === parent) current.items.push(node);
      else
        options.onProblem({
          row,
          message: `line item of ${parent}, which is not the order being read; skipped`,
        });
      continue;
    }
    if (typeof node.id !== 'string' || !node.id.includes('/Order/')) {
      options.onProblem({
        row,
        message:
          'neither an order (id gid://shopify/Order/...) nor a line item (__parentId); skipped',
      });
      continue;
    }
    const done = flush();
    if (done) {
      orders++;
      yield done;
    }
    current = { node, items: [], row };
  }
  if (seen === 0) throw new FulfilError('INVALID_INPUT', 'the file is empty');
  const last = flush();
  if (last) {
    orders++;
    yield last;
  }
  if (orders === 0) throw new FulfilError('INVALID_INPUT', 'no readable order in the file');
}

function toOrder(
  c: { node: Node; items: Node[]; row: number },
  options: ReadOptions,
): SourceOrder | undefined {
  const name = typeof c.node.name === 'string' ? c.node.name : String(c.node.id);
  try {
    const graphql = { ...c.node, lineItems: { nodes: c.items } } as unknown as GraphqlOrder;
    const created = parseShopifyTime(graphql.createdAt);
    const paidAt = parseShopifyTime(c.node.processedAt as string | undefined);
    const cancelledAt = parseShopifyTime(graphql.cancelledAt ?? undefined);
    const payload = graphqlOrderToPayload(graphql);
    // Arrives as it was then: the cancellation is replayed at its time.
    payload.cancelled_at = null;
    const { payload: parsed } = parseShopifyOrderPayload(payload, `line ${c.row}`);
    const order = normalizeShopifyOrder(parsed, { shop: options.shop ?? 'shopify-export' });
    return {
      order: completeOrder(order, {
        ...(options.kits ? { kits: options.kits } : {}),
        ...(typeof c.node.riskLevel === 'string' ? { riskLevel: c.node.riskLevel } : {}),
      }),
      row: c.row,
      ...(paidAt !== undefined && !Number.isNaN(paidAt) && created !== undefined && paidAt > created
        ? { paidAt }
        : {}),
      ...(cancelledAt !== undefined && !Number.isNaN(cancelledAt) ? { cancelledAt } : {}),
      ...(typeof graphql.cancelReason === 'string'
        ? { cancelReason: graphql.cancelReason.toLowerCase() }
        : {}),
    };
  } catch (err) {
    options.onProblem({ row: c.row, message: `order ${name}: ${(err as Error).message}; skipped` });
    return undefined;
  }
}
