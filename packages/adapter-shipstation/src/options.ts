import { parseOptions } from '@fulfil/core';
import type { HttpHooks, RateLimiter, RetryOptions } from '@fulfil/http';
import { z } from 'zod';

/** ShipStation API v1's production base URL. */
export const SHIPSTATION_BASE_URL = 'https://ssapi.shipstation.com';

/** ShipStation's documented limit: 40 requests per minute per API key. */
export const SHIPSTATION_RATE_LIMIT = { limit: 40, windowMs: 60_000 } as const;

/** Options of {@link createShipStationWarehouse}. Validated with zod; a bad one throws `CONFIG_INVALID` naming its path. */
export interface ShipStationOptions {
  /** The adapter's name: its key in `createEngine({ warehouses })` and the prefix of event keys. Default `shipstation`. */
  name?: string;
  /** API key (Basic auth user). Settings → Account → API Settings. */
  apiKey: string;
  /** API secret (Basic auth password). Redacted from every error. */
  apiSecret: string;
  /**
   * Default {@link SHIPSTATION_BASE_URL}. Point it at a fake in tests, or at a proxy. SHIP_NOTIFY
   * `resource_url`s on ShipStation's own hosts (`https://ssapi6.shipstation.com/...`) are read
   * from that host when this is a ShipStation host (production), and from this URL otherwise;
   * a `resource_url` on any other host is refused unread.
   */
  baseUrl?: string;
  /**
   * Core location id → ShipStation `warehouseId` (sent as `advancedOptions.warehouseId`).
   * The adapter serves exactly these locations; a shipment for another is rejected.
   */
  warehouseIds: Record<string, number>;
  /**
   * Secret expected in the webhook URL's query (`?token=...`), compared in constant
   * time. At least 16 characters. Without it `handleWebhook` refuses every call
   * and `capabilities.webhooks` is false.
   */
  webhookToken?: string;
  /** Query parameter carrying the token. Default `token`. */
  webhookTokenParam?: string;
  /**
   * The per-key limit. Default 40 per 60 000 ms. The server's `X-Rate-Limit-*`
   * headers are followed as well: when they say the window is spent, calls wait
   * for its reset.
   */
  rateLimit?: {
    limit?: number;
    windowMs?: number;
    /** Extra wait after a reported reset. Default 1 % of the window, at most 100 ms. */
    resetMarginMs?: number;
  };
  /**
   * The @fulfil/http limiter every call passes through (e.g. one with `redis` to
   * share the key's budget across processes). Default: a fixed window of `rateLimit`.
   */
  limiter?: RateLimiter;
  /** Retry policy for 429, 5xx, timeouts and network errors (short backoffs in tests). */
  retry?: RetryOptions;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Shipments per page when listing (1..500). Default 500. */
  pageSize?: number;
  /**
   * How far back `pollEvents` looks at most, whatever the watermark. Default 7 days:
   * a first poll after a restart (watermark 0) reads the last week of labels, not
   * the account's whole history (already ingested events are dropped by the engine's inbox).
   */
  pollLookbackMs?: number;
  /** Builds a tracking URL from a tracking number and ShipStation `carrierCode`. Default: none. */
  trackingUrl?: (trackingNumber: string, carrierCode: string) => string | undefined;
  /** Called for each polled shipment that is not from an order this adapter created. */
  onUnmatched?: (entry: { reason: string; details: Record<string, unknown> }) => void;
  /** HTTP metrics hooks. */
  hooks?: HttpHooks;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { message: `must be a function (${what})` });

const Schema = z.object({
  name: z.string().min(1).max(64).default('shipstation'),
  apiKey: z.string().min(1, 'is required'),
  apiSecret: z.string().min(1, 'is required'),
  baseUrl: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .default(SHIPSTATION_BASE_URL),
  warehouseIds: z
    .record(z.string().min(1), z.number().int().positive('must be a ShipStation warehouseId'))
    .refine((m) => Object.keys(m).length > 0, 'must map at least one location'),
  webhookToken: z.string().min(16, 'must be at least 16 characters').optional(),
  webhookTokenParam: z.string().min(1).default('token'),
  rateLimit: z
    .object({
      limit: z.number().int().positive().default(SHIPSTATION_RATE_LIMIT.limit),
      windowMs: z.number().int().positive().default(SHIPSTATION_RATE_LIMIT.windowMs),
      resetMarginMs: z.number().nonnegative().optional(),
    })
    .strict()
    .default({ limit: SHIPSTATION_RATE_LIMIT.limit, windowMs: SHIPSTATION_RATE_LIMIT.windowMs }),
  limiter: z
    .custom<RateLimiter>(
      (v) => typeof (v as RateLimiter | undefined)?.schedule === 'function',
      'must be a RateLimiter from @fulfil/http',
    )
    .optional(),
  retry: z
    .object({
      retries: z.number().int().nonnegative().optional(),
      minDelayMs: z.number().nonnegative().optional(),
      maxDelayMs: z.number().nonnegative().optional(),
      factor: z.number().positive().optional(),
      maxRetryAfterMs: z.number().nonnegative().optional(),
      maxRetryTimeMs: z.number().nonnegative().optional(),
    })
    .optional(),
  timeoutMs: z.number().int().positive().optional(),
  pageSize: z.number().int().min(1).max(500).default(500),
  pollLookbackMs: z
    .number()
    .int()
    .positive()
    .default(7 * 86_400_000),
  trackingUrl:
    fn<NonNullable<ShipStationOptions['trackingUrl']>>('number, carrier → URL').optional(),
  onUnmatched: fn<NonNullable<ShipStationOptions['onUnmatched']>>('entry → void').optional(),
  hooks: z.custom<HttpHooks>((v) => typeof v === 'object' && v !== null).optional(),
  fetch: fn<typeof fetch>('fetch').optional(),
});

/** Options after validation and defaults. */
export type ResolvedOptions = z.output<typeof Schema>;

/** Validates `options`; throws `CONFIG_INVALID` whose message and `details.path` name the bad field. */
export function resolveOptions(options: ShipStationOptions): ResolvedOptions {
  return parseOptions(Schema, options, 'createShipStationWarehouse');
}
