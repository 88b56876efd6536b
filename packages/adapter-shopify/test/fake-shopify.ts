import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeOrder, type FakeOrderSeed, fakeOperations, gid } from './fake-shopify-ops';
import { merchantActions, withStoreOperations } from './fake-shopify-store-ops';

export type { FakeOrderSeed } from './fake-shopify-ops';

/** One call the fake received. */
export interface FakeCall {
  operation: string;
  variables: Record<string, unknown>;
  throttled: boolean;
  requested: number;
  /** Points really spent (0 when throttled). */
  actual: number;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** Options of {@link startFakeShopify}. */
export interface FakeShopifyOptions {
  /** Bucket size. Default 1000. */
  maximumAvailable?: number;
  /** Points restored per second. Default 50. */
  restoreRate?: number;
  /** HTTP status of a THROTTLED answer (Shopify's is reportedly 200). Default 200. */
  throttledStatus?: 200 | 429;
  /** The access token to require. Default `shpat_test`. */
  accessToken?: string;
  /** Cost of each mutation. Default 10. */
  mutationCost?: number;
}

/**
 * A fake Shopify Admin GraphQL API on 127.0.0.1 (random port): enforces a cost
 * bucket as Shopify documents it (requested cost reserved up front, the unused
 * part refunded, restore per second, THROTTLED when the bucket cannot hold the
 * requested cost), answers the operations the adapter sends with realistic
 * payloads and `userErrors`, and records every call.
 */
export async function startFakeShopify(options: FakeShopifyOptions = {}) {
  const maximum = options.maximumAvailable ?? 1000;
  const rate = options.restoreRate ?? 50;
  const token = options.accessToken ?? 'shpat_test';
  const mutationCost = options.mutationCost ?? 10;
  let available = maximum;
  let last = performance.now();
  let seq = 1000;
  const orders = new Map<string, FakeOrder>();
  const calls: FakeCall[] = [];
  let staleWrites = 0;
  const run = withStoreOperations(fakeOperations(orders, () => ++seq).run, orders, () => ++seq, {
    failMetafieldsSetStale: () => staleWrites-- > 0,
  });

  const refill = () => {
    const now = performance.now();
    available = Math.min(maximum, available + ((now - last) / 1000) * rate);
    last = now;
  };
  const status = () => ({
    maximumAvailable: maximum,
    currentlyAvailable: Math.floor(available),
    restoreRate: rate,
  });

  function respond(res: ServerResponse, code: number, body: unknown) {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers['x-shopify-access-token'] !== token) {
      return respond(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    const { query, variables = {} } = JSON.parse(Buffer.concat(chunks).toString()) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const operation = /\{\s*(\w+)\s*[({]/.exec(query)?.[1] ?? 'unknown';
    const isMutation = /^\s*mutation\b/.test(query);
    const first = Number(variables.first ?? 1);
    const requested = isMutation ? mutationCost : operation === 'orders' ? 2 + first * 3 : 12;
    refill();
    if (requested > available) {
      calls.push({
        operation,
        variables,
        throttled: true,
        requested,
        actual: 0,
        at: performance.now(),
      });
      return respond(res, options.throttledStatus ?? 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: {
              code: 'THROTTLED',
              documentation: 'https://shopify.dev/api/usage/rate-limits',
            },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() },
        },
      });
    }
    available -= requested;
    const call: FakeCall = {
      operation,
      variables,
      throttled: false,
      requested,
      actual: requested,
      at: performance.now(),
    };
    calls.push(call);
    const { data, actual } = run(operation, variables, requested);
    call.actual = actual;
    available = Math.min(maximum, available + (requested - actual));
    respond(res, 200, {
      data,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status() },
      },
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    shop: 'acme-outdoor.myshopify.com',
    token,
    endpoint: `http://127.0.0.1:${port}/admin/api/2025-07/graphql.json`,
    calls,
    /** Adds an order with one open fulfillment order holding all its lines. */
    seedOrder(seed: FakeOrderSeed) {
      orders.set(seed.id, {
        seed,
        tags: [...(seed.tags ?? [])],
        fulfillments: [],
        fulfillmentOrders: [
          {
            id: gid('FulfillmentOrder', `${seed.id.slice(0, 10)}${++seq}`),
            status: 'OPEN',
            locationId: 'gid://shopify/Location/1001',
            holds: [],
            lines: seed.lines.map((l) => ({
              id: gid('FulfillmentOrderLineItem', `${l.id}${++seq}`),
              lineItemId: l.id,
              remaining: l.quantity,
            })),
          },
        ],
      });
    },
    order: (id: string) => orders.get(id),
    /** What a merchant does in the admin, with the webhook bodies Shopify sends for it. */
    merchant: merchantActions(orders, () => ++seq),
    /** The next `n` metafieldsSet calls answer STALE_OBJECT (a concurrent writer). */
    staleMetafieldWrites(n: number) {
      staleWrites = n;
    },
    /** Drains (or sets) the bucket. */
    setAvailable(points: number) {
      refill();
      available = points;
    },
    bucket() {
      refill();
      return { available, maximum, rate };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
