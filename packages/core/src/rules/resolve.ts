/**
 * Merges the actions of the rules that matched at one stage into one
 * {@link ResolvedActions}, deterministically.
 *
 * Rules are taken in evaluation order: priority descending, then id ascending.
 * Precedence, action by action:
 *
 * - `review`: every reason is kept, in rule order, prefixed `ruleId: reason`.
 * - `hold`: every hold is kept. `for` ends at `now + duration` (a day is 24 h);
 *   `until` at that instant; `untilFact` at the fact's date (a bare
 *   `YYYY-MM-DD` is the start of that day in the store's time zone). A hold
 *   whose fact is missing or not a date, or whose end is not after `now`, is
 *   skipped with a conflict note.
 * - `release_hold`: ignored (with a note) when a hold was kept at the same stage.
 * - `allow_split` / `forbid_split`: the highest-priority rule that says wins;
 *   at equal priority `forbid_split` wins.
 * - `exclude_location` beats `prefer_location` and `force_location` for the same
 *   location. Of the remaining `force_location`s, the first (highest priority,
 *   then lowest id) wins.
 * - `set_service`: the first rule wins (highest priority, then lowest id).
 * - `set_priority`: the largest value wins.
 * - `add_tag`, `add_instruction`, `require_capability`, `prefer_location`,
 *   `exclude_location`: union in rule order, without duplicates.
 * - `notify`: every message, without duplicates (same channel and text).
 * - `transition`: every event, in rule order.
 *
 * Every conflict resolved this way is described by one sentence in `conflicts`.
 *
 * @module
 */
import { FACTS, type FactCatalogue } from './facts';
import type { Action, Rule } from './schema';
import { parseZonedDate } from './time';
import type { ResolvedActions, ResolvedHold, RuleContext } from './types';

/** A rule that matched, with its actions. */
export interface MatchedRule {
  rule: Rule;
  actions: readonly Action[];
}

type HoldAction = Extract<Action, { type: 'hold' }>;

const MINUTE = 60_000;

/** A fresh, empty {@link ResolvedActions}. */
export function emptyActions(): ResolvedActions {
  return {
    holds: [],
    releaseHold: false,
    review: [],
    prefer: [],
    exclude: [],
    requiredCapabilities: [],
    tags: [],
    instructions: [],
    notify: [],
    transitions: [],
    conflicts: [],
  };
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

interface Said<T> {
  value: T;
  ruleId: string;
  priority: number;
}

/**
 * Merges the actions of `matched` (in evaluation order). `facts` resolves
 * `hold.untilFact` (built-ins by default).
 *
 * @example
 * ```ts
 * const merged = resolveActions(
 *   [
 *     { rule: a, actions: [{ type: 'allow_split' }] },   // priority 10
 *     { rule: b, actions: [{ type: 'forbid_split' }] },  // priority 0
 *   ],
 *   ctx,
 * );
 * merged.allowSplit; // true: the higher-priority rule wins
 * merged.conflicts;
 * // ['split: allow_split (rule a, priority 10) overrides forbid_split (rule b, priority 0): the higher-priority rule wins']
 * ```
 */
export function resolveActions(
  matched: readonly MatchedRule[],
  ctx: RuleContext,
  facts: FactCatalogue = FACTS,
): ResolvedActions {
  const out = emptyActions();
  const n = matched.length;
  if (n === 0) return out;
  // Plain locals, allocated only when an action needs them: this runs per order.
  let split: Said<boolean> | undefined;
  let service: Said<string> | undefined;
  let priority: number | undefined;
  let priorityBy = '';
  let forces: Said<string>[] | undefined;
  let releases: string[] | undefined;
  let holdRules: string[] | undefined;

  for (let i = 0; i < n; i++) {
    const { rule, actions } = matched[i] as MatchedRule;
    const id = rule.id;
    for (let j = 0; j < actions.length; j++) {
      const a = actions[j] as Action;
      switch (a.type) {
        case 'hold':
          if (!addHold(out, a, id, ctx, facts)) break;
          if (holdRules === undefined) holdRules = [id];
          else if (!holdRules.includes(id)) holdRules.push(id);
          break;
        case 'release_hold':
          if (releases === undefined) releases = [id];
          else releases.push(id);
          break;
        case 'review':
          out.review.push(`${id}: ${a.reason}`);
          break;
        case 'allow_split':
        case 'forbid_split':
          split = mergeSplit(out, split, {
            value: a.type === 'allow_split',
            ruleId: id,
            priority: rule.priority,
          });
          break;
        case 'prefer_location':
          pushUnique(out.prefer, a.locationId);
          break;
        case 'exclude_location':
          pushUnique(out.exclude, a.locationId);
          break;
        case 'force_location': {
          const f = { value: a.locationId, ruleId: id, priority: rule.priority };
          if (forces === undefined) forces = [f];
          else forces.push(f);
          break;
        }
        case 'require_capability':
          pushUnique(out.requiredCapabilities, a.capability);
          break;
        case 'set_service':
          if (service === undefined) {
            service = { value: a.service, ruleId: id, priority: rule.priority };
          } else if (service.value !== a.service) {
            out.conflicts.push(
              `service: '${service.value}' (rule ${service.ruleId}, priority ${service.priority}) wins over '${a.service}' (rule ${id}, priority ${rule.priority}): the higher-priority rule wins`,
            );
          }
          break;
        case 'set_priority':
          if (priority === undefined) {
            priority = a.priority;
            priorityBy = id;
          } else if (priority !== a.priority) {
            const higher = a.priority > priority;
            out.conflicts.push(
              higher
                ? `priority: ${a.priority} (rule ${id}) wins over ${priority} (rule ${priorityBy}): the largest wins`
                : `priority: ${priority} (rule ${priorityBy}) wins over ${a.priority} (rule ${id}): the largest wins`,
            );
            if (higher) {
              priority = a.priority;
              priorityBy = id;
            }
          }
          break;
        case 'add_tag':
          pushUnique(out.tags, a.tag);
          break;
        case 'add_instruction':
          pushUnique(out.instructions, a.text);
          break;
        case 'notify':
          if (!out.notify.some((x) => x.channel === a.channel && x.message === a.message)) {
            out.notify.push({ channel: a.channel, message: a.message, ruleId: id });
          }
          break;
        case 'transition':
          out.transitions.push({ event: a.event, ruleId: id });
          break;
      }
    }
  }

  if (releases !== undefined) {
    if (holdRules === undefined) out.releaseHold = true;
    else {
      out.conflicts.push(
        `release_hold (rule ${releases.join(', ')}) ignored: a hold matched at the same stage (rule ${holdRules.join(', ')})`,
      );
    }
  }
  if (split !== undefined) out.allowSplit = split.value;
  if (service !== undefined) out.service = service.value;
  if (priority !== undefined) out.priority = priority;
  if (out.exclude.length > 0 || forces !== undefined) resolveLocations(out, forces ?? [], matched);
  return out;
}

function mergeSplit(
  out: ResolvedActions,
  current: Said<boolean> | undefined,
  next: Said<boolean>,
): Said<boolean> {
  if (current === undefined || current.value === next.value) return current ?? next;
  const name = (s: Said<boolean>) =>
    `${s.value ? 'allow_split' : 'forbid_split'} (rule ${s.ruleId}, priority ${s.priority})`;
  // Rules arrive priority-descending, so `next.priority <= current.priority`.
  if (next.priority === current.priority && !next.value) {
    out.conflicts.push(
      `split: ${name(next)} overrides ${name(current)}: at equal priority forbid wins`,
    );
    return next;
  }
  const why =
    next.priority === current.priority
      ? 'at equal priority forbid wins'
      : 'the higher-priority rule wins';
  out.conflicts.push(`split: ${name(current)} overrides ${name(next)}: ${why}`);
  return current;
}

function resolveLocations(
  out: ResolvedActions,
  forces: readonly Said<string>[],
  matched: readonly MatchedRule[],
): void {
  if (out.exclude.length > 0 && out.prefer.length > 0) {
    const kept: string[] = [];
    for (const loc of out.prefer) {
      if (out.exclude.includes(loc)) {
        const by = matched.find((m) =>
          m.actions.some((a) => a.type === 'prefer_location' && a.locationId === loc),
        );
        out.conflicts.push(
          `location ${loc}: exclude_location overrides prefer_location (rule ${by?.rule.id}): exclude wins`,
        );
      } else kept.push(loc);
    }
    out.prefer = kept;
  }
  let winner: Said<string> | undefined;
  for (const f of forces) {
    if (out.exclude.includes(f.value)) {
      out.conflicts.push(
        `location ${f.value}: exclude_location overrides force_location (rule ${f.ruleId}): exclude wins`,
      );
    } else if (winner === undefined) winner = f;
    else if (winner.value !== f.value) {
      out.conflicts.push(
        `force_location: ${winner.value} (rule ${winner.ruleId}, priority ${winner.priority}) wins over ${f.value} (rule ${f.ruleId}, priority ${f.priority}): the higher-priority rule wins`,
      );
    }
  }
  if (winner !== undefined) out.force = winner.value;
}

function addHold(
  out: ResolvedActions,
  a: HoldAction,
  ruleId: string,
  ctx: RuleContext,
  facts: FactCatalogue,
): boolean {
  let until: number | undefined;
  if (a.for !== undefined) {
    const { days = 0, hours = 0, minutes = 0 } = a.for;
    until = ctx.now + ((days * 24 + hours) * 60 + minutes) * MINUTE;
  } else if (a.until !== undefined) {
    until = Date.parse(a.until);
  } else if (a.untilFact !== undefined) {
    const raw = facts[a.untilFact]?.get(ctx);
    until =
      typeof raw === 'string'
        ? parseZonedDate(raw, ctx.timeZone)
        : typeof raw === 'number'
          ? raw
          : undefined;
    if (until === undefined) {
      out.conflicts.push(
        `hold (rule ${ruleId}) skipped: fact ${a.untilFact} is ${raw === undefined ? 'missing' : `not a date (${JSON.stringify(raw)})`}`,
      );
      return false;
    }
  }
  if (until !== undefined && until <= ctx.now) {
    out.conflicts.push(
      `hold (rule ${ruleId}) skipped: it ends at ${new Date(until).toISOString()}, not after now`,
    );
    return false;
  }
  const held: ResolvedHold = { ruleId, reason: a.reason, releaseOnStock: a.releaseOnStock };
  if (until !== undefined) held.until = until;
  if (a.storeHold !== undefined) held.storeHold = a.storeHold;
  out.holds.push(held);
  return true;
}
