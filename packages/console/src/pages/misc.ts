import type { FailedCommandsPage, OrderSearchHit } from '@fulfil/core';
import { when } from '../format';
import { html, type SafeHtml } from '../html';
import { flash, href, orderHref, type PageContext, page } from '../layout';
import { commandsTable } from './order';

/** Search results (a single hit redirects to the order instead). */
export function searchPage(ctx: PageContext, text: string, hits: OrderSearchHit[]): SafeHtml {
  const body = html`<h1>Search</h1>
${text === '' ? html`<p class="muted">Search by order id, store order name (#1001) or the store's order id.</p>` : null}
${text !== '' && hits.length === 0 ? html`<p data-empty>No order matches “${text}”.</p>` : null}
${
  hits.length > 0
    ? html`<table data-table="search"><thead><tr><th>order</th><th>name</th><th>store</th><th>state</th><th>created</th></tr></thead><tbody>
${hits.map((h) => html`<tr><td><a href="${orderHref(ctx, h.orderId)}">${h.orderId}</a></td><td>${h.name ?? ''}</td><td>${h.store} · ${h.externalId}</td><td>${h.status}</td><td>${when(h.createdAt)}</td></tr>`)}
</tbody></table>`
    : null
}`;
  return page(ctx, { title: 'Search', active: 'search', body });
}

/** Dead commands and failing ones still retrying, with "retry now". */
export function commandsPage(
  ctx: PageContext,
  failed: FailedCommandsPage,
  cursor?: string,
): SafeHtml {
  const next = failed.nextCursor
    ? html`<a rel="next" href="${href(ctx, `/commands?cursor=${encodeURIComponent(failed.nextCursor)}`)}">next page →</a>`
    : null;
  const body = html`<h1>Failed commands</h1>
${flash(ctx)}
<p class="muted small">Commands that failed for good, and ones still retrying after a failure; most recent first.</p>
${commandsTable(ctx, failed.items, ctx.url.pathname)}
<p class="pager">${cursor ? html`<a href="${href(ctx, '/commands')}">← first page</a> ` : null}${next}</p>`;
  return page(ctx, { title: 'Failed commands', active: 'commands', body });
}

/** A small error page (401, 403, 404, 500) that loads no script. */
export function errorPage(
  status: number,
  title: string,
  message: string,
  stylesheet?: string,
): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${status} ${title}</title>${stylesheet ? html`<link rel="stylesheet" href="${stylesheet}">` : null}</head>
<body><main><h1>${status} ${title}</h1><p data-error>${message}</p></main></body></html>`.value;
}
