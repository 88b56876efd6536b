import type { OrderRecord } from '@fulfil/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { resolveActions } from './actions';
import { CONSOLE_CSS, CONSOLE_JS } from './assets';
import type { PageContext } from './layout';
import { type ConsoleOptions, type ConsoleUser, resolveOptions } from './options';
import { overviewData, rangeOf } from './overview-data';
import { commandsPage, errorPage, searchPage } from './pages/misc';
import { orderPage } from './pages/order';
import { overviewPage, overviewSection } from './pages/overview';
import { type ReviewEntry, reviewPage } from './pages/review';
import {
  CSRF_COOKIE,
  csrfCookie,
  isToken,
  randomToken,
  readCookie,
  SECURITY_HEADERS,
} from './security';

/**
 * The console as a Web-standard handler: give it a `Request` for any path under
 * `basePath`, get the `Response`. Mount it with `toNodeHandler` (Express, node:http) or
 * `toLambdaHandler` (API Gateway HTTP API / Function URL), or call it from any
 * fetch-style server.
 */
export type ConsoleHandler = (request: Request) => Promise<Response>;

type Env = { Variables: { ctx: PageContext } };

const User = z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() });

/**
 * Creates the operations console: the overview dashboard, the review queue with its
 * actions, order pages with the explained timeline, failed commands and search.
 *
 * Every request is authorized first (`authorize` → 401), every POST must carry the
 * CSRF token and come from the console's own origin (403), every response carries a
 * strict CSP (no inline script), `X-Frame-Options: DENY` and `nosniff`, and everything
 * read from orders is HTML-escaped.
 *
 * @throws FulfilError `CONFIG_INVALID` naming the bad option (e.g. a storage without the
 *   `insights` capability, a missing `authorize`).
 *
 * @example
 * ```ts
 * const handler = createConsole({
 *   engine,
 *   storage,
 *   basePath: '/ops',
 *   authorize: (request) => ssoUser(request), // { id, name } or null
 *   adminLinks: 'https://admin.shopify.com/store/{shop}/orders/{externalId}',
 * });
 * app.use('/ops', toNodeHandler(handler)); // Express
 * ```
 */
export function createConsole(options: ConsoleOptions): ConsoleHandler {
  const opts = resolveOptions(options);
  const base = opts.basePath;
  const root = new Hono<Env>({ strict: false });
  const app = base === '' ? root : root.basePath(base);
  const stylesheet = `${base}/assets/console.css`;

  app.use('*', async (c, next) => {
    let user: ConsoleUser | null | undefined;
    try {
      user = await opts.authorize(c.req.raw);
    } catch {
      user = null;
    }
    const parsed = user ? User.safeParse(user) : undefined;
    if (!parsed?.success) {
      return c.html(
        errorPage(401, 'Unauthorized', 'Sign in to use the operations console.'),
        401,
        opts.wwwAuthenticate ? { 'www-authenticate': opts.wwwAuthenticate } : {},
      );
    }
    const url = new URL(c.req.url);
    const cookie = readCookie(c.req.header('cookie') ?? null, CSRF_COOKIE);
    const csrf = isToken(cookie) ? cookie : randomToken();
    c.set('ctx', { options: opts, user: parsed.data as ConsoleUser, csrf, url });
    await next();
    if (csrf !== cookie) {
      const secure = opts.secureCookie === 'auto' ? url.protocol === 'https:' : opts.secureCookie;
      c.res.headers.append('set-cookie', csrfCookie(csrf, base || '/', secure));
    }
  });

  app.get('/assets/console.js', (c) =>
    c.body(CONSOLE_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'private, max-age=300',
    }),
  );
  app.get('/assets/console.css', (c) =>
    c.body(CONSOLE_CSS, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'private, max-age=300',
    }),
  );

  app.get('/', async (c) => {
    const ctx = c.get('ctx');
    const data = await overviewData(opts, rangeOf(c.req.query('range')));
    if (c.req.query('fragment') === '1') return c.html(overviewSection(ctx, data).value);
    return c.html(overviewPage(ctx, data).value);
  });
  app.get('/api/overview', async (c) =>
    c.json(await overviewData(opts, rangeOf(c.req.query('range')))),
  );

  app.get('/review', async (c) => {
    const ctx = c.get('ctx');
    const reason = c.req.query('reason') || undefined;
    const cursor = c.req.query('cursor') || undefined;
    const queue = await opts.insights.reviewQueue({
      limit: opts.pageSize,
      now: opts.clock.now(),
      ...(reason !== undefined ? { reason } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    const machine = opts.engine.config.machine;
    const entries: ReviewEntry[] = await Promise.all(
      queue.items.map(async (item) => {
        const [record, history] = await Promise.all([
          opts.storage.load(item.orderId),
          opts.storage.history(item.orderId),
        ]);
        const entered = history.findLast((h) => machine.kind(h.to) === 'review' && h.from !== h.to);
        return { item, record, entered: entered ?? history.at(-1) };
      }),
    );
    return c.html(
      reviewPage(ctx, queue, entries, {
        ...(reason !== undefined ? { reason } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      }).value,
    );
  });

  app.get('/orders/:id', async (c) => {
    const ctx = c.get('ctx');
    const id = c.req.param('id');
    const record: OrderRecord | undefined = await opts.storage.load(id);
    if (!record) return c.html(errorPage(404, 'Not found', `No order ${id}.`, stylesheet), 404);
    const [history, commands] = await Promise.all([
      opts.storage.history(id),
      opts.insights.orderCommands(id),
    ]);
    return c.html(orderPage(ctx, record, history, commands).value);
  });

  app.get('/commands', async (c) => {
    const ctx = c.get('ctx');
    const cursor = c.req.query('cursor') || undefined;
    const failed = await opts.insights.failedCommands({
      includeRetrying: true,
      limit: opts.pageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    return c.html(commandsPage(ctx, failed, cursor).value);
  });

  app.get('/search', async (c) => {
    const ctx = c.get('ctx');
    const text = (c.req.query('q') ?? '').trim().slice(0, 200);
    const hits = text === '' ? [] : await opts.insights.search({ text, limit: 20 });
    const only = hits.length === 1 ? hits[0] : undefined;
    if (only) return c.redirect(`${base}/orders/${encodeURIComponent(only.orderId)}`, 303);
    return c.html(searchPage(ctx, text, hits).value);
  });

  resolveActions(app, opts, stylesheet);

  root.notFound((c) => c.html(errorPage(404, 'Not found', 'No such page.', stylesheet), 404));
  root.onError((err, c) => {
    if (isBadQuery(err))
      return c.html(errorPage(400, 'Bad request', 'The query is not valid.', stylesheet), 400);
    opts.onError(err);
    return c.html(
      errorPage(500, 'Error', 'Something went wrong; the server log has the details.', stylesheet),
      500,
    );
  });

  return async (request: Request): Promise<Response> => {
    const res = await root.fetch(request);
    const headers = new Headers(res.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/**
 * A read-model `INVALID_INPUT` (a malformed cursor, say) is the client's mistake: 400. Matched
 * on the code, not the class: the storage may come from another copy of `@fulfil/core`.
 */
function isBadQuery(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'INVALID_INPUT';
}
