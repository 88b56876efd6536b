import { ErrorCodes, FulfilError, parseOrThrow } from '../errors';
import type { MachineDefinitionInput, StateKind } from './schema';
import { MachineDefinition } from './schema';
import { formatIssues, structureIssues } from './structure';

/** One edge of a machine: `from --event--> to`. */
export interface MachineTransition {
  readonly from: string;
  readonly event: string;
  readonly to: string;
}

/** The state accepted the event: the machine moves `from` → `to`. */
export interface TransitionOk extends MachineTransition {
  readonly ok: true;
}

/**
 * The state does not accept the event (or is not a state at all). The error has
 * code `INVALID_TRANSITION`; decisions record it instead of throwing.
 */
export interface TransitionRejected {
  readonly ok: false;
  readonly from: string;
  readonly event: string;
  readonly error: FulfilError;
}

/** Outcome of {@link Machine.transition}: never thrown, always returned. */
export type TransitionResult = TransitionOk | TransitionRejected;

/**
 * A validated, frozen, compiled machine. Lookups are O(1) and `next` allocates
 * nothing, so the engine can consult it on every event.
 */
export interface Machine {
  /** The validated definition (deeply frozen). */
  readonly definition: MachineDefinition;
  /** The machine id (`definition.id`). */
  readonly id: string;
  /** The state a new order starts in. */
  readonly initial: string;
  /** Every state name, in definition order. */
  readonly states: readonly string[];
  /** Every transition, in definition order (states, then each state's `on`). */
  readonly transitions: readonly MachineTransition[];
  /** True when `state` is a state of this machine. */
  has(state: string): boolean;
  /** The kind of `state`, or `undefined` when it is not a state of this machine. */
  kind(state: string): StateKind | undefined;
  /** Every state of the given kind, in definition order (e.g. all `ready` states for routing). */
  statesOfKind(kind: StateKind): readonly string[];
  /** The target of `event` in `state`, or `undefined` when the state does not accept it. O(1), no allocation. */
  next(state: string, event: string): string | undefined;
  /** The events `state` accepts, in definition order (empty for unknown states). */
  accepts(state: string): readonly string[];
  /** True when `state` is of kind `final`. */
  isFinal(state: string): boolean;
  /**
   * Applies `event` in `state`. Never throws: an event the state does not accept
   * gives `{ ok: false, error }` with code `INVALID_TRANSITION`.
   */
  transition(state: string, event: string): TransitionResult;
}

const compiled = new WeakSet<object>();
const EMPTY: readonly string[] = Object.freeze([]);

/** True when `value` was returned by {@link compileMachine}. */
export function isMachine(value: unknown): value is Machine {
  return typeof value === 'object' && value !== null && compiled.has(value);
}

/**
 * Validates a machine definition and compiles it for fast lookups. Passing an
 * already compiled machine returns it unchanged.
 *
 * @throws FulfilError `CONFIG_INVALID` listing every problem with its path, e.g.
 *   `machine.states.ready.on.SUBMIT: target "nowhere" is not a state`.
 *
 * @example
 * ```ts
 * const machine = compileMachine(defaultMachine);
 * machine.next('ready', 'SUBMIT'); // 'submitted'
 * const result = machine.transition('delivered', 'SHIP');
 * if (!result.ok) console.log(result.error.code); // 'INVALID_TRANSITION'
 * ```
 */
export function compileMachine(input: MachineDefinitionInput | Machine): Machine {
  if (isMachine(input)) return input;
  const definition = parseOrThrow(MachineDefinition, input, 'machine', ErrorCodes.CONFIG_INVALID);
  const issues = structureIssues(definition);
  if (issues.length > 0) {
    throw new FulfilError(ErrorCodes.CONFIG_INVALID, formatIssues(issues), {
      details: { path: issues[0]?.path, issues },
    });
  }
  return build(deepFreeze(definition));
}

/**
 * Types a machine definition so that `initial` and every transition target must
 * name one of its states. Returns its argument unchanged.
 *
 * @example
 * ```ts
 * const machine = defineMachine({
 *   id: 'tiny',
 *   initial: 'open',
 *   states: {
 *     open: { kind: 'ready', on: { CLOSE: 'closed' } },
 *     closed: { kind: 'final' },
 *   },
 * });
 * ```
 */
export function defineMachine<const S extends string>(
  definition: TypedMachineDefinition<S>,
): TypedMachineDefinition<S> {
  return definition;
}

/** A machine definition whose state names are known to the type checker. See {@link defineMachine}. */
export interface TypedMachineDefinition<S extends string> {
  id: string;
  initial: NoInfer<S>;
  states: Record<S, { kind: StateKind; description?: string; on?: Record<string, NoInfer<S>> }>;
}

function build(definition: MachineDefinition): Machine {
  const table = new Map<string, Map<string, TransitionOk>>();
  const kinds = new Map<string, StateKind>();
  const accepted = new Map<string, readonly string[]>();
  const byKind = new Map<StateKind, string[]>();
  const transitions: MachineTransition[] = [];
  for (const [name, state] of Object.entries(definition.states)) {
    kinds.set(name, state.kind);
    const list = byKind.get(state.kind) ?? [];
    list.push(name);
    byKind.set(state.kind, list);
    const row = new Map<string, TransitionOk>();
    for (const [event, to] of Object.entries(state.on)) {
      const edge: TransitionOk = Object.freeze({ ok: true, from: name, event, to });
      row.set(event, edge);
      transitions.push(Object.freeze({ from: name, event, to }));
    }
    table.set(name, row);
    accepted.set(name, Object.freeze([...row.keys()]));
  }
  for (const list of byKind.values()) Object.freeze(list);
  const states = Object.freeze([...kinds.keys()]);

  const machine: Machine = {
    definition,
    id: definition.id,
    initial: definition.initial,
    states,
    transitions: Object.freeze(transitions),
    has: (state) => kinds.has(state),
    kind: (state) => kinds.get(state),
    statesOfKind: (kind) => byKind.get(kind) ?? EMPTY,
    next: (state, event) => {
      const edge = table.get(state)?.get(event);
      return edge === undefined ? undefined : edge.to;
    },
    accepts: (state) => accepted.get(state) ?? EMPTY,
    isFinal: (state) => kinds.get(state) === 'final',
    transition: (state, event) => {
      const edge = table.get(state)?.get(event);
      if (edge !== undefined) return edge;
      return reject(definition.id, state, event, accepted.get(state));
    },
  };
  Object.freeze(machine);
  compiled.add(machine);
  return machine;
}

function reject(
  machineId: string,
  state: string,
  event: string,
  accepts: readonly string[] | undefined,
): TransitionRejected {
  const message =
    accepts === undefined
      ? `state "${state}" is not a state of machine "${machineId}"`
      : `state "${state}" does not accept event "${event}"; ${
          accepts.length === 0 ? 'it accepts no events' : `it accepts: ${accepts.join(', ')}`
        }`;
  const error = new FulfilError(ErrorCodes.INVALID_TRANSITION, message, {
    details: { path: `machine.states.${state}.on.${event}`, state, event, accepts: accepts ?? [] },
  });
  return { ok: false, from: state, event, error };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
