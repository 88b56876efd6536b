import type { DecisionFacts } from '../model/facts';
import type { Hold } from '../model/record';
import { inventoryFacts, outstandingDemand } from '../routing/demand';
import type { Stage } from '../rules/schema';
import type { InventoryFacts, ResolvedActions, ResolvedHold, RuleContext } from '../rules/types';
import type { Draft } from './draft';

/** Inventory facts for the units the order still needs routed. */
export function currentInventoryFacts(
  d: Draft,
  snapshot: NonNullable<DecisionFacts['inventory']>,
): InventoryFacts {
  const demand = outstandingDemand(d.record.order, d.record, d.now);
  return inventoryFacts(demand.items, snapshot, d.config.locations);
}

/** Evaluates one rule stage, records its trace, and applies the actions that never stop the flow. */
export function runStage(
  d: Draft,
  stage: Stage,
  facts: DecisionFacts,
  inventory?: InventoryFacts,
): ResolvedActions {
  const ctx: RuleContext = {
    order: d.record.order,
    record: d.record,
    event: d.event,
    facts: { ...facts, note: d.record.facts.note, risk: d.record.facts.risk },
    now: d.now,
    timeZone: d.config.timeZone,
  };
  const inv =
    inventory ?? (facts.inventory ? currentInventoryFacts(d, facts.inventory) : undefined);
  if (inv) ctx.inventory = inv;
  const result = d.config.rules.evaluate(stage, ctx, { trace: true });
  d.explanation.stages.push({ stage, rules: result.traces });
  const a = result.actions;
  for (const c of a.conflicts) d.note(`${stage}: ${c}`);
  const p = d.record.policy;
  if (a.allowSplit !== undefined) p.allowSplit = a.allowSplit;
  for (const id of a.prefer) if (!p.prefer.includes(id)) p.prefer.push(id);
  for (const id of a.exclude) if (!p.exclude.includes(id)) p.exclude.push(id);
  if (a.force !== undefined) p.force = a.force;
  for (const c of a.requiredCapabilities)
    if (!p.requiredCapabilities.includes(c)) p.requiredCapabilities.push(c);
  if (a.service !== undefined) p.service = a.service;
  if (a.priority !== undefined) p.priority = Math.max(p.priority ?? a.priority, a.priority);
  for (const text of a.instructions)
    if (!d.record.instructions.includes(text)) d.record.instructions.push(text);
  const newTags = a.tags.filter((t) => !d.record.tags.includes(t));
  if (newTags.length > 0) {
    d.record.tags.push(...newTags);
    d.command({ type: 'store.add_tags', tags: newTags, reason: `${stage} rules tagged the order` });
  }
  for (const n of a.notify) {
    d.command({
      type: 'notify',
      channel: n.channel,
      message: n.message,
      reason: `rule ${n.ruleId}`,
    });
  }
  return a;
}

/**
 * Review and holds stop the flow. Returns true when the order may go on.
 * Review wins over holds; a rule's hold applies once per order.
 */
export function gate(d: Draft, a: ResolvedActions): boolean {
  if (a.review.length > 0) {
    if (d.record.approved)
      d.note(`review ignored (a person approved the order): ${a.review.join('; ')}`);
    else {
      // Review wins over holds, but a store hold still applies: nothing ships from the
      // store's side while a person looks (the hold is released when the review ends).
      for (const h of a.holds) {
        if (!h.storeHold || d.record.appliedRules.includes(h.ruleId)) continue;
        d.record.holds.push({
          id: d.id('h'),
          reason: h.reason,
          ruleId: h.ruleId,
          since: d.nowIso,
          releaseOnStock: false,
          storeHold: h.storeHold,
        });
        d.record.appliedRules.push(h.ruleId);
        d.command({
          type: 'store.hold',
          holdReason: h.storeHold,
          note: h.reason,
          reason: `hold by rule ${h.ruleId} (in review)`,
        });
      }
      enterReview(d, a.review, 'warning');
      return false;
    }
  }
  const fresh = a.holds.filter((h) => {
    if (d.record.appliedRules.includes(h.ruleId)) {
      d.note(`hold from rule ${h.ruleId} already applied once; not held again`);
      return false;
    }
    if (h.until !== undefined && h.until <= d.now) {
      d.note(`hold from rule ${h.ruleId} ends in the past; not held`);
      return false;
    }
    return true;
  });
  if (fresh.length > 0) {
    placeHolds(d, fresh);
    return false;
  }
  return true;
}

/** Moves the order to review with the reasons and alerts people with a link to the order. */
export function enterReview(d: Draft, reasons: string[], severity: 'warning' | 'critical'): void {
  const prior = d.record.review?.reasons ?? [];
  d.record.review = {
    reasons: [...new Set([...prior, ...reasons])],
    since: d.record.review?.since ?? d.nowIso,
  };
  const o = d.record.order;
  const name = o.source.name ?? o.id;
  const accepts = d.config.machine.next(d.status, 'REVIEW') !== undefined;
  if (accepts) d.fire('REVIEW', reasons.join('; '));
  else d.note(`state ${d.status} does not accept REVIEW; alert only`);
  const alert = {
    type: 'alert' as const,
    severity,
    title: `Order ${name} needs review`,
    message: reasons.join('\n'),
    reason: `review: ${reasons.join('; ')}`,
  };
  d.command(o.source.adminUrl ? { ...alert, link: o.source.adminUrl } : alert);
}

/** Places holds (with timers and store holds) and moves the order on hold. */
export function placeHolds(d: Draft, holds: ResolvedHold[]): void {
  for (const h of holds) {
    const hold: Hold = {
      id: d.id('h'),
      reason: h.reason,
      ruleId: h.ruleId,
      since: d.nowIso,
      releaseOnStock: h.releaseOnStock,
    };
    if (h.until !== undefined) {
      hold.until = new Date(h.until).toISOString();
      d.timer({
        id: `${d.record.orderId}:${hold.id}`,
        dueAt: hold.until,
        purpose: 'hold_expiry',
        holdId: hold.id,
      });
    }
    d.record.holds.push(hold);
    if (!h.ruleId.startsWith('system:')) d.record.appliedRules.push(h.ruleId);
    if (h.storeHold) {
      hold.storeHold = h.storeHold;
      d.command({
        type: 'store.hold',
        holdReason: h.storeHold,
        note: h.reason,
        reason: `hold by rule ${h.ruleId}`,
      });
    }
  }
  d.fire('HOLD', holds.map((h) => `${h.ruleId}: ${h.reason}`).join('; '));
}

/** Removes holds (all, or those matching), cancelling their timers and store holds. */
export function releaseHolds(
  d: Draft,
  why: string,
  which: (h: Hold) => boolean = () => true,
): Hold[] {
  const released = d.record.holds.filter(which);
  if (released.length === 0) return released;
  d.record.holds = d.record.holds.filter((h) => !which(h));
  for (const h of released)
    if (h.until !== undefined) d.cancelTimerIds.push(`${d.record.orderId}:${h.id}`);
  d.note(`released ${released.length} hold(s): ${why}`);
  const storeHeld = (h: Hold) => h.storeHold !== undefined;
  if (released.some(storeHeld) && !d.record.holds.some(storeHeld))
    d.command({ type: 'store.release_hold', reason: `holds released: ${why}` });
  return released;
}
