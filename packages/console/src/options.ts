import type { Clock, Engine, Insights, Storage } from '@fulfil/core';
import { FulfilError, parseOptions } from '@fulfil/core';
import { z } from 'zod';

/** The person signed in to the console. `id` becomes `by` on every action they take. */
export interface ConsoleUser {
  /** Stable id (an email, a username, an SSO subject). Recorded as `review.resolved.by`. */
  id: string;
  /** Shown in the header. Default: `id`. */
  name?: string;
}

/**
 * Decides who is asking. Return the user, or `null`/`undefined` to refuse (401); a throw
 * also refuses. Called for every request, assets included.
 */
export type Authorize = (
  request: Request,
) => ConsoleUser | null | undefined | Promise<ConsoleUser | null | undefined>;

/** What an admin link is built from (the order's store side). */
export interface AdminLinkOrder {
  orderId: string;
  /** The store the order came from (`order.source.store`, e.g. `acme.myshopify.com`). */
  store: string;
  /** The order's id in the store (`order.source.externalId`). */
  externalId: string;
  /** Store order name, e.g. `#1001`. */
  name?: string;
}

/**
 * Options of {@link createConsole}.
 */
export interface ConsoleOptions {
  /** The engine actions go through (`engine.ingest`); its machine and locations are drawn. */
  engine: Engine;
  /** The storage the engine uses. MUST have the `insights` capability (the read model). */
  storage: Storage;
  /**
   * Required. Who may use the console: a function returning the user (see {@link Authorize})
   * or, only to open it to everyone who can reach it (a loopback demo), the literal
   * `'anonymous-allowed'` (actions are then recorded `by: 'anonymous'`).
   */
  authorize: Authorize | 'anonymous-allowed';
  /** Where the console is mounted, e.g. `/ops` (default `/`). Every link and form uses it. */
  basePath?: string;
  /**
   * Link to the order in the store's admin: a template with `{store}`, `{shop}` (the store
   * without `.myshopify.com`), `{externalId}`, `{orderId}` and `{name}` (each URL-encoded),
   * e.g. `https://admin.shopify.com/store/{shop}/orders/{externalId}`, or a function. Only
   * `http(s)` results are shown.
   */
  adminLinks?: string | ((order: AdminLinkOrder) => string | undefined);
  /** Mask customer emails and addresses on every page (`a•••@example.com`, city and country only). */
  maskCustomer?: boolean;
  /** `WWW-Authenticate` header sent with 401 (e.g. `Basic realm="fulfil"`, see `basicAuth`). */
  wwwAuthenticate?: string;
  /**
   * Origins besides the request's own host allowed to POST (e.g. `https://ops.example.com`
   * when a proxy rewrites `Host`). Compared exactly.
   */
  allowedOrigins?: string[];
  /** The time "now" for charts and ages. Default the system clock (give the engine's simulated clock in demos). */
  clock?: Clock;
  /** How often the overview refreshes itself, ms, 1000..5000 (default 5000). */
  refreshMs?: number;
  /** Review queue page size, 1..200 (default 25). */
  pageSize?: number;
  /** States that mean "sent to the warehouse". Default: the machine's `active` states. */
  submittedStates?: string[];
  /** States that mean "shipped". Default: the machine's `done` states and the final states they lead to. */
  shippedStates?: string[];
  /** States that mean "waiting for a person". Default: the machine's `review` states. */
  reviewStates?: string[];
  /** Page title prefix (default `fulfil`). */
  title?: string;
  /**
   * Set the `Secure` flag on the CSRF cookie: `'auto'` (default) when the request URL is
   * https, or always / never.
   */
  secureCookie?: boolean | 'auto';
  /** Told about unexpected failures (answered 500 without details). Default `console.error`. */
  onError?: (error: unknown) => void;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  engine: Engine;
  storage: Storage;
  insights: Insights;
  authorize: Authorize;
  basePath: string;
  adminLink: (order: AdminLinkOrder) => string | undefined;
  maskCustomer: boolean;
  wwwAuthenticate?: string;
  allowedOrigins: string[];
  clock: Clock;
  refreshMs: number;
  pageSize: number;
  submittedStates: string[];
  shippedStates: string[];
  reviewStates: string[];
  title: string;
  secureCookie: boolean | 'auto';
  onError: (error: unknown) => void;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `must be ${what}`);

const Schema = z.object({
  engine: z.object(
    {
      ingest: fn('a function (an Engine from createEngine)'),
      config: z.object({ machine: z.object({ states: z.array(z.string()) }).loose() }).loose(),
    },
    'must be an Engine (createEngine)',
  ),
  storage: z.object(
    {
      insights: z.object(
        { reviewQueue: fn('a function'), summary: fn('a function') },
        'is missing: the storage lacks the `insights` capability the console reads from',
      ),
    },
    'must be a Storage',
  ),
  authorize: z.union([fn('a function (request) => user | null'), z.literal('anonymous-allowed')], {
    error: "is required: a function (request) => user | null, or 'anonymous-allowed'",
  }),
  basePath: z
    .string()
    .regex(/^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?\/?$/, 'must be a path like /ops')
    .optional(),
  adminLinks: z
    .union([z.string().regex(/^https?:\/\//, 'must start with https://'), fn('a function')])
    .optional(),
  maskCustomer: z.boolean().optional(),
  wwwAuthenticate: z.string().min(1).optional(),
  allowedOrigins: z
    .array(z.url().regex(/^https?:\/\/[^/]+$/, 'must be an origin like https://host'))
    .optional(),
  clock: z.object({ now: fn('a function') }).optional(),
  refreshMs: z.number().int().min(1000).max(5000).optional(),
  pageSize: z.number().int().min(1).max(200).optional(),
  submittedStates: z.array(z.string().min(1)).min(1).optional(),
  shippedStates: z.array(z.string().min(1)).min(1).optional(),
  reviewStates: z.array(z.string().min(1)).min(1).optional(),
  title: z.string().min(1).max(100).optional(),
  secureCookie: z.union([z.boolean(), z.literal('auto')]).optional(),
  onError: fn('a function').optional(),
} satisfies Record<keyof ConsoleOptions, z.ZodType>);

/** Validates the options (`CONFIG_INVALID` naming the path) and fills in defaults. */
export function resolveOptions(options: ConsoleOptions): ResolvedOptions {
  parseOptions(Schema, options, 'createConsole');
  const { engine, storage } = options;
  const insights = storage.insights as Insights;
  if (storage.capabilities?.insights !== true) {
    throw new FulfilError(
      'CONFIG_INVALID',
      'createConsole options: storage.capabilities.insights: the storage does not declare the `insights` capability',
      { details: { path: 'storage.capabilities.insights' } },
    );
  }
  const machine = engine.config.machine;
  const basePath = (options.basePath ?? '/').replace(/\/+$/, '');
  const authorize: Authorize =
    options.authorize === 'anonymous-allowed'
      ? () => ({ id: 'anonymous', name: 'anonymous' })
      : options.authorize;
  return {
    engine,
    storage,
    insights,
    authorize,
    basePath,
    adminLink: adminLinkOf(options.adminLinks),
    maskCustomer: options.maskCustomer ?? false,
    ...(options.wwwAuthenticate ? { wwwAuthenticate: options.wwwAuthenticate } : {}),
    allowedOrigins: options.allowedOrigins ?? [],
    clock: options.clock ?? { now: () => Date.now() },
    refreshMs: options.refreshMs ?? 5000,
    pageSize: options.pageSize ?? 25,
    submittedStates: options.submittedStates ?? [...machine.statesOfKind('active')],
    shippedStates: options.shippedStates ?? shippedStatesOf(engine),
    reviewStates: options.reviewStates ?? [...machine.statesOfKind('review')],
    title: options.title ?? 'fulfil',
    secureCookie: options.secureCookie ?? 'auto',
    onError: options.onError ?? ((error) => console.error('[@fulfil/console]', error)),
  };
}

/** `done` states and the final states reachable from them in one step (delivered, not cancelled). */
function shippedStatesOf(engine: Engine): string[] {
  const m = engine.config.machine;
  const done = m.statesOfKind('done');
  const out = new Set(done);
  for (const t of m.transitions) if (done.includes(t.from) && m.isFinal(t.to)) out.add(t.to);
  return out.size > 0 ? [...out] : ['shipped', 'delivered'];
}

function adminLinkOf(
  option: ConsoleOptions['adminLinks'],
): (order: AdminLinkOrder) => string | undefined {
  if (option === undefined) return () => undefined;
  const build =
    typeof option === 'function'
      ? option
      : (o: AdminLinkOrder) =>
          option.replace(/\{(store|shop|externalId|orderId|name)\}/g, (_, key: string) => {
            const value =
              key === 'shop'
                ? o.store.replace(/^https?:\/\//, '').replace(/\.myshopify\.com\/?$/i, '')
                : (o[key as keyof AdminLinkOrder] ?? '');
            return encodeURIComponent(value);
          });
  return (order) => {
    const url = build(order);
    // Never a javascript: or data: link, whatever the function returned.
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined;
  };
}
