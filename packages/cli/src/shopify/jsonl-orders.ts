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

/** Orders held back waiting for line items that come later in the file. */
const WINDOW = 1000;

/**
 * Reads the JSONL a Shopify bulk operation writes for an orders query, a line at a time:
 * each order is one line (`"id": "gid://shopify/Order/..."`) and each of its line items a
 * line carrying `"__parentId"` (the order's id). Children always come after their parent but
 * not necessarily right after it (https://shopify.dev/docs/api/usage/bulk-operations/queries;
 * Shopify/shopify-api-ruby#729), so the last 1,000 orders are held until newer ones push them
 * out; a line item whose order left that window is reported and skipped. Fields are those of
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
  const pending = new Map<string, { node: Node; items: Node[]; row: number }>();
  let row = 0;
  let seen = 0;
  let orders = 0;
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
      const order = pending.get(parent);
      if (order) order.items.push(node);
      else
        options.onProblem({
          row,
          message: `line item of ${parent}, which is not among the last ${WINDOW} orders read; skipped`,
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
    pending.set(node.id, { node, items: [], row });
    if (pending.size > WINDOW) {
      const [id, oldest] = pending.entries().next().value as [
        string,
        { node: Node; items: Node[]; row: number },
      ];
      pending.delete(id);
      const done = toOrder(oldest, options);
      if (done) {
        orders++;
        yield done;
      }
    }
  }
  if (seen === 0) throw new FulfilError('INVALID_INPUT', 'the file is empty');
  for (const c of pending.values()) {
    const done = toOrder(c, options);
    if (done) {
      orders++;
      yield done;
    }
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
