import type { HistoryEntry, OrderRecord, ReviewQueueItem, ReviewQueuePage } from '@fulfil/core';
import { explanationView } from '../explain-view';
import { duration, maskEmails, when } from '../format';
import { html, type SafeHtml } from '../html';
import { csrfField, flash, href, orderHref, type PageContext, page } from '../layout';
import { randomToken } from '../security';

/** One queue item with what the page reads besides the read model. */
export interface ReviewEntry {
  item: ReviewQueueItem;
  record: OrderRecord | undefined;
  /** The step that sent the order to review (the latest entry into a review state), if any. */
  entered: HistoryEntry | undefined;
}

/** The review queue: reason filter, items with their evidence and actions, paging. */
export function reviewPage(
  ctx: PageContext,
  queue: ReviewQueuePage,
  entries: ReviewEntry[],
  filter: { reason?: string; cursor?: string },
): SafeHtml {
  const reasonLink = (reason: string | undefined, label: SafeHtml) =>
    html`<a href="${href(ctx, reason === undefined ? '/review' : `/review?reason=${encodeURIComponent(reason)}`)}" class="${filter.reason === reason ? 'active' : ''}">${label}</a>`;
  const reasons = html`<p class="ranges" data-reasons>${reasonLink(undefined, html`all`)} ${queue.reasons.map(
    (r) => reasonLink(r.reason, html`<span class="tag reason">${r.reason}</span> ${r.count}`),
  )}</p>`;
  const back = ctx.url.pathname + ctx.url.search;
  const next = queue.nextCursor
    ? html`<a href="${href(ctx, `/review?${new URLSearchParams({ ...(filter.reason ? { reason: filter.reason } : {}), cursor: queue.nextCursor })}`)}" rel="next">next page →</a>`
    : null;
  const first = filter.cursor
    ? html`<a href="${href(ctx, `/review${filter.reason ? `?reason=${encodeURIComponent(filter.reason)}` : ''}`)}">← first page</a> `
    : null;
  const body = html`<h1>Review queue <span class="muted small" data-total="${queue.total}">${queue.total} waiting${filter.reason ? html` with reason “${filter.reason}”` : null}</span></h1>
${flash(ctx)}
${reasons}
${entries.length === 0 ? html`<p class="muted" data-empty>Nothing waiting for a person.</p>` : null}
<div class="review-list">${entries.map((e) => reviewItem(ctx, e, back))}</div>
<p class="pager">${first}${next}</p>`;
  return page(ctx, { title: 'Review queue', active: 'review', body });
}

function reviewItem(ctx: PageContext, entry: ReviewEntry, back: string): SafeHtml {
  const { item, record, entered } = entry;
  const admin = ctx.options.adminLink({
    orderId: item.orderId,
    store: item.store,
    externalId: item.externalId,
    ...(item.name !== undefined ? { name: item.name } : {}),
  });
  const adminUrl = admin ?? safeHttp(record?.order.source.adminUrl);
  return html`<article class="review-item" data-order-id="${item.orderId}">
<div>
<h3><a href="${orderHref(ctx, item.orderId)}">${item.name ?? item.orderId}</a> <span class="muted small">${item.orderId} · ${item.store} · ${item.status}</span></h3>
<p class="small muted">waiting ${duration(item.ageMs)} (since ${when(item.since)})${adminUrl ? html` · <a href="${adminUrl}" rel="noopener noreferrer" target="_blank" data-admin-link>open in the store's admin</a>` : null}</p>
<p>${item.reasons.map((r) => html`<span class="tag reason" data-reason="${r}">${r}</span>`)}</p>
${
  item.risk
    ? html`<div data-risk><strong class="risk-${item.risk.level}">risk ${item.risk.score} (${item.risk.level})</strong><ul class="small">${item.risk.reasons.map((r) => html`<li>${ctx.options.maskCustomer ? maskEmails(r) : r}</li>`)}</ul></div>`
    : html`<p class="small muted">no risk assessment</p>`
}
${
  item.note
    ? html`<div><div class="note" data-note>${item.note}</div><p>${item.noteTags.map((t) => html`<span class="tag" data-note-tag="${t}">${t}</span>`)}</p></div>`
    : html`<p class="small muted">no note</p>`
}
${entered ? html`<details><summary>why it is here: ${entered.summary}</summary>${explanationView(entered.explanation, ctx.options.maskCustomer)}</details>` : null}
</div>
<div>${actionForm(ctx, item.orderId, record, back)}</div>
</article>`;
}

/**
 * The resolve form: a comment and one button per resolution (approve, route to the chosen
 * location, release holds when the order has any, cancel). Each render carries a fresh
 * nonce: posting the same form twice is one `review.resolved` (same idempotency key).
 */
export function actionForm(
  ctx: PageContext,
  orderId: string,
  record: OrderRecord | undefined,
  returnTo: string,
): SafeHtml {
  const locations = ctx.options.engine.config.locations;
  const inReview = record?.review !== undefined;
  const held = (record?.holds.length ?? 0) > 0;
  return html`<form method="post" action="${orderHref(ctx, orderId)}/resolve" data-once data-resolve="${orderId}">
${csrfField(ctx)}
<input type="hidden" name="nonce" value="${randomToken(18)}">
<input type="hidden" name="returnTo" value="${returnTo}">
<label class="small muted">comment (recorded with your name)<br><textarea name="comment" maxlength="2000" placeholder="why"></textarea></label>
<div class="actions">
${inReview || !held ? html`<button type="submit" name="resolution" value="approve" class="primary">Approve</button>` : null}
<span><select name="locationId" aria-label="location">${locations.map((l) => html`<option value="${l.id}">${l.name ?? l.id}</option>`)}</select>
<button type="submit" name="resolution" value="route">Route there</button></span>
${held ? html`<button type="submit" name="resolution" value="release_hold">Release hold</button>` : null}
<button type="submit" name="resolution" value="cancel" class="danger">Cancel order</button>
</div>
</form>`;
}

/** A URL the page may link to: http(s) only. */
export function safeHttp(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}
