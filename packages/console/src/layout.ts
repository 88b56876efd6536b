import { html, type SafeHtml } from './html';
import type { ConsoleUser, ResolvedOptions } from './options';
import { CSRF_FIELD } from './security';

/** What every page renderer gets for one request. */
export interface PageContext {
  options: ResolvedOptions;
  user: ConsoleUser;
  /** The CSRF token of this browser (also in its cookie). */
  csrf: string;
  url: URL;
}

/** A path inside the console: `href(ctx, '/orders/x')` → `/ops/orders/x`. */
export function href(ctx: PageContext, path: string): string {
  return `${ctx.options.basePath}${path}` || '/';
}

/** An order page link; the id is URL-encoded (ids may hold `/`, `#`, `?`). */
export function orderHref(ctx: PageContext, orderId: string): string {
  return href(ctx, `/orders/${encodeURIComponent(orderId)}`);
}

/** The hidden CSRF field every POST form carries. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}">`;
}

/** The page shell: header with navigation and search, the content, the console's script. */
export function page(
  ctx: PageContext,
  options: {
    title: string;
    active?: 'overview' | 'review' | 'commands' | 'search' | 'order';
    body: SafeHtml;
  },
): SafeHtml {
  const nav = (key: 'overview' | 'review' | 'commands', path: string, label: string) =>
    html`<a href="${href(ctx, path)}" class="${options.active === key ? 'active' : ''}">${label}</a>`;
  const q = options.active === 'search' ? (ctx.url.searchParams.get('q') ?? '') : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title} · ${ctx.options.title} console</title>
<link rel="stylesheet" href="${href(ctx, '/assets/console.css')}">
<script src="${href(ctx, '/assets/console.js')}" defer></script>
</head>
<body>
<header class="top">
<span class="brand">${ctx.options.title} console</span>
${nav('overview', '/', 'Overview')}
${nav('review', '/review', 'Review queue')}
${nav('commands', '/commands', 'Failed commands')}
<form method="get" action="${href(ctx, '/search')}" role="search">
<input type="search" name="q" value="${q}" placeholder="order id, #1001 or store id" aria-label="Search orders">
<button type="submit">Search</button>
</form>
<span class="user" data-user="${ctx.user.id}">${ctx.user.name ?? ctx.user.id}</span>
</header>
<main>
${options.body}
</main>
</body>
</html>`;
}

/** Messages of the codes action redirects put in `done` / `error` (fixed text: never echoed input). */
export const FLASH = {
  approve: 'Approved: the order goes on.',
  cancel: 'Cancelled.',
  route: 'Routed to the chosen location.',
  release_hold: 'Holds released.',
  retry: 'The command is queued again and was offered to the dispatcher.',
  duplicate: 'Already done: this form was sent before, nothing was repeated.',
  not_applied:
    'Nothing changed: the order was not waiting for that (it may have moved on meanwhile).',
  invalid: 'The form was incomplete or invalid.',
  retry_refused: 'That command cannot be retried (it is done or unknown).',
} as const;
export type FlashCode = keyof typeof FLASH;

/** A flash message from the `done` / `error` codes (and `order`) set by action redirects. */
export function flash(ctx: PageContext): SafeHtml | null {
  const done = ctx.url.searchParams.get('done');
  const error = ctx.url.searchParams.get('error');
  const order = ctx.url.searchParams.get('order');
  const about = order ? html` <a href="${orderHref(ctx, order)}">${order}</a>` : null;
  if (error && Object.hasOwn(FLASH, error))
    return html`<div class="flash error" role="alert" data-flash="${error}">${FLASH[error as FlashCode]}${about}</div>`;
  if (done && Object.hasOwn(FLASH, done))
    return html`<div class="flash" role="status" data-flash="${done}">${FLASH[done as FlashCode]}${about}</div>`;
  return null;
}
