/**
 * Getters of the derived built-in facts (loops over lines and note tags),
 * written as plain loops: they run per order.
 *
 * @module
 */
import type { RuleContext } from './types';

/** `order.itemCount`: units ordered. */
export function sumQuantities(ctx: RuleContext): number {
  let n = 0;
  for (const line of ctx.order.lines) n += line.quantity;
  return n;
}

/** `lines.skus`: SKUs of the lines that have one. */
export function skus(ctx: RuleContext): string[] {
  const out: string[] = [];
  for (const line of ctx.order.lines) if (line.sku !== null) out.push(line.sku);
  return out;
}

/** `lines.quantities`: quantity of each line. */
export function quantities(ctx: RuleContext): number[] {
  const lines = ctx.order.lines;
  const out = new Array<number>(lines.length);
  for (let i = 0; i < lines.length; i++) out[i] = (lines[i] as { quantity: number }).quantity;
  return out;
}

/** `note.tags`: tag names from the note classification. */
export function noteTags(ctx: RuleContext): string[] | undefined {
  const tags = ctx.facts.note?.tags;
  if (tags === undefined) return undefined;
  const out = new Array<string>(tags.length);
  for (let i = 0; i < tags.length; i++) out[i] = (tags[i] as { tag: string }).tag;
  return out;
}

/** `note.shipAfter`: the date of the first `ship_after` note tag. */
export function shipAfter(ctx: RuleContext): string | undefined {
  const tags = ctx.facts.note?.tags;
  if (tags === undefined) return undefined;
  for (const t of tags) if (t.tag === 'ship_after' && t.date !== undefined) return t.date;
  return undefined;
}

/** `lines.maxQuantity`: the largest line quantity. */
export function maxQuantity(ctx: RuleContext): number {
  let max = 0;
  for (const l of ctx.order.lines) if (l.quantity > max) max = l.quantity;
  return max;
}

/** `lines.hasKit`: some line is a kit. */
export function hasKit(ctx: RuleContext): boolean {
  for (const l of ctx.order.lines) if (l.kit !== undefined) return true;
  return false;
}

/** `lines.hasShipAfter`: some line has `shipAfter`. */
export function hasShipAfter(ctx: RuleContext): boolean {
  for (const l of ctx.order.lines) if (l.shipAfter !== undefined) return true;
  return false;
}

/** `forecast.daysOfCover`: days of cover of each (location, SKU) the plan takes from. */
export function planCoverDays(ctx: RuleContext): number[] | undefined {
  const cover = ctx.facts.plan?.daysOfCover;
  if (cover === undefined || cover.length === 0) return undefined;
  const out = new Array<number>(cover.length);
  for (let i = 0; i < cover.length; i++) out[i] = (cover[i] as { days: number }).days;
  return out;
}

/** `forecast.minDaysOfCover`: the lowest of those. */
export function planMinCoverDays(ctx: RuleContext): number | undefined {
  const cover = ctx.facts.plan?.daysOfCover;
  if (cover === undefined || cover.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  for (const c of cover) if (c.days < min) min = c.days;
  return min;
}
