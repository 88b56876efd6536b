import { ErrorCodes, FulfilError, formatPath } from '../errors';
import type { Machine } from './compile';
import { compileMachine, isMachine } from './compile';
import type { MachineDefinitionInput } from './schema';
import { MachineDefinition } from './schema';
import { formatIssues, structureIssues } from './structure';

/** Which check found a {@link MachineIssue}. */
export type MachineCheck =
  | 'schema'
  | 'structure'
  | 'no-terminal'
  | 'unreachable'
  | 'dead-end'
  | 'trap'
  | 'final-with-exits';

/** One problem {@link checkMachine} found. */
export interface MachineIssue {
  /** `error`: orders can get lost or stuck. `warning`: suspicious but workable. */
  severity: 'error' | 'warning';
  /** Which check found it. */
  check: MachineCheck;
  /** The state concerned, when there is one. */
  state?: string;
  /** Where the problem is, e.g. `machine.states.on_hold.on`. */
  path: string;
  message: string;
}

/**
 * Checks a machine (default or custom) for problems that would leave orders
 * stuck. Never throws; an invalid definition gives `schema`/`structure` errors.
 *
 * - `unreachable` (error): the state cannot be reached from `initial`.
 * - `dead-end` (error): a non-final state with no transition to another state
 *   (self-loops alone are no way out).
 * - `trap` (error): no `final` or `done` state can be reached from the state.
 * - `no-terminal` (error): the machine has no `final` or `done` state at all.
 * - `final-with-exits` (warning): a `final` state accepts events.
 *
 * @example
 * ```ts
 * const issues = checkMachine(extendMachine(defaultMachine, {
 *   states: { awaiting_engraving: { kind: 'hold' } },
 * }));
 * // [{ severity: 'error', check: 'unreachable', state: 'awaiting_engraving', ... },
 * //  { severity: 'error', check: 'dead-end', state: 'awaiting_engraving', ... }]
 * ```
 */
export function checkMachine(machine: MachineDefinitionInput | Machine): MachineIssue[] {
  let definition: MachineDefinition;
  if (isMachine(machine)) {
    definition = machine.definition;
  } else {
    const parsed = MachineDefinition.safeParse(machine);
    if (!parsed.success) {
      return parsed.error.issues.map((issue) => ({
        severity: 'error',
        check: 'schema',
        path: formatPath(issue.path, 'machine'),
        message: issue.message,
      }));
    }
    definition = parsed.data;
  }
  const issues: MachineIssue[] = structureIssues(definition).map((issue) => ({
    severity: 'error',
    check: 'structure',
    ...issue,
  }));
  return issues.concat(graphIssues(definition));
}

/**
 * Compiles `machine` and throws when {@link checkMachine} reports any error.
 * Warnings do not throw.
 *
 * @throws FulfilError `CONFIG_INVALID` listing every error with its path.
 *
 * @example
 * ```ts
 * const machine = assertValidMachine(myMachine); // a compiled Machine
 * ```
 */
export function assertValidMachine(machine: MachineDefinitionInput | Machine): Machine {
  const errors = checkMachine(machine).filter((issue) => issue.severity === 'error');
  if (errors.length > 0) {
    const issues = errors.map(({ path, message }) => ({ path, message }));
    throw new FulfilError(ErrorCodes.CONFIG_INVALID, formatIssues(issues), {
      details: { path: issues[0]?.path, issues },
    });
  }
  return compileMachine(machine);
}

function graphIssues(definition: MachineDefinition): MachineIssue[] {
  const { states, initial } = definition;
  const names = Object.keys(states);
  const isState = (name: string) => Object.hasOwn(states, name);
  const exits = new Map<string, Set<string>>();
  const entries = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const name of names) {
    const out = new Set<string>();
    for (const target of Object.values(states[name]?.on ?? {})) {
      if (target === name || !isState(target)) continue;
      out.add(target);
      entries.get(target)?.add(name);
    }
    exits.set(name, out);
  }
  const terminals = names.filter((n) => ['final', 'done'].includes(states[n]?.kind ?? ''));
  const reachable = isState(initial) ? closure([initial], exits) : undefined;
  const finishing = closure(terminals, entries);

  const issues: MachineIssue[] = [];
  if (terminals.length === 0) {
    issues.push({
      severity: 'error',
      check: 'no-terminal',
      path: 'machine.states',
      message: 'no state is of kind "final" or "done", so no order can ever finish',
    });
  }
  for (const name of names) {
    const state = states[name];
    if (state === undefined) continue;
    const path = `machine.states.${name}`;
    const events = Object.keys(state.on);
    if (reachable !== undefined && !reachable.has(name)) {
      issues.push({
        severity: 'error',
        check: 'unreachable',
        state: name,
        path,
        message: `state "${name}" is unreachable from the initial state "${initial}"`,
      });
    }
    if (state.kind === 'final') {
      if (events.length > 0) {
        issues.push({
          severity: 'warning',
          check: 'final-with-exits',
          state: name,
          path: `${path}.on`,
          message: `final state "${name}" accepts events (${events.join(', ')}); final states should accept none`,
        });
      }
      continue;
    }
    if (exits.get(name)?.size === 0) {
      const why = events.length === 0 ? 'accepts no events' : 'has only self-loops';
      issues.push({
        severity: 'error',
        check: 'dead-end',
        state: name,
        path: `${path}.on`,
        message: `state "${name}" (kind "${state.kind}") has no way out: it is not final and ${why}`,
      });
    } else if (terminals.length > 0 && !finishing.has(name)) {
      issues.push({
        severity: 'error',
        check: 'trap',
        state: name,
        path,
        message: `state "${name}" is a trap: no "final" or "done" state can be reached from it`,
      });
    }
  }
  return issues;
}

/** Every node reachable from `start` along `edges` (including `start`). */
function closure(start: readonly string[], edges: Map<string, Set<string>>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const next of edges.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
