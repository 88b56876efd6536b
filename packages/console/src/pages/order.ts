import type { CommandStatus, HistoryEntry, OrderRecord } from '@fulfil/core';
import { historyStep } from '../explain-view';
import { addressLine, maskEmail, maskEmails, when } from '../format';
import { html, type SafeHtml } from '../html';
import { csrfField, flash, href, type PageContext, page } from '../layout';
import { stateDiagram } from '../state-diagram';
import { actionForm, safeHttp } from './review';

/** The order page: facts, actions, state diagram, shipments, outbox, the explained timeline. */
export function orderPage(
  ctx: PageContext,
  record: OrderRecord,
  history: HistoryEntry[],
  commands: CommandStatus[],
): SafeHtml {
  const { order } = record;
  const mask = ctx.options.maskCustomer;
  const admin =
    ctx.options.adminLink({
      orderId: record.orderId,
      store: order.source.store,
      externalId: order.source.externalId,
      ...(order.source.name !== undefined ? { name: order.source.name } : {}),
    }) ?? safeHttp(order.source.adminUrl);
  const back = ctx.url.pathname;
  const email = order.customer?.email;
  const phone = order.shippingAddress?.phone ?? order.customer?.phone;
  const body = html`<h1>${order.source.name ?? record.orderId} <span class="muted small">${record.orderId}</span></h1>
${flash(ctx)}
<div class="grid2">
<div class="panel" data-order>
<p>state <strong data-status>${record.status}</strong> since ${when(record.statusSince)} · version ${record.version}</p>
<p class="small">${order.source.channel} · ${order.source.store} · store id ${order.source.externalId}${admin ? html` · <a href="${admin}" rel="noopener noreferrer" target="_blank" data-admin-link>open in the store's admin</a>` : null}</p>
<p class="small">customer: <span data-customer-email>${email ? (mask ? maskEmail(email) : email) : '–'}</span>${phone ? html` · <span data-customer-phone>${mask ? '•••' : phone}</span>` : null}</p>
<p class="small">ship to: <span data-ship-to>${addressLine(order.shippingAddress, mask)}</span></p>
<table><thead><tr><th>line</th><th>sku</th><th class="num">qty</th></tr></thead><tbody>
${order.lines.map((l) => html`<tr><td>${l.title ?? l.id}</td><td>${l.sku}</td><td class="num">${l.quantity}</td></tr>`)}
</tbody></table>
${order.note ? html`<h3>note</h3><div class="note" data-note>${order.note}</div>` : null}
${record.facts.note ? html`<p>${record.facts.note.tags.map((t) => html`<span class="tag">${t.tag}</span>`)} <span class="small muted">classified by ${record.facts.note.classifier}</span></p>` : null}
${record.facts.risk ? html`<p data-risk><strong class="risk-${record.facts.risk.level}">risk ${record.facts.risk.score} (${record.facts.risk.level})</strong></p><ul class="small">${record.facts.risk.reasons.map((r) => html`<li>${mask ? maskEmails(r.reason) : r.reason}</li>`)}</ul>` : null}
${record.holds.length > 0 ? html`<h3>holds</h3><ul>${record.holds.map((h) => html`<li data-hold="${h.id}">${h.reason}${h.until ? html` until ${when(h.until)}` : null}${h.ruleId ? html` (rule ${h.ruleId})` : null}</li>`)}</ul>` : null}
${record.review ? html`<h3>waiting for a person</h3><p>${record.review.reasons.map((r) => html`<span class="tag reason">${r}</span>`)} since ${when(record.review.since)}</p>` : null}
</div>
<div class="panel">
${record.review || record.holds.length > 0 ? html`<h3>act</h3>${actionForm(ctx, record.orderId, record, back)}` : null}
<h3>state</h3>
${stateDiagram(ctx.options.engine.config.machine, record.status, record.visited)}
</div>
</div>
<div class="panel"><h2>Shipments</h2>
${
  record.shipments.length === 0
    ? html`<p class="muted">No shipments.</p>`
    : html`<table data-table="shipments"><thead><tr><th>shipment</th><th>location</th><th>status</th><th>lines</th><th>tracking</th></tr></thead><tbody>
${record.shipments.map(
  (s) =>
    html`<tr data-shipment="${s.id}"><td>${s.id}${s.warehouseOrderId ? html`<div class="small muted">warehouse ${s.warehouseOrderId}</div>` : null}</td><td>${s.locationId}</td><td>${s.status}${s.rejectReason ? html`<div class="small warn">${s.rejectReason}</div>` : null}</td><td>${s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</td><td>${s.tracking.map(
      (t) => {
        const url = safeHttp(t.url);
        return html`<div data-tracking>${t.carrier} ${url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${t.number}</a>` : t.number}</div>`;
      },
    )}</td></tr>`,
)}
</tbody></table>`
}
${record.backordered.length > 0 ? html`<p>backordered: ${record.backordered.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</p>` : null}
</div>
<div class="panel"><h2>Outbox commands</h2>${commandsTable(ctx, commands, back)}</div>
<div class="panel"><h2>History</h2>
<ol class="timeline" data-timeline>${history.map((entry, i) => historyStep(entry, i >= history.length - 3, mask))}</ol>
</div>`;
  return page(ctx, { title: order.source.name ?? record.orderId, active: 'order', body });
}

/** Outbox commands with attempts, last error and "retry now" for dead or failing ones. */
export function commandsTable(
  ctx: PageContext,
  commands: CommandStatus[],
  returnTo: string,
): SafeHtml {
  if (commands.length === 0) return html`<p class="muted">No commands.</p>`;
  return html`<table data-table="commands"><thead><tr><th>command</th><th>type</th><th>status</th><th class="num">attempts</th><th>last error</th><th>next / finished</th><th></th></tr></thead><tbody>
${commands.map((c) => {
  const retryable = c.status === 'dead' || (c.status === 'pending' && c.lastError !== undefined);
  return html`<tr data-command="${c.commandId}" data-command-status="${c.status}"><td class="small">${c.commandId}${ctx.url.pathname.endsWith('/commands') ? html`<div><a href="${href(ctx, `/orders/${encodeURIComponent(c.orderId)}`)}">${c.orderId}</a></div>` : null}</td><td><code>${c.type}</code></td><td>${c.status}</td><td class="num">${c.attempts}</td><td class="small">${c.lastError ?? ''}</td><td class="small">${c.finishedAt !== undefined ? when(new Date(c.finishedAt).toISOString()) : c.nextAttemptAt !== undefined ? when(new Date(c.nextAttemptAt).toISOString()) : ''}</td><td>${
    retryable
      ? html`<form method="post" action="${href(ctx, `/commands/${encodeURIComponent(c.commandId)}/retry`)}" data-once>${csrfField(ctx)}<input type="hidden" name="returnTo" value="${returnTo}"><button type="submit">Retry now</button></form>`
      : null
  }</td></tr>`;
})}
</tbody></table>`;
}
