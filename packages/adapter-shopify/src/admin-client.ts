import {
  createHttpClient,
  createRateLimiter,
  type HttpClientOptions,
  type RateLimiter,
  UpstreamError,
} from '@fulfil/http';
import { checkAdminClientOptions } from './store-options';

/** Default Admin API version. */
export const SHOPIFY_API_VERSION = '2025-07';

/** Options of {@link createShopifyAdminClient}. */
export interface ShopifyAdminClientOptions {
  /** The shop domain, e.g. `acme.myshopify.com`. */
  shop: string;
  /** The Admin API access token (sent as `X-Shopify-Access-Token`, redacted from errors). */
  accessToken: string;
  /** Default {@link SHOPIFY_API_VERSION}. */
  apiVersion?: string;
  /** Full GraphQL endpoint, overriding shop and version (e.g. a local fake). */
  endpoint?: string;
  /**
   * The cost limiter. Default: a new `createRateLimiter({ kind: 'cost' })` per client.
   * Pass one with `redis` to share the shop's budget across processes.
   */
  limiter?: RateLimiter;
  /** Cost assumed for a query never seen before (then learned per query). Default 10. */
  defaultCost?: number;
  /** Retries after THROTTLED (each waits for the budget). Default 10. */
  throttleRetries?: number;
  /** Passed to the HTTP client (timeouts, retry policy, hooks, fetch). */
  http?: Omit<HttpClientOptions, 'baseUrl' | 'headers' | 'limiter'>;
}

/** `extensions.cost` of a response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** Per-call options. */
export interface GraphqlCallOptions {
  /** The cost to reserve; default: this query's last requested cost, else `defaultCost`. */
  cost?: number;
  /** Safe to resend after a timeout or 5xx? Default: true for queries, false for mutations. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

/** Counters since the client was created. */
export interface AdminClientStats {
  calls: number;
  throttled: number;
  pointsRequested: number;
  pointsActual: number;
}

/** The Admin GraphQL client. */
export interface ShopifyAdminClient {
  /**
   * Runs a query or mutation and returns `data`. Waits first until the budget holds
   * the query's cost; retries THROTTLED. Throws `UpstreamError` (`vendorCode` = the
   * first error's `extensions.code`) when the response has `errors`.
   */
  request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: GraphqlCallOptions,
  ): Promise<T>;
  readonly limiter: RateLimiter;
  stats(): AdminClientStats;
}

interface GraphqlBody {
  /** When the response arrived (`Date.now()`), for the limiter. */
  receivedAt?: number;
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
  extensions?: { cost?: QueryCost };
}

/**
 * Creates a Shopify Admin GraphQL client on `@fulfil/http` with cost-aware
 * throttling: every call reserves its expected cost in a cost limiter, which learns
 * the bucket size and restore rate from `extensions.cost.throttleStatus` (never
 * hard-coded) and lowers its estimate when the server reports less, minus the
 * calls still in flight (in every process sharing the limiter through Redis: the
 * server has not charged them yet). A THROTTLED answer (HTTP 200 or 429) refunds
 * the reservation and waits for the budget.
 *
 * @example
 * ```ts
 * const admin = createShopifyAdminClient({ shop: 'acme.myshopify.com', accessToken: process.env.SHOPIFY_TOKEN! });
 * const data = await admin.request<{ shop: { name: string } }>('query { shop { name } }');
 * ```
 */
export function createShopifyAdminClient(options: ShopifyAdminClientOptions): ShopifyAdminClient {
  checkAdminClientOptions(options);
  const version = options.apiVersion ?? SHOPIFY_API_VERSION;
  const endpoint =
    options.endpoint ??
    `https://${options.shop.replace(/^https?:\/\//, '')}/admin/api/${version}/graphql.json`;
  const limiter = options.limiter ?? createRateLimiter({ kind: 'cost' });
  const http = createHttpClient({
    vendor: 'shopify',
    ...options.http,
    baseUrl: endpoint,
    headers: { 'X-Shopify-Access-Token': options.accessToken },
  });
  const learned = new Map<string, number>();
  const stats: AdminClientStats = { calls: 0, throttled: 0, pointsRequested: 0, pointsActual: 0 };
  const defaultCost = options.defaultCost ?? 10;
  const maxThrottled = options.throttleRetries ?? 10;

  async function request<T>(
    query: string,
    variables?: Record<string, unknown>,
    call: GraphqlCallOptions = {},
  ): Promise<T> {
    const mutation = /^\s*mutation\b/.test(query);
    let cost = call.cost ?? learned.get(query) ?? defaultCost;
    for (let throttled = 0; ; throttled++) {
      const reserved = cost;
      const body = await limiter.schedule(async () => {
        stats.calls++;
        try {
          const res = await http.post<GraphqlBody>(
            '',
            variables ? { query, variables } : { query },
            {
              idempotent: call.idempotent ?? !mutation,
              signal: call.signal,
            },
          );
          if (typeof res.data !== 'object' || res.data === null) {
            throw new UpstreamError('response is not a GraphQL JSON object', {
              vendor: 'shopify',
              method: 'POST',
              url: endpoint,
              status: res.status,
              vendorCode: 'INVALID_RESPONSE',
              retryable: false,
              bodyExcerpt: res.text.slice(0, 200),
            });
          }
          return { ...res.data, receivedAt: Date.now() };
        } catch (err) {
          // A 429 whose body is a THROTTLED GraphQL answer (some report this status).
          if (err instanceof UpstreamError && err.status === 429) {
            return {
              errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
            } as GraphqlBody;
          }
          throw err;
        }
      }, reserved);
      const cost$ = body.extensions?.cost;
      const isThrottled = body.errors?.some((e) => e.extensions?.code === 'THROTTLED') ?? false;
      if (cost$) {
        learned.set(query, cost$.requestedQueryCost);
        cost = cost$.requestedQueryCost;
        stats.pointsRequested += cost$.requestedQueryCost;
        stats.pointsActual += cost$.actualQueryCost ?? 0;
        // Calls the limiter already admitted (in every process sharing it) and not yet
        // finished were charged after this figure or are about to be: count them as
        // spent, or the estimate lands above what the server has (THROTTLED).
        const inFlight = await runningWeight(limiter);
        await limiter.report({
          available: cost$.throttleStatus.currentlyAvailable - inFlight,
          maximum: cost$.throttleStatus.maximumAvailable,
          restoreRate: cost$.throttleStatus.restoreRate,
          reserved,
          actual: isThrottled ? 0 : (cost$.actualQueryCost ?? cost$.requestedQueryCost),
          observedAt: body.receivedAt,
        });
      }
      if (isThrottled) {
        stats.throttled++;
        options.http?.hooks?.onRateLimited?.({
          method: 'POST',
          url: endpoint,
          status: 200,
          retryAfterMs: undefined,
        });
        if (throttled < maxThrottled) continue;
      }
      if (body.errors && body.errors.length > 0) {
        const first = body.errors[0];
        const code = first?.extensions?.code;
        throw new UpstreamError(body.errors.map((e) => e.message ?? 'error').join('; '), {
          vendor: 'shopify',
          method: 'POST',
          url: endpoint,
          status: 200,
          vendorCode: code,
          retryable: code === 'THROTTLED' || code === 'INTERNAL_SERVER_ERROR',
          bodyExcerpt: JSON.stringify(body.errors).slice(0, 500),
          extra: { errors: body.errors },
        });
      }
      return (body.data ?? {}) as T;
    }
  }

  return { request, limiter, stats: () => ({ ...stats }) };
}

/** Units of the calls running through the limiter now (all processes when shared). */
async function runningWeight(limiter: RateLimiter): Promise<number> {
  try {
    // (bounded when shared through Redis, unlike bottleneck's own running())
    const running = await limiter.running();
    return Number.isFinite(running) && running > 0 ? running : 0;
  } catch {
    return 0; // a limiter that cannot say: the server's figure as is
  }
}

/** A mutation payload's `userErrors`. */
export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/**
 * Throws an `UpstreamError` when a mutation payload carries `userErrors` (Shopify
 * reports mutation failures there, with HTTP 200): `vendorCode` is the first
 * error's `code` (or `USER_ERROR`), the message lists every error with its field.
 */
export function assertNoUserErrors(
  mutation: string,
  payload: { userErrors?: UserError[] | null } | null | undefined,
): void {
  const errors = payload?.userErrors ?? [];
  if (payload === null || payload === undefined) {
    throw new UpstreamError(`${mutation}: empty payload`, {
      vendor: 'shopify',
      method: 'POST',
      url: mutation,
      status: 200,
      vendorCode: 'EMPTY_PAYLOAD',
      retryable: true,
    });
  }
  if (errors.length === 0) return;
  throw new UpstreamError(
    `${mutation}: ${errors.map((e) => `${(e.field ?? []).join('.') || '(input)'}: ${e.message}`).join('; ')}`,
    {
      vendor: 'shopify',
      method: 'POST',
      url: mutation,
      status: 200,
      vendorCode: errors[0]?.code ?? 'USER_ERROR',
      retryable: false,
      extra: { userErrors: errors },
    },
  );
}
