import { z } from 'zod';
import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import type { Machine } from './compile';
import { isMachine } from './compile';
import type { MachineDefinitionInput } from './schema';
import { MachineDefinition, StateDefinition } from './schema';
import type { StructureIssue } from './structure';
import { formatIssues, structureIssues } from './structure';

/** A state as written by a user (`on` may be omitted). */
export type StateDefinitionInput = z.input<typeof StateDefinition>;

const StateName = MachineDefinition.shape.initial;
const EventName = StateDefinition.shape.on.unwrap().keyType;

/** What {@link extendMachine} adds to a base machine. Validated with zod. */
export const MachineExtension = z.object({
  /** A new id for the extended machine (defaults to the base id). */
  id: z.string().min(1).optional(),
  /** A new initial state (defaults to the base initial state). */
  initial: StateName.optional(),
  /**
   * States to add. A state the base already has keeps its transitions: its
   * `kind` is replaced, its `description` replaced when given, and its `on`
   * merged (the extension wins for an event both define).
   */
  states: MachineDefinition.shape.states.optional(),
  /** Transitions to add (or redirect) on any state, base or new. */
  transitions: z.array(z.object({ from: StateName, event: EventName, to: StateName })).optional(),
});
/** Input of {@link extendMachine}. */
export type MachineExtensionInput = z.input<typeof MachineExtension>;

/**
 * Returns a new definition: `base` plus the extension's states and transitions,
 * validated as a whole. Neither argument is modified.
 *
 * @throws FulfilError `CONFIG_INVALID` naming every bad path, e.g.
 *   `extension.transitions[0].to: "nowhere" is not a state`.
 *
 * @example
 * ```ts
 * const machine = extendMachine(defaultMachine, {
 *   states: {
 *     awaiting_engraving: {
 *       kind: 'hold',
 *       description: 'Waiting for the engraving shop.',
 *       on: { ENGRAVED: 'ready', CANCEL: 'cancelled' },
 *     },
 *   },
 *   transitions: [{ from: 'ready', event: 'ENGRAVE', to: 'awaiting_engraving' }],
 * });
 * compileMachine(machine).next('ready', 'ENGRAVE'); // 'awaiting_engraving'
 * ```
 */
export function extendMachine(
  base: MachineDefinitionInput | Machine,
  extension: MachineExtensionInput,
): MachineDefinition {
  const source = isMachine(base)
    ? base.definition
    : parseOrThrow(MachineDefinition, base, 'machine', ErrorCodes.CONFIG_INVALID);
  const ext = parseOrThrow(MachineExtension, extension, 'extension', ErrorCodes.CONFIG_INVALID);

  const states: MachineDefinition['states'] = {};
  for (const [name, state] of Object.entries(source.states)) {
    states[name] = { ...state, on: { ...state.on } };
  }
  for (const [name, state] of Object.entries(ext.states ?? {})) {
    const existing = Object.hasOwn(states, name) ? states[name] : undefined;
    states[name] =
      existing === undefined
        ? { ...state, on: { ...state.on } }
        : {
            kind: state.kind,
            description: state.description ?? existing.description,
            on: { ...existing.on, ...state.on },
          };
  }

  const issues: StructureIssue[] = [];
  (ext.transitions ?? []).forEach((t, i) => {
    const from = Object.hasOwn(states, t.from) ? states[t.from] : undefined;
    if (from === undefined) {
      issues.push({
        path: `extension.transitions[${i}].from`,
        message: `"${t.from}" is not a state`,
      });
    }
    if (!Object.hasOwn(states, t.to)) {
      issues.push({ path: `extension.transitions[${i}].to`, message: `"${t.to}" is not a state` });
    } else if (from !== undefined) {
      from.on[t.event] = t.to;
    }
  });

  const definition: MachineDefinition = {
    id: ext.id ?? source.id,
    initial: ext.initial ?? source.initial,
    states,
  };
  for (const issue of structureIssues(definition)) {
    issues.push({ path: blame(issue.path, ext), message: issue.message });
  }
  if (issues.length > 0) {
    throw new FulfilError(ErrorCodes.CONFIG_INVALID, formatIssues(issues), {
      details: { path: issues[0]?.path, issues },
    });
  }
  return definition;
}

/** Points a merged-machine path at the extension when the extension wrote that part. */
function blame(path: string, ext: z.output<typeof MachineExtension>): string {
  if (path === 'machine.initial') return ext.initial === undefined ? path : 'extension.initial';
  const match = /^machine\.states\.([a-z][a-z0-9_]*)\.on\.([A-Z][A-Z0-9_]*)$/.exec(path);
  if (match === null) return path;
  const [, state = '', event = ''] = match;
  const own =
    ext.states !== undefined && Object.hasOwn(ext.states, state) ? ext.states[state] : undefined;
  if (own !== undefined && Object.hasOwn(own.on, event))
    return `extension.states.${state}.on.${event}`;
  return path;
}
