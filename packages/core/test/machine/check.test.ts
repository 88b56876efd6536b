import { describe, expect, it } from 'vitest';
import { FulfilError } from '../../src/errors';
import { assertValidMachine, checkMachine } from '../../src/machine/check';
import { compileMachine } from '../../src/machine/compile';
import { defaultMachine } from '../../src/machine/default-machine';
import { extendMachine } from '../../src/machine/extend';
import type { MachineDefinitionInput } from '../../src/machine/schema';

function brief(machine: MachineDefinitionInput) {
  return checkMachine(machine).map((i) => `${i.severity} ${i.check} ${i.state ?? '-'} ${i.path}`);
}

describe('checkMachine', () => {
  it('finds nothing wrong with the default machine', () => {
    expect(checkMachine(defaultMachine)).toEqual([]);
    expect(checkMachine(compileMachine(defaultMachine))).toEqual([]);
    expect(assertValidMachine(defaultMachine).id).toBe('fulfil-default');
  });

  it('finds an unreachable state', () => {
    const machine = extendMachine(defaultMachine, {
      states: { awaiting_engraving: { kind: 'hold', on: { ENGRAVED: 'ready' } } },
    });
    const issues = checkMachine(machine);
    expect(issues).toEqual([
      {
        severity: 'error',
        check: 'unreachable',
        state: 'awaiting_engraving',
        path: 'machine.states.awaiting_engraving',
        message: 'state "awaiting_engraving" is unreachable from the initial state "received"',
      },
    ]);
  });

  it('finds dead ends, including states whose only transitions are self-loops', () => {
    const machine = extendMachine(defaultMachine, {
      states: {
        stuck: { kind: 'hold' },
        spinning: { kind: 'review', on: { REVIEW: 'spinning', HOLD: 'spinning' } },
      },
      transitions: [
        { from: 'ready', event: 'STICK', to: 'stuck' },
        { from: 'ready', event: 'SPIN', to: 'spinning' },
      ],
    });
    expect(brief(machine)).toEqual([
      'error dead-end stuck machine.states.stuck.on',
      'error dead-end spinning machine.states.spinning.on',
    ]);
    const messages = checkMachine(machine).map((i) => i.message);
    expect(messages[0]).toBe(
      'state "stuck" (kind "hold") has no way out: it is not final and accepts no events',
    );
    expect(messages[1]).toContain('has only self-loops');
  });

  it('finds a trap: states that cycle without reaching a final or done state', () => {
    const machine = extendMachine(defaultMachine, {
      states: {
        limbo_a: { kind: 'hold', on: { NEXT: 'limbo_b' } },
        limbo_b: { kind: 'review', on: { NEXT: 'limbo_a' } },
      },
      transitions: [{ from: 'on_hold', event: 'LIMBO', to: 'limbo_a' }],
    });
    expect(brief(machine)).toEqual([
      'error trap limbo_a machine.states.limbo_a',
      'error trap limbo_b machine.states.limbo_b',
    ]);
  });

  it('warns about final states with outgoing transitions', () => {
    const machine = extendMachine(defaultMachine, {
      states: { delivered: { kind: 'final', on: { RETURN: 'needs_review' } } },
    });
    const issues = checkMachine(machine);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: 'warning',
      check: 'final-with-exits',
      state: 'delivered',
      path: 'machine.states.delivered.on',
    });
    expect(assertValidMachine(machine).next('delivered', 'RETURN')).toBe('needs_review');
  });

  it('reports a machine without any final or done state once, not one trap per state', () => {
    const machine: MachineDefinitionInput = {
      id: 'loop',
      initial: 'a',
      states: { a: { kind: 'ready', on: { GO: 'b' } }, b: { kind: 'active', on: { GO: 'a' } } },
    };
    expect(brief(machine)).toEqual(['error no-terminal - machine.states']);
  });

  it('returns schema and structure problems instead of throwing', () => {
    expect(brief({ id: 'x', initial: 'a', states: { a: { kind: 'nope' as never } } })).toEqual([
      'error schema - machine.states.a.kind',
    ]);
    const structural = brief({
      id: 'x',
      initial: 'a',
      states: { a: { kind: 'ready', on: { GO: 'gone', END: 'z' } }, z: { kind: 'final' } },
    });
    expect(structural).toEqual(['error structure - machine.states.a.on.GO']);
  });

  it('assertValidMachine throws CONFIG_INVALID listing every error', () => {
    const machine = extendMachine(defaultMachine, {
      states: { stuck: { kind: 'hold' }, orphan: { kind: 'hold', on: { GO: 'ready' } } },
      transitions: [{ from: 'ready', event: 'STICK', to: 'stuck' }],
    });
    let caught: unknown;
    try {
      assertValidMachine(machine);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FulfilError);
    const err = caught as FulfilError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details.issues?.map((i) => i.path)).toEqual([
      'machine.states.stuck.on',
      'machine.states.orphan',
    ]);
    expect(err.message).toContain('machine.states.orphan: state "orphan" is unreachable');
  });
});
