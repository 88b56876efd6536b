import { describe, expect, it } from 'vitest';
import { FulfilError, isFulfilError } from '../../src/errors';
import { compileMachine, defineMachine, isMachine } from '../../src/machine/compile';
import { defaultMachine } from '../../src/machine/default-machine';
import type { MachineDefinitionInput } from '../../src/machine/schema';
import { MachineEvents } from '../../src/machine/schema';

const machine = compileMachine(defaultMachine);

function catchError(fn: () => unknown): FulfilError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FulfilError) return err;
    throw err;
  }
  throw new Error('expected a FulfilError');
}

describe('default machine', () => {
  it('has the states the issue asks for', () => {
    for (const state of [
      'awaiting_payment',
      'on_hold',
      'needs_review',
      'ready',
      'submitted',
      'partially_shipped',
      'shipped',
      'delivered',
      'cancelled',
    ]) {
      expect(machine.has(state), state).toBe(true);
    }
    expect(machine.states).toEqual(Object.keys(defaultMachine.states));
    expect(machine.initial).toBe('received');
    expect(machine.id).toBe('fulfil-default');
  });

  it('follows every transition of the definition', () => {
    let count = 0;
    for (const [from, state] of Object.entries(defaultMachine.states)) {
      expect(machine.kind(from)).toBe(state.kind);
      expect(machine.accepts(from)).toEqual(Object.keys(state.on));
      for (const [event, to] of Object.entries(state.on)) {
        expect(machine.next(from, event), `${from} --${event}-->`).toBe(to);
        expect(machine.transition(from, event)).toEqual({ ok: true, from, event, to });
        count++;
      }
    }
    expect(machine.transitions).toHaveLength(count);
    expect(count).toBeGreaterThan(30);
  });

  it('reaches every state from the initial state', () => {
    const seen = new Set([machine.initial]);
    const queue = [machine.initial];
    for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
      for (const event of machine.accepts(state)) {
        const to = machine.next(state, event);
        expect(to).toBeDefined();
        if (to !== undefined && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...machine.states].sort());
  });

  it('groups states by kind and knows the final ones', () => {
    expect(machine.statesOfKind('final')).toEqual(['delivered', 'cancelled']);
    expect(machine.statesOfKind('ready')).toEqual(['ready']);
    expect(machine.isFinal('delivered')).toBe(true);
    expect(machine.isFinal('shipped')).toBe(false);
    expect(machine.isFinal('nowhere')).toBe(false);
    expect(machine.kind('nowhere')).toBeUndefined();
    expect(machine.accepts('nowhere')).toEqual([]);
  });
});

describe('invalid transitions', () => {
  const events = [...Object.values(MachineEvents), 'ENGRAVE', 'NOT_AN_EVENT'];

  it('are returned as INVALID_TRANSITION for every unaccepted (state, event), never thrown', () => {
    for (const state of machine.states) {
      for (const event of events) {
        if (machine.accepts(state).includes(event)) continue;
        expect(machine.next(state, event)).toBeUndefined();
        const result = machine.transition(state, event);
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.from).toBe(state);
        expect(result.event).toBe(event);
        expect(isFulfilError(result.error, 'INVALID_TRANSITION')).toBe(true);
        expect(result.error.details.accepts).toEqual(machine.accepts(state));
      }
    }
  });

  it('say what the state accepts', () => {
    const result = machine.transition('shipped', 'SUBMIT');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(
      'INVALID_TRANSITION: state "shipped" does not accept event "SUBMIT"; it accepts: DELIVER',
    );
    const final = machine.transition('delivered', 'SHIP');
    expect(!final.ok && final.error.message).toContain('it accepts no events');
  });

  it('handle unknown states and prototype keys without throwing', () => {
    for (const [state, event] of [
      ['nowhere', 'SUBMIT'],
      ['constructor', 'SUBMIT'],
      ['ready', 'constructor'],
      ['__proto__', 'toString'],
    ] as const) {
      expect(machine.next(state, event)).toBeUndefined();
      const result = machine.transition(state, event);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INVALID_TRANSITION');
    }
    const unknown = machine.transition('nowhere', 'SUBMIT');
    expect(!unknown.ok && unknown.error.message).toContain('is not a state of machine');
  });
});

describe('compileMachine', () => {
  it('returns a frozen machine and leaves the input alone', () => {
    expect(Object.isFrozen(machine)).toBe(true);
    expect(Object.isFrozen(machine.definition.states.ready?.on)).toBe(true);
    expect(Object.isFrozen(machine.states)).toBe(true);
    expect(Object.isFrozen(defaultMachine)).toBe(false);
    expect(isMachine(machine)).toBe(true);
    expect(isMachine(defaultMachine)).toBe(false);
    expect(compileMachine(machine)).toBe(machine);
  });

  it('fills defaults: a state without `on` accepts nothing', () => {
    const m = compileMachine({
      id: 'tiny',
      initial: 'open',
      states: { open: { kind: 'ready', on: { CLOSE: 'closed' } }, closed: { kind: 'final' } },
    });
    expect(m.accepts('closed')).toEqual([]);
    expect(m.definition.states.closed?.on).toEqual({});
  });

  it('lists every structural problem with its path', () => {
    const bad: MachineDefinitionInput = {
      id: 'bad',
      initial: 'start',
      states: {
        ready: {
          kind: 'ready',
          on: { SUBMIT: 'nowhere', CANCEL: 'cancelled', HOLD: 'constructor' },
        },
        cancelled: { kind: 'final' },
      },
    };
    const err = catchError(() => compileMachine(bad));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('machine.initial: "start" is not a state');
    expect(err.message).toContain(
      'machine.states.ready.on.SUBMIT: target "nowhere" is not a state',
    );
    expect(err.details.issues).toEqual([
      { path: 'machine.initial', message: '"start" is not a state' },
      { path: 'machine.states.ready.on.SUBMIT', message: 'target "nowhere" is not a state' },
      { path: 'machine.states.ready.on.HOLD', message: 'target "constructor" is not a state' },
    ]);
    expect(err.details.path).toBe('machine.initial');
  });

  it('reports schema problems with their paths', () => {
    const err = catchError(() =>
      compileMachine({
        id: '',
        initial: 'Ready',
        states: { ready: { kind: 'waiting' as never, on: {} } },
      }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    const paths = err.details.issues?.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['machine.id', 'machine.initial', 'machine.states.ready.kind']),
    );
    expect(() => compileMachine(null as never)).toThrow(/CONFIG_INVALID/);
  });
});

describe('defineMachine', () => {
  it('is the identity and checks names at compile time', () => {
    const def = defineMachine({
      id: 'tiny',
      initial: 'open',
      states: { open: { kind: 'ready', on: { CLOSE: 'closed' } }, closed: { kind: 'final' } },
    });
    expect(compileMachine(def).next('open', 'CLOSE')).toBe('closed');
    defineMachine({
      id: 'typo',
      initial: 'open',
      // @ts-expect-error 'close' is not a state
      states: { open: { kind: 'ready', on: { CLOSE: 'close' } }, closed: { kind: 'final' } },
    });
  });
});
