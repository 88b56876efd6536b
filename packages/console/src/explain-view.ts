import type { Explanation, HistoryEntry } from '@fulfil/core';
import { maskEmails, when } from './format';
import { html, type SafeHtml } from './html';

/**
 * One decision's explanation: transitions, the rules that fired with the facts they read
 * (rules that did not match are counted, listed on demand), the routing plan with its
 * runners-up, the commands, notes and text repairs.
 */
export function explanationView(e: Explanation, mask = false): SafeHtml {
  const factsText = (facts: Record<string, unknown>) =>
    mask ? maskEmails(json(facts)) : json(facts);
  const stages = e.stages.map((stage) => {
    const fired = stage.rules.filter((r) => r.matched);
    const others = stage.rules.filter((r) => !r.matched);
    if (fired.length === 0 && others.length === 0) return null;
    return html`<div class="stage" data-stage="${stage.stage}"><h4>stage ${stage.stage}</h4>
${fired.length === 0 ? html`<p class="muted small">no rule fired</p>` : null}
<ul>${fired.map(
      (r) =>
        html`<li class="rule fired" data-rule="${r.ruleId}"><strong>${r.ruleId}</strong> fired${r.actions.length ? html` → ${r.actions.join(', ')}` : null}<pre class="facts">${factsText(r.facts)}</pre></li>`,
    )}</ul>
${
  others.length > 0
    ? html`<details><summary>${others.length} rule(s) did not match</summary><ul>${others.map(
        (r) =>
          html`<li class="rule" data-rule="${r.ruleId}">${r.ruleId}<pre class="facts">${factsText(r.facts)}</pre></li>`,
      )}</ul></details>`
    : null
}</div>`;
  });
  const routing = e.routing
    ? html`<div class="routing" data-routing><h4>routing</h4><p>${e.routing.reason}</p>
<ul>${e.routing.shipments.map(
        (s) =>
          html`<li>from <strong>${s.locationId}</strong>: ${s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</li>`,
      )}</ul>
${e.routing.backordered.length > 0 ? html`<p>backordered: ${e.routing.backordered.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</p>` : null}
${e.routing.score ? html`<p class="small muted">score: ${factsText(e.routing.score)}</p>` : null}
${
  e.routing.alternatives && e.routing.alternatives.length > 0
    ? html`<p>runners-up:</p><ul data-alternatives>${e.routing.alternatives.map(
        (a) => html`<li>${a.locations.join(' + ')} — lost on <em>${a.lostOn}</em>: ${a.why}</li>`,
      )}</ul>`
    : null
}</div>`
    : null;
  return html`<div class="explanation" data-outcome="${e.outcome}">
<p class="small">outcome: <strong>${e.outcome}</strong>${e.transitions.length > 0 ? html` · ${e.transitions.map((t) => `${t.from ?? '∅'} —${t.event}→ ${t.to}`).join(' · ')}` : null}</p>
${e.invalid ? html`<p class="warn">refused: ${e.invalid.message} (state ${e.invalid.state}, event ${e.invalid.event})</p>` : null}
${stages}
${routing}
${e.commands.length > 0 ? html`<h4>commands</h4><ul>${e.commands.map((c) => html`<li><code>${c.type}</code> — ${c.reason}</li>`)}</ul>` : null}
${e.notes.length > 0 ? html`<h4>notes</h4><ul>${e.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
${e.sanitized && e.sanitized.length > 0 ? html`<p class="small muted">text repaired: ${e.sanitized.map((s) => JSON.stringify(s)).join('; ')}</p>` : null}
</div>`;
}

/** One history step: when, what event, from → to, the summary and the explanation. */
export function historyStep(entry: HistoryEntry, open: boolean, mask = false): SafeHtml {
  return html`<li data-version="${entry.version}" data-event="${entry.eventType}">
<div><strong>v${entry.version}</strong> · ${when(entry.at)} · <code>${entry.eventType}</code> · ${entry.from ?? '∅'} → <strong>${entry.to}</strong></div>
<div class="summary">${entry.summary}</div>
<details${open ? html` open` : null}><summary>why</summary>${explanationView(entry.explanation, mask)}</details>
</li>`;
}

function json(facts: Record<string, unknown>): string {
  try {
    return JSON.stringify(facts, null, 1);
  } catch {
    return String(facts);
  }
}
